import { Router } from 'express';
import { z } from 'zod';
import { recordAdminChange } from '../../admin/audit';
import {
  calendarChangeSchema,
  calendarFromChange,
  changeOfCalendar,
  describeCalendarChange,
  extraClosureSchema,
  noOpeningProblem,
  previewOpenings,
  type CalendarChange,
} from '../../admin/calendar';
import { drainHandoverRecomputes, enqueueHandoverRecompute } from '../../admin/handover-recompute';
import { istatComune, sameComuneName } from '../../admin/istat';
import type { OfficeCalendar } from '../../calendar';
import { loadProtocolSettings } from '../../cases/protocol-settings';
import type { Sent } from '../../contract/api';
import type { AdminAmbito, AdminComune, ComuneCalendarAnswer, OpeningsAnswer, ProtocolSettingsAnswer } from '../../contract/admin';
import { SETTING_LABELS } from '../../contract/labels';
import type { Prisma } from '../../generated/prisma/client';
import { isoInstant } from '../../instants';
import { requiredText } from '../../text';
import { DEFAULT_PROTOCOL_SETTINGS, PROTOCOL_SETTING_RANGE, protocolSettingsOverridesSchema, type ProtocolSettings } from '../../workflows/steps/registry';
import { ProblemError } from '../problem';
import { type ApiDeps, endpoint, parseBody, parseQuery } from './context';

/**
 * Administration of the territory and the protocol under /api/admin: Ambiti and their Comuni,
 * the office calendar of each Comune (with a preview of its next openings) and the protocol
 * settings of each Ambito (versions with an effective date). Every change is one transaction with
 * its AdminChange row; a calendar change also writes a HandoverRecompute outbox row, sent to the
 * waiting cases after the commit (and by the reconciler if Temporal is down).
 */

const slug = z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'identificativo in minuscolo (lettere, cifre, - o _)').max(60);
const istatCode = z.string().regex(/^\d{6}$/, 'codice ISTAT di 6 cifre');
const province = z.string().regex(/^[A-Z]{2}$/, 'sigla della provincia (2 lettere maiuscole)');

export const ambitoCreateBody = z.object({ id: slug, name: requiredText(200) }).strict();
export const ambitoUpdateBody = z.object({ name: requiredText(200) }).strict();
export const comuneCreateBody = z.object({ code: istatCode, name: requiredText(120), province, ambitoId: slug }).strict();
export const comuneUpdateBody = z.object({ name: requiredText(120), province, ambitoId: slug.nullable() }).partial().strict();
export const comuneListQuery = z.object({ ambito: slug.optional() }).strict();
export const openingsQuery = z.object({ count: z.coerce.number().int().min(1).max(50).default(5), from: isoInstant().optional() }).strict();
export const settingsBody = z
  .object({
    effectiveFrom: isoInstant().optional().describe('Da quando valgono (default: adesso); i casi già aperti mantengono le loro'),
    values: protocolSettingsOverridesSchema,
  })
  .strict();

/** A new Comune's office: weekday mornings, to be edited on the calendar page. */
const DEFAULT_WEEKLY_HOURS: OfficeCalendar['weeklyHours'] = Object.fromEntries(
  (['1', '2', '3', '4', '5'] as const).map((d) => [d, [{ open: '09:00', close: '12:30' }]]),
);
const TIME_ZONE = 'Europe/Rome';
/** Effective dates in the past would change the settings of cases created meanwhile. */
const SETTINGS_PAST_TOLERANCE_MS = 5 * 60_000;

function invalid(path: string, message: string): ProblemError {
  return new ProblemError(422, { title: 'Validation Failed', detail: 'Dati non validi', errors: [{ path, message }] });
}

function notFound(detail: string): ProblemError {
  return new ProblemError(404, { detail });
}

type ComuneRow = Prisma.ComuneGetPayload<object>;

function presentComune(c: Pick<ComuneRow, 'code' | 'name' | 'province' | 'ambitoId' | 'updatedAt'>): Sent<AdminComune> {
  return { code: c.code, name: c.name, province: c.province, ambitoId: c.ambitoId, updatedAt: c.updatedAt };
}

const COMUNE_SELECT = { code: true, name: true, province: true, ambitoId: true, updatedAt: true } as const;

