import type { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { TokenService } from '../api/auth';
import { createAuth, mountApiRoutes } from '../api/routes';
import { mountConsole } from '../api/routes/console';
import { mountSso } from '../api/sso-router';
import type { AppConfig } from '../config';
import { DEMO_USERS, seedDemoUsers } from '../db/demo-users';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * The seam between the boot code and the operator API (`/api`: login, cases, tasks,
 * supervision) with its web console at `/`. Health, readiness and the codec endpoint are mounted by `createApp`.
 */
export interface OperatorApiDeps {
  prisma: PrismaClient;
  temporal: { client: Client; connection: Connection; namespace: string; taskQueue: string };
  logger: Logger;
  config: AppConfig;
  /** The push stream's change feed (`GET /api/events`). */
  events?: import('../alerts/feed').ChangeFeed;
}

export function mountOperatorApi(app: Express, deps: OperatorApiDeps & { auth?: TokenService }): void {
  const auth = deps.auth ?? createAuth(deps.config, deps.prisma);
  // Single sign-on and the login methods first: they can turn the password login off.
  mountSso(app, { config: deps.config, prisma: deps.prisma, auth, logger: deps.logger });
  mountApiRoutes(app, { ...deps, auth });
  mountConsole(app);
}

/**
 * Inserts the missing demo users (local embedded setup only, never with an external database)
 * and returns a hint for the startup summary. Passwords are public: see src/db/demo-users.ts.
 */
export async function seedDevelopmentUsers(prisma: PrismaClient): Promise<string> {
  await seedDemoUsers(prisma);
  const shown = ['intake', 'operatore1', 'coordinatore', 'admin']
    .map((name) => DEMO_USERS.find((u) => u.username === name))
    .filter((u) => u !== undefined)
    .map((u) => `${u.username} / ${u.password}`);
  return `${shown.join(', ')} (all ${DEMO_USERS.length}: src/db/demo-users.ts; POST /api/auth/login)`;
}
