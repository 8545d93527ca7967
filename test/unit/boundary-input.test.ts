import { handoverMoveWindow, reportedAtWindow, submittedAtWindow, windowIssue } from '../../src/api/date-windows';
import { intakeSchema } from '../../src/cases/intake-schema';
import { ConfigError, DEFAULT_DATE_WINDOWS, loadConfig } from '../../src/config';
import { isoInstant, storableInstant } from '../../src/instants';
import { loginBody, moveHandoverBody, noteBody, reasonBody } from '../../src/api/routes/schemas';
import { reasonText, requiredText, text, TEXT_MESSAGES } from '../../src/text';
import { validateTaskForm } from '../../src/workflows/steps/registry';

const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);

describe('the shared text rule', () => {
  const field = text({ max: 50 });

  it.each([
    ['NUL', 'a\u0000b', TEXT_MESSAGES.control],
    ['SOH', 'a\u0001b', TEXT_MESSAGES.control],
    ['ESC', 'a\u001b[31mb', TEXT_MESSAGES.control],
    ['vertical tab', 'a\u000bb', TEXT_MESSAGES.control],
    ['DEL', 'a\u007fb', TEXT_MESSAGES.control],
    ['C1 control', 'a\u0085b', TEXT_MESSAGES.control],
    ['lone high surrogate', 'a\ud800b', TEXT_MESSAGES.surrogate],
    ['lone low surrogate', 'a\udc00b', TEXT_MESSAGES.surrogate],
    ['bidi override', 'abc\u202edcba', TEXT_MESSAGES.bidi],
    ['bidi isolate', 'x\u2066y\u2069', TEXT_MESSAGES.bidi],
  ])('rejects %s', (_label, value, message) => {
    const r = field.safeParse(value);
    expect(r.success).toBe(false);
    expect(issues(r)).toEqual([`: ${message}`]);
  });

  it('keeps tab, newline, emoji (surrogate pairs), accents and the implicit direction marks', () => {
    for (const value of ['riga 1\nriga 2', 'a\tb', 'ok 👍🏽', 'Niccolò Müller', 'مرحبا\u200f Rho']) {
      expect(field.parse(value)).toBe(value);
    }
  });

  it('normalises to NFC, unifies line breaks, trims', () => {
    expect(field.parse('  Jose\u0301 ')).toBe('José');
    expect(field.parse('Jose\u0301')).toHaveLength(4);
    expect(field.parse('a\r\nb\rc\u2028d')).toBe('a\nb\nc\nd');
  });

  it('counts the length after normalisation and says the limits in Italian', () => {
    expect(text({ max: 4 }).safeParse('Jose\u0301').success).toBe(true);
    expect(issues(text({ max: 3 }).safeParse('abcd'))).toEqual([': al massimo 3 caratteri']);
    expect(issues(requiredText(10).safeParse('   '))).toEqual([': campo obbligatorio']);
    expect(issues(reasonText.safeParse('ab'))).toEqual([': almeno 3 caratteri']);
    expect(issues(reasonText.safeParse('abc\u0000'))).toEqual([`: ${TEXT_MESSAGES.control}`]);
  });

  it('is what every free-text schema uses, naming the field path', () => {
    const report = {
      reportingForce: 'carabinieri',
      officerName: 'Bianchi',
      callbackNumber: '+39 02 1234567',
      reportNumber: 'R-1',
      reportedAt: '2026-11-15T23:10:00+01:00',
      eventComuneCode: '015182',
      eventAddress: 'Via Roma 1',
      categories: ['homeless'],
      people: [{ role: 'subject', firstName: 'Mario', notes: 'ok' }],
      narrative: 'Uomo al freddo',
    };
    expect(intakeSchema.safeParse(report).success).toBe(true);
    for (const [path, patch] of [
      ['officerName', { officerName: 'B\u0000' }],
      ['reportNumber', { reportNumber: 'R\u0001' }],
      ['eventAddress', { eventAddress: 'Via\u001b' }],
      ['narrative', { narrative: 'x\ud800' }],
      ['people.0.firstName', { people: [{ role: 'subject', firstName: 'M\u007f' }] }],
      ['people.0.notes', { people: [{ role: 'subject', notes: '\u202eok' }] }],
    ] as const) {
      const found = issues(intakeSchema.safeParse({ ...report, ...patch }));
      expect(found).toHaveLength(1);
      expect(found[0]?.startsWith(`${path}: contiene caratteri non ammessi`)).toBe(true);
    }
    expect(issues(noteBody.safeParse({ text: 'nota\u0000' }))).toEqual([`text: ${TEXT_MESSAGES.control}`]);
    expect(issues(reasonBody.safeParse({ reason: 'motivo\u0000' }))).toEqual([`reason: ${TEXT_MESSAGES.control}`]);
    expect(issues(moveHandoverBody.safeParse({ at: '2026-12-01T10:00:00Z', reason: 'mot\u0085ivo' }))).toEqual([`reason: ${TEXT_MESSAGES.control}`]);
    expect(issues(loginBody.safeParse({ username: 'coord\u0000', password: 'x' }))).toEqual([`username: ${TEXT_MESSAGES.control}`]);
  });

  it('applies to task forms, in the API and in the workflow validators alike', () => {
    const bad = validateTaskForm('escalation', { action: 'handled', notes: 'fatto\u0000' });
    expect(bad).toEqual({ ok: false, issues: [{ path: 'notes', message: TEXT_MESSAGES.control }] });
    const nested = validateTaskForm('intervention', {
      outcome: 'refused_help',
      refusals: [{ offered: 'letto', at: '2026-11-15T23:30:00+01:00', reason: 'no\u001b' }],
    });
    expect(nested).toEqual({ ok: false, issues: [{ path: 'refusals.0.reason', message: TEXT_MESSAGES.control }] });
    const good = validateTaskForm('escalation', { action: 'handled', notes: ' Jose\u0301 ' });
    expect(good).toEqual({ ok: true, data: { action: 'handled', notes: 'José' } });
  });
});

