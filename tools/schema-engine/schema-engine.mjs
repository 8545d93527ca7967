#!/usr/bin/env node
// @ts-check
/* global WebAssembly */
/**
 * Offline stand-in for Prisma's native `schema-engine` binary (PRISMA_SCHEMA_ENGINE_BINARY).
 *
 * The Prisma CLI spawns the engine as
 *   schema-engine [--datamodels FILE]... [--datasource JSON] [--enabled-preview-features X]
 *   schema-engine --datasource JSON cli can-connect-to-database|create-database|drop-database
 *   schema-engine --version
 * and talks line-delimited JSON-RPC 2.0 on stdin/stdout. This shim forwards every call to the
 * WASM build of the same engine (@prisma/schema-engine-wasm) over @prisma/adapter-pg, and fixes
 * what that pairing gets wrong (see docs "Prisma 7" pitfalls):
 *  1. Postgres' internal `"char"` type is reported as text instead of failing the query.
 *  2. Scripts run as ONE query (no splitting on `;`): `$$` bodies survive and a failing
 *     migration leaves nothing behind (a multi-statement simple query is one transaction).
 *  3. Shadow databases are built from explicit parts and `current_database()` is verified to
 *     differ from the main database before anything runs there.
 *  4. A configured (reused) shadow database is wiped before use; a temporary one is dropped after
 *     its pool is closed.
 *  5. createMigration/evaluateDataLoss get the shadow factory and a fresh devDiagnostic first.
 *
 * stdout carries JSON-RPC only; logs go to stderr as JSON lines the CLI understands. Connection
 * strings are never written anywhere.
 */
import { createRequire } from 'node:module';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import {
  buildShadowConfig,
  databaseOf,
  describeTarget,
  isSameDatabaseName,
  pgConfigFromUrl,
  redact,
  temporaryShadowName,
} from './shadow-url.mjs';

const require = createRequire(import.meta.url);
/** @type {{ version: string }} */
const wasmPackage = JSON.parse(
  fs.readFileSync(path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'package.json'), 'utf8'),
);
const ENGINE_HASH = wasmPackage.version.split('.').pop() ?? wasmPackage.version;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
/** @type {string | undefined} */
let lastPanic;
/** @type {{ consumeError(id: number): { error: unknown } | undefined } | undefined} */
let errorRegistry;

/**
 * @typedef {{ url?: string, shadowDatabaseUrl?: string }} DatasourceArg
 * @typedef {{ datamodels: string[], datasource: DatasourceArg, cliCommand: string | undefined, version: boolean }} EngineArgs
 * @typedef {import('@prisma/driver-adapter-utils').SqlDriverAdapter} SqlDriverAdapter
 * @typedef {import('@prisma/driver-adapter-utils').SqlMigrationAwareDriverAdapterFactory} SqlMigrationAwareDriverAdapterFactory
 * @typedef {{ id?: number | string, jsonrpc?: string, method?: string, params?: any, result?: unknown, error?: unknown }} RpcMessage
 */

/**
 * @param {string[]} argv
 * @returns {EngineArgs}
 */
export function parseArgs(argv) {
  /** @type {EngineArgs} */
  const out = { datamodels: [], datasource: {}, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--version' || arg === '-V') out.version = true;
    else if (arg === '--datamodels') out.datamodels.push(String(argv[++i]));
    else if (arg === '--datasource') out.datasource = /** @type {DatasourceArg} */ (JSON.parse(String(argv[++i])));
    else if (arg === '--enabled-preview-features' || arg === '--extension-types') i++;
    else if (arg === 'cli') out.cliCommand = argv[++i];
  }
  return out;
}

/**
 * One stderr log line in the shape the CLI parses (`fields.message`, `level`).
 * @param {'INFO' | 'WARN' | 'ERROR'} level
 * @param {string} message
 * @param {Record<string, unknown>} [extra]
 */
