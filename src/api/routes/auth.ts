import { type RequestHandler, Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { recordAudit } from '../audit';
import { ProblemError } from '../problem';
import type { TokenService } from '../auth';
import { actorOf, type ApiDeps, authenticate, issuesTokens, parseBody, tokenOf } from './context';
import { loginBody } from './schemas';

/**
 * Failed logins allowed per client address and window (successful ones do not count). The
 * per-account lockout (src/api/auth/lockout.ts, in PostgreSQL) does the real work against password
 * guessing; this limit only stops one address from spraying many accounts. It is generous on
 * purpose: a whole operations room behind one NAT address shares it, and ten typos there must not
 * lock everybody out. The key is the TCP peer address (`trust proxy` is off, see app.ts).
 */
const DEFAULT_LOGIN_LIMIT = { windowMs: 15 * 60_000, limit: 100 };

export function authRouter(deps: ApiDeps): Router {
  const router = Router();
  router.get('/me', authenticate(deps), (_req, res) => {
    const actor = actorOf(res);
    res.json({ id: actor.userId, role: actor.role, comuneCode: actor.comuneCode ?? null });
  });
  if (issuesTokens(deps.auth)) {
    const auth = deps.auth;
    router.post('/login', ...loginHandlers(deps, auth));
    router.post('/logout', authenticate(deps), logoutHandler(deps, (res) => auth.revoke(tokenOf(res)), 'auth.logout'));
    router.post('/logout-all', authenticate(deps), logoutHandler(deps, (res) => auth.revokeAll(actorOf(res).userId), 'auth.logout_all'));
  }
  return router;
}

function logoutHandler(deps: ApiDeps, revoke: (res: Parameters<RequestHandler>[1]) => Promise<void>, action: string): RequestHandler {
  return async (req, res, next) => {
    try {
      const actor = actorOf(res);
      await revoke(res);
      await recordAudit(deps.prisma, { actor, action, outcome: 'success', requestId: typeof req.id === 'string' ? req.id : undefined });
      res.status(204).end();
    } catch (err) {
      next(err);
    }
  };
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
      const result = await auth.login(username, password);
      // No username in the audit: it may be a mistyped password or someone's name.
      const anonymous = { userId: 'unknown', role: 'anonymous' } as const;
      if (result.outcome === 'locked') {
        // The same answer whether the account exists or not, and the password was not even checked.
        await recordAudit(deps.prisma, { actor: anonymous, action: 'auth.login', outcome: 'rejected', requestId });
        const minutes = Math.max(1, Math.ceil(result.retryAfterSeconds / 60));
        res.setHeader('Retry-After', String(result.retryAfterSeconds));
        throw new ProblemError(429, {
          title: 'Too Many Requests',
          detail: `Troppi tentativi di accesso non riusciti per questo nome utente: riprovare tra ${minutes === 1 ? '1 minuto' : `${minutes} minuti`}`,
          extensions: { code: 'ACCOUNT_LOCKED', retryAfterSeconds: result.retryAfterSeconds },
        });
      }
      if (result.outcome === 'invalid') {
        await recordAudit(deps.prisma, { actor: anonymous, action: 'auth.login', outcome: 'denied', requestId });
        throw new ProblemError(401, { detail: 'Credenziali non valide', extensions: { code: 'INVALID_CREDENTIALS' } });
      }
      const { user } = result;
      const { token, expiresAt } = await auth.issue(user.actor, user.tokenVersion);
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
