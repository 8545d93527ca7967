import path from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/temporal/worker';

/**
 * The case workflow as it was before protocol revision 2: this checkout's workflow code with
 * src/workflows/protocol-revision.ts swapped for a fixture that never calls `patched()`. The
 * replay test checks that this build replays the histories recorded on the real pre-patch code.
 */
const FIXTURE = path.resolve(__dirname, '../fixtures/protocol-v1/protocol-revision.ts');

let bundle: Promise<WorkflowBundle> | undefined;

export function protocolV1Bundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply(compiler) {
            new compiler.webpack.NormalModuleReplacementPlugin(/[\\/]protocol-revision$/, FIXTURE).apply(compiler);
          },
        },
      ],
    }),
  });
  return bundle;
}