function log(level, message, extra = {}) {
  process.stderr.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message: redact(message), ...extra }, target: 'schema_engine::logger' })}\n`);
}

/**
 * adapter-pg rejects Postgres' internal `"char"` type (oid 18), which the engine's own catalog
 * queries return (e.g. `pg_constraint.contype`). Its text value is fine: let the adapter treat
 * the column as text, then report it as the Character column type the engine expects.
 * @param {any} adapter a PgQueryable (adapter or transaction)
 */
function patchCharColumns(adapter) {
  /** @type {WeakMap<object, number[]>} */
  const charColumns = new WeakMap();
  const performIO = adapter.performIO.bind(adapter);
  adapter.performIO = async (/** @type {object} */ query) => {
    const result = await performIO(query);
    /** @type {number[]} */
    const indices = [];
    result.fields.forEach((/** @type {{ dataTypeID: number }} */ field, /** @type {number} */ i) => {
      if (field.dataTypeID !== PG_CHAR_OID) return;
      field.dataTypeID = PG_TEXT_OID;
      indices.push(i);
    });
    if (indices.length > 0) charColumns.set(query, indices);
    return result;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (/** @type {object} */ query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(query) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
}

/**
 * Applies pitfalls 1 and 2 to an adapter from @prisma/adapter-pg.
 * @param {any} adapter
 * @returns {SqlDriverAdapter}
 */
function hardenAdapter(adapter) {
  patchCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (/** @type {unknown[]} */ ...args) => {
    const tx = await startTransaction(...args);
    patchCharColumns(tx);
    return tx;
  };
  /** @type {pg.Pool} */
  const pool = adapter.underlyingDriver();
  adapter.executeScript = async (/** @type {string} */ script) => {
    try {
      await pool.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

/**
 * @param {pg.Pool} pool
 * @returns {Promise<string>}
 */
async function currentDatabase(pool) {
  const { rows } = await pool.query('SELECT current_database() AS name');
  return String(rows[0].name);
}

/**
 * Drops every user schema and recreates an empty `public`, like a fresh database.
 * @param {pg.Pool} pool
 */
async function wipeDatabase(pool) {
  const { rows } = await pool.query(
    `SELECT nspname FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  );
  const drops = rows.map((r) => `DROP SCHEMA IF EXISTS "${String(r.nspname).replaceAll('"', '""')}" CASCADE;`);
  await pool.query(`${drops.join('\n')}\nCREATE SCHEMA IF NOT EXISTS public;`);
}

/**
 * The driver adapter factory handed to the WASM engine.
 * @implements {SqlMigrationAwareDriverAdapterFactory}
 */
export class GuardedPgFactory {
  provider = /** @type {const} */ ('postgres');
  adapterName = '@prisma/adapter-pg';

  /** @param {DatasourceArg} datasource */
  constructor(datasource) {
    this.datasource = datasource;
  }

  /** @returns {string} */
  mainUrl() {
    if (!this.datasource.url) throw new Error('No datasource url: set DATABASE_URL (prisma.config.ts reads it).');
    return this.datasource.url;
  }

  async connect() {
    return hardenAdapter(await new PrismaPg({ connectionString: this.mainUrl() }).connect());
  }

  async connectToShadowDb() {
    const main = new pg.Pool({ connectionString: this.mainUrl(), max: 1 });
    try {
      const mainName = await currentDatabase(main);
      const configured = this.datasource.shadowDatabaseUrl;
      if (configured) return await this.reuseShadow(configured, mainName);
      return await this.temporaryShadow(main, mainName);
    } finally {
      await main.end();
    }
  }

