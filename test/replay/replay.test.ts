import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { createDataConverter } from '../../src/temporal/data-converter';
import { caseWorkflowBundle } from '../../src/temporal/worker';
import { protocolV1Bundle } from '../helpers/protocol-v1';
import { listHistoryFiles, readHistory, testOnlyKeyring, type HistoryFile } from '../../scripts/lib/histories';

/**
 * Every committed history (test/histories, recorded on a real server by
 * `npm run histories:record`) must replay against the current workflow code: a change that would
 * break or silently alter a running case fails here, naming the history and the event.
 */

Runtime.install({ logger: new DefaultLogger('WARN') });
const dataConverter = createDataConverter(testOnlyKeyring());
const histories = listHistoryFiles();
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Replays the histories with a bundle; one line per failure: file, then the replayer's message (it names the event). */
async function replayFailures(workflowBundle: WorkflowBundle, files: HistoryFile[]): Promise<string[]> {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowBundle, dataConverter, replayName: 'committed-histories' },
    files.map((f) => ({ workflowId: f.name, history: readHistory(f.file) })),
  );
  for await (const r of results) {
    if (!r.error) continue;
    const event = /HistoryEvent\(id: (\d+), (\w+)\)/.exec(r.error.message);
    const where = event ? `event ${event[1]} (${event[2]})` : 'event named in the message';
    failures.push(`test/histories/${r.workflowId}.json, ${where}: ${r.error.name}: ${r.error.message}`);
  }
  return failures;
}

describe('replay of committed histories', () => {
  it('has recordings of every branch and timeout path, for both protocol revisions', () => {
    const names = histories.map((h) => h.name);
    for (const scenario of [
      'homeless-refusal-recheck',
      'unclaimed-escalation',
      'anti-violence-consent',
      'anti-violence-refusal',
      'msna',
      'art403-reminder-escalation',
      'scope-redirect-timeout',
      'scope-override',
      'external-handover',
      'handover-reminder-escalation',
      'cancellation',
      'continue-as-new-run1',
      'continue-as-new-run2',
    ]) {
      expect(names).toContain(`v1-${scenario}`);
      // Recorded again after the answer-when-stored patch (updates answer once stored).
      expect(names).toContain(`v3-${scenario}`);
    }
    expect(names).toEqual(expect.arrayContaining(['v2-assisted-violence', 'v2-no-assisted-violence']));
    // Patch handover-follows-calendar: a waiting handover recomputed twice from its Comune's calendar.
    expect(names).toContain('v4-handover-follows-calendar');
  });

  it('replays every history against the current workflow code', async () => {
    const failures = await replayFailures(await caseWorkflowBundle(), histories);
    expect(failures).toEqual([]);
  });

  it('the "version 1" build used by the rollout tests replays the histories recorded before the patch, and only those', async () => {
    const failures = await replayFailures(await protocolV1Bundle(), histories.filter((h) => h.name.startsWith('v1-')));
    expect(failures).toEqual([]);
    // ...and is really the old code: it cannot run a case that started on revision 2, which is
    // also why rolling back the patched code is unsafe once revision-2 cases exist (docs/versioning.md).
    const rollback = await replayFailures(await protocolV1Bundle(), histories.filter((h) => h.name === 'v2-assisted-violence'));
    expect(rollback).toHaveLength(1);
    expect(rollback[0]).toMatch(/patch marker encountered for change risk-check-assisted-violence/);
  });

  it('catches an incompatible change (a timer before the first step) on a committed history', async () => {
    const incompatible = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'fixtures', 'incompatible-workflows.ts'),
      logger: quiet,
    });
    const target = histories.filter((h) => h.name === 'v1-homeless-refusal-recheck');
    expect(target).toHaveLength(1);
    const failures = await replayFailures(incompatible, target);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('test/histories/v1-homeless-refusal-recheck.json');
    expect(failures[0]).toMatch(/DeterminismViolationError/);
    expect(failures[0]).toMatch(/event 5 \(ActivityTaskScheduled\)/);
  });
});
