import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { applyMigrations, pendingMigrations } from '../../src/db/migrate';

/**
 * The offline schema engine (tools/schema-engine) driven through the real Prisma CLI against the
 * run's embedded PostgreSQL. Each test works on its own databases and its own copy of the fixture.
 */
const ROOT = path.resolve(__dirname, '../..');
const WRAPPER = path.join(ROOT, 'tools', 'schema-engine', 'prisma.mjs');
const FIXTURE = path.join(ROOT, 'tools', 'schema-engine', 'fixtures', 'basic');
const WORK = path.join(ROOT, '.cache', 'schema-engine-tests');
const MIGRATIONS = ['20250101000000_init', '20250102000000_audit_fn'];

const adminUrl = (): string => {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set (jest global setup starts PostgreSQL)');
  return url;
};
const urlFor = (db: string): string => {
  const u = new URL(adminUrl());
  u.pathname = `/${db}`;
  return u.toString();
};

const created: string[] = [];
const uniqueName = (label: string): string => `se_${label}_${crypto.randomBytes(4).toString('hex')}`;

async function sql<T extends Record<string, unknown>>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh database name (created lazily by `migrate deploy`, or now when `create` is set). */
async function newDatabase(label: string, create = false): Promise<string> {
  const name = uniqueName(label);
  created.push(name);
  if (create) await sql(adminUrl(), `CREATE DATABASE "${name}"`);
  return name;
}

/** A private copy of the fixture project, so tests may add migrations. */
function fixtureCopy(): string {
  const dir = path.join(WORK, crypto.randomBytes(4).toString('hex'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

interface CliResult {
  code: number;
  out: string;
}

function prisma(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [WRAPPER, ...args], { cwd, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: `${stdout}\n${stderr}` });
    });
  });
}

