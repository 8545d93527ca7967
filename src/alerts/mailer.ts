import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { AlertSettings } from '../config';
import { TASK_LABELS } from '../contract/labels';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * E-mail of alerts, sent by the worker process beside the case worker, never by the case
 * workflow: the workflow writes a Notification row with the task (outbox), and this loop mails it.
 * - an escalation task ⇒ the coordinators on duty (DutyShift), or, when none is, every active
 *   coordinator (logged, and noted on the row as `no_one_on_duty_all_coordinators`);
 * - a handover to a Comune (`handover_ack`) ⇒ the active social workers of that Comune;
 * - anything else ⇒ `skipped`.
 * Delivery is recorded on the row (attempts, lastAttemptAt, sentAt, the error class only) and
 * retried with exponential backoff (MAIL_RETRY_BASE_SECONDS doubling up to an hour, at most
 * MAIL_MAX_ATTEMPTS). Rows are leased with `FOR UPDATE SKIP LOCKED`, so several workers never send
 * the same row at once. Contents: the case reference, the task, a link to the console; no names,
 * no addresses, no narrative.
 */
export interface MailSenderOptions {
  prisma: PrismaClient;
  logger: Logger;
  settings: AlertSettings;
  /** How often the outbox is read, ms (default 5 s). */
  pollMs?: number;
}

export interface MailSender {
  /** One pass: classify new rows, send what is due. Returns how many e-mails were attempted. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

const LEASE_SECONDS = 300;
const MAX_BACKOFF_SECONDS = 3600;

interface Leased {
  id: string;
  caseId: string;
  taskId: string | null;
  comuneCode: string | null;
  attempts: number;
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
  note: string;
}

export function startMailSender(opts: MailSenderOptions): MailSender | undefined {
  const log = opts.logger.child({ component: 'mailer' });
  const smtp = opts.settings.smtp;
  if (!smtp) {
    log.info('SMTP_HOST unset: alert e-mails are not sent (notifications stay in the outbox)');
    return undefined;
  }
  const transport: Transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  const sender = new Sender(opts.prisma, log, opts.settings, transport);
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = sender
      .runOnce()
      .catch((err: unknown) => log.warn({ errorClass: errorClass(err) }, 'mailer pass failed (retried at the next pass)'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.pollMs ?? 5000);
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0);
  return {
    runOnce: () => sender.runOnce(),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
      transport.close();
    },
  };
}

class Sender {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly settings: AlertSettings,
    private readonly transport: Transporter,
  ) {}

  async runOnce(): Promise<number> {
    await this.classifyNew();
    const due = await this.prisma.$queryRaw<Leased[]>`
      UPDATE "Notification" SET "nextAttemptAt" = now() + make_interval(secs => ${LEASE_SECONDS})
      WHERE id IN (
        SELECT id FROM "Notification"
        WHERE "mailState" = 'pending' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())
        ORDER BY "createdAt" LIMIT 20 FOR UPDATE SKIP LOCKED)
      RETURNING id, "caseId", "taskId", "comuneCode", attempts`;
    for (const n of due) await this.deliver(n);
    return due.length;
  }

  /** New rows: pending when they are an escalation or a handover to a Comune, skipped otherwise. */
  private async classifyNew(): Promise<void> {
    const fresh = await this.prisma.notification.findMany({ where: { mailState: 'new' }, select: { id: true, kind: true, taskId: true }, take: 200 });
    if (fresh.length === 0) return;
    const taskIds = fresh.map((n) => n.taskId).filter((id): id is string => id !== null);
    const types = new Map((await this.prisma.task.findMany({ where: { id: { in: taskIds } }, select: { id: true, type: true } })).map((t) => [t.id, t.type]));
    const mailed = fresh.filter((n) => n.kind === 'task_created' && n.taskId !== null && ['escalation', 'handover_ack'].includes(types.get(n.taskId) ?? ''));
    const mailedIds = new Set(mailed.map((n) => n.id));
    if (mailed.length > 0) await this.prisma.notification.updateMany({ where: { id: { in: [...mailedIds] }, mailState: 'new' }, data: { mailState: 'pending' } });
    const skipped = fresh.filter((n) => !mailedIds.has(n.id)).map((n) => n.id);
    if (skipped.length > 0) await this.prisma.notification.updateMany({ where: { id: { in: skipped }, mailState: 'new' }, data: { mailState: 'skipped' } });
  }

  private async deliver(n: Leased): Promise<void> {
    const attempts = n.attempts + 1;
    let mail: Mail | undefined;
    try {
      mail = await this.compose(n);
    } catch (err) {
      await this.failed(n, attempts, err);
      return;
    }
    if (mail === undefined || mail.to.length === 0) {
      this.log.warn({ notificationId: n.id, caseId: n.caseId, note: mail?.note ?? 'nothing_to_send' }, 'alert e-mail: no recipient with an address');
      await this.prisma.notification.update({ where: { id: n.id }, data: { mailState: 'skipped', mailNote: mail ? `${mail.note}; no_recipient_address` : 'nothing_to_send', nextAttemptAt: null } });
      return;
    }
    try {
      await this.transport.sendMail({ from: this.settings.from, to: mail.to, subject: mail.subject, text: mail.text });
    } catch (err) {
      await this.failed(n, attempts, err);
      return;
    }
    await this.prisma.notification.update({
      where: { id: n.id },
      data: { mailState: 'sent', attempts, lastAttemptAt: new Date(), sentAt: new Date(), nextAttemptAt: null, mailError: null, mailNote: mail.note },
    });
    this.log.info({ notificationId: n.id, caseId: n.caseId, recipients: mail.to.length, note: mail.note, attempts }, 'alert e-mail sent');
  }

