import type { Effects } from './effects';
import { is2xx } from './http';
import { DEFAULT_LOAD, Load, type LoadOptions, type Op, operatorUser } from './load';
import { sleep } from './processes';
import type { RestartResult } from './stack';

/**
 * One fault under load: warm up, inject, wait, restart with the plain command, keep the load
 * going, stop it, let the system settle, then check every request against what is stored.
 */

export interface FaultPlan {
  name: string;
  label: string;
  inject(): Promise<string[]>;
  restart(): Promise<RestartResult>;
  /** How long the component stays down before the restart. */
  downMs: number;
  unplannedExits(): number;
}

export interface Timing {
  warmupMs: number;
  afterRestartMs: number;
}

export const DEFAULT_TIMING: Timing = { warmupMs: 8_000, afterRestartMs: 20_000 };

export interface ScenarioResult {
  fault: string;
  label: string;
  requests: number;
  ok2xx: number;
  accepted202: number;
  accepted202Resolved: number;
  other: number;
  retried: number;
  retriedThenOk: number;
  replays: number;
  replaysConsistent: number;
  falseFailures: number;
  /** Requests whose connection was cut before any answer (a killed process) but whose change was applied. */
  unansweredApplied: number;
  lost: number;
  orphans: number;
  frozen: number;
  manualSteps: number;
  unplannedExits: number;
  recoveryMs?: number;
  cases: number;
  answers: Record<string, number>;
  replayAnswers: Record<string, number>;
  abandoned: Record<string, number>;
  notes: string[];
  /** Up to 12 requests that met an error, condensed: what each attempt answered. */
  samples: string[];
}

function condense(op: Op): string {
  const attempts = op.attempts.map((a) => `${a.status ?? a.error}${a.effectPresent === true ? '(applied)' : a.effectPresent === false ? '(not applied)' : ''}`);
  const pending = op.pending ? ` pending→${op.pending.resolved}${op.pending.status ? ` ${op.pending.status}` : ''}` : '';
  const replay = op.replay ? ` replay ${op.replay.status ?? op.replay.error}${op.replay.consistent ? '' : ' (different)'}` : '';
  return `${op.kind} ${op.taskId?.replace(/^.*-(t\d+)$/, '$1') ?? ''}: ${attempts.join(' → ')}${pending}${replay}`;
}

const succeeded = (op: Op) => op.final === 'ok' || (op.final === 'accepted' && op.pending?.resolved !== 'failed' && op.pending?.resolved !== 'unresolved');

