import { Client, Connection } from '@temporalio/client';
import { exportWorkflowHistories, HISTORIES_DIR } from './lib/histories';

/**
 * `npm run histories:export -- <name>=<workflowId> [...]`: writes the history of every run of
 * each case to test/histories/<name>.json (or <name>-run<N>.json after continue-as-new), payloads
 * as stored, i.e. encrypted. Reads TEMPORAL_ADDRESS (default localhost:7233) and
 * TEMPORAL_NAMESPACE. Only export cases whose payloads were encrypted with the test-only key in
 * test/histories, so that CI can replay them: never export real cases into the repository.
 */
async function main(): Promise<void> {
  const pairs = process.argv.slice(2).map((arg) => {
    const [name, workflowId] = arg.split('=');
    if (!name || !workflowId) throw new Error(`expected <name>=<workflowId>, got "${arg}"`);
    return { name, workflowId };
  });
  if (pairs.length === 0) throw new Error('usage: export-histories <name>=<workflowId> [...]');
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    for (const { name, workflowId } of pairs) {
      const files = await exportWorkflowHistories(client, workflowId, name);
      console.log(`${workflowId} -> ${files.map((f) => f.replace(`${HISTORIES_DIR}/`, 'test/histories/')).join(', ')}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
