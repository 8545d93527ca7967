import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/** The project root (holding package.json), from src/db or from its compiled copy in dist/src/db. */
const ROOT = findProjectRoot(__dirname);

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'prisma'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '../..');
  }
}
const PRISMA_WRAPPER = path.join(ROOT, 'tools', 'schema-engine', 'prisma.mjs');
export const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');

export interface MigrationOptions {
  /** Project directory holding prisma.config.ts (tests point this at fixtures). */
  cwd?: string;
  migrationsDir?: string;
}

/**
 * Applies committed migrations with `prisma migrate deploy` (through the offline engine wrapper),
 * creating the database if it does not exist. A child process keeps the engine's memory and
 * failures out of the app and runs exactly what operators run by hand.
 */
export async function applyMigrations(databaseUrl: string, options: MigrationOptions = {}): Promise<void> {
  const cwd = options.cwd ?? ROOT;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [PRISMA_WRAPPER, 'migrate', 'deploy'],
      { cwd, env: { ...process.env, DATABASE_URL: databaseUrl }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        const output = redactUrls(`${stdout}\n${stderr}`).trim().split('\n').slice(-20).join('\n');
        reject(new Error(`prisma migrate deploy failed (exit ${String(error.code ?? 'unknown')}):\n${output}`));
      },
    );
  });
}

/**
 * Names of committed migrations (folders under prisma/migrations) not yet finished in
 * `_prisma_migrations`, oldest first. One query plus a directory listing: cheap enough for /ready.
 */
export async function pendingMigrations(databaseUrl: string, options: MigrationOptions = {}): Promise<string[]> {
  const committed = listMigrations(options.migrationsDir ?? MIGRATIONS_DIR);
  if (committed.length === 0) return [];
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    return committed.filter((name) => !applied.has(name));
  } catch (error) {
    // 42P01: no migrations table yet, so nothing is applied.
    if ((error as { code?: string }).code === '42P01') return committed;
    throw error;
  } finally {
    await client.end();
  }
}

function listMigrations(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

function redactUrls(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]+:)[^@\s]*@/gi, '$1***@');
}
