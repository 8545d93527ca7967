import { createHash, createHmac } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { OidcSettings } from '../../config';
import type { PrismaClient } from '../../generated/prisma/client';
import { type CaseActor, ROLES, type Role } from '../../domain';
import type { AuthenticatedUser } from './index';

/**
 * Single sign-on with the organisation's OpenID provider (SPID and CIE reach it through the
 * region's federation proxy): authorization code with PKCE (openid-client). After the callback
 * this API issues its own token for a local user, so revocation, TTL and the role checks of
 * src/api/auth apply unchanged.
 *
 * Who the person is here, in this order:
 * 1. a row of `OidcIdentity` (issuer + subject → local user): that user's role, Comune, active
 *    flag and token version; claims are ignored;
 * 2. otherwise, with OIDC_ROLE_CLAIM set, role (and Comune, OIDC_COMUNE_CLAIM) from the claims:
 *    a local user `oidc-<hash of issuer and subject>` is created or updated (its old tokens are
 *    revoked when role or Comune change); an administrator can disable it like any other;
 * 3. otherwise: not enabled here.
 * With OIDC_AMBITO_CLAIM set, the claim must name an Ambito of this installation, and a social
 * worker's Comune must belong to it. The subject (for SPID often derived from the fiscal code) is
 * never logged nor stored outside `OidcIdentity` and the hash in the user id.
 */

/** openid-client is an ES module: loaded with `import()` from this CommonJS code. */
const loadOpenIdClient = () => import('openid-client');
type OpenIdClient = Awaited<ReturnType<typeof loadOpenIdClient>>;
type ClientConfiguration = Awaited<ReturnType<OpenIdClient['discovery']>>;

export type OidcOutcome =
  | { outcome: 'ok'; user: AuthenticatedUser; via: 'mapping' | 'claims' }
  /** No mapping and no usable role claim, or a claim this installation does not accept. */
  | { outcome: 'not_enabled' }
  | { outcome: 'inactive' };

export class OidcLoginError extends Error {
  constructor(readonly reason: 'state' | 'provider', options?: { cause?: unknown }) {
    super(`single sign-on failed: ${reason}`, options);
    this.name = 'OidcLoginError';
  }
}

export interface OidcLoginStart {
  /** Where the browser goes next (the provider's authorization endpoint). */
  url: string;
  /** Goes into a short-lived HttpOnly cookie; given back to `finish`. */
  state: string;
}

const STATE_TTL_SECONDS = 600;

export class OidcLogin {
  private configuration?: Promise<{ lib: OpenIdClient; config: ClientConfiguration }>;
  private readonly stateKey: Uint8Array;

  constructor(
    private readonly settings: OidcSettings,
    private readonly prisma: PrismaClient,
    tokenSecret: string,
  ) {
    this.stateKey = createHmac('sha256', tokenSecret).update('oidc-login-state').digest();
  }

  get label(): string {
    return this.settings.label;
  }

  /** Discovery on first use (a provider down at boot does not stop the API), retried after a failure. */
  private client(): Promise<{ lib: OpenIdClient; config: ClientConfiguration }> {
    this.configuration ??= (async () => {
      const lib = await loadOpenIdClient();
      const { issuer, clientId, clientSecret, allowHttp } = this.settings;
      const config = await lib.discovery(
        new URL(issuer),
        clientId,
        clientSecret,
        clientSecret === undefined ? lib.None() : lib.ClientSecretPost(clientSecret),
        allowHttp ? { execute: [lib.allowInsecureRequests] } : undefined,
      );
      return { lib, config };
    })();
    this.configuration.catch(() => {
      this.configuration = undefined;
    });
    return this.configuration;
  }

  async start(): Promise<OidcLoginStart> {
    const { lib, config } = await this.client().catch((err: unknown) => {
      throw new OidcLoginError('provider', { cause: err });
    });
    const verifier = lib.randomPKCECodeVerifier();
    const state = lib.randomState();
    const nonce = lib.randomNonce();
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await lib.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const cookie = await new SignJWT({ s: state, n: nonce, v: verifier })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime(`${STATE_TTL_SECONDS}s`)
      .sign(this.stateKey);
    return { url: url.href, state: cookie };
  }

