import { OpenApiGeneratorV3, OpenAPIRegistry, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { intakeSchema } from '../cases/intake-schema';
import { CASE_STATUSES, NETWORK_RESOURCE_TYPES, RISK_LEVELS, ROLES, STUCK_KINDS } from '../domain';
import { availabilityBody, releaseBody, resourceCreateBody, resourceListQuery, resourceUpdateBody } from '../resources/schemas';
import { STEPS } from '../workflows/steps/registry';
import { TASK_TYPES } from '../workflows/steps/registry';
import { PERMISSIONS, type Action } from './authorization';
import { monitoringQuery } from '../reports/monitoring';
import { personLinkBody, personSearchQuery } from './routes/people';
import { evidenceBody, milestoneListQuery } from './routes/milestones';
import { documentQuery } from './routes/documents';
import { DOCUMENT_KINDS } from '../contract/milestones';
import {
  caseDetailQuery,
  caseListQuery,
  stuckQuery,
  completeTaskBody,
  loginBody,
  moveHandoverBody,
  noteBody,
  reasonBody,
  emptyBody,
  reassignTaskBody,
  taskListQuery,
  userListQuery,
} from './routes/schemas';
import { createUserBody, updateUserBody } from './routes/admin-users';

/**
 * OpenAPI 3 document of the `/api` routes. Request schemas are the very zod schemas the routes
 * validate with; response schemas describe the main members (the case file is documented as an
 * object of sections). Each operation says which roles may call it, from the authorisation matrix.
 */

const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().optional().describe('Codice di errore del dominio (es. ALREADY_CLAIMED)'),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .describe('RFC 9457 problem details');

const iso = z.string().describe('ISO 8601');
const adminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  comuneCode: z.string().nullable(),
  ambitoIds: z.array(z.string()),
  active: z.boolean(),
  createdAt: iso,
});
const caseId = z.uuid();
const taskId = z.string().regex(/^[0-9a-f-]{36}-t\d+$/);

const resourceItem = z.object({
  id: z.string(),
  type: z.enum(NETWORK_RESOURCE_TYPES),
  name: z.string(),
  comuneCode: z.string().nullable(),
  capacity: z.number().int().nullable(),
  available: z.number().int().nullable().describe('Posti liberi ora; null se non si contano'),
  inUse: z.number().int().describe('Posti tenuti da interventi'),
  active: z.boolean(),
  availability: z.object({ note: z.string().nullable(), updatedAt: iso.nullable(), updatedBy: z.object({ id: z.string(), displayName: z.string() }).nullable() }),
});

const caseSummary = z.object({
  id: caseId,
  reference: z.string(),
  status: z.enum(CASE_STATUSES),
  step: z.enum(STEPS),
  riskLevel: z.enum(RISK_LEVELS).nullable(),
  flags: z.array(z.string()),
  categories: z.array(z.string()),
  eventComuneCode: z.string(),
  competentComuneCode: z.string().nullable(),
  reportedAt: iso,
  handoverAt: iso.nullable(),
  overdueSince: iso.nullable(),
  lastProgressAt: iso,
  outcomeCode: z.string().nullable(),
  closedAt: iso.nullable(),
});

const taskSummary = z.object({
  id: taskId,
  caseId,
  type: z.enum(TASK_TYPES as [string, ...string[]]),
  label: z.string(),
  candidateRole: z.enum(ROLES),
  comuneCode: z.string().nullable(),
  assigneeId: z.string().nullable(),
  status: z.enum(['open', 'claimed', 'completed', 'cancelled']),
  createdAt: iso,
  dueAt: iso.nullable(),
  overdue: z.boolean(),
  case: z.object({ reference: z.string(), status: z.string(), step: z.string() }),
});

