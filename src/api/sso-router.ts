import { type Express, type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import type { TokenService } from './auth';
import { OidcLogin, OidcLoginError } from './auth/oidc';
import { resolveTokenSecret } from './auth/tokens';
import { recordAudit } from './audit';
import { ProblemError } from './problem';
import { API_MOUNT_PATHS } from './routes';

/**
 * The login methods beside the operator API, under `/api/v1/auth` and `/api/auth`:
 * - `GET  auth/methods`: what the console offers (password form, single sign-on button);
 * - `GET  auth/oidc/login`: to the organisation's OpenID provider (authorization code + PKCE);
 * - `GET  auth/oidc/callback`: back from it; this API's own token is handed to the console in the
 *   URL fragment (never sent to a server, removed from the address bar at once by the console);
 * - `POST auth/login` answers 403 LOCAL_ACCOUNTS_DISABLED when AUTH_LOCAL_ACCOUNTS=false.
 * Failures come back to the console as `#/?sso_error=<code>`, shown there in Italian.
 */

const STATE_COOKIE = 'pis_oidc_state';

export interface SsoDeps {
  config: AppConfig;
  prisma: PrismaClient;
  auth: TokenService;
  logger: Logger;
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function ssoRouter(deps: SsoDeps): Router {
  const { config } = deps;
  const router = Router();
  const settings = config.login.oidc;
  const oidc = settings ? new OidcLogin(settings, deps.prisma, resolveTokenSecret(config)) : undefined;
  const secure = settings?.redirectUri.startsWith('https://') === true;
  const cookie = (value: string, maxAge: number) =>
    `${STATE_COOKIE}=${value}; Path=/api; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  const requestId = (req: Request) => (typeof req.id === 'string' ? req.id : undefined);
  const anonymous = { userId: 'unknown', role: 'anonymous' } as const;
  const backToConsole = (res: Response, fragment: string) => {
    res.setHeader('Set-Cookie', cookie('', 0));
    res.redirect(303, `/#${fragment}`);
  };

  router.get('/auth/methods', (_req, res) => {
    res.json({ local: config.login.localAccounts, sso: oidc ? { label: oidc.label, loginUrl: '/api/v1/auth/oidc/login' } : null });
  });

  if (!config.login.localAccounts) {
    router.post('/auth/login', () => {
      throw new ProblemError(403, {
        detail: 'Accesso con nome utente e password disattivato: usare l’accesso tramite identity provider dell’ente',
        extensions: { code: 'LOCAL_ACCOUNTS_DISABLED' },
      });
    });
  }

  if (oidc !== undefined) {
    router.get('/auth/oidc/login', async (_req, res) => {
      try {
        const { url, state } = await oidc.start();
        res.setHeader('Set-Cookie', cookie(state, 600));
        res.redirect(303, url);
      } catch (err) {
        deps.logger.warn({ err }, 'single sign-on: the OpenID provider cannot be reached');
        backToConsole(res, '/?sso_error=provider');
      }
    });

    router.get('/auth/oidc/callback', async (req, res, next) => {
      try {
        const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
        let result;
        try {
          result = await oidc.finish(query, readCookie(req, STATE_COOKIE));
        } catch (err) {
          if (!(err instanceof OidcLoginError)) throw err;
          // Class only: the provider's message may echo what the person typed.
          deps.logger.warn({ reason: err.reason, cause: (err.cause as Error | undefined)?.name }, 'single sign-on refused');
          await recordAudit(deps.prisma, { actor: anonymous, action: 'auth.login_sso', outcome: 'denied', requestId: requestId(req) });
          backToConsole(res, `/?sso_error=${err.reason}`);
          return;
        }
        if (result.outcome !== 'ok') {
          await recordAudit(deps.prisma, { actor: anonymous, action: 'auth.login_sso', outcome: 'denied', requestId: requestId(req) });
          backToConsole(res, `/?sso_error=${result.outcome}`);
          return;
        }
        const { user } = result;
        const { token, expiresAt } = await deps.auth.issue(user.actor, user.tokenVersion);
        await recordAudit(deps.prisma, { actor: user.actor, action: 'auth.login_sso', outcome: 'success', requestId: requestId(req) });
        const session = {
          token,
          expiresAt,
          user: { id: user.actor.userId, displayName: user.displayName, role: user.actor.role, comuneCode: user.actor.comuneCode ?? null },
        };
        backToConsole(res, `sso=${Buffer.from(JSON.stringify(session)).toString('base64url')}`);
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}

/** Mounted before the operator API so `POST auth/login` can be turned off here. */
export function mountSso(app: Express, deps: SsoDeps): void {
  app.use(API_MOUNT_PATHS, ssoRouter(deps));
}