afterAll(async () => {
  for (const name of created) await sql(adminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  fs.rmSync(WORK, { recursive: true, force: true });
});

async function shadowDatabasesLeft(): Promise<string[]> {
  const rows = await sql<{ datname: string }>(adminUrl(), "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'");
  return rows.map((r) => r.datname);
}

describe('schema engine shim through the Prisma CLI', () => {
  it('migrates an empty database, then status is up to date; $$ bodies survive', async () => {
    const db = await newDatabase('deploy');
    const env = { DATABASE_URL: urlFor(db) };
    const deploy = await prisma(FIXTURE, ['migrate', 'deploy'], env);
    expect(deploy.out).toContain('All migrations have been successfully applied');
    expect(deploy.code).toBe(0);

    const status = await prisma(FIXTURE, ['migrate', 'status'], env);
    expect(status.out).toContain('Database schema is up to date');
    expect(status.code).toBe(0);

    const tables = await sql<{ table_name: string }>(urlFor(db), "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    expect(tables.map((t) => t.table_name)).toEqual(['_prisma_migrations', 'widget']);
    // The trigger function from the $$ migration works, so its body arrived whole.
    await sql(urlFor(db), "INSERT INTO widget (name, updated_at) VALUES ('a', '2000-01-01')");
    await sql(urlFor(db), "UPDATE widget SET name = 'b'");
    const [row] = await sql<{ touched: boolean }>(urlFor(db), "SELECT updated_at > '2001-01-01' AS touched FROM widget");
    expect(row?.touched).toBe(true);
    // Checksums match the native engine's: sha256 of migration.sql.
    const sums = await sql<{ checksum: string }>(urlFor(db), "SELECT checksum FROM _prisma_migrations WHERE migration_name = '20250101000000_init'");
    const expected = crypto.createHash('sha256').update(fs.readFileSync(path.join(FIXTURE, 'migrations', MIGRATIONS[0] ?? '', 'migration.sql'))).digest('hex');
    expect(sums[0]?.checksum).toBe(expected);
  });

  it('detects drift made by hand and introspects "char" columns', async () => {
    const db = await newDatabase('drift');
    const env = { DATABASE_URL: urlFor(db) };
    expect((await prisma(FIXTURE, ['migrate', 'deploy'], env)).code).toBe(0);
    const clean = await prisma(FIXTURE, ['migrate', 'diff', '--from-migrations', 'migrations', '--to-config-datasource', '--exit-code'], env);
    expect(clean.out).toContain('No difference detected');
    expect(clean.code).toBe(0);

    await sql(urlFor(db), `ALTER TABLE widget ADD COLUMN colour text; CREATE TABLE flag (id int PRIMARY KEY, kind "char" NOT NULL)`);
    const drift = await prisma(FIXTURE, ['migrate', 'diff', '--from-migrations', 'migrations', '--to-config-datasource', '--exit-code'], env);
    expect(drift.code).toBe(2);
    expect(drift.out).toContain('Added column `colour`');

    const script = await prisma(FIXTURE, ['migrate', 'diff', '--from-empty', '--to-config-datasource', '--script'], env);
    expect(script.code).toBe(0);
    expect(script.out).toMatch(/CREATE TABLE "public"\."flag"[\s\S]*"kind" CHAR NOT NULL/);

    const dev = await prisma(FIXTURE, ['migrate', 'dev', '--create-only', '--name', 'next'], env);
    expect(dev.code).not.toBe(0);
    expect(dev.out).toContain('Drift detected');
    expect(await shadowDatabasesLeft()).toEqual([]);
  });

  it('never uses the main database as shadow database', async () => {
    const db = await newDatabase('main');
    const mainUrl = urlFor(db);
    expect((await prisma(FIXTURE, ['migrate', 'deploy'], { DATABASE_URL: mainUrl })).code).toBe(0);
    await sql(mainUrl, "INSERT INTO widget (name) VALUES ('keep me')");

    // The explicit builder refuses the main database's own name.
    const builder = await new Promise<string>((resolve) => {
      const probe = `import('${path.join(ROOT, 'tools/schema-engine/shadow-url.mjs')}').then((m) => {
        try { m.buildShadowConfig(process.argv[1], '${db}'); console.log('accepted'); } catch (e) { console.log(e.message); }
        console.log(m.buildShadowConfig(process.argv[1], 'other').database);
      })`;
      execFile(process.execPath, ['-e', probe, mainUrl], (_e, stdout) => resolve(stdout));
    });
    expect(builder).toContain(`Refusing to use the main database "${db}"`);
    expect(builder).toContain('other');

    // A configured shadow URL that points at the main database is refused before any wipe.
    const refused = await prisma(FIXTURE, ['migrate', 'dev', '--create-only', '--name', 'x'], { DATABASE_URL: mainUrl, SHADOW_DATABASE_URL: mainUrl });
    expect(refused.code).not.toBe(0);
    expect(refused.out).toContain('Refusing to use the shadow database');
    expect(await sql(mainUrl, 'SELECT name FROM widget')).toEqual([{ name: 'keep me' }]);

    // Temporary shadow: a different database, dropped afterwards.
    const project = fixtureCopy();
    fs.appendFileSync(path.join(project, 'schema.prisma'), '\nmodel Gadget {\n  id Int @id\n}\n');
    const dev = await prisma(project, ['migrate', 'dev', '--create-only', '--name', 'gadget'], { DATABASE_URL: mainUrl, DEBUG: 'prisma:schemaEngine:stderr' });
    expect(dev.code).toBe(0);
    const seen = [...dev.out.matchAll(/shadow database \\?"([^"\\]+)\\?" \(temporary\); main database \\?"([^"\\]+)\\?"/g)];
    expect(seen.length).toBeGreaterThan(0);
    for (const [, shadow, main] of seen) {
      expect(main).toBe(db);
      expect(shadow).not.toBe(db);
    }
    const created = fs.readdirSync(path.join(project, 'migrations')).filter((d) => d.endsWith('_gadget'));
    expect(created).toHaveLength(1);
    expect(fs.readFileSync(path.join(project, 'migrations', created[0] ?? '', 'migration.sql'), 'utf8')).toContain('CREATE TABLE "Gadget"');
    expect(await shadowDatabasesLeft()).toEqual([]);
    expect(await sql(mainUrl, 'SELECT name FROM widget')).toEqual([{ name: 'keep me' }]);

    // Reused shadow database: wiped before use.
    const shadow = await newDatabase('shadow', true);
    await sql(urlFor(shadow), 'CREATE TABLE leftover (id int)');
    const reused = await prisma(project, ['migrate', 'diff', '--from-migrations', 'migrations', '--to-schema', 'schema.prisma', '--exit-code'], {
      DATABASE_URL: mainUrl,
      SHADOW_DATABASE_URL: urlFor(shadow),
    });
    expect(reused.out).toContain('No difference detected');
    expect(reused.code).toBe(0);
    const left = await sql(urlFor(shadow), "SELECT 1 FROM information_schema.tables WHERE table_name = 'leftover'");
    expect(left).toHaveLength(0);
  });

  it('a failing migration leaves nothing half-applied', async () => {
    const db = await newDatabase('atomic');
    const project = fixtureCopy();
    const bad = path.join(project, 'migrations', '20250103000000_broken');
    fs.mkdirSync(bad);
    fs.writeFileSync(
      path.join(bad, 'migration.sql'),
      `CREATE TABLE "half" ("id" INTEGER PRIMARY KEY);\nCREATE FUNCTION "f"() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\nSELECT 1 / 0;\n`,
    );
    const deploy = await prisma(project, ['migrate', 'deploy'], { DATABASE_URL: urlFor(db) });
    expect(deploy.code).not.toBe(0);
    expect(deploy.out).toContain('20250103000000_broken');
    const half = await sql(urlFor(db), "SELECT to_regclass('public.half') AS t, to_regprocedure('public.f()') AS f");
    expect(half).toEqual([{ t: null, f: null }]);
    // The earlier migrations did apply, each on its own.
    expect(await pendingMigrations(urlFor(db), { migrationsDir: path.join(project, 'migrations') })).toEqual(['20250103000000_broken']);
  });

  it('applyMigrations and pendingMigrations on a fresh database', async () => {
    const db = await newDatabase('app');
    const url = urlFor(db);
    const options = { cwd: FIXTURE, migrationsDir: path.join(FIXTURE, 'migrations') };
    await sql(adminUrl(), `CREATE DATABASE "${db}"`);
    expect(await pendingMigrations(url, options)).toEqual(MIGRATIONS);
    await applyMigrations(url, options);
    expect(await pendingMigrations(url, options)).toEqual([]);
    await applyMigrations(url, options);
  });
});
