import type { Client, Connection } from '@temporalio/client';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { PrismaClient } from '../generated/prisma/client';

/**
 * The seam between the boot code and the operator API (`/api`: login, cases, tasks,
 * supervision). Everything else the entry points serve (health, readiness, codec) is mounted by
 * `createApp`; this file only adds the feature routes and the development users.
 */
export interface OperatorApiDeps {
  prisma: PrismaClient;
  temporal: { client: Client; connection: Connection; namespace: string; taskQueue: string };
  logger: Logger;
  config: AppConfig;
}

/** Adds the operator API routes to the app. */
export function mountOperatorApi(app: Express, deps: OperatorApiDeps): void {
  // Wiring point for `mountApiRoutes(app, { ...deps, auth: createAuth(deps.config, deps.prisma) })`
  // from src/api/routes once that module is on main.
  void app;
  deps.logger.debug('operator API routes not wired yet');
}

/**
 * Inserts the missing demo users (local embedded setup only, never with an external database)
 * and returns a one-line hint for the startup summary, or undefined when there are none.
 */
export function seedDevelopmentUsers(prisma: PrismaClient): Promise<string | undefined> {
  // Wiring point for `seedDemoUsers(prisma)` from src/db/demo-users.ts once that module is on main.
  void prisma;
  return Promise.resolve(undefined);
}
