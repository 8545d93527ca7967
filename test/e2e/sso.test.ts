import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { mountSso } from '../../src/api/sso-router';
import { type AppConfig, loadConfig } from '../../src/config';
import { freePort } from '../../src/embedded/ports';
import { type ApiHarness, eventually, startApiHarness, TEST_SECRET } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, serve, withScreenshotsOnFailure } from './browser';

/**
 * Single sign-on against a real OpenID provider (oidc-provider, in its own process) with the
 * console's real login in Chromium: a person mapped by subject to a local user, people whose role
 * (and Comune) come from claims, one not enabled; the API's own token afterwards (so logout
 * revokes it); local accounts turned off; the accessibility statement page.
 */

const CLIENT_ID = 'pis-console-test';
const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
const SSO_LABEL = 'Accedi con SPID/CIE (identity provider dell’ente)';

let h: ApiHarness;
let consoleDir: string;
let browser: Browser;
let provider: ChildProcess;
let issuer: string;
let server: { url: string; close: () => Promise<void> };
let localOff: { url: string; close: () => Promise<void> };
let handler: http.RequestListener = (_req, res) => res.end();
let handlerLocalOff: http.RequestListener = (_req, res) => res.end();
const pages = new OpenPages();
const cspViolations: string[] = [];

function startProvider(port: number, redirectUri: string): Promise<{ child: ChildProcess; issuer: string }> {
  const child = spawn(process.execPath, [path.join(__dirname, '../fixtures/oidc/provider.mjs'), String(port), redirectUri, CLIENT_ID, CLIENT_SECRET], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, issuer: m[1]! });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`the OpenID provider exited (${code}): ${err}`)));
  });
}

function ssoConfig(redirectUri: string, extra: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_TOKEN_SECRET: TEST_SECRET,
    OIDC_ISSUER_URL: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URI: redirectUri,
    OIDC_SCOPES: 'openid profile pis',
    OIDC_ROLE_CLAIM: 'pis_role',
    OIDC_COMUNE_CLAIM: 'pis_comune',
    OIDC_ALLOW_HTTP: 'true',
    ...extra,
  });
}

function buildApp(config: AppConfig) {
  const ok = (): Promise<void> => Promise.resolve();
  const deps = { ...h.deps, config };
  return createApp({
    config,
    logger: deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    mount: (a) => {
      mountSso(a, { config, prisma: h.prisma, auth: deps.auth as Parameters<typeof mountSso>[1]['auth'], logger: deps.logger });
      mountApiRoutes(a, deps);
      mountConsole(a, { dir: consoleDir });
    },
  });
}

beforeAll(async () => {
  consoleDir = buildConsole();
  h = await startApiHarness('sso', { worker: false });
  server = await serve((req, res) => handler(req, res));
  localOff = await serve((req, res) => handlerLocalOff(req, res));
  const redirectUri = `${server.url}/api/v1/auth/oidc/callback`;
  ({ child: provider, issuer } = await startProvider(await freePort('127.0.0.1'), redirectUri));
  // Mapped by subject: this identity is the local user operatore1, whatever role its claims say.
  await h.prisma.oidcIdentity.create({ data: { issuer, subject: 'sso-operatore', userId: 'u-op1' } });
  handler = buildApp(ssoConfig(redirectUri));
  handlerLocalOff = buildApp(ssoConfig(redirectUri, { AUTH_LOCAL_ACCOUNTS: 'false' }));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
  await localOff?.close();
  provider?.kill('SIGTERM');
  await h?.close();
  if (consoleDir) fs.rmSync(consoleDir, { recursive: true, force: true });
});

async function openConsole(name: string, url = server.url): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  const page = pages.add(name, await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(`${name}: ${msg.text()}`);
  });
  await page.goto(`${url}/`);
  return page;
}

/** The console's SSO button, then the provider's own login and consent pages. */
async function ssoLogin(page: Page, account: string): Promise<void> {
  await page.getByRole('link', { name: SSO_LABEL }).click();
  await page.waitForURL((u) => u.href.startsWith(issuer));
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill('ignored-by-the-test-provider');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.href.startsWith(server.url));
}

const menuItems = (page: Page) => page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link').allTextContents();

/** The console's sessionStorage entry (the browser's global, typed here: no DOM lib in the tests). */
function storedSession(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('pis.session'));
}

async function tokenOf(page: Page): Promise<string> {
  return (JSON.parse((await storedSession(page)) ?? '{}') as { token: string }).token;
}

