import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/api/app';
import { mountApiRoutes } from '../../src/api/routes';
import { mountConsole } from '../../src/api/routes/console';
import { DEMO_USERS } from '../../src/db/demo-users';
import { DEFAULT_SUPERVISION_SETTINGS } from '../../src/supervision/settings';
import { recentSundayNightLocal } from '../helpers/dates';
import { type ApiHarness, bearer, type DemoUsername, startApiHarness, sundayReport } from '../integration/api-harness';
import { accessibilityViolations, buildConsole, launchChromium, OpenPages, SCREENSHOTS, serve, waitWithRefresh, withScreenshotsOnFailure } from './browser';

/**
 * The console in real headless Chromium against the real API, worker, Temporal dev server and
 * PostgreSQL: each role logs in and a homeless man's case goes from the police report through take
 * charge, risk check and intervention to the Rho social worker's acknowledgment; a second operator
 * meets the claim conflict; the Lainate social worker cannot open the case.
 */

let h: ApiHarness;
let consoleDir: string;
let server: { url: string; close: () => Promise<void> };
let browser: Browser;
const pages = new OpenPages();
const cspViolations: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  consoleDir = buildConsole();
  h = await startApiHarness('e2e');
  // Cases waiting to be taken in charge count as stuck at once, so the dashboard has something to show.
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
}, 180_000);

afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
  await h?.close();
  if (consoleDir) fs.rmSync(consoleDir, { recursive: true, force: true });
});

async function loginAs(user: DemoUsername, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const demo = DEMO_USERS.find((u) => u.username === user)!;
  const context = await browser.newContext({ viewport, locale: 'it-IT', timezoneId: 'Europe/Rome' });
  const page = pages.add(user, await context.newPage());
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) cspViolations.push(`${user}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${user}: ${err.message}`));
  await page.goto(`${server.url}/`);
  await page.getByLabel('Nome utente').fill(demo.username);
  await page.getByLabel('Password').fill(demo.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByTestId('current-user').filter({ hasText: demo.displayName }).waitFor();
  return page;
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu principale' });
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, name), fullPage: true });

async function fillReport(page: Page, reportNumber: string): Promise<void> {
  await page.getByLabel('Forza dell’ordine *').selectOption({ label: 'Carabinieri' });
  await page.getByLabel('Operatore di polizia *').fill('App. Scelto Bianchi');
  await page.getByLabel('Numero di richiamata *').fill('+39 02 1234567');
  await page.getByLabel('Numero della segnalazione *').fill(reportNumber);
  // A Sunday night: the Comune's offices are closed, so the case is in scope for PIS.
  await page.getByLabel('Data e ora della segnalazione *').fill(recentSundayNightLocal());
  await page.getByLabel('Comune dell’evento *').selectOption({ label: 'Rho' });
  await page.getByLabel('Indirizzo dell’evento *').fill('Piazza San Vittore 1');
  await page.getByLabel('Comune di residenza (se noto)').fill('015182');
  // Bootstrap Italia draws these checkboxes on their labels, which take the click as a person's would.
  await page.getByLabel('Persona senza dimora').check({ force: true });
  await page.getByLabel('Nome', { exact: true }).fill('Mario');
  await page.getByLabel('Cognome').fill('Senzatetto');
  await page.getByLabel('Anno di nascita').fill('1961');
  await page.getByLabel('Esposizione al freddo').check({ force: true });
  await page.getByLabel('Descrizione sintetica *').fill('Uomo senza dimora sotto il portico, temperatura sotto zero.');
}

const submitForm = (page: Page) => page.getByRole('button', { name: 'Completa l’attività' }).click();
const accepted = (page: Page) => page.getByTestId('alert-success').filter({ hasText: 'Modulo accettato' }).waitFor();

let caseId = '';
let reference = '';