const caseState = z
  .object({
    caseId,
    reference: z.string(),
    revision: z.number().int(),
    status: z.enum(CASE_STATUSES),
    step: z.enum(STEPS),
    activeSteps: z.array(z.enum(STEPS)),
    riskLevel: z.enum(RISK_LEVELS).nullable(),
    ownerId: z.string().nullable(),
    overdueSince: iso.nullable(),
    handover: z.object({ comuneCode: z.string(), external: z.boolean(), openingAt: iso }).nullable(),
    closure: z.object({ outcome: z.string(), reason: z.string(), at: iso, byId: z.string() }).nullable(),
    tasks: z.array(taskSummary.omit({ caseId: true, overdue: true, case: true })),
  })
  .describe('Stato del caso dopo l’azione (dal workflow)');

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    /** True when there are more than `total` matches (the task list stops counting at 10,000; the case list's totals are exact). */
    totalCapped: z.boolean().optional(),
    limit: z.number().int(),
    offset: z.number().int(),
    /** Pass as `cursor` for the next page (keyset pagination); null on the last page. */
    nextCursor: z.string().nullable().optional(),
  });

const stuckReport = z.object({
  generatedAt: iso,
  temporalCheckedAt: iso,
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  worker: z.object({ taskQueue: z.string(), polling: z.boolean(), pollers: z.number().int(), lastSeenAt: iso.nullable() }),
  described: z.number().int(),
  items: z.array(
    z.object({
      caseId,
      reference: z.string(),
      status: z.string(),
      step: z.string(),
      comuneCode: z.string(),
      riskLevel: z.string().nullable(),
      since: iso,
      stuckForMinutes: z.number().int(),
      reasons: z.array(
        z.object({
          kind: z.enum(STUCK_KINDS),
          since: iso,
          detail: z.string(),
          suggestedActions: z.array(z.enum(['reassign', 'escalate', 'add_note', 'cancel', 'check_worker', 'fix_and_reset', 'retry_persistence'])),
          taskId: z.string().optional(),
          activityType: z.string().optional(),
          attempt: z.number().int().optional(),
          lastError: z.string().optional(),
        }),
      ),
    }),
  ),
});

const counts = z.record(z.string(), z.number().int());
const summary = z.object({
  generatedAt: iso,
  byStatus: counts,
  byStep: counts,
  byComune: counts,
  slaBreaches: z.object({ overdueCases: z.number().int(), overdueTasksByType: counts, takeChargeUnclaimed: z.number().int(), escalatedOpenTasks: z.number().int() }),
});

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const idParam = (name: 'id', schema: z.ZodType) => z.object({ [name]: schema });

interface Operation {
  method: RouteConfig['method'];
  path: string;
  summary: string;
  action?: Action;
  request?: RouteConfig['request'];
  /** No schema: an answer without body (204). */
  ok: { status: number; schema?: z.ZodType; description: string };
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Richiesta malformata',
  401: 'Token mancante, scaduto o non valido',
  403: 'Ruolo non autorizzato o caso di un altro Comune',
  404: 'Caso o attività inesistente',
  409: 'Conflitto (già presa in carico, non assegnatario, caso chiuso, ...)',
  413: 'Corpo della richiesta troppo grande',
  422: 'Dati non validi (errori per campo)',
  429: 'Troppi tentativi',
  503: 'Il motore dei workflow non risponde',
};
// Actions on a case's workflow (claim, complete, reassign, cancel, ...) accept an Idempotency-Key
// (a retry with the same key gets the same answer; the same key with another body is 422) and
// answer 202 {status:"pending", requestId, pollUrl} when the workflow does not answer in time.

