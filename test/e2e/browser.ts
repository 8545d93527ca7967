import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/**
 * What the end-to-end suites need around the real stack: the console built once into a temp
 * directory, the API served on a free port, Debian's Chromium driven by playwright-core, screenshots
 * of every open page when a step fails (test-artifacts/, git-ignored).
 */

export const ROOT = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
/** The committed screenshots are rewritten only on request (`npm run screenshots`), else kept with the artifacts. */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/screenshots') : path.join(ARTIFACTS, 'screenshots');

/** Chromium as installed by `apt-get install chromium`; CHROMIUM_PATH points elsewhere. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Flags known to work on these machines (no sandbox as root, no calls home on a closed network).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function buildConsole(): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pis-console-'));
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--configLoader', 'runner', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return outDir;
}

export async function serve(app: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  // playwright-core starts it headless with a fresh temporary --user-data-dir.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** The pages a test opened, by name, for screenshots on failure. */
export class OpenPages {
  private readonly pages = new Map<string, Page>();

  add(name: string, page: Page): Page {
    this.pages.set(name, page);
    return page;
  }

  async screenshotAll(testName: string): Promise<string[]> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const slug = testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    const saved: string[] = [];
    for (const [name, page] of this.pages) {
      if (page.isClosed()) continue;
      const file = path.join(ARTIFACTS, `${slug}--${name}.png`);
      await page.screenshot({ path: file, fullPage: true }).then(
        () => saved.push(file),
        () => undefined,
      );
    }
    return saved;
  }

  async closeAll(): Promise<void> {
    for (const page of this.pages.values()) await page.context().close();
    this.pages.clear();
  }
}

/** Runs a test body; when it fails, screenshots every open page and says where they are. */
export async function withScreenshotsOnFailure(pages: OpenPages, testName: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const files = await pages.screenshotAll(testName);
    if (err instanceof Error) err.message += `\nScreenshots: ${files.join(', ') || '(none)'}`;
    throw err;
  }
}

/**
 * Waits for `target` to be visible; the page refreshes its data on a timer, and the "Aggiorna ora"
 * button asks for it at once between waits. Bounded by `timeoutMs`.
 */
export async function waitWithRefresh(page: Page, target: Locator, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await target.first().waitFor({ state: 'visible', timeout: 2_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    const refresh = page.getByRole('button', { name: 'Aggiorna ora' });
    if ((await refresh.count()) > 0) await refresh.first().click();
  }
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as it is now. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<AxeResult>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}
