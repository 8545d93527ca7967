import { z } from 'zod';
import { CASE_STATUSES, RISK_LEVELS, ROLES, TARGET_CATEGORIES } from '../../domain';
import { STEPS } from '../../workflows/steps/registry';
import { TASK_TYPES } from '../../workflows/steps/registry';
import { isoInstant } from '../../instants';
import { reasonText, requiredText } from '../../text';

/** Request schemas of the API: validated by the routes and published in the OpenAPI document. */

const reason = reasonText.describe('Motivazione');
const istatCode = z.string().regex(/^\d{6}$/, 'codice ISTAT di 6 cifre');
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const loginBody = z
  .object({
    username: requiredText(100).describe('Nome utente'),
    password: z.string().min(1).max(200).describe('Password'),
  })
  .strict();

export const idempotencyKeyHeader = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'da 8 a 128 caratteri tra A-Z a-z 0-9 . _ : -');

export const caseListQuery = z
  .object({
    status: z.enum([...CASE_STATUSES, 'active']).optional().describe('Stato; `active` = non chiuso'),
    step: z.enum(STEPS).optional(),
    comune: istatCode.optional().describe('Comune competente, o dell’evento se non ancora deciso'),
    risk: z.enum(RISK_LEVELS).optional(),
    category: z.enum(TARGET_CATEGORIES).optional(),
    overdue: booleanFlag.optional().describe('Solo casi con attività scadute (true) o senza (false)'),
    sort: z.enum(['reportedAt', 'createdAt', 'lastProgressAt', 'overdueSince', 'handoverAt']).default('reportedAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    cursor: z.string().max(512).optional().describe('`nextCursor` della pagina precedente (paginazione per chiave; al posto di `offset`)'),
  })
  .strict();

export const caseDetailQuery = z
  .object({ live: booleanFlag.optional().describe('Aggiunge lo stato vivo dal workflow (query)') })
  .strict();

export const noteBody = z.object({ text: requiredText(4000).describe('Testo della nota') }).strict();
export const emptyBody = z.object({}).strict();
export const reasonBody = z.object({ reason }).strict();
export const moveHandoverBody = z
  .object({ at: isoInstant().describe('Nuova ora del passaggio di consegne'), reason })
  .strict();

export const taskListQuery = z
  .object({
    scope: z.enum(['mine', 'available', 'all']).optional().describe('mine: mie; available: non assegnate del mio ruolo; all: tutte (coordinatore)'),
    status: z.enum(['active', 'open', 'claimed', 'completed', 'cancelled']).default('active'),
    type: z.enum(TASK_TYPES as [string, ...string[]]).optional(),
    caseId: z.uuid().optional(),
    overdue: booleanFlag.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    cursor: z.string().max(512).optional().describe('`nextCursor` della pagina precedente (paginazione per chiave; al posto di `offset`)'),
  })
  .strict();

export const completeTaskBody = z
  .object({
    form: z.record(z.string(), z.unknown()).describe('Dati del modulo (vedi `formSchema` della attività)'),
    submittedAt: isoInstant().optional().describe('Ora di compilazione (default: ora del server)'),
  })
  .strict();

export const reassignTaskBody = z
  .object({ assigneeId: requiredText(64).describe('Utente a cui assegnare'), reason })
  .strict();

export const userListQuery = z
  .object({
    role: z.enum(ROLES).optional().describe('Solo gli utenti di questo ruolo'),
    comune: istatCode.optional().describe('Solo gli assistenti sociali di questo Comune'),
  })
  .strict();

export const CASE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-t\d{1,6}$/;

export const stuckQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Casi per pagina, i più vecchi prima'),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .strict();
