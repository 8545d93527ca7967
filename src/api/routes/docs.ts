import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi';

let cached: Record<string, unknown> | undefined;

export function docsRouter(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    cached ??= buildOpenApiDocument();
    res.json(cached);
  });
  return router;
}
