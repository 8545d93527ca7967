import { execFile } from 'node:child_process';
import path from 'node:path';
import { readTestState } from '../setup/state';

const ROOT = path.resolve(__dirname, '../..');

/** CI check that the committed SQL migrations and schema.prisma have not diverged. */
describe('prisma migrations', () => {
  it('match schema.prisma exactly (migrate diff --exit-code)', async () => {
    const url = process.env.TEST_PG_ADMIN_URL ?? readTestState()?.pgAdminUrl;
    if (!url) throw new Error('TEST_PG_ADMIN_URL is not set');
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      execFile(
        process.execPath,
        [
          path.join(ROOT, 'tools/schema-engine/prisma.mjs'),
          'migrate',
          'diff',
          '--from-migrations',
          'prisma/migrations',
          '--to-schema',
          'prisma/schema.prisma',
          '--exit-code',
        ],
        { cwd: ROOT, env: { ...process.env, DATABASE_URL: url } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
      );
    });
    expect(result.out).toContain('No difference detected');
    expect(result.code).toBe(0);
  });
});
