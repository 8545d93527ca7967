import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import type { MilestoneItem } from '../../src/contract/milestones';
import { DEMO_USERS } from '../../src/db/demo-users';
import { sweepMilestonesOnce } from '../../src/milestones/sweeper';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, eventually, startApiHarness, sundayReport } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, withScreenshotsOnFailure } from './browser';

/**
 * The legal deadlines in real headless Chromium on the real stack: an art. 403 case whose 24 h
 * term the sweeper found missed is listed in red on "Scadenze"; the case page's "Scadenze legali"
 * takes the evidence (422 naming the missing field first); the art. 403 PDF rendered as an image.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_deadlines');
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
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = pages.add(user, await context.newPage());
  await page.goto(`${server.url}/`);
  await page.getByLabel('Nome utente').fill(demo.username);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('current-user').filter({ hasText: demo.displayName }).waitFor();
  return page;
}

async function complete(taskId: string, form: Record<string, unknown>): Promise<void> {
  const res = await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).send({ form });
  expect(res.status).toBe(200);
}

async function art403Case(name: string): Promise<{ caseId: string; m24: MilestoneItem }> {
  const caseId = await createCase(
    h,
    sundayReport({ categories: ['minors_at_risk'], people: [{ role: 'child', firstName: name, lastName: 'Verdi', birthYear: 2015, isMinor: true }], narrative: 'Bambino solo in casa di notte, genitori irreperibili.' }),
  );
  const takeCharge = await activeTask(h, caseId, 'take_charge');
  expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
  await complete(takeCharge.id, { etaMinutes: 20 });
  const risk = await activeTask(h, caseId, 'risk_check');
  await complete(risk.id, forms.riskCheck({ art403Placement: true, withoutCaregiver: true }));
  const m24 = await eventually('24 h term', async () => {
    const res = await request(h.app).get(`/api/cases/${caseId}/milestones`).set(...bearer(h, 'coordinatore'));
    return (res.body as { items: MilestoneItem[] }).items.find((m) => m.kind === 'art403_report_24h');
  });
  return { caseId, m24 };
}

describe('Scadenze in the console', () => {
  it('lists the missed art. 403 term in red; the case page takes its evidence; the PDF renders', () =>
    withScreenshotsOnFailure(pages, 'deadlines', async () => {
      const missed = await art403Case('Marco');
      await sweepMilestonesOnce({ prisma: h.prisma }, Date.parse(missed.m24.dueAt) + 60_000);
      expect((await h.prisma.milestone.findUniqueOrThrow({ where: { id: missed.m24.id } })).state).toBe('missed');
      // A second case whose terms are still running.
      await art403Case('Giulia');

      const page = await loginAs('coordinatore');
      await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Scadenze' }).click();
      await page.getByRole('heading', { name: 'Scadenze' }).waitFor();
      const rows = page.getByTestId('deadline-row');
      await rows.first().waitFor();
      const states: Array<string | null> = [];
      for (const row of await rows.all()) states.push(await row.getAttribute('data-state'));
      expect(states.indexOf('missed')).toBeGreaterThan(states.lastIndexOf('due'));
      const missedRow = page.locator('[data-testid="deadline-row"][data-state="missed"]');
      await expect(missedRow.count()).resolves.toBe(1);
      await expect(missedRow.getAttribute('class')).resolves.toContain('table-danger');
      const badge = missedRow.getByText('Scaduta');
      await badge.waitFor();
      const colour = String(await page.evaluate(`getComputedStyle(document.querySelector('[data-testid="deadline-row"][data-state="missed"] [data-state="missed"]')).backgroundColor`));
      const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
      expect(r).toBeGreaterThan(150);
      expect(g).toBeLessThan(100);
      expect(b).toBeLessThan(100);
      await expect(missedRow.textContent()).resolves.toContain('art. 403 c.c., c. 2');
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'deadlines.png'), fullPage: true });

      // Filter: only the missed ones.
      await page.getByLabel('Stato').selectOption({ label: 'Scaduta' });
      await page.locator('[data-testid="deadline-row"]:not([data-state="missed"])').first().waitFor({ state: 'detached' });
      await missedRow.waitFor();

      // The case page: evidence without the channel answers which field is missing, then it is met.
      await missedRow.getByRole('link').click();
      const section = page.getByTestId('legal-deadlines');
      await section.getByRole('heading', { name: 'Scadenze legali' }).waitFor();
      const item = section.locator('[data-kind="art403_report_24h"]');
      await item.getByRole('button', { name: 'Registra l’evidenza' }).click();
      await item.getByRole('button', { name: 'Salva evidenza' }).click();
      await item.getByText('obbligatorio per segnare la scadenza come adempiuta').waitFor();
      await item.getByLabel('Canale *').selectOption({ label: 'PEC' });
      await item.getByLabel('Protocollo PEC').fill('PEC-2026-403');
      await item.getByRole('button', { name: 'Salva evidenza' }).click();
      await item.locator('[data-state="met"]').filter({ hasText: 'Adempiuta' }).waitFor();
      await item.getByText(/prot\. PEC-2026-403/).waitFor();
      const entered = await h.prisma.milestone.findUniqueOrThrow({ where: { id: missed.m24.id } });
      expect(entered).toMatchObject({ evidenceById: 'u-coord', state: 'met', channel: 'pec' });
      const prosecutor = await h.prisma.milestone.findUniqueOrThrow({ where: { id: `${missed.caseId}:art403_prosecutor_72h` } });
      expect({ triggerAt: prosecutor.triggerAt, estimated: prosecutor.triggerEstimated }).toEqual({ triggerAt: entered.sentAt, estimated: false });

      // The art. 403 report as the prosecutor receives it, page 1 rendered as an image.
      const pdf = await request(h.app)
        .get(`/api/cases/${missed.caseId}/documents/art403_report`)
        .set(...bearer(h, 'coordinatore'))
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(pdf.status).toBe(200);
      const parser = new PDFParse({ data: new Uint8Array(pdf.body as Buffer) });
      const shotResult = await parser.getScreenshot({ scale: 1.5, first: 1 });
      const png = shotResult.pages[0]?.data;
      expect(png?.length).toBeGreaterThan(1000);
      fs.writeFileSync(path.join(SCREENSHOTS, 'document-403.png'), png as Uint8Array);
    }));
});
