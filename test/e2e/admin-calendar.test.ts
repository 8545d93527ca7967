import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { formatIsoDate } from '../../src/calendar/dates';
import { wallClockAt } from '../../src/calendar/zoned';
import { DEMO_USERS } from '../../src/db/demo-users';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, eventually, startApiHarness, sundayReport } from '../integration/api-harness';
import { buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, waitWithRefresh, withScreenshotsOnFailure } from './browser';

/**
 * An administrator adds an extra closure to Rho's office in real Chromium: the preview of the
 * next openings and a case waiting for the handover there move to the next opening, and the
 * case's timeline (as the coordinator sees it) says why.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();
const RHO = '015182';

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_admin_calendar');
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
  expect((await request(h.app).post(`/api/tasks/${taskId}/complete`).set(...bearer(h, 'operatore1')).send({ form })).status).toBe(200);
}

async function handoverAtOf(caseId: string): Promise<string | null> {
  const res = await request(h.app).get(`/api/cases/${caseId}`).set(...bearer(h, 'coordinatore'));
  const c = (res.body as { case: { status: string; handoverAt: string | null } }).case;
  return c.status === 'awaiting_handover' ? c.handoverAt : null;
}

describe('office calendar administration in the console', () => {
  it('an extra closure moves the preview and the waiting case to the next opening; the timeline says why', () =>
    withScreenshotsOnFailure(pages, 'admin-calendar', async () => {
      const caseId = await createCase(h, sundayReport());
      const takeCharge = await activeTask(h, caseId, 'take_charge');
      expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
      await complete(takeCharge.id, forms.takeCharge);
      await complete((await activeTask(h, caseId, 'risk_check')).id, forms.riskCheck({ withoutShelter: true }));
      await complete((await activeTask(h, caseId, 'intervention')).id, forms.interventionPlaced());
      const handoverAt = await eventually('awaiting handover', () => handoverAtOf(caseId).then((v) => v ?? undefined));

      const admin = await loginAs('admin');
      await admin.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Calendari degli uffici' }).click();
      await admin.getByLabel('Comune').selectOption({ label: 'Rho' });
      const preview = admin.getByTestId('openings-preview').getByRole('listitem');
      const before = await (await request(h.app).get(`/api/admin/comuni/${RHO}/openings`).set(...bearer(h, 'admin'))).body as { openings: Array<{ opensAt: string; label: string }> };
      expect(before.openings[0]?.opensAt).toBe(handoverAt);
      await preview.first().filter({ hasText: before.openings[0]?.label ?? '-' }).waitFor();

      await admin.getByLabel('Dal giorno').fill(formatIsoDate(wallClockAt(Date.parse(handoverAt), 'Europe/Rome')));
      await admin.getByLabel('Motivo della chiusura').fill('Chiusura per disinfestazione');
      await admin.getByRole('button', { name: 'Aggiungi la chiusura' }).click();
      await admin.getByText('Chiusura straordinaria aggiunta. Passaggi di consegne ricalcolati: 1.').waitFor();

      const after = (await request(h.app).get(`/api/admin/comuni/${RHO}/openings`).set(...bearer(h, 'admin'))).body as { openings: Array<{ opensAt: string; label: string }> };
      const next = after.openings[0];
      expect(Date.parse(next?.opensAt ?? '')).toBeGreaterThan(Date.parse(handoverAt));
      await preview.first().filter({ hasText: next?.label ?? '-' }).waitFor();
      await admin.getByTestId('closures').getByText('Chiusura per disinfestazione').waitFor();
      await admin.screenshot({ path: path.join(SCREENSHOTS, 'admin-calendar.png'), fullPage: true });

      await eventually('the case follows the calendar', async () => ((await handoverAtOf(caseId)) === next?.opensAt ? true : undefined));
      const coord = await loginAs('coordinatore');
      await coord.goto(`${server.url}/#/casi/${caseId}`);
      const why = coord.getByTestId('timeline').getByText(/Calendario dell'ufficio modificato: chiusura straordinaria .*Chiusura per disinfestazione/);
      await waitWithRefresh(coord, why);
      await coord.getByTestId('timeline').getByText("Passaggio di consegne ricalcolato (calendario dell'ufficio)").waitFor();
    }), 180_000);
});