describe('the console on the real stack', () => {
  it('intake: the role sees its menu, a report becomes a case, the same report twice gives the existing case', () =>
    withScreenshotsOnFailure(pages, 'intake', async () => {
      const page = await loginAs('intake');
      await expect(menu(page).getByRole('link').allTextContents()).resolves.toEqual(['Nuova segnalazione', 'Casi']);
      await menu(page).getByRole('link', { name: 'Nuova segnalazione' }).click();

      await page.getByRole('button', { name: 'Registra la segnalazione' }).click();
      await page.getByText('Controllare i campi evidenziati').waitFor();
      expect(await page.getByLabel('Operatore di polizia *').getAttribute('aria-invalid')).toBe('true');
      await page.getByText('Indicare almeno una categoria').waitFor();
      await expect(accessibilityViolations(page)).resolves.toEqual([]);

      const reportNumber = `CC-E2E-${Date.now()}`;
      await fillReport(page, reportNumber);
      await page.getByRole('button', { name: 'Registra la segnalazione' }).click();
      const created = page.getByTestId('alert-success');
      await created.filter({ hasText: /Caso PIS-\d{4}-\d+ creato/ }).waitFor();
      const link = created.getByRole('link');
      reference = (await link.textContent())!.replace('Apri il caso ', '').trim();
      caseId = (await link.getAttribute('href'))!.replace('#/casi/', '');
      expect(reference).toMatch(/^PIS-\d{4}-\d+$/);

      await fillReport(page, reportNumber);
      await page.getByRole('button', { name: 'Registra la segnalazione' }).click();
      const duplicate = page.getByTestId('alert-warning').filter({ hasText: 'Segnalazione già registrata' });
      await duplicate.waitFor();
      expect(await duplicate.getByRole('link').getAttribute('href')).toBe(`#/casi/${caseId}`);
      expect(await h.prisma.case.count({ where: { reportNumber } })).toBe(1);
    }),
    120_000,
  );

  it('emergency operators: one claims, the other sees the conflict; the claimer completes take charge, risk check (with an invalid field first) and intervention', () =>
    withScreenshotsOnFailure(pages, 'operators', async () => {
      // Two more cases waiting to be taken in charge fill the inbox and the dashboard; the Pero one
      // has a 3-second take-charge SLA, so it is overdue and escalated by the time anyone looks.
      const lainateCase = await request(server.url).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ eventComuneCode: '015116', residenceComuneCode: '015116' }));
      expect(lainateCase.status).toBe(201);
      const fastSla = h.appWith({ testing: { protocolOverrides: { takeChargeSlaMinutes: 0.05 } } });
      const peroCase = await request(fastSla).post('/api/cases').set(...bearer(h, 'intake')).send(sundayReport({ eventComuneCode: '015170', residenceComuneCode: '015170', categories: ['frail_without_caregiver'] }));
      expect(peroCase.status).toBe(201);

      const op1 = await loginAs('operatore1');
      const op2 = await loginAs('operatore2');
      await expect(menu(op1).getByRole('link').allTextContents()).resolves.toEqual(['Attività', 'Casi', 'Rete delle risorse']);
      const row = op1.getByTestId('available-tasks').locator('li', { hasText: reference }).filter({ hasText: 'Presa in carico' });
      await waitWithRefresh(op1, row);
      const taskId = (await row.getAttribute('data-task-id'))!;
      await row.getByText(/Scade tra/).waitFor();

      // Operator 2 opens the same task before operator 1 claims it.
      await op2.goto(`${server.url}/#/attivita/${taskId}`);
      await op2.getByTestId('task-status').filter({ hasText: 'Da prendere in carico' }).waitFor();

      await row.getByRole('button', { name: /Prendi in carico/ }).click();
      await op1.getByRole('heading', { name: 'Presa in carico', level: 1 }).waitFor();
      await op1.getByTestId('task-status').filter({ hasText: 'In carico' }).waitFor();

      await op2.getByRole('button', { name: 'Prendi in carico' }).click();
      await op2.getByTestId('alert-warning').filter({ hasText: 'Attività già presa in carico da un altro operatore.' }).waitFor();
      await op2.getByText(/In carico a un altro operatore \(u-op1\)/).waitFor();
      await expect(op2.getByRole('button', { name: 'Completa l’attività' }).count()).resolves.toBe(0);

      // The browser checks the form first (validators compiled at build time, no eval under the CSP).
      await submitForm(op1);
      await op1.getByRole('alert').filter({ hasText: 'Controllare il modulo' }).getByText('Tempo stimato di arrivo sul posto (minuti): campo obbligatorio').waitFor();
      await op1.getByLabel(/Tempo stimato di arrivo sul posto/).fill('20');
      await submitForm(op1);
      await accepted(op1);

      await op1.goto(`${server.url}/#/attivita`);
      const risk = op1.getByTestId('my-tasks').locator('li', { hasText: reference }).filter({ hasText: 'Valutazione del rischio' });
      await waitWithRefresh(op1, risk);
      await waitWithRefresh(op1, op1.getByTestId('available-tasks').locator('li').filter({ hasText: /Scaduta da/ }));
      await shot(op1, 'inbox.png');
      await expect(accessibilityViolations(op1)).resolves.toEqual([]);
      await risk.getByRole('link', { name: 'Apri' }).click();
      await op1.getByRole('heading', { name: 'Valutazione del rischio', level: 1 }).waitFor();
      await op1.getByLabel('Senza alloggio per la notte').check();
      await op1.getByLabel('Condizioni climatiche a rischio (freddo)').check();
      // A health danger needs the 112/118 activation: the workflow's validator says which field is wrong.
      await op1.getByLabel('Pericolo per la salute (serve 112/118)').check();
      await submitForm(op1);
      await op1.getByTestId('alert-danger').filter({ hasText: 'Modulo non accettato' }).waitFor();
      await op1.getByText("con pericolo per la salute va registrata l'attivazione del 112/118").first().waitFor();
      await shot(op1, 'task-form-verdict.png');
      await expect(accessibilityViolations(op1)).resolves.toEqual([]);
      await op1.getByLabel('Pericolo per la salute (serve 112/118)').uncheck();
      await submitForm(op1);
      await accepted(op1);

      await op1.goto(`${server.url}/#/attivita`);
      const intervention = op1.getByTestId('my-tasks').locator('li', { hasText: reference }).filter({ hasText: 'Intervento' });
      await waitWithRefresh(op1, intervention);
      await intervention.getByRole('link', { name: 'Apri' }).click();
      await op1.getByRole('heading', { name: 'Intervento', level: 1 }).waitFor();
      await op1.getByLabel(/^Esito/).selectOption({ label: 'Assistenza sul posto' });
      await op1.getByLabel(/^Note/).fill('Coperte e bevanda calda; accetta il dormitorio domani.');
      await submitForm(op1);
      await accepted(op1);
    }),
    180_000,
  );

  it('coordinator: dashboard with stuck cases and counts; case page with deadlines; a note; moves the handover to now', () =>
    withScreenshotsOnFailure(pages, 'coordinator', async () => {
      const coord = await loginAs('coordinatore');
      await expect(menu(coord).getByRole('link').allTextContents()).resolves.toEqual(['Cruscotto', 'Monitoraggio', 'Scadenze', 'Attività', 'Nuova segnalazione', 'Casi', 'Rete delle risorse', 'Utenti', 'Calendari degli uffici']);
      await coord.getByRole('heading', { name: 'Cruscotto di supervisione' }).waitFor();
      await waitWithRefresh(coord, coord.getByTestId('stuck-cases').locator('li').filter({ hasText: 'Nessun avanzamento' }));
      await waitWithRefresh(coord, coord.getByTestId('sla-chart').getByText(/prese in carico scadute: [1-9]/));
      await coord.getByTestId('sla-chart').getByRole('img', { name: 'Violazioni SLA' }).waitFor();
      await coord.getByRole('table', { name: 'Per Comune (aperti)' }).getByText('Lainate').waitFor();
      await shot(coord, 'dashboard.png');
      await expect(accessibilityViolations(coord)).resolves.toEqual([]);

      await coord.goto(`${server.url}/#/casi/${caseId}`);
      await coord.getByRole('heading', { name: `Caso ${reference}` }).waitFor();
      await waitWithRefresh(coord, coord.getByTestId('case-status').filter({ hasText: 'In attesa del passaggio al Comune' }));
      await coord.getByTestId('handover-deadline').filter({ hasText: 'Passaggio al Comune di Rho' }).waitFor();
      await coord.getByTestId('competent-comune').filter({ hasText: 'Rho' }).waitFor();
      await coord.getByTestId('past-tasks').getByText(/Valutazione del rischio – Completata/).waitFor();

      await coord.getByLabel('Nuova nota').fill('Segnalato al dormitorio di Rho per domani sera.');
      await coord.getByRole('button', { name: 'Aggiungi nota' }).click();
      await coord.getByTestId('notes').getByText('Segnalato al dormitorio di Rho per domani sera.').waitFor();
      await coord.getByTestId('timeline').getByText('Rischio valutato').waitFor();
      await shot(coord, 'case.png');
      await expect(accessibilityViolations(coord)).resolves.toEqual([]);

      const actions = coord.getByRole('region', { name: 'Azioni del coordinatore' });
      await actions.getByLabel('Azione').selectOption({ label: 'Sposta il passaggio al Comune' });
      await actions.getByLabel('Motivo').fill('ufficio aperto in anticipo');
      await actions.getByRole('button', { name: 'Sposta il passaggio al Comune' }).click();
      await actions.getByTestId('alert-success').filter({ hasText: 'Passaggio di consegne spostato' }).waitFor();
    }),
    120_000,
  );

  it('social workers: Lainate cannot open the Rho case; Rho sees the handover and acknowledges it, closing the case', () =>
    withScreenshotsOnFailure(pages, 'social-workers', async () => {
      const lainate = await loginAs('as.lainate');
      await lainate.goto(`${server.url}/#/casi/${caseId}`);
      // A case out of scope answers as if it did not exist (it does not say another Comune has it).
      await lainate.getByRole('heading', { name: 'Caso non trovato', level: 1 }).waitFor();
      expect(await lainate.getByText(/altro Comune/).count()).toBe(0);

      // A phone-sized screen: the same page, one column.
      const rho = await loginAs('as.rho', { width: 390, height: 844 });
      await expect(menu(rho).getByRole('link').allTextContents()).resolves.toEqual(['Passaggi al Comune', 'Attività', 'Casi']);
      await rho.getByRole('heading', { name: /Passaggi di consegne – Comune di Rho/ }).waitFor();
      const ack = rho.getByTestId('handover-acks').locator('li', { hasText: reference });
      await waitWithRefresh(rho, ack);
      await shot(rho, 'social-worker-mobile.png');
      await expect(accessibilityViolations(rho)).resolves.toEqual([]);
      await ack.getByRole('button', { name: /Prendi visione/ }).click();
      await rho.getByRole('heading', { name: 'Passaggio di consegne al Comune', level: 1 }).waitFor();
      await rho.getByLabel('Il servizio sociale prende in carico il caso').check();
      await rho.getByLabel(/Assistente sociale di riferimento/).fill('Dott.ssa Verdi');
      await submitForm(rho);
      await rho.getByTestId('alert-success').filter({ hasText: 'Chiuso' }).waitFor();

      await rho.getByRole('link', { name: 'Apri il caso' }).click();
      await waitWithRefresh(rho, rho.getByTestId('case-status').filter({ hasText: 'Chiuso' }));
      await rho.getByText('Chiuso: Preso in carico dal Comune').waitFor();

      await lainate.goto(`${server.url}/#/comune`);
      await lainate.getByRole('heading', { name: /Passaggi di consegne – Comune di Lainate/ }).waitFor();
      await lainate.getByText('Nessun passaggio di consegne da prendere in visione.').waitFor();
      await expect(lainate.getByText(reference).count()).resolves.toBe(0);
    }),
    120_000,
  );

  it('keyboard only: log in, move between content and menu, open a case from the list', () =>
    withScreenshotsOnFailure(pages, 'keyboard', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT', timezoneId: 'Europe/Rome' });
      const page = pages.add('keyboard', await context.newPage());
      await page.goto(`${server.url}/`);
      // The login page starts in the user name field.
      await page.locator('#username:focus').waitFor();
      await page.keyboard.type('coordinatore');
      await page.keyboard.press('Tab');
      await page.keyboard.type('demo-coord-pis');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Cruscotto di supervisione' }).waitFor();
      // A new page puts the focus on its title; Tab goes on into the content, Shift+Tab back to the menu.
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Cruscotto di supervisione');
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Aggiorna ora');
      for (const item of ['Calendari degli uffici', 'Utenti', 'Rete delle risorse', 'Casi']) {
        await page.keyboard.press('Shift+Tab');
        expect(await page.evaluate('document.activeElement.textContent')).toBe(item);
      }
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Casi', level: 1 }).waitFor();
      await page.getByLabel('Stato').selectOption({ label: 'Chiuso' });
      const caseLink = page.getByRole('link', { name: reference });
      await caseLink.waitFor();
      await caseLink.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: `Caso ${reference}` }).waitFor();
      expect(await page.evaluate('document.activeElement.tagName')).toBe('H1');
    }),
    60_000,
  );

  it('ran without script errors or Content Security Policy violations in any page', () => {
    expect({ cspViolations, pageErrors }).toEqual({ cspViolations: [], pageErrors: [] });
  });
});