describe('single sign-on in the console', () => {
  it('a person mapped by subject logs in as that local user (role from the mapping, not from the claims)', () =>
    withScreenshotsOnFailure(pages, 'sso-mapped', async () => {
      const page = await openConsole('sso-mapped');
      await ssoLogin(page, 'sso-operatore');
      await page.getByTestId('current-user').filter({ hasText: 'Operatore PIS 1 (demo)' }).waitFor();
      await expect(menuItems(page)).resolves.toEqual(['Attività', 'Casi', 'Rete delle risorse']);
      // The session left the address bar and the history entry.
      expect(page.url()).not.toContain('sso=');
      const me = await request(server.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${await tokenOf(page)}`);
      expect(me.body).toEqual({ id: 'u-op1', role: 'emergency_operator', comuneCode: null });
    }));

  it('a person with a role claim logs in with that role; logout revokes the API token', () =>
    withScreenshotsOnFailure(pages, 'sso-claims', async () => {
      const page = await openConsole('sso-claims');
      await ssoLogin(page, 'sso-coordinatrice');
      await page.getByTestId('current-user').filter({ hasText: 'Coordinatrice SSO' }).waitFor();
      await expect(menuItems(page)).resolves.toEqual(['Cruscotto', 'Attività', 'Nuova segnalazione', 'Casi', 'Rete delle risorse']);
      const token = await tokenOf(page);
      const me = await request(server.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(me.body).toMatchObject({ id: expect.stringMatching(/^oidc-[A-Za-z0-9_-]{32}$/) as unknown, role: 'coordinator', comuneCode: null });
      const user = await h.prisma.user.findUniqueOrThrow({ where: { id: (me.body as { id: string }).id } });
      expect({ role: user.role, displayName: user.displayName, passwordHash: user.passwordHash }).toEqual({ role: 'coordinator', displayName: 'Coordinatrice SSO', passwordHash: '!' });
      // The dashboard answers (the coordinator's matrix applies to this token).
      expect((await request(server.url).get('/api/v1/supervision/summary').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      expect((await request(server.url).post('/api/v1/auth/login').send({ username: user.username, password: '!' })).status).toBe(401);

      await page.getByRole('button', { name: 'Esci' }).click();
      await page.getByRole('link', { name: SSO_LABEL }).waitFor();
      await eventually('the token refused after logout', async () =>
        (await request(server.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status === 401 ? true : undefined,
      );
      const audit = await h.prisma.auditEvent.findMany({ where: { action: 'auth.login_sso', userId: user.id } });
      expect(audit.map((a) => a.outcome)).toEqual(['success']);
    }));

  it('a social worker gets the Comune from the claims', () =>
    withScreenshotsOnFailure(pages, 'sso-social-worker', async () => {
      const page = await openConsole('sso-social-worker');
      await ssoLogin(page, 'sso-as-rho');
      await page.getByTestId('current-user').filter({ hasText: 'Assistente Sociale Rho SSO' }).waitFor();
      const me = await request(server.url).get('/api/v1/auth/me').set('Authorization', `Bearer ${await tokenOf(page)}`);
      expect(me.body).toMatchObject({ role: 'social_worker', comuneCode: '015182' });
    }));

  it('a person neither mapped nor with a role claim is told so, in Italian, and gets no session', () =>
    withScreenshotsOnFailure(pages, 'sso-unknown', async () => {
      const page = await openConsole('sso-unknown');
      await ssoLogin(page, 'sso-sconosciuto');
      await page.getByText('Accesso non abilitato').waitFor();
      expect(await storedSession(page)).toBeNull();
      expect(await h.prisma.user.count({ where: { displayName: 'Persona Non Abilitata' } })).toBe(0);
    }));

  it('a callback without the login state is refused (no token)', async () => {
    const res = await request(server.url).get('/api/v1/auth/oidc/callback?code=forged&state=forged');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/#/?sso_error=state');
  });

  it('with local accounts off: POST /auth/login refused, the console offers single sign-on only', () =>
    withScreenshotsOnFailure(pages, 'sso-local-off', async () => {
      const res = await request(localOff.url).post('/api/v1/auth/login').send({ username: 'coordinatore', password: 'demo-coord-pis' });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: 'LOCAL_ACCOUNTS_DISABLED' });
      expect((await request(localOff.url).post('/api/auth/login').send({ username: 'coordinatore', password: 'demo-coord-pis' })).status).toBe(403);
      expect((await request(localOff.url).get('/api/v1/auth/methods')).body).toEqual({ local: false, sso: { label: SSO_LABEL, loginUrl: '/api/v1/auth/oidc/login' } });
      const page = await openConsole('sso-local-off', localOff.url);
      await page.getByRole('link', { name: SSO_LABEL }).waitFor();
      expect(await page.getByLabel('Nome utente').count()).toBe(0);
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
    }));

  it('the accessibility statement (AgID model) is reachable from the login page', () =>
    withScreenshotsOnFailure(pages, 'accessibility', async () => {
      const page = await openConsole('accessibility');
      await page.getByRole('link', { name: 'Dichiarazione di accessibilità' }).click();
      await page.getByRole('heading', { level: 1, name: 'Dichiarazione di accessibilità', exact: true }).waitFor();
      for (const section of ['Stato di conformità', 'Contenuti non accessibili', 'Redazione della dichiarazione di accessibilità', 'Modalità di invio delle segnalazioni', 'Procedura di attuazione']) {
        await page.getByRole('heading', { level: 2, name: section, exact: true }).waitFor();
      }
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await page.getByRole('link', { name: 'Torna all’accesso' }).click();
      await page.getByRole('link', { name: SSO_LABEL }).waitFor();
      expect(cspViolations).toEqual([]);
    }));
});
