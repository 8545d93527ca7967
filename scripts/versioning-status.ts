import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { tlsConfig } from '../src/temporal/client';
import { CASE_WORKFLOW_TYPE } from '../src/workflows/definitions';
import { ASSISTED_VIOLENCE_PATCH } from '../src/workflows/protocol-revision';
import { CURRENT_PROTOCOL_REVISION } from '../src/workflows/revisions';
import { SA_PROTOCOL_REVISION } from '../src/workflows/search-attributes';

/**
 * `npm run versioning:status`: do open cases still need the old protocol path? Counts running
 * case workflows per protocol revision through Temporal visibility (search attribute
 * PisProtocolRevision; unset = revision 1, started before revisions were recorded). Tells which
 * step of the patch lifecycle is safe now (docs/versioning.md). `--json` for machines; exit code
 * 0 either way (2 on connection problems).
 */

const OPEN_CASES = `WorkflowType = '${CASE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;

export interface VersioningStatus {
  openCases: number;
  byRevision: Record<string, number>;
  /** Open cases that started before the current revision's patch: they need the old code path. */
  oldPathCases: number;
  advice: string;
}

export async function versioningStatus(client: Client, opts: { taskQueue?: string } = {}): Promise<VersioningStatus> {
  if (opts.taskQueue !== undefined && !/^[\w.-]+$/.test(opts.taskQueue)) throw new Error('invalid task queue name');
  const scope = opts.taskQueue ? `${OPEN_CASES} AND TaskQueue = '${opts.taskQueue}'` : OPEN_CASES;
  const count = async (extra?: string) => (await client.workflow.count(extra ? `${scope} AND ${extra}` : scope)).count;
  const byRevision: Record<string, number> = { '1': await count(`${SA_PROTOCOL_REVISION.name} IS NULL`) };
  for (let r = 2; r <= CURRENT_PROTOCOL_REVISION; r++) byRevision[String(r)] = await count(`${SA_PROTOCOL_REVISION.name} = '${r}'`);
  const oldPathCases = Object.entries(byRevision)
    .filter(([r]) => Number(r) < CURRENT_PROTOCOL_REVISION)
    .reduce((n, [, c]) => n + c, 0);
  const advice =
    oldPathCases > 0
      ? `${oldPathCases} open case(s) still run the old path: keep patched('${ASSISTED_VIOLENCE_PATCH}') and the old branch.`
      : `No open case needs the old path: patched('${ASSISTED_VIOLENCE_PATCH}') may become deprecatePatch() ` +
        '(docs/versioning.md, section 5, step 2) once no closed case needs replaying either.'
  return { openCases: await count(), byRevision, oldPathCases, advice };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.embeddedPort}`,
    tls: tlsConfig(config.temporal),
    apiKey: config.temporal.apiKey,
  }).catch((err: unknown) => {
    console.error(`Cannot reach Temporal: ${(err as Error).message} (TEMPORAL_ADDRESS)`);
    process.exit(2);
  });
  try {
    const status = await versioningStatus(new Client({ connection, namespace: config.temporal.namespace }));
    if (process.argv.includes('--json')) {
      console.log(JSON.stringify(status, null, 2));
      return;
    }
    console.log(`Open cases: ${status.openCases}`);
    for (const [r, n] of Object.entries(status.byRevision)) console.log(`  protocol revision ${r}: ${n}`);
    console.log(status.advice);
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  });
}
