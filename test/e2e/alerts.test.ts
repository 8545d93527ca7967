import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { ChangeFeed } from '../../src/alerts/feed';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { DEMO_USERS } from '../../src/db/demo-users';
import { type ApiHarness, bearer, eventually, startApiHarness, sundayReport } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, withScreenshotsOnFailure } from './browser';

/**
 * Push in the browser: an operator with the inbox open sees a new task arrive by the push stream
 * (the page's fallback refresh is 60 s, and it is not reloaded), and the stream comes back by
 * itself after the API server is stopped and started again on the same port.
 */
let h: ApiHarness;
let consoleDir: string;
let browser: Browser;
const pages = new OpenPages();
let port = 0;
let api: { url: string; stop: () => Promise<void> } | undefined;

async function startApi(): Promise<{ url: string; stop: () => Promise<void> }> {
  const feed = new ChangeFeed({ databaseUrl: h.db.url, prisma: h.prisma, logger: h.deps.logger });
  await feed.start();
  const deps = { ...h.deps, events: feed };
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
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      // As on shutdown: the streams end first, then the server closes.
      await feed.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_alerts');
  api = await startApi();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await api?.stop();
  await h?.close();
  if (consoleDir) fs.rmSync(consoleDir, { recursive: true, force: true });
});

async function loginAs(user: 'operatore1' | 'coordinatore'): Promise<Page> {
  const demo = DEMO_USERS.find((u) => u.username === user)!;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = pages.add(user, await context.newPage());
  await page.goto(`${api!.url}/`);
  await page.getByLabel('Nome utente').fill(demo.username);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('current-user').filter({ hasText: demo.displayName }).waitFor();
  return page;
}

const live = (page: Page, connected: boolean) => page.locator(`[data-testid="live-status"][data-connected="${connected}"]`).waitFor({ timeout: 30_000 });

async function reportCase(): Promise<string> {
  const res = await request(api!.url).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport());
  expect(res.status).toBe(201);
  return (res.body as { caseId: string }).caseId;
}

/** Polls `GET /api/tasks/<id>` until it answers 200: the API's answer that the task exists. */
function taskAnswered(taskId: string): Promise<true> {
  return eventually(`task ${taskId}`, async () => {
    const res = await request(api!.url).get(`/api/tasks/${taskId}`).set(...bearer(h, 'operatore1'));
    return res.status === 200 ? true : undefined;
  });
}

describe('alerts in the console', () => {
  it('the inbox shows a new available task by push within 2 s of the report, and again after an API restart', () =>
    withScreenshotsOnFailure(pages, 'alerts-push', async () => {
      const page = await loginAs('operatore1');
      await page.goto(`${api!.url}/#/attivita`);
      await page.getByRole('heading', { name: 'Attività', exact: true }).waitFor();
      await live(page, true);

      const caseId = await reportCase();
      // The 201 means the workflow started; the task exists once the API answers it (from the
      // workflow or the read model). From that answer, the row must be pushed in within 2 s: no
      // reload, and the page's fallback refresh is 60 s.
      await taskAnswered(`${caseId}-t1`);
      await page.locator(`[data-testid="available-tasks"] [data-task-id="${caseId}-t1"]`).waitFor({ timeout: 2_000 });

      await api!.stop();
      await live(page, false);
      api = await startApi();
      await live(page, true);
      const after = await reportCase();
      await page.locator(`[data-testid="available-tasks"] [data-task-id="${after}-t1"]`).waitFor({ timeout: 30_000 });
    }),
    180_000,
  );

  it('the header toggles duty and browser alerts; the dashboard shows who is on duty', () =>
    withScreenshotsOnFailure(pages, 'alerts-duty', async () => {
      const coord = await loginAs('coordinatore');
      await coord.goto(`${api!.url}/#/cruscotto`);
      await coord.getByTestId('on-duty-empty').waitFor();
      const op = await loginAs('operatore1');
      // A controlled switch: it turns on once the server has recorded the shift.
      await op.getByLabel('In servizio').click();
      await op.locator('#duty-toggle:checked').waitFor();
      await eventually('the open shift', async () => ((await h.prisma.dutyShift.count({ where: { userId: 'u-op1', to: null } })) === 1 ? true : undefined));
      // Pushed to the coordinator's dashboard (duty.changed), without a reload.
      await coord.getByTestId('on-duty').filter({ hasText: 'Operatore PIS 1 (demo)' }).waitFor({ timeout: 30_000 });

      await op.getByLabel('Avvisi sul browser').check();
      expect(await op.evaluate("localStorage.getItem('pis.alerts.u-op1')")).toBe('on');
      await coord.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-duty.png'), fullPage: true });
      await expect(accessibilityViolations(coord)).resolves.toEqual([]);
    }),
    120_000,
  );
});