  private async failed(n: Leased, attempts: number, err: unknown): Promise<void> {
    const giveUp = attempts >= this.settings.maxAttempts;
    const delay = Math.min(this.settings.retryBaseSeconds * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS);
    const mailError = errorClass(err).slice(0, 120);
    await this.prisma.notification.update({
      where: { id: n.id },
      data: {
        attempts,
        lastAttemptAt: new Date(),
        mailError,
        mailState: giveUp ? 'failed' : 'pending',
        nextAttemptAt: giveUp ? null : new Date(Date.now() + delay * 1000),
      },
    });
    this.log.warn({ notificationId: n.id, caseId: n.caseId, attempts, errorClass: mailError, retryInSeconds: giveUp ? undefined : delay }, giveUp ? 'alert e-mail given up' : 'alert e-mail failed, retried later');
  }

  private async compose(n: Leased): Promise<Mail | undefined> {
    if (n.taskId === null) return undefined;
    const task = await this.prisma.task.findUnique({ where: { id: n.taskId }, include: { case: { select: { reference: true, ambitoId: true } } } });
    if (!task) return undefined;
    const reference = task.case.reference;
    const link = `${this.settings.consoleUrl}/#/casi/${encodeURIComponent(n.caseId)}`;
    if (task.type === 'escalation') {
      const { userIds, note } = await this.coordinators(task.case.ambitoId);
      if (note === 'no_one_on_duty_all_coordinators') {
        this.log.warn({ notificationId: n.id, caseId: n.caseId, recipients: userIds.length }, 'no coordinator on duty: escalation e-mailed to all active coordinators');
      }
      const subjectTaskId = (task.escalation as { subjectTaskId?: string | null } | null)?.subjectTaskId ?? null;
      const subjectTask = subjectTaskId ? await this.prisma.task.findUnique({ where: { id: subjectTaskId }, select: { type: true } }) : null;
      const about = subjectTask ? labelOf(subjectTask.type) : 'intervento del coordinamento';
      return {
        to: await this.addresses(userIds),
        note,
        subject: `[PIS] Escalation ${reference}: ${about}`,
        text: [
          `Escalation sul caso ${reference}.`,
          `Attività: ${labelOf(task.type)} (${about}).`,
          `Apri il caso nella console: ${link}`,
          '',
          'Il messaggio non contiene dati personali: i dettagli sono nella console, dopo l’accesso.',
        ].join('\n'),
      };
    }
    if (task.type === 'handover_ack') {
      const comuneCode = task.comuneCode ?? n.comuneCode;
      if (!comuneCode) return undefined;
      const comune = await this.prisma.comune.findUnique({ where: { code: comuneCode }, select: { name: true } });
      const workers = await this.prisma.user.findMany({ where: { role: 'social_worker', comuneCode, active: true }, select: { id: true } });
      return {
        to: await this.addresses(workers.map((w) => w.id)),
        note: 'comune_social_workers',
        subject: `[PIS] Passaggio di consegne ${reference} al Comune di ${comune?.name ?? comuneCode}`,
        text: [
          `Il Pronto Intervento Sociale passa il caso ${reference} al servizio sociale del Comune di ${comune?.name ?? comuneCode}.`,
          `Attività: ${labelOf(task.type)}.`,
          `Apri il caso nella console: ${link}`,
          '',
          'La scheda del caso è consultabile nella console, dopo l’accesso.',
        ].join('\n'),
      };
    }
    return undefined;
  }

  /** The case's Ambito's coordinators on duty; nobody on duty ⇒ every active coordinator of that Ambito. */
  private async coordinators(ambitoId: string): Promise<{ userIds: string[]; note: string }> {
    const active = await this.prisma.user.findMany({ where: { role: 'coordinator', active: true, ambiti: { some: { ambitoId } } }, select: { id: true } });
    const ids = active.map((u) => u.id);
    const onDuty = await this.prisma.dutyShift.findMany({ where: { to: null, userId: { in: ids } }, select: { userId: true } });
    if (onDuty.length > 0) return { userIds: [...new Set(onDuty.map((s) => s.userId))], note: 'on_duty' };
    return { userIds: ids, note: 'no_one_on_duty_all_coordinators' };
  }

  private async addresses(userIds: string[]): Promise<string[]> {
    const contacts = await this.prisma.staffContact.findMany({ where: { userId: { in: userIds } }, select: { email: true } });
    return [...new Set(contacts.map((c) => c.email))];
  }
}

function labelOf(type: string): string {
  return (TASK_LABELS as Record<string, string>)[type] ?? type;
}

/** The error's class and SMTP/network code only: never its message (it may echo addresses). */
function errorClass(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const e = err as Error & { code?: unknown; responseCode?: unknown };
  return [e.name, typeof e.code === 'string' ? e.code : undefined, typeof e.responseCode === 'number' ? String(e.responseCode) : undefined].filter(Boolean).join(' ');
}
