import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { DEMO_USERS } from '../../src/db/demo-users';
import { type ApiHarness, type DemoUsername, startApiHarness } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, withScreenshotsOnFailure } from './browser';

/**
 * The Monitoraggio page in real Chromium over the real API and PostgreSQL (cases of the last
 * months written into the read model): the coordinator finds it in the menu, sees the table and
 * the charts, regroups, exports CSV; the page's figures are the API's, "<3" included.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();

const COMUNI = ['015182', '015116', '015170'];
const CATEGORIES = ['homeless', 'women_violence', 'frail_without_caregiver', 'msna'];
const OUTCOMES = ['taken_on_by_comune', 'taken_on_by_comune', 'resolved', 'redirected', null];

async function insertCases(): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < 60; i++) {
    const id = randomUUID();
    // Unevenly over the last six months: more cases in the winter months, a few in the oldest.
    const monthsBack = [0, 0, 1, 1, 1, 2, 2, 3, 4, 5][i % 10]!;
    const reportedAt = new Date(now - (monthsBack * 30 + 1 + ((i * 7) % 27)) * 86_400_000 - (i % 7) * 3_600_000);
    const at = (min: number) => new Date(reportedAt.getTime() + min * 60_000);
    const claim = 3 + ((i * 7) % 25);
    const outcome = OUTCOMES[i % OUTCOMES.length]!;
    await h.prisma.case.create({
      data: {
        id,
        reference: `PIS-E-${i}`,
        workflowId: `case-${id}`,
        reportingForce: i % 3 === 0 ? 'polizia_locale' : 'carabinieri',
        reportNumber: `R-${id}`,
        ambitoId: 'rhodense',
        eventComuneCode: COMUNI[i % COMUNI.length]!,
        competentComuneCode: COMUNI[i % COMUNI.length]!,
        categories: [CATEGORIES[(i * 5) % CATEGORIES.length]!],
        status: outcome === null ? 'open' : 'closed',
        step: outcome === null ? 'intervention' : 'closure',
        flags: [],
        openTaskRoles: [],
        reportedAt,
        lastProgressAt: reportedAt,
        outcomeCode: outcome,
        closedAt: outcome === null ? null : at(3000),
        createdById: 'u-intake',
        tasks: {
          create: [
            { id: `${id}-t1`, type: 'take_charge', candidateRole: 'emergency_operator', status: 'completed', createdAt: at(1), claimedAt: at(claim), completedAt: at(claim + 1), dueAt: at(16), escalation: {} },
            { id: `${id}-t2`, type: 'risk_check', candidateRole: 'emergency_operator', status: 'completed', createdAt: at(claim + 1), claimedAt: at(claim + 1), completedAt: at(claim + 20 + (i % 40)), dueAt: at(claim + 61), escalation: {} },
            ...(outcome === 'taken_on_by_comune'
              ? [{ id: `${id}-t3`, type: 'handover_ack', candidateRole: 'social_worker', status: 'completed', createdAt: at(600), completedAt: at(700 + i * 13), dueAt: at(720), escalation: {} }]
              : []),
          ],
        },
        activations: { create: i % 2 === 0 ? [{ id: randomUUID(), kind: 'emergency_bed', activatedAt: at(40), byUserId: 'u-op1' }] : [] },
      },
    });
  }
}

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_monitoring', { worker: false });
  await insertCases();
  const ok = (): Promise<void> => Promise.resolve();
  const app = createApp({
    config: h.deps.config,
    logger: h.deps.logger,
    health: { temporal: ok, database: ok, migrations: () => Promise.resolve([]) },
    mount: (a) => {
      mountApiRoutes(a, h.deps);
      mountConsole(a, { dir: consoleDir });
    },
  });
  server = await serve(app);
  browser = await launchChromium();
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome', acceptDownloads: true });
  const page = pages.add(user, await context.newPage());
  await page.goto(`${server.url}/`);
  await page.getByLabel('Nome utente').fill(demo.username);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('current-user').filter({ hasText: demo.displayName }).waitFor();
  return page;
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu principale' });

describe('Monitoraggio', () => {
  it('the coordinator sees the table by month and the charts, regroups by Comune, exports CSV', () =>
    withScreenshotsOnFailure(pages, 'monitoring', async () => {
      const page = await loginAs('coordinatore');
      await menu(page).getByRole('link', { name: 'Monitoraggio' }).click();
      await page.getByRole('heading', { name: 'Monitoraggio' }).waitFor();
      const table = page.getByTestId('monitoring-table');
      await table.waitFor();
      const totalCell = table.locator('tfoot td').first();
      await expect(totalCell.textContent()).resolves.toBe('60');
      expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
      await expect(page.getByTestId('monitoring-chart').count()).resolves.toBe(2);
      await expect(page.getByTestId('monitoring-chart').first().locator('rect').count()).resolves.toBeGreaterThanOrEqual(4);
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'monitoring.png'), fullPage: true });

      await page.getByLabel('Comune', { exact: true }).check({ force: true });
      await table.getByRole('columnheader', { name: 'Comune', exact: true }).waitFor();
      await table.getByRole('rowheader', { name: 'Lainate' }).first().waitFor();
      expect(await table.textContent()).toContain('<3');

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Esporta CSV' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^monitoraggio-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
      const bytes = fs.readFileSync((await file.path()));
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.toString('utf8')).toContain('Mese;Comune;Casi;');
    }),
    120_000,
  );

  it('is not in the operator’s menu, and the page says so if opened', () =>
    withScreenshotsOnFailure(pages, 'monitoring-operator', async () => {
      const page = await loginAs('operatore1');
      await expect(menu(page).getByRole('link').allTextContents()).resolves.not.toContain('Monitoraggio');
      await page.goto(`${server.url}/#/monitoraggio`);
      await page.getByText('Pagina non disponibile per il ruolo').waitFor();
    }),
    60_000,
  );
});