const body = (schema: z.ZodType) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Accesso: restituisce un token Bearer',
    request: body(loginBody),
    ok: { status: 200, description: 'Token', schema: z.object({ token: z.string(), tokenType: z.literal('Bearer'), expiresAt: iso, user: z.object({ id: z.string(), displayName: z.string(), role: z.enum(ROLES), comuneCode: z.string().nullable() }) }) },
    errors: [400, 401, 422, 429],
  },
  { method: 'post', path: '/api/auth/logout', summary: 'Uscita: il token presentato non è più accettato', ok: { status: 204, description: 'Token revocato' }, errors: [401] },
  { method: 'post', path: '/api/auth/logout-all', summary: 'Uscita da tutti i dispositivi: ogni token dell’utente non è più accettato', ok: { status: 204, description: 'Token revocati' }, errors: [401] },
  { method: 'get', path: '/api/auth/me', summary: 'Utente del token', ok: { status: 200, description: 'Utente', schema: z.object({ id: z.string(), role: z.enum(ROLES), comuneCode: z.string().nullable() }) }, errors: [401] },
  {
    method: 'post',
    path: '/api/cases',
    summary: 'Ricezione della segnalazione (idempotente su forza + numero di segnalazione o Idempotency-Key)',
    action: 'case.create',
    request: { ...body(intakeSchema), headers: z.object({ 'Idempotency-Key': z.string().optional() }) },
    ok: { status: 201, description: 'Caso creato (200 se la segnalazione era già stata ricevuta)', schema: z.object({ caseId, reference: z.string(), created: z.boolean() }) },
    errors: [400, 401, 403, 409, 413, 422, 503],
  },
  { method: 'get', path: '/api/cases', summary: 'Elenco dei casi (filtri, ordinamento, paginazione)', action: 'case.list', request: { query: caseListQuery }, ok: { status: 200, description: 'Pagina di casi', schema: page(caseSummary) }, errors: [400, 401, 403] },
  {
    method: 'get',
    path: '/api/cases/{id}',
    summary: 'Fascicolo del caso (persone, attività, cronologia, note, scadenze); `live=true` aggiunge lo stato del workflow',
    action: 'case.read',
    request: { params: idParam('id', caseId), query: caseDetailQuery },
    ok: { status: 200, description: 'Fascicolo', schema: z.object({ case: caseSummary, report: z.unknown(), people: z.array(z.unknown()), tasks: z.object({ open: z.array(z.unknown()), past: z.array(z.unknown()) }), timeline: z.array(z.unknown()), notes: z.array(z.unknown()), submissions: z.array(z.unknown()), placements: z.array(z.unknown()).describe('Indirizzo protetto visibile solo al coordinatore'), deadlines: z.array(z.unknown()), live: caseState.nullable().optional() }) },
    errors: [400, 401, 403, 404],
  },
  { method: 'post', path: '/api/cases/{id}/notes', summary: 'Nota di turno', action: 'case.note', request: { params: idParam('id', caseId), ...body(noteBody) }, ok: { status: 201, description: 'Nota salvata', schema: z.object({ note: z.unknown(), signalled: z.boolean() }) }, errors: [400, 401, 403, 404, 409, 422] },
  { method: 'post', path: '/api/cases/{id}/cancel', summary: 'Annulla il caso con motivazione', action: 'case.cancel', request: { params: idParam('id', caseId), ...body(reasonBody) }, ok: { status: 200, description: 'Caso chiuso', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'post', path: '/api/cases/{id}/override-scope', summary: 'Prende in carico un caso fuori competenza', action: 'case.override_scope', request: { params: idParam('id', caseId), ...body(reasonBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'post', path: '/api/cases/{id}/move-handover', summary: 'Sposta l’ora del passaggio di consegne', action: 'case.move_handover', request: { params: idParam('id', caseId), ...body(moveHandoverBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'post', path: '/api/cases/{id}/escalate', summary: 'Escalation al coordinatore', action: 'case.escalate', request: { params: idParam('id', caseId), ...body(reasonBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'post', path: '/api/cases/{id}/retry-persistence', summary: 'Riprova il salvataggio non riuscito (caso bloccato)', action: 'case.retry_persistence', request: { params: idParam('id', caseId), ...body(emptyBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'get', path: '/api/tasks', summary: 'Attività: mie, libere del mio ruolo, tutte (coordinatore)', action: 'task.list', request: { query: taskListQuery }, ok: { status: 200, description: 'Pagina di attività', schema: page(taskSummary) }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/tasks/{id}', summary: 'Attività con il JSON Schema del suo modulo', action: 'task.read', request: { params: idParam('id', taskId) }, ok: { status: 200, description: 'Attività', schema: taskSummary.extend({ formSchema: z.record(z.string(), z.unknown()), submission: z.unknown() }) }, errors: [401, 403, 404] },
  { method: 'post', path: '/api/tasks/{id}/claim', summary: 'Prende in carico l’attività', action: 'task.claim', request: { params: idParam('id', taskId) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 503] },
  { method: 'post', path: '/api/tasks/{id}/complete', summary: 'Completa l’attività con il modulo', action: 'task.complete', request: { params: idParam('id', taskId), ...body(completeTaskBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'post', path: '/api/tasks/{id}/reassign', summary: 'Riassegna l’attività', action: 'task.reassign', request: { params: idParam('id', taskId), ...body(reassignTaskBody) }, ok: { status: 200, description: 'Nuovo stato', schema: caseState }, errors: [400, 401, 403, 404, 409, 422, 503] },
  { method: 'get', path: '/api/supervision/stuck', summary: 'Casi bloccati con motivo, da quando e azioni suggerite', action: 'supervision.read', request: { query: stuckQuery }, ok: { status: 200, description: 'Casi bloccati', schema: stuckReport }, errors: [401, 403, 503] },
  { method: 'get', path: '/api/supervision/summary', summary: 'Conteggi per stato, fase, Comune e violazioni SLA', action: 'supervision.read', ok: { status: 200, description: 'Riepilogo', schema: summary }, errors: [401, 403] },
  { method: 'get', path: '/api/reference/comuni', summary: 'Comuni (codice ISTAT, nome, provincia, Ambito)', action: 'case.list', ok: { status: 200, description: 'Comuni', schema: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), province: z.string(), ambitoId: z.string().nullable() })) }) }, errors: [401, 403] },
  {
    method: 'get',
    path: '/api/requests/{id}',
    summary: 'Esito di un’azione risposta con 202 (in attesa): 202 finché in attesa, poi la stessa risposta dell’azione',
    action: 'request.read',
    request: { params: idParam('id', z.uuid()) },
    ok: { status: 200, description: 'Esito finale (stato del caso); 202 {status:"pending", requestId, pollUrl} se ancora in attesa', schema: caseState },
    errors: [401, 403, 404, 409, 422, 503],
  },
  { method: 'get', path: '/api/cases/{id}/milestones', summary: 'Scadenze legali del caso (art. 403 c.c., Codice Rosso, MSNA) e documenti generabili', action: 'milestone.read', request: { params: idParam('id', caseId) }, ok: { status: 200, description: 'Scadenze', schema: z.object({ items: z.array(z.unknown()), documents: z.array(z.unknown()) }) }, errors: [401, 403, 404] },
  {
    method: 'post',
    path: '/api/cases/{id}/milestones/{milestoneId}/evidence',
    summary: 'Registra l’evidenza di una scadenza (422 con il campo mancante)',
    action: 'milestone.evidence',
    request: { params: z.object({ id: caseId, milestoneId: z.string() }), ...body(evidenceBody) },
    ok: { status: 200, description: 'Scadenza aggiornata', schema: z.unknown() },
    errors: [400, 401, 403, 404, 409, 422],
  },
  { method: 'get', path: '/api/milestones', summary: 'Scadenze di tutti i casi visibili: prima in corso, poi scadute', action: 'milestone.list', request: { query: milestoneListQuery }, ok: { status: 200, description: 'Scadenze', schema: z.object({ items: z.array(z.unknown()) }) }, errors: [400, 401, 403] },
  {
    method: 'get',
    path: '/api/cases/{id}/documents/{kind}',
    summary: 'Documento ufficiale in PDF (segnalazione art. 403, segnalazione MSNA per destinatario, sintesi per il Comune)',
    action: 'document.generate',
    request: { params: z.object({ id: caseId, kind: z.enum(DOCUMENT_KINDS) }), query: documentQuery },
    ok: { status: 200, description: 'PDF (application/pdf)' },
    errors: [401, 403, 404, 409, 422],
  },
  { method: 'get', path: '/api/admin/resources', summary: 'Rete delle risorse, anche disattivate (amministrazione)', action: 'resource.admin', ok: { status: 200, description: 'Risorse', schema: z.object({ items: z.array(resourceItem) }) }, errors: [401, 403] },
  { method: 'post', path: '/api/admin/resources', summary: 'Aggiunge una risorsa alla rete', action: 'resource.admin', request: body(resourceCreateBody), ok: { status: 201, description: 'Risorsa creata', schema: resourceItem }, errors: [400, 401, 403, 422] },
  { method: 'put', path: '/api/admin/resources/{id}', summary: 'Modifica una risorsa', action: 'resource.admin', request: { params: idParam('id', z.string()), ...body(resourceUpdateBody) }, ok: { status: 200, description: 'Risorsa', schema: resourceItem }, errors: [400, 401, 403, 404, 422] },
  { method: 'post', path: '/api/admin/resources/{id}/deactivate', summary: 'Disattiva una risorsa (non più attivabile)', action: 'resource.admin', request: { params: idParam('id', z.string()) }, ok: { status: 200, description: 'Risorsa', schema: resourceItem }, errors: [401, 403, 404] },
  { method: 'post', path: '/api/admin/resources/{id}/activate', summary: 'Riattiva una risorsa', action: 'resource.admin', request: { params: idParam('id', z.string()) }, ok: { status: 200, description: 'Risorsa', schema: resourceItem }, errors: [401, 403, 404] },
  { method: 'get', path: '/api/resources', summary: 'Risorse attive con posti liberi e ultimo aggiornamento', action: 'resource.list', request: { query: resourceListQuery }, ok: { status: 200, description: 'Risorse', schema: z.object({ items: z.array(resourceItem) }) }, errors: [400, 401, 403] },
  { method: 'patch', path: '/api/resources/{id}/availability', summary: 'Aggiorna i posti liberi (0 ≤ posti ≤ capacità)', action: 'resource.availability', request: { params: idParam('id', z.string()), ...body(availabilityBody) }, ok: { status: 200, description: 'Risorsa', schema: resourceItem }, errors: [400, 401, 403, 404, 422] },
  { method: 'post', path: '/api/resources/{id}/release', summary: 'Libera il posto tenuto da un intervento', action: 'resource.release', request: { params: idParam('id', z.string()), ...body(releaseBody) }, ok: { status: 200, description: 'Posto liberato', schema: z.object({ resource: resourceItem, released: z.object({ taskId, resourceId: z.string(), caseId }) }) }, errors: [400, 401, 403, 404, 409] },
  { method: 'get', path: '/api/admin/users', summary: 'Utenti (admin: tutti; coordinatore: gli operatori dei propri Ambiti) e Ambiti assegnabili', action: 'user.list', ok: { status: 200, description: 'Utenti', schema: z.object({ items: z.array(adminUser), ambiti: z.array(z.object({ id: z.string(), name: z.string() })) }) }, errors: [401, 403] },
  { method: 'post', path: '/api/admin/users', summary: 'Crea un utente; la password temporanea è mostrata una sola volta', action: 'user.manage', request: body(createUserBody), ok: { status: 201, description: 'Utente creato', schema: z.object({ user: adminUser, temporaryPassword: z.string() }) }, errors: [400, 401, 403, 422] },
  { method: 'patch', path: '/api/admin/users/{id}', summary: 'Modifica ruolo, Comune, Ambiti, nome; active=false disattiva (revoca le sessioni)', action: 'user.manage', request: { params: idParam('id', z.string()), ...body(updateUserBody) }, ok: { status: 200, description: 'Utente', schema: adminUser }, errors: [400, 401, 403, 404, 422] },
  { method: 'post', path: '/api/admin/users/{id}/reset-password', summary: 'Nuova password temporanea (mostrata una volta); revoca le sessioni dell’utente', action: 'user.manage', request: { params: idParam('id', z.string()) }, ok: { status: 200, description: 'Password temporanea', schema: z.object({ user: adminUser, temporaryPassword: z.string() }) }, errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/reference/users', summary: 'Utenti attivi (per riassegnare un’attività)', action: 'task.reassign', request: { query: userListQuery }, ok: { status: 200, description: 'Utenti', schema: z.object({ items: z.array(z.object({ id: z.string(), displayName: z.string(), role: z.enum(ROLES), comuneCode: z.string().nullable() })) }) }, errors: [400, 401, 403] },
];

OPERATIONS.push(
  { method: 'get', path: '/api/reports/monitoring', summary: 'Monitoraggio: conteggi e tempi di risposta aggregati (celle con meno di 3 casi: "<3")', action: 'report.monitoring', request: { query: monitoringQuery }, ok: { status: 200, description: 'Tabella di monitoraggio', schema: z.object({ rows: z.array(z.unknown()), totals: z.unknown(), columns: z.array(z.object({ key: z.string(), label: z.string() })) }) }, errors: [401, 403, 422] },
  { method: 'get', path: '/api/reports/monitoring.csv', summary: 'Monitoraggio in CSV (separatore ";", UTF-8 con BOM)', action: 'report.monitoring', request: { query: monitoringQuery }, ok: { status: 200, description: 'text/csv', schema: z.string() }, errors: [401, 403, 422] },
  { method: 'get', path: '/api/reports/monitoring.xlsx', summary: 'Monitoraggio in Excel (XLSX)', action: 'report.monitoring', request: { query: monitoringQuery }, ok: { status: 200, description: 'Cartella di lavoro XLSX', schema: z.string() }, errors: [401, 403, 422] },
  { method: 'get', path: '/api/people/search', summary: 'Cerca persone nei casi visibili (nome, oppure anno di nascita e nazionalità); ogni ricerca è registrata', action: 'person.search', request: { query: personSearchQuery }, ok: { status: 200, description: 'Persone trovate', schema: z.object({ items: z.array(z.unknown()), total: z.number().int() }) }, errors: [401, 403, 422] },
  { method: 'get', path: '/api/cases/{id}/people/links', summary: 'Casi precedenti collegati alle persone del caso', action: 'case.read', request: { params: idParam('id', caseId) }, ok: { status: 200, description: 'Collegamenti', schema: z.object({ items: z.array(z.unknown()) }) }, errors: [401, 403, 404] },
  { method: 'post', path: '/api/cases/{id}/people/{personId}/links', summary: 'Collega una persona del caso alla stessa persona di un caso precedente', action: 'person.link', request: { params: z.object({ id: caseId, personId: z.string() }), ...body(personLinkBody) }, ok: { status: 201, description: 'Collegamento (200 se già presente)', schema: z.unknown() }, errors: [400, 401, 403, 404, 422] },
  { method: 'delete', path: '/api/cases/{id}/people/{personId}/links/{linkId}', summary: 'Scollega', action: 'person.unlink', request: { params: z.object({ id: caseId, personId: z.string(), linkId: z.uuid() }) }, ok: { status: 200, description: 'Scollegato', schema: z.object({ deleted: z.boolean() }) }, errors: [401, 403, 404] },
);

/** The major version of the API in the path. */
export const API_V1_PREFIX = '/api/v1';

export function buildOpenApiDocument(): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const op of OPERATIONS) {
    const isPublic = op.path === '/api/auth/login';
    // Listed under the versioned path; `/api/…` answers the same (an alias for existing callers).
    const path = op.path.replace(/^\/api\//, `${API_V1_PREFIX}/`);
    const roles = op.action ? PERMISSIONS[op.action].join(', ') : 'tutti i ruoli';
    registry.registerPath({
      method: op.method,
      path,
      summary: op.summary,
      description: isPublic ? 'Pubblico (limitato nei tentativi falliti).' : `Ruoli: ${roles}.`,
      tags: [op.path.split('/')[2] ?? 'api'],
      ...(isPublic ? {} : { security: [{ [bearer.name]: [] }] }),
      ...(op.request !== undefined && { request: op.request }),
      responses: {
        [op.ok.status]: op.ok.schema ? json(op.ok.schema, op.ok.description) : { description: op.ok.description },
        ...Object.fromEntries((op.errors ?? []).map((s) => [s, problemResponse(ERROR_TEXT[s] ?? 'Errore')])),
      },
    });
  }
  const generator = new OpenApiGeneratorV3(registry.definitions);
  return generator.generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'PIS case management API',
      version: '0.1.0',
      description:
        'API per operatori e coordinatori del Pronto Intervento Sociale. Errori in application/problem+json. ' +
        'Versione nel percorso (/api/v1/…); gli stessi percorsi senza versione (/api/…) restano disponibili.',
    },
    servers: [{ url: '/' }],
  }) as unknown as Record<string, unknown>;
}
