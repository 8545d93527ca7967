import fs from 'node:fs';
import path from 'node:path';
import { Effects } from '../test/faults/harness/effects';
import { ensureUsers, type LoadOptions } from '../test/faults/harness/load';
import { type FaultPlan, type ScenarioResult, markdownReport, runScenario } from '../test/faults/harness/scenario';
import { AppStack, ProductionStack, makeRunDir } from '../test/faults/harness/stack';

/**
 * The fault suite of issue 10: under bounded load, kill the worker, Temporal, PostgreSQL; SIGKILL
 * the app; Ctrl-C `npm start`. Prints a markdown table (and writes JSON with `--json FILE`).
 *
 *   node --import tsx scripts/fault-suite.ts [--faults worker,temporal,postgres,app-kill,app-sigint]
 *        [--operators 4] [--cases 25] [--down-seconds N] [--json out.json] [--keep]
 *
 * Real processes only: PostgreSQL and the Temporal dev server started here (killed with -9 and
 * started again on the same data and port), the worker and the API as separate processes; for the
 * app faults, `npm start`'s command in its own process group. Everything runs on loopback.
 */

const ALL = ['worker', 'temporal', 'postgres', 'app-kill', 'app-sigint'] as const;
type FaultName = (typeof ALL)[number];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

async function main(): Promise<number> {
  const faults = (arg('faults') ?? ALL.join(',')).split(',').map((s) => s.trim()) as FaultName[];
  const unknown = faults.filter((f) => !ALL.includes(f));
  if (unknown.length) throw new Error(`unknown fault(s): ${unknown.join(', ')} (known: ${ALL.join(', ')})`);
  const load: Partial<LoadOptions> = {};
  if (arg('operators')) load.operators = Number(arg('operators'));
  if (arg('cases')) load.maxCasesPerOperator = Number(arg('cases'));
  const downMs = arg('down-seconds') ? Number(arg('down-seconds')) * 1000 : undefined;
  const runDir = makeRunDir();
  log(`run directory ${runDir}`);
  const results: ScenarioResult[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stopAll().finally(() => process.kill(process.pid, signal)));
  }

  try {
    const production = faults.filter((f) => f === 'worker' || f === 'temporal' || f === 'postgres');
    if (production.length > 0) {
      const stack = new ProductionStack(runDir, log);
      cleanups.push(() => stack.stop());
      log('starting PostgreSQL, Temporal, API and worker');
      await stack.start();
      const effects = new Effects(stack.targets, stack.codecKeys());
      cleanups.push(() => effects.close());
      await ensureUsers(effects, load.operators ?? 4);
      const exits = () => stack.worker.unplannedExits + stack.api.unplannedExits;
      const plans: Record<string, FaultPlan> = {
        worker: {
          name: 'worker',
          label: 'kill -9 worker',
          // Longer than the API's workflow-call deadline (30 s): the deadline's answer is measured too.
          downMs: downMs ?? 40_000,
          unplannedExits: exits,
          inject: async () => {
            await stack.worker.kill9();
            return [];
          },
          restart: () => stack.restart('worker'),
        },
        temporal: {
          name: 'temporal',
          label: 'kill -9 Temporal',
          // Longer than the client's own retries (~20 s), or the outage only shows as latency.
          downMs: downMs ?? 35_000,
          unplannedExits: exits,
          inject: async () => {
            await stack.killTemporal();
            return [];
          },
          restart: () => stack.restart('temporal'),
        },
        postgres: {
          name: 'postgres',
          label: 'kill -9 PostgreSQL',
          downMs: downMs ?? 15_000,
          unplannedExits: exits,
          inject: async () => {
            await stack.killPostgres();
            return [];
          },
          restart: () => stack.restart('postgres'),
        },
      };
      for (const f of production) {
        const r = await runScenario(plans[f]!, { apiUrl: stack.targets.apiUrl, effects, log });
        results.push(r);
        process.stdout.write(`${markdownReport([r])}\n`);
      }
      await stopAll();
    }

    const app = faults.filter((f) => f === 'app-kill' || f === 'app-sigint');
    if (app.length > 0) {
      const stack = new AppStack(runDir, log);
      cleanups.push(() => stack.stop());
      await stack.prepare();
      log(`starting the app: ${stack.command}`);
      if (!(await stack.startApp())) throw new Error(`the app did not start: ${stack.lastLogLines(6)}`);
      const effects = new Effects(stack.targets, stack.codecKeys());
      cleanups.push(() => effects.close());
      await ensureUsers(effects, load.operators ?? 4);
      const plans: Record<string, FaultPlan> = {
        'app-kill': {
          name: 'app-kill',
          label: 'SIGKILL the app',
          downMs: 3_000,
          unplannedExits: () => stack.app.unplannedExits,
          inject: async () => {
            const pid = stack.appMainPid();
            if (pid === undefined) throw new Error('no app process');
            await stack.app.kill9(pid);
            const exited = !stack.app.running;
            await new Promise((r) => setTimeout(r, 1_000));
            const left = stack.leftovers();
            return [`killed pid ${pid}${exited ? '' : ' (its group leader did not exit)'}; ${left.length} process(es) of the data directory left running`];
          },
          restart: () => stack.restartApp(),
        },
        'app-sigint': {
          name: 'app-sigint',
          label: 'Ctrl-C npm start',
          downMs: 1_000,
          unplannedExits: () => stack.app.unplannedExits,
          inject: async () => {
            const at = Date.now();
            stack.app.signalGroup('SIGINT');
            const exited = await stack.app.waitExit(60_000);
            const how = stack.app.child ? (stack.app.child.signalCode ?? `code ${stack.app.child.exitCode}`) : '?';
            const notes = [exited ? `stopped in ${((Date.now() - at) / 1000).toFixed(1)} s (${how})` : 'did not stop within 60 s'];
            if (!exited) await stack.app.stop(1_000);
            const left = stack.leftovers();
            if (left.length) notes.push(`${left.length} process(es) of the data directory left running after Ctrl-C`);
            return notes;
          },
          restart: () => stack.restartApp(),
        },
      };
      for (const f of app) {
        const r = await runScenario(plans[f]!, { apiUrl: stack.targets.apiUrl, effects, log });
        results.push(r);
        process.stdout.write(`${markdownReport([r])}\n`);
      }
      await stopAll();
    }
  } finally {
    await stopAll();
  }

  process.stdout.write(`\n## Fault suite\n\n${markdownReport(results)}\n`);
  const json = arg('json');
  if (json) fs.writeFileSync(path.resolve(json), JSON.stringify(results, null, 2));
  if (!process.argv.includes('--keep')) fs.rmSync(runDir, { recursive: true, force: true });
  else log(`kept ${runDir}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fault suite: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