describe('instants', () => {
  it('the API range refuses year 0000 and 9999, the storable one only what PostgreSQL cannot store', () => {
    expect(isoInstant().safeParse('2026-11-15T23:10:00+01:00').success).toBe(true);
    expect(issues(isoInstant().safeParse('0000-01-01T00:00:00Z'))).toEqual([': data fuori dall’intervallo ammesso (anni 2000–2099)']);
    expect(issues(isoInstant().safeParse('9999-12-31T23:59:59Z'))).toEqual([': data fuori dall’intervallo ammesso (anni 2000–2099)']);
    expect(issues(isoInstant().safeParse('2026-11-15'))).toEqual([': data e ora in formato ISO 8601']);
    expect(storableInstant().safeParse('1999-01-01T00:00:00Z').success).toBe(true);
    expect(storableInstant().safeParse('0001-01-01T00:00:00Z').success).toBe(true);
    expect(storableInstant().safeParse('0000-12-31T23:00:00Z').success).toBe(false);
    expect(storableInstant().safeParse('0001-01-01T00:30:00+01:00').success).toBe(false);
  });
});

describe('date windows', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  const w = DEFAULT_DATE_WINDOWS;

  it('reportedAt: not in the future beyond the skew, not older than the maximum age', () => {
    const win = reportedAtWindow(now, w);
    expect(windowIssue('reportedAt', '2026-12-02T10:09:00Z', win)).toBeUndefined();
    expect(windowIssue('reportedAt', '2026-11-02T10:00:00Z', win)).toBeUndefined();
    expect(windowIssue('reportedAt', '2026-12-02T10:11:00Z', win)).toEqual({ path: 'reportedAt', message: 'data nel futuro: indicare un’ora già trascorsa' });
    expect(windowIssue('reportedAt', '2026-11-02T09:59:00Z', win)).toEqual({ path: 'reportedAt', message: 'data troppo lontana nel passato (al massimo 30 giorni fa)' });
  });

  it('submittedAt: same rule with its own maximum age', () => {
    const win = submittedAtWindow(now, { ...w, submittedAtMaxAgeDays: 2 });
    expect(windowIssue('submittedAt', '2026-11-30T10:01:00Z', win)).toBeUndefined();
    expect(windowIssue('submittedAt', '2026-11-30T09:59:00Z', win)?.message).toBe('data troppo lontana nel passato (al massimo 2 giorni fa)');
    expect(windowIssue('submittedAt', '2099-01-01T00:00:00Z', win)?.path).toBe('submittedAt');
  });

  it('move-handover at: from now minus the skew to the horizon', () => {
    const win = handoverMoveWindow(now, w);
    expect(windowIssue('at', '2026-12-02T09:51:00Z', win)).toBeUndefined();
    expect(windowIssue('at', '2027-01-01T10:00:00Z', win)).toBeUndefined();
    expect(windowIssue('at', '2026-12-02T09:49:00Z', win)?.message).toBe('data già trascorsa: il passaggio di consegne va spostato a un’ora futura');
    expect(windowIssue('at', '2027-01-01T10:01:00Z', win)?.message).toBe('data troppo lontana (al massimo 30 giorni da oggi)');
  });

  it('comes from the environment, bounded by what the workflow accepts', () => {
    expect(loadConfig({}).dateWindows).toEqual(DEFAULT_DATE_WINDOWS);
    expect(loadConfig({ INPUT_CLOCK_SKEW_MINUTES: '5', REPORTED_AT_MAX_AGE_DAYS: '7', SUBMITTED_AT_MAX_AGE_DAYS: '3', HANDOVER_MOVE_HORIZON_DAYS: '90' }).dateWindows).toEqual({
      clockSkewMinutes: 5,
      reportedAtMaxAgeDays: 7,
      submittedAtMaxAgeDays: 3,
      handoverMoveHorizonDays: 90,
    });
    expect(() => loadConfig({ HANDOVER_MOVE_HORIZON_DAYS: '400' })).toThrow(ConfigError);
    expect(() => loadConfig({ HANDOVER_MOVE_HORIZON_DAYS: '400' })).toThrow(/HANDOVER_MOVE_HORIZON_DAYS/);
  });
});
