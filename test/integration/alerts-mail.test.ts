import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { SMTPServer } from 'smtp-server';
import { type MailSender, startMailSender } from '../../src/alerts/mailer';
import { createLogger } from '../../src/api/logger';
import { hashPassword } from '../../src/api/auth/passwords';
import { type ApiHarness, activeTask, bearer, createCase, eventually, startApiHarness } from './api-harness';

/**
 * Alert e-mails through a real SMTP server (smtp-server on loopback): an escalation is mailed to
 * the coordinator on duty (all coordinators when none is), with the reference and a link, no
 * personal data; an SMTP server answering 451 is retried with backoff while the case goes on.
 */
interface Received {
  to: string[];
  subject: string;
  body: string;
}

let h: ApiHarness;
let smtp: SMTPServer;
let mailer: MailSender;
const received: Received[] = [];
let rejecting = false;
let rejected = 0;

/** RFC 2047 encoded words and quoted-printable, enough to read what nodemailer writes. */
function decodeWords(s: string): string {
  return s.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

function parse(raw: string, to: string[]): Received {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeWords(/^Subject: (.*)$/im.exec(unfolded)?.[1] ?? '');
  const qp = rest.join('\n\n').replace(/=\r?\n/g, '');
  const body = Buffer.from(qp.replace(/=([0-9A-F]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
  return { to, subject, body };
}

async function escalate(caseId: string): Promise<void> {
  const res = await request(h.app).post(`/api/cases/${caseId}/escalate`).set(...bearer(h, 'operatore1')).send({ reason: 'Serve il coordinatore' });
  expect(res.status).toBe(200);
}

async function escalationNotification(caseId: string) {
  const task = await activeTask(h, caseId, 'escalation');
  return eventually('the escalation notification', () => h.prisma.notification.findFirst({ where: { taskId: task.id } }).then((n) => n ?? undefined));
}

async function referenceOf(caseId: string): Promise<string> {
  return (await h.prisma.case.findUniqueOrThrow({ where: { id: caseId } })).reference;
}

function mailFor(reference: string): Promise<Received> {
  return eventually(`an e-mail about ${reference}`, () => Promise.resolve(received.find((m) => m.subject.includes(reference))));
}

beforeAll(async () => {
  h = await startApiHarness('alerts_mail');
  // A second coordinator, off duty, with an address.
  await h.prisma.user.create({ data: { id: 'u-coord2', username: 'coordinatore2', displayName: 'Coordinatrice 2', passwordHash: await hashPassword('demo-coord2-pis-x'), role: 'coordinator' } });
  await h.prisma.staffContact.create({ data: { userId: 'u-coord2', email: 'coordinatore2@pis.example' } });
  const ambitoId = (await h.prisma.comune.findUniqueOrThrow({ where: { code: '015182' } })).ambitoId as string;
  await h.prisma.userAmbito.create({ data: { userId: 'u-coord2', ambitoId } });
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (rejecting) {
          rejected += 1;
          callback(Object.assign(new Error('Servizio temporaneamente non disponibile'), { responseCode: 451 }));
          return;
        }
        received.push(parse(Buffer.concat(chunks).toString('utf8'), session.envelope.rcptTo.map((r) => r.address).sort()));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  const settings = { ...h.deps.config.alerts, smtp: { host: '127.0.0.1', port, secure: false }, retryBaseSeconds: 1, maxAttempts: 10, consoleUrl: 'https://pis.test' };
  const started = startMailSender({ prisma: h.prisma, logger: createLogger({ level: 'silent' }), settings, pollMs: 200 });
  if (!started) throw new Error('mailer not started');
  mailer = started;
});

afterAll(async () => {
  await mailer?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await h?.close();
});

describe('duty', () => {
  it('PUT /api/me/duty validates, is for operators and coordinators, and GET /api/duty lists who is on duty', async () => {
    const bad = await request(h.app).put('/api/me/duty').set(...bearer(h, 'coordinatore')).send({ onDuty: 'yes' });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('onDuty');
    expect((await request(h.app).put('/api/me/duty').set(...bearer(h, 'as.rho')).send({ onDuty: true })).status).toBe(403);
    expect((await request(h.app).get('/api/duty').set(...bearer(h, 'operatore1'))).status).toBe(403);

    const on = await request(h.app).put('/api/me/duty').set(...bearer(h, 'coordinatore')).send({ onDuty: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ onDuty: true });
    // Idempotent: the same shift.
    const again = await request(h.app).put('/api/me/duty').set(...bearer(h, 'coordinatore')).send({ onDuty: true });
    expect(again.body).toEqual(on.body);
    expect(await h.prisma.dutyShift.count({ where: { userId: 'u-coord', to: null } })).toBe(1);
    const list = await request(h.app).get('/api/duty').set(...bearer(h, 'coordinatore'));
    expect(list.status).toBe(200);
    expect((list.body as { items: Array<{ userId: string; role: string }> }).items).toEqual([expect.objectContaining({ userId: 'u-coord', role: 'coordinator', displayName: 'Coordinatore (demo)' })]);
    expect((await request(h.app).get('/api/me/duty').set(...bearer(h, 'coordinatore'))).body).toEqual(on.body);
  });
});

describe('escalation e-mail', () => {
  it('goes to the coordinator on duty, with the reference and a link, and no personal data', async () => {
    const caseId = await createCase(h);
    await escalate(caseId);
    const reference = await referenceOf(caseId);
    const mail = await mailFor(reference);
    expect(mail.to).toEqual(['coordinatore@pis.example']);
    expect(mail.subject).toContain(`Escalation ${reference}`);
    expect(mail.body).toContain(`https://pis.test/#/casi/${caseId}`);
    expect(`${mail.subject}\n${mail.body}`).not.toMatch(/Mario|Senzatetto|Piazza|Bianchi|1234567|Serve il coordinatore/);
    const n = await eventually('the sent row', () => escalationNotification(caseId).then((row) => (row.sentAt ? row : undefined)));
    expect(n).toMatchObject({ mailState: 'sent', attempts: 1, mailError: null, mailNote: 'on_duty' });
    expect(n.lastAttemptAt).not.toBeNull();
  });

  it('goes to every active coordinator when nobody is on duty, and says so', async () => {
    expect((await request(h.app).put('/api/me/duty').set(...bearer(h, 'coordinatore')).send({ onDuty: false })).body).toEqual({ onDuty: false, since: null });
    const caseId = await createCase(h);
    await escalate(caseId);
    const mail = await mailFor(await referenceOf(caseId));
    expect(mail.to).toEqual(['coordinatore2@pis.example', 'coordinatore@pis.example']);
    const n = await eventually('the sent row', () => escalationNotification(caseId).then((row) => (row.sentAt ? row : undefined)));
    expect(n.mailNote).toBe('no_one_on_duty_all_coordinators');
  });

  it('is retried with backoff while the SMTP server answers 451, and the case goes on meanwhile', async () => {
    rejecting = true;
    const caseId = await createCase(h);
    await escalate(caseId);
    const reference = await referenceOf(caseId);
    const failedOnce = await eventually('a failed attempt', () => escalationNotification(caseId).then((row) => (row.attempts >= 1 ? row : undefined)));
    expect(failedOnce).toMatchObject({ mailState: 'pending', sentAt: null });
    expect(failedOnce.mailError).toContain('451');
    expect(failedOnce.nextAttemptAt).not.toBeNull();

    // The case workflow is not waiting for the e-mail: its next task is claimed and completed.
    const takeCharge = await activeTask(h, caseId, 'take_charge');
    expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
    expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: { etaMinutes: 15 } })).status).toBe(200);
    await activeTask(h, caseId, 'risk_check');
    expect((await escalationNotification(caseId)).sentAt).toBeNull();
    expect(received.some((m) => m.subject.includes(reference))).toBe(false);
    await eventually('a second refusal', () => Promise.resolve(rejected >= 2 ? true : undefined));

    rejecting = false;
    const mail = await mailFor(reference);
    expect(mail.to.length).toBeGreaterThan(0);
    const n = await eventually('the sent row', () => escalationNotification(caseId).then((row) => (row.sentAt ? row : undefined)));
    expect(n.mailState).toBe('sent');
    expect(n.attempts).toBeGreaterThanOrEqual(3);
  });

  it('skips notifications that are not escalations or handovers', async () => {
    const caseId = await createCase(h);
    await activeTask(h, caseId, 'take_charge');
    const n = await eventually('the take-charge notification classified', () =>
      h.prisma.notification.findFirst({ where: { taskId: `${caseId}-t1` } }).then((row) => (row && row.mailState !== 'new' ? row : undefined)),
    );
    expect(n.mailState).toBe('skipped');
    expect(n.attempts).toBe(0);
  });
});
