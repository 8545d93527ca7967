import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { parseKeyring, type Keyring } from '../../src/temporal/keyring';

/**
 * Recorded case histories: where they live, the test-only key that encrypts their payloads, and
 * how a case (every run of a continue-as-new chain) is exported from a Temporal server.
 */

export const HISTORIES_DIR = path.resolve(__dirname, '../../test/histories');
export const TEST_ONLY_KEY_FILE = path.join(HISTORIES_DIR, 'TEST-ONLY-codec-key.txt');
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** The committed test-only keyring of the recordings (never a production key). */
export function testOnlyKeyring(): Keyring {
  return parseKeyring(fs.readFileSync(TEST_ONLY_KEY_FILE, 'utf8').trim(), undefined, 'test/histories/TEST-ONLY-codec-key.txt');
}

export interface HistoryFile {
  /** File name without `.json`; also used as the workflow id when replaying. */
  name: string;
  file: string;
}

export function listHistoryFiles(dir = HISTORIES_DIR): HistoryFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.json'.length), file: path.join(dir, f) }));
}

/**
 * Proto-JSON of histories, the format of `temporal workflow show --output json` and of the UI's
 * download. The SDK's own helpers (`historyToJSON`/`historyFromJSON`) fail when npm installs two
 * copies of protobufjs ("type must be a Type"), as it does next to @grpc/proto-loader: use the
 * copy that @temporalio/proto itself is built on.
 */
interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
}
const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): unknown {
  return protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history));
}

/** Reads a history file into the History message the replayer takes. */
export function readHistory(file: string): History {
  const history = protojson.fromJson(historyType, JSON.parse(fs.readFileSync(file, 'utf8')), { ignoreUnknownFields: true });
  if (!history?.events?.length) throw new Error(`${file}: not a history (no events)`);
  return history;
}

/**
 * The run ids of a workflow, oldest first: from the latest run back to the first one (its start
 * event names it), then forward along the continue-as-new links.
 */
export async function runChain(client: Client, workflowId: string): Promise<Array<{ runId: string; history: History }>> {
  const latest = await client.workflow.getHandle(workflowId).fetchHistory();
  const firstRunId = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId;
  if (!firstRunId) throw new Error(`${workflowId}: the history has no start event`);
  const runs: Array<{ runId: string; history: History }> = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history });
    const last: NonNullable<History['events']>[number] | undefined = history.events?.[history.events.length - 1];
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    if (runs.length > 100) throw new Error(`${workflowId}: more than 100 runs`);
  }
  return runs;
}

/**
 * Writes every run of a workflow as `<name>.json` (one run) or `<name>-run<N>.json`. Payloads
 * are written as stored by the server, i.e. encrypted by the codec. Returns the files written.
 */
export async function exportWorkflowHistories(
  client: Client,
  workflowId: string,
  name: string,
  dir = HISTORIES_DIR,
): Promise<string[]> {
  if (!NAME_PATTERN.test(name)) throw new Error(`history name "${name}" must match ${NAME_PATTERN.source}`);
  const runs = await runChain(client, workflowId);
  fs.mkdirSync(dir, { recursive: true });
  return runs.map(({ history }, i) => {
    const file = path.join(dir, runs.length === 1 ? `${name}.json` : `${name}-run${i + 1}.json`);
    // Pretty-printed so that a diff of a re-recorded history is readable.
    fs.writeFileSync(file, `${JSON.stringify(historyToJson(history), null, 1)}\n`);
    return file;
  });
}
