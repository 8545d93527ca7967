import { type RequestHandler, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { recordAudit } from '../audit';
import { ProblemError } from '../problem';
import type { TokenService } from '../auth';
import { actorOf, type ApiDeps, authenticate, issuesTokens, parseBody } from './context';
import { loginBody } from './schemas';

/** Failed logins allowed per client address and window (successful ones do not count). */
const DEFAULT_LOGIN_LIMIT = { windowMs: 15 * 60_000, limit: 10 };

export function authRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/me', authenticate(deps), (_req, res) => {
    const actor = actorOf(res);
    res.json({ id: actor.userId, role: actor.role, comuneCode: actor.comuneCode ?? null });
  });
  if (issuesTokens(deps.auth)) router.post('/login', ...loginHandlers(deps, deps.auth));
  return router;
}

function loginHandlers(deps: ApiDeps, auth: TokenService) {
  const { windowMs, limit } = deps.testing?.loginRateLimit ?? DEFAULT_LOGIN_LIMIT;
  const loginLimiter = rateLimit({
    windowMs,
    limit,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(new ProblemError(429, { title: 'Too Many Requests', detail: 'Troppi tentativi di accesso: riprovare più tardi' }));
    },
  });

  const login: RequestHandler = async (req, res, next) => {
    try {
      const { username, password } = parseBody(loginBody, req.body);
      const requestId = typeof req.id === 'string' ? req.id : undefined;
      const user = await auth.authenticate(username, password);
      if (!user) {
        // No username in the audit: it may be a mistyped password or someone's name.
        await recordAudit(deps.prisma, { actor: { userId: 'unknown', role: 'anonymous' }, action: 'auth.login', outcome: 'denied', requestId });
        throw new ProblemError(401, { detail: 'Credenziali non valide', extensions: { code: 'INVALID_CREDENTIALS' } });
      }
      const { token, expiresAt } = await auth.issue(user.actor);
      await recordAudit(deps.prisma, { actor: user.actor, action: 'auth.login', outcome: 'success', requestId });
      res.json({
        token,
        tokenType: 'Bearer',
        expiresAt,
        user: { id: user.actor.userId, displayName: user.displayName, role: user.actor.role, comuneCode: user.actor.comuneCode ?? null },
      });
    } catch (err) {
      next(err);
    }
  };
  return [loginLimiter, login];
}
