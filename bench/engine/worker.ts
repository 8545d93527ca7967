/**
 * The engine-baseline worker of `npm run bench`, in its own process like the case worker
 * (src/worker.ts), with the same payload codec. Its activity writes one row to PostgreSQL.
 * Environment: DATABASE_URL, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, CODEC_KEYS.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { createDataConverter } from '../../src/temporal/data-converter';
import { parseKeyring } from '../../src/temporal/keyring';
import { type BenchActivities, ENGINE_TABLE } from './workflows';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = new pg.Pool({ connectionString: env('DATABASE_URL'), max: 10 });
  const activities: BenchActivities = {
    async writeRow(id: string): Promise<void> {
      await pool.query(`INSERT INTO ${ENGINE_TABLE} (id, at) VALUES ($1, now()) ON CONFLICT (id) DO NOTHING`, [id]);
    },
  };
  const connection = await NativeConnection.connect({ address: env('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: env('TEMPORAL_NAMESPACE'),
    taskQueue: env('TEMPORAL_TASK_QUEUE'),
    workflowsPath: require.resolve('./workflows'),
    activities,
    dataConverter: createDataConverter(parseKeyring(env('CODEC_KEYS'))),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  await worker.run();
  await connection.close();
  await pool.end();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
