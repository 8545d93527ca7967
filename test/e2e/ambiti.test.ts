import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { DEMO_USERS } from '../../src/db/demo-users';
import { DEFAULT_SUPERVISION_SETTINGS } from '../../src/supervision/settings';
import { type ApiHarness, bearer, type DemoUsername, startApiHarness, sundayReport } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, waitWithRefresh, withScreenshotsOnFailure } from './browser';

/**
 * Two Ambiti in one console, in real Chromium on the real stack: the Bollatese coordinator's case
 * list and dashboard show the Bollate case and never the Rhodense one; the "Utenti" page lists the
 * operators of the Bollatese and creates one, showing the temporary password once.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();
let rho: { caseId: string; reference: string };
let bollate: { caseId: string; reference: string };

async function report(user: DemoUsername, overrides: Record<string, unknown> = {}): Promise<{ caseId: string; reference: string }> {
  const res = await request(server.url).post('/api/cases').set(...bearer(h, user)).send(sundayReport(overrides));
  expect(res.status).toBe(201);
  return res.body as { caseId: string; reference: string };
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_ambiti');
  // Cases waiting to be taken in charge count as stuck at once, so the dashboard lists them.
  const deps = { ...h.deps, supervision: { stepAllowanceMinutes: { ...DEFAULT_SUPERVISION_SETTINGS.stepAllowanceMinutes, take_charge: 0 } } };
  const ok = (): Promise<void> => Promise.resolve();
  const app = createApp({
    config: deps.config,
    logger: deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    mount: (a) => {
      mountApiRoutes(a, deps);
      mountConsole(a, { dir: consoleDir });
    },
  });
  server = await serve(app);
  browser = await launchChromium();
  rho = await report('intake');
  bollate = await report('coordinatore.bollate', { eventComuneCode: '015027', residenceComuneCode: '015027', eventAddress: 'Piazza della Resistenza 1, Bollate' });
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
  await h?.close();
  if (consoleDir) fs.rmSync(consoleDir, { recursive: true, force: true });
});

async function loginAs(user: DemoUsername): Promise<Page> {
  const demo = DEMO_USERS.find((u) => u.username === user)!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = pages.add(user, await context.newPage());
  await page.goto(`${server.url}/`);
  await page.getByLabel('Nome utente').fill(demo.username);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('current-user').filter({ hasText: demo.displayName }).waitFor();
  return page;
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu principale' });

describe('two Ambiti in the console', () => {
  it('the Bollatese coordinator: the dashboard and the case list show the Bollate case, never the Rhodense one', () =>
    withScreenshotsOnFailure(pages, 'coordinatore.bollate', async () => {
      const page = await loginAs('coordinatore.bollate');
      await expect(menu(page).getByRole('link').allTextContents()).resolves.toEqual(['Cruscotto', 'Monitoraggio', 'Scadenze', 'Attività', 'Nuova segnalazione', 'Casi', 'Rete delle risorse', 'Utenti', 'Calendari degli uffici']);
      await page.getByRole('heading', { name: 'Cruscotto di supervisione' }).waitFor();
      const stuck = page.getByTestId('stuck-cases');
      await waitWithRefresh(page, stuck.getByRole('link', { name: bollate.reference }));
      await expect(stuck.getByText(rho.reference).count()).resolves.toBe(0);

      await menu(page).getByRole('link', { name: 'Casi' }).click();
      const table = page.getByTestId('cases-table');
      await table.getByRole('link', { name: bollate.reference }).waitFor();
      await expect(table.getByText(rho.reference).count()).resolves.toBe(0);

      // The Rhodense case by its address: "not found", as for a case that does not exist.
      await page.goto(`${server.url}/#/casi/${rho.caseId}`);
      await page.getByText('Caso non trovato').first().waitFor();
    }),
    120_000,
  );

  it('the Rhodense coordinator sees the Rho case and not the Bollate one', () =>
    withScreenshotsOnFailure(pages, 'coordinatore', async () => {
      const page = await loginAs('coordinatore');
      await menu(page).getByRole('link', { name: 'Casi' }).click();
      const table = page.getByTestId('cases-table');
      await table.getByRole('link', { name: rho.reference }).waitFor();
      await expect(table.getByText(bollate.reference).count()).resolves.toBe(0);
    }),
    120_000,
  );

  it('"Utenti": the coordinator lists the operators of the Bollatese and creates one; the temporary password is shown once and logs in', () =>
    withScreenshotsOnFailure(pages, 'utenti', async () => {
      const page = await loginAs('coordinatore.bollate');
      await menu(page).getByRole('link', { name: 'Utenti' }).click();
      await page.getByRole('heading', { name: 'Utenti', level: 1 }).waitFor();
      const table = page.getByTestId('users-table');
      await table.locator('tr[data-username="operatore.bollate"]').waitFor();
      await expect(table.locator('tr[data-username="operatore1"]').count()).resolves.toBe(0);
      // A coordinator creates operators only.
      await expect(page.getByLabel('Ruolo').locator('option').allTextContents()).resolves.toHaveLength(1);

      const username = `op.e2e.${Date.now().toString(36)}`;
      await page.getByLabel('Nome utente').fill(username);
      await page.getByLabel('Nome visualizzato').fill('Operatore E2E Bollatese');
      await page.getByLabel('Ambito territoriale del Bollatese').check({ force: true });
      await page.getByRole('button', { name: 'Crea utente' }).click();
      const password = await page.getByTestId('temporary-password').textContent();
      expect(password?.length).toBeGreaterThanOrEqual(16);
      await table.locator(`tr[data-username="${username}"]`).waitFor();
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'users.png'), fullPage: true });

      const login = await request(server.url).post('/api/auth/login').send({ username, password });
      expect(login.status).toBe(200);
      // A duplicate username is refused next to its field.
      await page.getByLabel('Nome utente').fill(username);
      await page.getByLabel('Nome visualizzato').fill('Doppione');
      await page.getByLabel('Ambito territoriale del Bollatese').check({ force: true });
      await page.getByRole('button', { name: 'Crea utente' }).click();
      await page.getByText('nome utente già in uso').waitFor();
    }),
    120_000,
  );
});