async function waitApiReady(apiUrl: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${apiUrl}/ready`, { signal: AbortSignal.timeout(5_000) })).status === 200) return true;
    } catch {
      // not yet
    }
    await sleep(1_000);
  }
  return false;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export async function runScenario(
  plan: FaultPlan,
  deps: { apiUrl: string; effects: Effects; log: (line: string) => void },
  load: Partial<LoadOptions> = {},
  timing: Timing = DEFAULT_TIMING,
): Promise<ScenarioResult> {
  const { apiUrl, effects, log } = deps;
  const tag = `FLT-${plan.name}-${Date.now().toString(36)}`;
  const l = new Load(apiUrl, effects, { ...DEFAULT_LOAD, ...load, tag });
  const exitsBefore = plan.unplannedExits();
  const notes: string[] = [];

  log(`[${plan.name}] load starts (${l.options.operators} operators)`);
  const running = l.run();
  await sleep(timing.warmupMs);
  const faultAt = Date.now();
  log(`[${plan.name}] inject: ${plan.label}`);
  notes.push(...(await plan.inject()));
  await sleep(plan.downMs);
  const restartAt = Date.now();
  log(`[${plan.name}] restart`);
  const restart = await plan.restart();
  notes.push(...restart.notes);
  log(`[${plan.name}] restarted in ${((Date.now() - restartAt) / 1000).toFixed(1)} s (manual steps ${restart.manualSteps})`);
  // The load goes on after the restart, and at least 15 s after a slow one (a manual step).
  await sleep(Math.max(restartAt + timing.afterRestartMs, Date.now() + 15_000) - Date.now());
  l.stop();
  await running;
  log(`[${plan.name}] load done: ${l.ops.length} requests; checking`);

  if (!(await waitApiReady(apiUrl, 120_000))) notes.push('API not ready 120 s after the load');
  const loadOps = l.ops.filter((o) => !o.check);

  // Orphans: case rows of this scenario whose workflow does not exist (the reconciler gets a minute and a half).
  const rows = (await effects.sql<{ id: string }>('SELECT id FROM "Case" WHERE "reportNumber" LIKE $1', [`${tag}-%`])) ?? [];
  let missing: string[] = rows.map((r) => r.id);
  const orphanDeadline = Date.now() + 90_000;
  for (;;) {
    const states = await Promise.all(missing.map(async (id) => [id, await effects.describe(id)] as const));
    missing = states.filter(([, s]) => s !== 'running' && s !== 'closed').map(([id]) => id);
    if (missing.length === 0 || Date.now() > orphanDeadline) break;
    await sleep(3_000);
  }
  const orphans = new Set(missing);

  // Every request against the stored truth.
  let lost = 0;
  let falseFailures = 0;
  let unansweredApplied = 0;
  await inBatches(loadOps, 8, async (op) => {
    const present = await effects.waitPresent(op, 30_000);
    if (succeeded(op) && present === false) {
      lost += 1;
      notes.push(`lost: ${op.kind} ${op.taskId ?? op.reportNumber} answered ${op.attempts.at(-1)?.status}`);
    }
    // A false failure is an error *answer* for a change that was applied. A connection reset by a
    // killed process is no answer at all: counted apart (the retry with the same key settles it).
    const answeredFailedButDone = op.attempts.some((a) => a.status !== undefined && a.effectPresent === true);
    const unansweredButDone = op.attempts.some((a) => a.status === undefined && a.effectPresent === true);
    const lastAnswered = [...op.attempts].reverse().find((a) => a.status !== undefined);
    const appliedAfterAll = !op.preApplied && !succeeded(op) && present === true;
    if (answeredFailedButDone || (appliedAfterAll && lastAnswered !== undefined && !is2xx(lastAnswered.status))) falseFailures += 1;
    else if (unansweredButDone || appliedAfterAll) unansweredApplied += 1;
    if (present === undefined) notes.push(`unknown effect: ${op.kind} ${op.taskId ?? op.reportNumber}`);
  });

  // Frozen: the read model catches up with the workflow, and the next open task can be claimed.
  let frozen = 0;
  const caseIds = rows.map((r) => r.id).filter((id) => !orphans.has(id));
  await inBatches(caseIds, 4, async (caseId) => {
    const deadline = Date.now() + 60_000;
    let behind = true;
    let view = await effects.view(caseId);
    while (Date.now() < deadline) {
      view = await effects.view(caseId);
      const rm = await effects.readModel(caseId);
      if (view && view !== 'missing' && rm && rm.revision >= view.revision) {
        behind = false;
        break;
      }
      await sleep(1_000);
    }
    if (behind || !view || view === 'missing') {
      frozen += 1;
      notes.push(`frozen: ${caseId} read model behind the workflow`);
      return;
    }
    const next = view.tasks.find((t) => t.status === 'open' && t.candidateRole === 'emergency_operator');
    if (!next) return;
    const me = operatorUser(0);
    const claim = await l.execute(
      { operator: 0, kind: 'claim', path: `/api/tasks/${next.id}/claim`, userId: me.id, caseId, taskId: next.id, check: true },
      me.username,
      60_000,
    );
    if (!succeeded(claim)) {
      frozen += 1;
      notes.push(`frozen: ${caseId} next task ${next.id} cannot be claimed (${claim.attempts.at(-1)?.status ?? claim.attempts.at(-1)?.error})`);
    }
  });

  const answers: Record<string, number> = {};
  for (const op of loadOps) {
    for (const a of op.attempts) {
      const k = a.status !== undefined ? String(a.status) : (a.error ?? 'error');
      answers[k] = (answers[k] ?? 0) + 1;
    }
  }
  const replayAnswers: Record<string, number> = {};
  for (const op of loadOps) {
    if (!op.replay) continue;
    const k = `${op.kind} ${op.replay.status ?? op.replay.error ?? '?'}`;
    replayAnswers[k] = (replayAnswers[k] ?? 0) + 1;
  }
  const abandoned: Record<string, number> = {};
  for (const c of l.cases) {
    if (!c.abandoned) continue;
    const k = c.abandoned.replace(/\S+-t(\d)/, 't$1');
    abandoned[k] = (abandoned[k] ?? 0) + 1;
  }

  // Recovery: from the fault to the moment every kind of request answered 2xx again.
  let recoveryMs: number | undefined = 0;
  for (const kind of ['create', 'claim', 'complete'] as const) {
    const firsts = loadOps
      .filter((o) => o.kind === kind)
      .flatMap((o) => o.attempts)
      .filter((a) => is2xx(a.status) && a.endedAt >= restartAt)
      .map((a) => a.endedAt);
    if (firsts.length === 0) {
      recoveryMs = undefined;
      break;
    }
    recoveryMs = Math.max(recoveryMs ?? 0, Math.min(...firsts) - faultAt);
  }

  const replayed = loadOps.filter((o) => o.replay);
  return {
    fault: plan.name,
    label: plan.label,
    requests: loadOps.length,
    ok2xx: loadOps.filter((o) => o.final === 'ok').length,
    accepted202: loadOps.filter((o) => o.final === 'accepted').length,
    accepted202Resolved: loadOps.filter((o) => o.final === 'accepted' && (o.pending?.resolved === 'succeeded' || o.pending?.resolved === 'failed')).length,
    other: loadOps.filter((o) => o.final === 'rejected').length,
    retried: loadOps.filter((o) => o.attempts.length > 1).length,
    retriedThenOk: loadOps.filter((o) => o.attempts.length > 1 && succeeded(o)).length,
    replays: replayed.length,
    replaysConsistent: replayed.filter((o) => o.replay?.consistent).length,
    falseFailures,
    unansweredApplied,
    lost,
    orphans: orphans.size,
    frozen,
    manualSteps: restart.manualSteps,
    unplannedExits: plan.unplannedExits() - exitsBefore,
    recoveryMs,
    cases: rows.length,
    answers,
    replayAnswers,
    abandoned,
    notes,
    samples: loadOps.filter((o) => o.attempts.some((a) => !is2xx(a.status))).slice(0, 12).map(condense),
  };
}

export function markdownReport(results: ScenarioResult[]): string {
  const head =
    '| fault | requests | 2xx | 202 → resolved | other answers | retried (then ok) | same-key replays (same result) | false failures | cut off, applied | lost | orphans | frozen | manual steps | unplanned exits | recovery |';
  const sep = `|${' --- |'.repeat(15)}`;
  const rows = results.map((r) =>
    [
      r.label,
      r.requests,
      r.ok2xx,
      `${r.accepted202} → ${r.accepted202Resolved}`,
      r.other,
      `${r.retried} (${r.retriedThenOk})`,
      `${r.replays} (${r.replaysConsistent})`,
      r.falseFailures,
      r.unansweredApplied,
      r.lost,
      r.orphans,
      r.frozen,
      r.manualSteps,
      r.unplannedExits,
      r.recoveryMs === undefined ? 'not within the load' : `${(r.recoveryMs / 1000).toFixed(1)} s`,
    ].join(' | '),
  );
  const details = results.map((r) => {
    const answers = Object.entries(r.answers)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}×${n}`)
      .join(', ');
    const replays = Object.entries(r.replayAnswers ?? {})
      .map(([k, n]) => `${k}×${n}`)
      .join(', ');
    const abandoned = Object.entries(r.abandoned)
      .map(([k, n]) => `${k}×${n}`)
      .join(', ');
    const notes = [...new Set(r.notes)].slice(0, 8).join('; ');
    return `- **${r.label}**: ${r.cases} cases; attempts answered ${answers || '—'}${replays ? `; replays answered ${replays}` : ''}${abandoned ? `; cases abandoned: ${abandoned}` : ''}${notes ? `; notes: ${notes}` : ''}`;
  });
  return [head, sep, ...rows.map((row) => `| ${row} |`), '', ...details, ''].join('\n');
}
