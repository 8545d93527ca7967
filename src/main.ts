import { runEntryPoint } from './runtime/entry';
import { startStack } from './runtime/stack';

/**
 * `npm start`: the whole system in one process (embedded PostgreSQL and Temporal dev server
 * unless DATABASE_URL / TEMPORAL_ADDRESS are set, worker and HTTP API). See src/runtime/.
 */
void runEntryPoint('pis', startStack);