  /**
   * @param {string} shadowUrl
   * @param {string} mainName
   */
  async reuseShadow(shadowUrl, mainName) {
    const pool = new pg.Pool(pgConfigFromUrl(shadowUrl));
    try {
      const actual = await currentDatabase(pool);
      if (isSameDatabaseName(actual, mainName)) {
        throw new Error(`Refusing to use the shadow database: it is the main database "${mainName}" (${describeTarget(shadowUrl)}).`);
      }
      await wipeDatabase(pool);
      log('INFO', `shadow database "${actual}" (reused, wiped); main database "${mainName}"`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
    return hardenAdapter(adapter);
  }

  /**
   * @param {pg.Pool} main
   * @param {string} mainName
   */
  async temporaryShadow(main, mainName) {
    const name = temporaryShadowName(crypto.randomUUID());
    await main.query(`CREATE DATABASE "${name}"`);
    const mainUrl = this.mainUrl();
    const dropDatabase = async () => {
      const admin = new pg.Pool({ connectionString: mainUrl, max: 1 });
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    };
    const pool = new pg.Pool(buildShadowConfig(mainUrl, name));
    try {
      const actual = await currentDatabase(pool);
      if (actual !== name || isSameDatabaseName(actual, mainName)) {
        throw new Error(`Refusing to use the shadow database: connected to "${actual}", expected "${name}".`);
      }
      log('INFO', `shadow database "${actual}" (temporary); main database "${mainName}"`);
    } catch (error) {
      await pool.end();
      await dropDatabase();
      throw error;
    }
    const adapter = await new PrismaPg(pool).connect();
    adapter.release = async () => {
      await pool.end();
      await dropDatabase();
    };
    return hardenAdapter(adapter);
  }
}

/**
 * Turns a WASM engine rejection into the JSON-RPC error shape the CLI reads (`data.message`,
 * `data.error_code`, `data.is_panic`).
 * @param {unknown} error
 * @param {{ consumeError(id: number): { error: unknown } | undefined } | undefined} [registry]
 */
export function toRpcError(error, registry = errorRegistry) {
  /** @type {any} */
  const e = error;
  const isPanic = e instanceof WebAssembly.RuntimeError;
  let message = redact(isPanic && lastPanic ? lastPanic : String(e?.message ?? e));
  // JS errors thrown inside the adapter reach us only as "External error id#N".
  const external = /External error id#(\d+)/.exec(message);
  const original = external && registry?.consumeError(Number(external[1]))?.error;
  if (original) message = `${redact(String(/** @type {any} */ (original)?.message ?? original))}\n${message}`;
  lastPanic = undefined;
  const code = typeof e?.code === 'string' ? e.code : typeof e?.error_code === 'string' ? e.error_code : undefined;
  const data = { is_panic: isPanic, message, error: { message }, ...(code ? { error_code: code } : {}), meta: e?.meta ?? {} };
  return { code: 4466, message: 'An error happened. Check the data field for details.', data };
}

/** @param {EngineArgs} args */
async function runCli(args) {
  const url = args.datasource.url;
  const fail = (/** @type {string} */ code, /** @type {string} */ message) => {
    // The CLI skips the first stderr line and parses the rest as JSON log lines.
    process.stderr.write('schema-engine shim\n');
    log('ERROR', message, { error_code: code });
    process.exit(1);
  };
  if (!url) return fail('P1012', 'No datasource url given.');
  const command = args.cliCommand;
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    if (command === 'create-database') await probe.end();
    else if (command === 'can-connect-to-database') {
      await probe.end();
      return;
    } else if (command === 'drop-database') {
      const name = await currentDatabase(/** @type {any} */ (probe));
      await probe.end();
      await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return;
    } else return fail('P1000', `Unsupported schema engine cli command: ${command}`);
  } catch (error) {
    await probe.end().catch(() => undefined);
    /** @type {any} */
    const e = error;
    if (e?.code !== '3D000') {
      return fail('P1001', `Can't reach database server at ${describeTarget(url)}: ${redact(String(e?.message ?? e))}`);
    }
    if (command !== 'create-database') {
      return fail('P1003', `Database \`${databaseOf(url)}\` does not exist on the database server at ${describeTarget(url)}.`);
    }
  }
  if (command === 'create-database') {
    const name = databaseOf(url);
    await adminQuery(url, `CREATE DATABASE "${name.replaceAll('"', '""')}"`).catch((/** @type {any} */ e) => {
      if (e?.code !== '42P04') fail('P1000', redact(String(e?.message ?? e)));
    });
  }
}

/**
 * Runs a statement on the `postgres` maintenance database of the server in `url`.
 * @param {string} url
 * @param {string} sql
 */
async function adminQuery(url, sql) {
  const client = new pg.Client(pgConfigFromUrl(url, { database: 'postgres' }));
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * The package's entry point imports the .wasm file as an ES module, which Node 20 does not
 * support without a flag; instantiate it by hand the same way instead.
 * @returns {Promise<typeof import('@prisma/schema-engine-wasm')>}
 */
async function loadWasmEngine() {
  // The engine reports Rust panics through this global before trapping.
  /** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (/** @type {string} */ message) => {
      lastPanic = message;
    },
  };
  const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
  /** @type {any} */
  const bindings = await import(pathToFileURL(path.join(dir, 'schema_engine_bg.js')).href);
  const bytes = fs.readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  /** @type {any} */ (instance.exports).__wbindgen_start();
  return bindings;
}