function calendarAnswer(c: ComuneRow, extra: { casesToRecompute?: number } = {}): Sent<ComuneCalendarAnswer> {
  const calendar = c.calendar as unknown as OfficeCalendar;
  return { comune: presentComune(c), timeZone: calendar.timeZone, calendar: changeOfCalendar(calendar), openings: previewOpenings(calendar, Date.now(), 5), ...extra };
}

export function adminTerritoryRouter(deps: ApiDeps): Router {
  const router = Router();
  const { prisma } = deps;

  async function ambitoExists(id: string): Promise<boolean> {
    return (await prisma.ambito.count({ where: { id } })) > 0;
  }

  // ------------------------------------------------------------------ Ambiti

  router.get(
    '/ambiti',
    endpoint(deps, 'admin.calendar', async () => {
      const rows = await prisma.ambito.findMany({ include: { comuni: { select: COMUNE_SELECT, orderBy: { name: 'asc' } } }, orderBy: { name: 'asc' } });
      const items = rows.map((a) => ({ id: a.id, name: a.name, comuni: a.comuni.map(presentComune), createdAt: a.createdAt, updatedAt: a.updatedAt }));
      return { body: { items: items satisfies Sent<AdminAmbito>[] } };
    }),
  );

  router.post(
    '/ambiti',
    endpoint(deps, 'admin.territory', async (req, ctx) => {
      const body = parseBody(ambitoCreateBody, req.body);
      if (await ambitoExists(body.id)) throw invalid('id', 'esiste già un Ambito con questo identificativo');
      const created = await prisma.$transaction(async (tx) => {
        const row = await tx.ambito.create({ data: { id: body.id, name: body.name } });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'ambito', entityId: row.id, before: null, after: { id: row.id, name: row.name } });
        return row;
      });
      return { status: 201, body: { id: created.id, name: created.name, comuni: [], createdAt: created.createdAt, updatedAt: created.updatedAt } satisfies Sent<AdminAmbito> };
    }),
  );

  router.patch(
    '/ambiti/:id',
    endpoint(deps, 'admin.territory', async (req, ctx) => {
      const body = parseBody(ambitoUpdateBody, req.body);
      const id = String(req.params.id);
      const updated = await prisma.$transaction(async (tx) => {
        const before = await tx.ambito.findUnique({ where: { id } });
        if (!before) throw notFound('Ambito non trovato');
        const row = await tx.ambito.update({ where: { id }, data: { name: body.name }, include: { comuni: { select: COMUNE_SELECT, orderBy: { name: 'asc' } } } });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'ambito', entityId: id, before: { id, name: before.name }, after: { id, name: row.name } });
        return row;
      });
      return { body: { id: updated.id, name: updated.name, comuni: updated.comuni.map(presentComune), createdAt: updated.createdAt, updatedAt: updated.updatedAt } satisfies Sent<AdminAmbito> };
    }),
  );

  // ------------------------------------------------------------------ Comuni

  router.get(
    '/comuni',
    endpoint(deps, 'admin.calendar', async (req) => {
      const q = parseQuery(comuneListQuery, req.query);
      const rows = await prisma.comune.findMany({ where: q.ambito === undefined ? {} : { ambitoId: q.ambito }, select: COMUNE_SELECT, orderBy: { name: 'asc' } });
      return { body: { items: rows.map(presentComune) } };
    }),
  );

  router.post(
    '/comuni',
    endpoint(deps, 'admin.territory', async (req, ctx) => {
      const body = parseBody(comuneCreateBody, req.body);
      const known = istatComune(body.code);
      if (!known) throw invalid('code', 'codice ISTAT sconosciuto');
      if (!sameComuneName(known.name, body.name)) throw invalid('name', `il codice ISTAT ${body.code} è del Comune di ${known.name}`);
      if (known.province !== body.province) throw invalid('province', `il Comune di ${known.name} è in provincia di ${known.province}`);
      if ((await prisma.comune.count({ where: { code: body.code } })) > 0) throw invalid('code', 'Comune già presente');
      if (!(await ambitoExists(body.ambitoId))) throw invalid('ambitoId', 'Ambito sconosciuto');
      const calendar: OfficeCalendar = { comuneCode: body.code, timeZone: TIME_ZONE, weeklyHours: DEFAULT_WEEKLY_HOURS, patronDays: [], extraClosures: [], extraOpenings: [] };
      const created = await prisma.$transaction(async (tx) => {
        const row = await tx.comune.create({
          data: {
            code: body.code,
            name: body.name,
            province: body.province,
            ambitoId: body.ambitoId,
            calendar: calendar as unknown as Prisma.InputJsonValue,
            socialServices: { officeName: `Servizi sociali del Comune di ${body.name}` },
          },
        });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'comune', entityId: row.code, before: null, after: { ...presentComune(row), calendar } });
        return row;
      });
      return { status: 201, body: presentComune(created) };
    }),
  );

  router.patch(
    '/comuni/:code',
    endpoint(deps, 'admin.territory', async (req, ctx) => {
      const body = parseBody(comuneUpdateBody, req.body);
      const code = String(req.params.code);
      const current = await prisma.comune.findUnique({ where: { code }, select: COMUNE_SELECT });
      if (!current) throw notFound('Comune non trovato');
      const known = istatComune(code);
      if (body.name !== undefined && known && !sameComuneName(known.name, body.name)) throw invalid('name', `il codice ISTAT ${code} è del Comune di ${known.name}`);
      if (body.province !== undefined && known && known.province !== body.province) throw invalid('province', `il Comune di ${known.name} è in provincia di ${known.province}`);
      if (body.ambitoId !== undefined && body.ambitoId !== null && !(await ambitoExists(body.ambitoId))) throw invalid('ambitoId', 'Ambito sconosciuto');
      const updated = await prisma.$transaction(async (tx) => {
        const row = await tx.comune.update({ where: { code }, data: body, select: COMUNE_SELECT });
        await recordAdminChange(tx, { actorId: ctx.actor.userId, entity: 'comune', entityId: code, before: presentComune(current), after: presentComune(row) });
        return row;
      });
      return { body: presentComune(updated) };
    }),
  );

  // ------------------------------------------------------------------ office calendars

  async function comuneOr404(code: string): Promise<ComuneRow> {
    const row = await prisma.comune.findUnique({ where: { code } });
    if (!row) throw notFound('Comune non trovato');
    return row;
  }

  router.get(
    '/comuni/:code/calendar',
    endpoint(deps, 'admin.calendar', async (req) => ({ body: calendarAnswer(await comuneOr404(String(req.params.code))) })),
  );

  router.get(
    '/comuni/:code/openings',
    endpoint(deps, 'admin.calendar', async (req) => {
      const q = parseQuery(openingsQuery, req.query);
      const row = await comuneOr404(String(req.params.code));
      const calendar = row.calendar as unknown as OfficeCalendar;
      const from = q.from === undefined ? Date.now() : Date.parse(q.from);
      return { body: { comuneCode: row.code, openings: previewOpenings(calendar, from, q.count) } satisfies Sent<OpeningsAnswer> };
    }),
  );

  /**
   * Stores a new calendar for the Comune (refused when the office would never open within the
   * search horizon), audits it and queues the recompute of the waiting handovers, then sends it.
   */
  async function changeCalendar(code: string, actorId: string, change: (current: CalendarChange) => CalendarChange): Promise<Sent<ComuneCalendarAnswer>> {
    const { row, changeId } = await prisma.$transaction(async (tx) => {
      const current = await tx.comune.findUnique({ where: { code } });
      if (!current) throw notFound('Comune non trovato');
      const before = current.calendar as unknown as OfficeCalendar;
      const after = calendarFromChange(code, before.timeZone, change(changeOfCalendar(before)));
      const never = noOpeningProblem(after, Date.now());
      if (never !== null) throw invalid('weeklyHours', never);
      const updated = await tx.comune.update({ where: { code }, data: { calendar: after as unknown as Prisma.InputJsonValue } });
      await recordAdminChange(tx, { actorId, entity: 'comune_calendar', entityId: code, before, after });
      const id = await enqueueHandoverRecompute(tx, code, describeCalendarChange(before, after));
      return { row: updated, changeId: id };
    });
    // After the commit; if Temporal is down the row stays and the reconciler sends it.
    const sent = await drainHandoverRecomputes({ prisma, client: deps.temporal.client, logger: deps.logger }, [changeId]).catch((err: unknown) => {
      deps.logger.warn({ errorClass: err instanceof Error ? err.constructor.name : typeof err }, 'handover recompute deferred to the reconciler');
      return { signalled: 0 };
    });
    return calendarAnswer(row, { casesToRecompute: sent.signalled });
  }

  router.put(
    '/comuni/:code/calendar',
    endpoint(deps, 'admin.calendar', async (req, ctx) => {
      const body = parseBody(calendarChangeSchema, req.body);
      return { body: await changeCalendar(String(req.params.code), ctx.actor.userId, () => body) };
    }),
  );

  router.post(
    '/comuni/:code/closures',
    endpoint(deps, 'admin.calendar', async (req, ctx) => {
      const closure = parseBody(extraClosureSchema, req.body);
      const answer = await changeCalendar(String(req.params.code), ctx.actor.userId, (current) => {
        const checked = calendarChangeSchema.safeParse({ ...current, extraClosures: [...current.extraClosures, closure] });
        if (!checked.success) throw invalid(checked.error.issues[0]?.path.join('.') ?? 'date', checked.error.issues[0]?.message ?? 'non valida');
        return checked.data;
      });
      return { status: 201, body: answer };
    }),
  );

  // ------------------------------------------------------------------ protocol settings

  async function settingsAnswer(ambitoId: string): Promise<Sent<ProtocolSettingsAnswer>> {
    const [effective, versions] = await Promise.all([
      loadProtocolSettings(prisma, ambitoId),
      prisma.protocolSettingsVersion.findMany({ where: { ambitoId }, orderBy: { effectiveFrom: 'desc' }, take: 50 }),
    ]);
    return {
      ambitoId,
      effective,
      settings: (Object.keys(DEFAULT_PROTOCOL_SETTINGS) as Array<keyof ProtocolSettings>).map((key) => ({
        key,
        label: SETTING_LABELS[key],
        default: DEFAULT_PROTOCOL_SETTINGS[key],
        ...PROTOCOL_SETTING_RANGE,
      })),
      versions: versions.map((v) => ({ effectiveFrom: v.effectiveFrom, values: v.values as Record<string, number>, changedBy: v.changedBy, createdAt: v.createdAt })),
    };
  }

  router.get(
    '/ambiti/:id/settings',
    endpoint(deps, 'admin.settings', async (req) => {
      const id = String(req.params.id);
      if (!(await ambitoExists(id))) throw notFound('Ambito non trovato');
      return { body: await settingsAnswer(id) };
    }),
  );

  router.put(
    '/ambiti/:id/settings',
    endpoint(deps, 'admin.settings', async (req, ctx) => {
      const body = parseBody(settingsBody, req.body);
      const id = String(req.params.id);
      if (!(await ambitoExists(id))) throw notFound('Ambito non trovato');
      const effectiveFrom = body.effectiveFrom === undefined ? new Date() : new Date(Date.parse(body.effectiveFrom));
      if (effectiveFrom.getTime() < Date.now() - SETTINGS_PAST_TOLERANCE_MS) throw invalid('effectiveFrom', 'non può essere nel passato');
      const values = Object.fromEntries(Object.entries(body.values).filter(([, v]) => v !== undefined)) as Record<string, number>;
      await prisma.$transaction(async (tx) => {
        const before = await tx.protocolSettingsVersion.findFirst({ where: { ambitoId: id, effectiveFrom: { lte: effectiveFrom } }, orderBy: { effectiveFrom: 'desc' } });
        const existing = await tx.protocolSettingsVersion.findUnique({ where: { ambitoId_effectiveFrom: { ambitoId: id, effectiveFrom } } });
        if (existing) throw invalid('effectiveFrom', 'esiste già una versione con questa data di decorrenza');
        await tx.protocolSettingsVersion.create({ data: { ambitoId: id, effectiveFrom, values, changedBy: ctx.actor.userId } });
        await recordAdminChange(tx, {
          actorId: ctx.actor.userId,
          entity: 'protocol_settings',
          entityId: id,
          before: before ? { effectiveFrom: before.effectiveFrom.toISOString(), values: before.values } : null,
          after: { effectiveFrom: effectiveFrom.toISOString(), values },
        });
      });
      return { status: 201, body: await settingsAnswer(id) };
    }),
  );

  return router;
}
