import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';
import { temporalCliPath } from '../helpers/temporal';
import { freePort } from '../../src/embedded/ports';
import { CLI_TYPE_NAMES } from '../../src/embedded/temporal';

/**
 * The deployment files stay in step with the code: the search-attribute job of docker-compose.yml
 * registers exactly ALL_SEARCH_ATTRIBUTES (run for real against a bare Temporal dev server, twice),
 * and every image is pinned.
 */

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'deploy', 'temporal', 'register-search-attributes.sh');
// Server enum names (temporal.api.enums.v1.IndexedValueType) by CLI type name.
const INDEXED_VALUE_TYPES: Record<string, number> = { Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6, KeywordList: 7 };

jest.setTimeout(120_000);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('deployment files', () => {
  it('the search-attribute job lists exactly the workflow search attributes', () => {
    const registered = [...fs.readFileSync(SCRIPT, 'utf8').matchAll(/^register (\S+) (\S+)$/gm)].map((m) => `${m[1]}=${m[2]}`);
    const expected = ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${CLI_TYPE_NAMES[k.type]}`);
    expect(registered.sort()).toEqual(expected.sort());
  });

  it('pins every image (compose services and Dockerfile stages)', () => {
    const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    const images = [...compose.matchAll(/^\s+image:\s*(\S+)\s*$/gm)].map((m) => m[1] as string);
    const external = images.filter((i) => !i.startsWith('pis-case-management:'));
    expect(external.length).toBeGreaterThanOrEqual(3);
    for (const image of external) expect(image).toMatch(/^[\w./-]+:\d+(\.\d+)+[\w.-]*$/);
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:\d+\.\d+\.\d+-[\w-]+$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('the search-attribute job registers them on a bare server, and a second run changes nothing', async () => {
    const cli = temporalCliPath();
    const port = await freePort();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-sa-job-'));
    const server = spawn(cli, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error', '--db-filename', path.join(tmp, 't.db')], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    const address = `127.0.0.1:${port}`;
    const env = { ...process.env, PATH: `${path.dirname(cli)}${path.delimiter}${process.env.PATH ?? ''}`, TEMPORAL_ADDRESS: address, PIS_NAMESPACE_RETENTION: '720h' };
    try {
      const first = await run('sh', [SCRIPT], env);
      expect({ code: first.code, output: first.output }).toMatchObject({ code: 0 });
      const second = await run('sh', [SCRIPT], env);
      expect(second.code).toBe(0);
      expect(second.output).not.toMatch(/\) registered/);

      const connection = await Connection.connect({ address });
      try {
        const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
        for (const key of ALL_SEARCH_ATTRIBUTES) {
          expect({ name: key.name, type: customAttributes[key.name] }).toEqual({ name: key.name, type: INDEXED_VALUE_TYPES[CLI_TYPE_NAMES[key.type]] });
        }
        const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
        expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(720 * 3600);
      } finally {
        await connection.close();
      }
    } finally {
      server.kill('SIGTERM');
      await exited;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
