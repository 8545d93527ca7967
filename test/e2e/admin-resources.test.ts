import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { forms } from '../../scripts/lib/case-driver';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { DEMO_USERS } from '../../src/db/demo-users';
import { activeTask, type ApiHarness, bearer, createCase, type DemoUsername, eventually, startApiHarness } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, withScreenshotsOnFailure } from './browser';

/**
 * "Rete delle risorse" in real Chromium on the real stack: the coordinator sets a resource's free
 * beds inline and meets a field error when adding one; the operator picks that resource in the
 * intervention form, and the unit is held.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e_resources');
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

const RESOURCE = 'rhodense-piano-freddo';
const NAME = 'Posti letto Piano freddo, da dicembre a marzo (demo)';

describe('Rete delle risorse', () => {
  it('the coordinator sets the free beds inline and sees a named field error when adding a resource', () =>
    withScreenshotsOnFailure(pages, 'admin-resources', async () => {
      const coord = await loginAs('coordinatore');
      await coord.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Rete delle risorse' }).click();
      await coord.getByRole('heading', { name: 'Rete delle risorse', level: 1 }).waitFor();
      const row = coord.locator(`tr[data-resource="${RESOURCE}"]`);
      await row.getByText('su 12').waitFor();
      await row.getByLabel(`Posti liberi: ${NAME}`).fill('1');
      await row.getByRole('button', { name: 'Aggiorna' }).click();
      await coord.getByTestId('alert-success').filter({ hasText: `Posti liberi aggiornati: ${NAME}, 1 su 12` }).waitFor();
      await row.getByText('Coordinatore (demo)').waitFor();
      expect((await h.prisma.resource.findUniqueOrThrow({ where: { id: RESOURCE } })).available).toBe(1);

      await coord.getByRole('button', { name: 'Aggiungi una risorsa' }).click();
      await coord.getByLabel('Identificativo *').fill('rhodense-dormitorio-e2e');
      await coord.getByLabel('Nome *').fill('Dormitorio di prova (e2e)');
      await coord.getByLabel('Comune', { exact: true }).selectOption({ label: 'Rho' });
      await coord.getByLabel('Capacità (vuoto se non si conta)').fill('4');
      await coord.getByLabel('Telefono *').fill('chiamare il custode');
      await coord.getByRole('button', { name: 'Aggiungi la risorsa' }).click();
      await coord.locator('#res-phone-error').filter({ hasText: 'numero di telefono' }).waitFor();
      expect(await coord.getByLabel('Telefono *').getAttribute('aria-invalid')).toBe('true');
      expect(await h.prisma.resource.count({ where: { id: 'rhodense-dormitorio-e2e' } })).toBe(0);
      await coord.getByLabel('Telefono *').fill('+39 02 0000 2001');
      await coord.getByRole('button', { name: 'Aggiungi la risorsa' }).click();
      await coord.getByTestId('alert-success').filter({ hasText: 'Risorsa aggiunta: Dormitorio di prova (e2e)' }).waitFor();
      await coord.locator('tr[data-resource="rhodense-dormitorio-e2e"]').getByText('su 4').waitFor();

      await coord.getByRole('heading', { name: 'Rete delle risorse', level: 1 }).click();
      await coord.screenshot({ path: path.join(SCREENSHOTS, 'admin-resources.png'), fullPage: true });
      await expect(accessibilityViolations(coord)).resolves.toEqual([]);
    }),
    120_000,
  );

  it('the operator picks the resource in the intervention form: the last free bed is held', () =>
    withScreenshotsOnFailure(pages, 'operator-picker', async () => {
      const caseId = await createCase(h);
      const takeCharge = await activeTask(h, caseId, 'take_charge');
      expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/claim`).set(...bearer(h, 'operatore1'))).status).toBe(200);
      expect((await request(h.app).post(`/api/tasks/${takeCharge.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: forms.takeCharge })).status).toBe(200);
      const risk = await activeTask(h, caseId, 'risk_check');
      const assessed = await request(h.app).post(`/api/tasks/${risk.id}/complete`).set(...bearer(h, 'operatore1')).send({ form: forms.riskCheck({ withoutShelter: true, freezingConditions: true }) });
      expect(assessed.status).toBe(200);
      const intervention = await activeTask(h, caseId, 'intervention');

      const op = await loginAs('operatore1');
      await op.goto(`${server.url}/#/attivita/${intervention.id}`);
      await op.getByRole('heading', { name: 'Intervento', level: 1 }).waitFor();
      await op.getByLabel(/^Esito/).selectOption({ label: 'Collocamento effettuato' });
      await op.locator('#root_resourcesActivated').getByRole('button', { name: 'Aggiungi' }).first().click();
      const picker = op.getByTestId('resource-picker');
      await picker.locator('option', { hasText: `${NAME} – Posto letto di emergenza, Lainate: 1 liberi su 12 posti` }).waitFor({ state: 'attached' });
      await picker.selectOption(RESOURCE);
      await op.getByRole('button', { name: 'Completa l’attività' }).click();
      await op.getByTestId('alert-success').filter({ hasText: 'Modulo accettato' }).waitFor();

      expect((await h.prisma.resource.findUniqueOrThrow({ where: { id: RESOURCE } })).available).toBe(0);
      await eventually('activation recorded with the directory resource', async () =>
        (await h.prisma.resourceActivation.count({ where: { caseId, resourceId: RESOURCE, kind: 'emergency_bed' } })) === 1 ? true : undefined,
      );
      expect((await h.prisma.resourceHold.findMany({ where: { resourceId: RESOURCE } })).map((x) => [x.taskId, x.status])).toEqual([[intervention.id, 'confirmed']]);

      await op.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Rete delle risorse' }).click();
      const row = op.locator(`tr[data-resource="${RESOURCE}"]`);
      await row.getByText('1 in uso per interventi').waitFor();
      expect(await row.getByLabel(`Posti liberi: ${NAME}`).inputValue()).toBe('0');
      await expect(op.getByRole('button', { name: 'Aggiungi una risorsa' }).count()).resolves.toBe(0);
    }),
    180_000,
  );
});