/** @param {EngineArgs} args */
async function runRpc(args) {
  const { SchemaEngine } = await loadWasmEngine();
  // Some commands (migrate diff) start the engine without a schema; the WASM engine still needs
  // one to pick its connector, and it can only ever talk to PostgreSQL through this adapter.
  const datamodels = /** @type {[string, string][]} */ (
    args.datamodels.length > 0
      ? args.datamodels.map((file) => [file, fs.readFileSync(file, 'utf8')])
      : [['schema.prisma', 'datasource db {\n  provider = "postgresql"\n}\n']]
  );
  const factory = bindMigrationAwareSqlAdapterFactory(new GuardedPgFactory(args.datasource));
  errorRegistry = factory.errorRegistry;
  const onLog = (/** @type {string} */ line) => {
    process.stderr.write(`${redact(String(line))}\n`);
  };
  /** @type {import('@prisma/schema-engine-wasm').SchemaEngine | undefined} */
  let engine;
  const getEngine = async () => (engine ??= await SchemaEngine.new({ datamodels }, onLog, factory));

  let printId = 0;
  /** @type {Map<string, () => void>} */
  const pendingPrints = new Map();
  /** @param {string} content */
  const print = (content) =>
    new Promise((resolve) => {
      const id = `print-${++printId}`;
      pendingPrints.set(id, () => resolve(undefined));
      process.stdout.write(`${JSON.stringify({ id, jsonrpc: '2.0', method: 'print', params: { content } })}\n`);
    });

  /**
   * @param {string} method
   * @param {any} params
   */
  const dispatch = async (method, params) => {
    const e = await getEngine();
    switch (method) {
      case 'getDatabaseVersion':
        return e.version(params ?? null);
      case 'createDatabase':
        return { databaseName: await createDatabase(params, args) };
      case 'diff': {
        const result = await e.diff(params);
        if (result.stdout) await print(result.stdout.replace(/\n$/, ''));
        return { exitCode: result.exitCode, stdout: null };
      }
      case 'createMigration':
      case 'evaluateDataLoss':
        await e.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        return method === 'createMigration' ? e.createMigration(params) : e.evaluateDataLoss(params);
      case 'reset':
        await e.reset(params ?? { filter: { externalTables: [], externalEnums: [] } });
        return {};
      case 'dbExecute':
        await e.dbExecute(params);
        return {};
      case 'applyMigrations':
      case 'devDiagnostic':
      case 'diagnoseMigrationHistory':
      case 'ensureConnectionValidity':
      case 'introspect':
      case 'introspectSql':
      case 'markMigrationApplied':
      case 'markMigrationRolledBack':
      case 'schemaPush': {
        const result = await /** @type {any} */ (e)[method](params);
        return result ?? {};
      }
      case 'debugPanic':
        return e.debugPanic();
      default:
        throw Object.assign(new Error(`Method not supported by the schema engine shim: ${method}`), { code: 'P1000' });
    }
  };

  /** @type {number | string | undefined} */
  let inFlight;
  // A Rust panic inside an async callback traps outside any promise chain: answer the request
  // that was running with the panic message, then exit like the native engine does (101).
  process.on('uncaughtException', (error) => {
    const rpcError = toRpcError(error);
    rpcError.data.is_panic = true;
    log('ERROR', rpcError.data.message);
    if (inFlight !== undefined) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: inFlight, error: rpcError })}\n`);
    process.exit(101);
  });
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    /** @type {RpcMessage} */
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      log('ERROR', 'Could not parse JSON-RPC request');
      return;
    }
    if (msg.method === undefined) {
      pendingPrints.get(String(msg.id))?.();
      pendingPrints.delete(String(msg.id));
      return;
    }
    const { id, method, params } = msg;
    // The engine is single-threaded; keep calls in order like the native engine does.
    queue = queue.then(async () => {
      inFlight = id;
      /** @type {RpcMessage} */
      let response;
      try {
        const result = await dispatch(String(method), params);
        response = { jsonrpc: '2.0', id, result: result ?? {} };
      } catch (error) {
        log('ERROR', String(/** @type {any} */ (error)?.message ?? error));
        response = { jsonrpc: '2.0', id, error: toRpcError(error) };
      }
      process.stdout.write(`${JSON.stringify(response)}\n`);
    });
  });
  await new Promise((resolve) => lines.on('close', () => resolve(undefined)));
  await queue;
  engine?.free();
}

/**
 * @param {any} params
 * @param {EngineArgs} args
 */
async function createDatabase(params, args) {
  const url = params?.datasource?.tag === 'ConnectionString' ? String(params.datasource.url) : args.datasource.url;
  if (!url) throw new Error('No datasource url given.');
  const name = databaseOf(url);
  await adminQuery(url, `CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  return name;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    process.stdout.write(`schema-engine-cli ${ENGINE_HASH}\n`);
    return;
  }
  if (args.cliCommand) return runCli(args);
  return runRpc(args);
}

main().then(
  () => process.exit(0),
  (error) => {
    log('ERROR', String(error?.stack ?? error));
    process.exit(1);
  },
);
