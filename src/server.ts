import { runEntryPoint, runTask } from './runtime/entry';
import { migrateOnly, startApiOnly } from './runtime/stack';

/**
 * Production HTTP API against an external PostgreSQL and Temporal (DATABASE_URL and
 * TEMPORAL_ADDRESS are required). Flags:
 * - `--migrate`: apply pending migrations and insert missing reference data, then serve;
 * - `--migrate-only`: the same, then exit (the deploy job; needs only DATABASE_URL).
 * Without a flag nothing is changed in the database; `/ready` reports pending migrations.
 */
const args = new Set(process.argv.slice(2));
if (args.has('--migrate-only')) {
  void runTask('pis-migrate', async (ctx) => {
    await migrateOnly(ctx);
    return 'migrations and reference data are up to date';
  });
} else {
  void runEntryPoint('pis-api', (ctx) => startApiOnly(ctx, { migrate: args.has('--migrate') }));
}
