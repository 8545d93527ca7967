import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/config';
import { tlsConfig } from '../src/temporal/client';
import {
  describeDeployment,
  openCasesByVersion,
  setCurrentVersion,
  setRampingVersion,
  versionKey,
  type DeploymentTarget,
} from '../src/temporal/deployments';

/**
 * `npm run deployment -- <command>`: worker deployment versions of the case workers
 * (docs/versioning.md). The deployment is TEMPORAL_DEPLOYMENT_NAME (or `--deployment NAME`).
 *
 *   status                      current and ramping version, every version with its drainage
 *   set-current <buildId>       route all new cases to this build (roll out, or roll back)
 *   ramp <buildId> <percent>    route this share of new cases to the build; `ramp <buildId> 0` stops
 *   cases                       open cases per version (pinned cases stay where they started)
 */

const USAGE = 'usage: deployment [--deployment NAME] status | set-current <buildId> | ramp <buildId> <percent> | cases';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const d = args.indexOf('--deployment');
  const deploymentName = d >= 0 ? args.splice(d, 2)[1] : process.env.TEMPORAL_DEPLOYMENT_NAME;
  const [command, ...rest] = args;
  const config = loadConfig();
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.embeddedPort}`,
    tls: tlsConfig(config.temporal),
    apiKey: config.temporal.apiKey,
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    if (command === 'cases') {
      const counts = new Map<string, number>();
      for (const c of await openCasesByVersion(client, { taskQueue: config.temporal.taskQueue })) {
        const key = `${c.version ? versionKey(c.version) : '(unversioned)'} ${c.behavior}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      if (counts.size === 0) console.log('No open cases.');
      for (const [key, n] of [...counts].sort()) console.log(`${key}: ${n} open case(s)`);
      return;
    }
    if (!deploymentName) throw new Error(`set TEMPORAL_DEPLOYMENT_NAME or pass --deployment\n${USAGE}`);
    const target: DeploymentTarget = { connection, namespace: config.temporal.namespace, deploymentName, identity: `deployment-script@${os.hostname()}` };
    switch (command) {
      case 'status': {
        const s = await describeDeployment(target);
        console.log(`Deployment ${s.deploymentName}`);
        console.log(`  current: ${s.current?.buildId ?? '(none: new cases go to unversioned workers)'}`);
        if (s.ramping) console.log(`  ramping: ${s.ramping.buildId} at ${s.rampingPercentage}%`);
        for (const v of s.versions) console.log(`  version ${v.buildId}: ${v.status}${v.drainage ? `, ${v.drainage}` : ''}`);
        return;
      }
      case 'set-current': {
        const buildId = rest[0];
        if (!buildId) throw new Error(USAGE);
        await setCurrentVersion(target, buildId);
        console.log(`New cases now start on ${deploymentName}:${buildId}; open cases stay on their version.`);
        return;
      }
      case 'ramp': {
        const [buildId, percent] = rest;
        if (!buildId || percent === undefined || Number.isNaN(Number(percent))) throw new Error(USAGE);
        await setRampingVersion(target, buildId, Number(percent));
        console.log(`${percent}% of new cases now start on ${deploymentName}:${buildId}.`);
        return;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
