import { randomUUID } from 'node:crypto';
import { recentSundayNight } from '../test/helpers/dates';

/** One API call as a demo user: status and parsed body. */
export type ApiCall = (user: string, method: string, path: string, body?: unknown) => Promise<{ status: number; json: unknown }>;

let seq = 0;

/** A synthetic report of the README walk-through's shape (homeless man, Rho, Sunday night). */
export function homelessReport(): Record<string, unknown> {
  seq += 1;
  return {
    reportingForce: 'carabinieri',
    officerName: 'Brig. Bench',
    callbackNumber: '+39 02 1234567',
    reportNumber: `BENCH-${process.pid}-${seq}-${randomUUID().slice(0, 8)}`,
    reportedAt: recentSundayNight(),
    eventComuneCode: '015182',
    eventAddress: 'Stazione di Rho',
    residenceComuneCode: '015182',
    categories: ['homeless'],
    immediateDangers: ['cold_exposure'],
    people: [{ role: 'subject', firstName: 'Mario', isMinor: false }],
    narrative: 'Caso sintetico per il benchmark: uomo senza dimora in stazione.',
  };
}

const RISK_QUESTIONS = {
  immediateDangerToLife: false,
  injuries: false,
  healthDanger: false,
  violenceSuspected: false,
  perpetratorNearby: false,
  childrenPresent: false,
  unaccompaniedMinor: false,
  art403Placement: false,
  withoutShelter: true,
  freezingConditions: true,
  withoutCaregiver: false,
  selfHarmRisk: false,
  assistedViolence: false,
};

/**
 * Calls until the case is ready for it: a task the workflow has not created yet answers 404, an
 * action its step does not accept yet 409. Anything else is an error of the bench.
 */
async function when(call: ApiCall, user: string, method: string, path: string, body?: unknown): Promise<unknown> {
  for (let i = 0; ; i += 1) {
    const { status, json } = await call(user, method, path, body);
    if (status < 300) return json;
    if ((status !== 404 && status !== 409) || i > 2000) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The case's status once its handover target is known (read model). */
async function handoverStatus(call: ApiCall, caseId: string): Promise<string> {
  for (let i = 0; i < 2000; i += 1) {
    const { status, json } = await call('coordinatore', 'GET', `/api/cases/${caseId}`);
    const row = status === 200 ? (json as { case?: { status?: string; handoverAt?: string | null } }).case : undefined;
    if (row?.status === 'handover' || (row?.status === 'awaiting_handover' && row.handoverAt)) return row.status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${caseId} did not reach the handover`);
}

/** At night the coordinator moves the handover to now; in office hours it has started already. */
async function moveHandoverIfWaiting(call: ApiCall, caseId: string): Promise<void> {
  while ((await handoverStatus(call, caseId)) === 'awaiting_handover') {
    const { status, json } = await call('coordinatore', 'POST', `/api/cases/${caseId}/move-handover`, { at: new Date().toISOString(), reason: 'Assistente sociale reperibile' });
    if (status < 300) return;
    if (status !== 409) throw new Error(`move-handover: ${status} ${JSON.stringify(json)}`);
  }
}

/**
 * The README's walk-through through the API: report, take charge (claim + complete), risk check,
 * intervention (placed), handover moved to now, acknowledged by Rho's social worker. Answers the
 * case id once the acknowledgement is stored.
 */
export async function driveStandardCase(call: ApiCall): Promise<string> {
  const { caseId } = (await when(call, 'intake', 'POST', '/api/cases', homelessReport())) as { caseId: string };
  const task = (n: number) => `/api/tasks/${caseId}-t${n}`;
  await when(call, 'operatore1', 'POST', `${task(1)}/claim`);
  await when(call, 'operatore1', 'POST', `${task(1)}/complete`, { form: { etaMinutes: 20 } });
  await when(call, 'operatore1', 'POST', `${task(2)}/complete`, { form: { questions: RISK_QUESTIONS } });
  const activatedAt = new Date().toISOString();
  // No directory resource: concurrent cases would run the demo dormitory out of beds (src/resources/holds.ts).
  await when(call, 'operatore1', 'POST', `${task(3)}/complete`, {
    form: { outcome: 'placed', resourcesActivated: [{ type: 'emergency_bed', activatedAt }] },
  });
  await moveHandoverIfWaiting(call, caseId);
  await when(call, 'as.rho', 'POST', `${task(4)}/complete`, { form: { takenOn: true, caseWorkerName: 'Dott.ssa Verdi' } });
  return caseId;
}