  /** The callback: code for tokens (state, nonce and PKCE checked), then the local user. */
  async finish(callbackQuery: string, stateCookie: string | undefined): Promise<OidcOutcome> {
    if (stateCookie === undefined) throw new OidcLoginError('state');
    let saved: { s: string; n: string; v: string };
    try {
      const { payload } = await jwtVerify(stateCookie, this.stateKey, { algorithms: ['HS256'] });
      if (typeof payload.s !== 'string' || typeof payload.n !== 'string' || typeof payload.v !== 'string') throw new OidcLoginError('state');
      saved = { s: payload.s, n: payload.n, v: payload.v };
    } catch (err) {
      if (err instanceof OidcLoginError || err instanceof joseErrors.JOSEError) throw new OidcLoginError('state');
      throw err;
    }
    const { lib, config } = await this.client().catch((err: unknown) => {
      throw new OidcLoginError('provider', { cause: err });
    });
    const current = new URL(this.settings.redirectUri);
    current.search = callbackQuery;
    let claims: Record<string, unknown>;
    try {
      const tokens = await lib.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: saved.v,
        expectedState: saved.s,
        expectedNonce: saved.n,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims();
      if (idClaims === undefined) throw new OidcLoginError('provider');
      claims = { ...idClaims };
      // Providers (and federation proxies) often give the attributes at the userinfo endpoint only.
      if (config.serverMetadata().userinfo_endpoint !== undefined) {
        claims = { ...(await lib.fetchUserInfo(config, tokens.access_token, idClaims.sub)), ...claims };
      }
    } catch (err) {
      if (err instanceof OidcLoginError) throw err;
      throw new OidcLoginError('provider', { cause: err });
    }
    return this.resolveUser(config.serverMetadata().issuer, claims);
  }

  private async resolveUser(issuer: string, claims: Record<string, unknown>): Promise<OidcOutcome> {
    const subject = claims.sub;
    if (typeof subject !== 'string' || subject === '') return { outcome: 'not_enabled' };
    const ambito = this.claim(claims, this.settings.claims.ambito);
    const mapped = await this.prisma.oidcIdentity.findUnique({ where: { issuer_subject: { issuer, subject } } });
    if (mapped !== null) {
      const user = await this.prisma.user.findUnique({ where: { id: mapped.userId } });
      if (user === null || !isRole(user.role)) return { outcome: 'not_enabled' };
      if (!user.active) return { outcome: 'inactive' };
      if (!(await this.ambitoAccepted(ambito, user.role, user.comuneCode))) return { outcome: 'not_enabled' };
      return { outcome: 'ok', via: 'mapping', user: authenticated(user) };
    }
    if (this.settings.claims.role === undefined) return { outcome: 'not_enabled' };
    const role = this.claim(claims, this.settings.claims.role);
    const comune = this.claim(claims, this.settings.claims.comune);
    if (role === undefined || !isRole(role)) return { outcome: 'not_enabled' };
    if (comune !== undefined && !/^\d{6}$/.test(comune)) return { outcome: 'not_enabled' };
    // A social worker works for one Comune; the other roles for the whole service.
    const comuneCode = role === 'social_worker' ? comune : undefined;
    if (role === 'social_worker' && (comuneCode === undefined || (await this.prisma.comune.count({ where: { code: comuneCode } })) === 0)) {
      return { outcome: 'not_enabled' };
    }
    if (!(await this.ambitoAccepted(ambito, role, comuneCode ?? null))) return { outcome: 'not_enabled' };

    const id = `oidc-${createHash('sha256').update(`${issuer}\n${subject}`).digest('base64url').slice(0, 32)}`;
    const name = this.claim(claims, 'name') ?? [this.claim(claims, 'given_name'), this.claim(claims, 'family_name')].filter(Boolean).join(' ');
    const displayName = (name || 'Utente SSO').slice(0, 120);
    const existing = await this.prisma.user.findUnique({ where: { id } });
    if (existing !== null && !existing.active) return { outcome: 'inactive' };
    const changed = existing !== null && (existing.role !== role || existing.comuneCode !== (comuneCode ?? null));
    const user = await this.prisma.user.upsert({
      where: { id },
      // No usable password: '!' is no Argon2 hash, so a password login as this user always fails.
      create: { id, username: id, displayName, passwordHash: '!', role, comuneCode: comuneCode ?? null },
      update: { displayName, role, comuneCode: comuneCode ?? null, ...(changed && { tokenVersion: { increment: 1 } }) },
    });
    return { outcome: 'ok', via: 'claims', user: authenticated(user) };
  }

  private claim(claims: Record<string, unknown>, name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    const value = claims[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  }

  private async ambitoAccepted(ambito: string | undefined, role: Role, comuneCode: string | null): Promise<boolean> {
    if (this.settings.claims.ambito === undefined) return true;
    if (ambito === undefined) return false;
    if ((await this.prisma.ambito.count({ where: { id: ambito } })) === 0) return false;
    if (role !== 'social_worker' || comuneCode === null) return true;
    return (await this.prisma.comune.count({ where: { code: comuneCode, ambitoId: ambito } })) === 1;
  }
}

function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function authenticated(user: { id: string; role: string; comuneCode: string | null; displayName: string; tokenVersion: number }): AuthenticatedUser {
  const actor: CaseActor = { userId: user.id, role: user.role as Role, ...(user.comuneCode !== null && { comuneCode: user.comuneCode }) };
  return { actor, displayName: user.displayName, tokenVersion: user.tokenVersion };
}
