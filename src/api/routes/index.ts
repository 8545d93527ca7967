import { type Express, Router } from 'express';
import { adminTerritoryRouter } from './admin-territory';
import { supervisionRouter } from './supervision';
import { authRouter } from './auth';
import { casesRouter } from './cases';
import { type ApiDeps, authenticate } from './context';
import { docsRouter } from './docs';
import { referenceRouter } from './reference';
import { requestsRouter } from './requests';
import { tasksRouter } from './tasks';
import { milestonesRouter } from './milestones';
import { documentsRouter } from './documents';

export type { ApiDeps } from './context';

/** The versioned path first: `/api/v1/x` must not reach the alias as `/v1/x`. */
export const API_MOUNT_PATHS = ['/api/v1', '/api'];
export { createAuth, type TokenService, type TokenVerifier } from '../auth';

/**
 * The operator and supervisor API under `/api/v1` (the version in the path, as the AgID
 * interoperability guidelines ask) and, as a permanent alias, under `/api`: one router mounted
 * twice. Public: login, the OpenAPI document and its page; everything else needs a bearer token.
 */
export function mountApiRoutes(app: Express, deps: ApiDeps): void {
  const api = Router();
  api.use(docsRouter());
  api.use('/auth', authRouter(deps));
  api.use(authenticate(deps));
  const milestones = milestonesRouter(deps);
  api.use('/cases', milestones.cases, documentsRouter(deps));
  api.use('/milestones', milestones.ledger);
  api.use('/cases', casesRouter(deps));
  api.use('/tasks', tasksRouter(deps));
  api.use('/requests', requestsRouter(deps));
  api.use('/supervision', supervisionRouter(deps));
  api.use('/reference', referenceRouter(deps));
  api.use('/admin', adminTerritoryRouter(deps));
  app.use(API_MOUNT_PATHS, api);
}
