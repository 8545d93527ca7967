import { runEntryPoint } from './runtime/entry';
import { startWorkerOnly } from './runtime/stack';

/**
 * Production worker: polls the case task queue of an external Temporal cluster and writes to an
 * external PostgreSQL (DATABASE_URL and TEMPORAL_ADDRESS are required). Applies no migrations:
 * run the migration job first (`node dist/src/server.js --migrate-only`, or
 * `npm run prisma -- migrate deploy`).
 */
void runEntryPoint('pis-worker', startWorkerOnly);
