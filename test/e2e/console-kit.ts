// What every browser test of the web console needs: a build of the console that matches its
// sources, a page that records console errors, an axe-core check and screenshots of each
// screen at phone and desktop width (written to SCREENSHOTS_DIR, not committed).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CONSOLE_DIST } from '../../src/http/pages/console-app.ts';
import { startTestServer, type TestServer } from '../helpers.ts';
import { chromiumAvailable, launchBrowser } from './browser.ts';

export const SCREENSHOTS_DIR = '.test-artifacts/console-screens';
export const WIDTHS = [390, 1280] as const;

/** The `skip` option of every console browser test. */
export const skipWithoutChromium = chromiumAvailable() ? false : 'Debian chromium is not installed (apt-get install chromium)';

/** A built console, a server (with `env`) and a browser for the file's tests, closed after them. */
export function useConsoleWorld(env: Record<string, string> = {}): { server: TestServer; browser: Browser } {
  const world = {} as { server: TestServer; browser: Browser };
  before(async () => {
    if (skipWithoutChromium) return;
    ensureConsoleBuilt();
    world.server = await startTestServer({ env });
    world.browser = await launchBrowser();
  });
  after(async () => {
    if (skipWithoutChromium) return;
    await world.browser.close();
    await world.server.close();
  });
  return world;
}

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** What the console imports from the server's sources: the kernel, each module's rules and model, and the event catalogue (with each module's events.ts). */
function sharedSources(): string[] {
  const perModule = readdirSync('src/modules')
    .flatMap((m) => ['rules', 'model', 'events'].map((file) => `src/modules/${m}/${file}.ts`))
    .filter((path) => existsSync(path));
  return ['src/kernel', 'src/modules/events', ...perModule];
}

/** Build the console when its build is missing or older than its sources (or the shared rules). */
export function ensureConsoleBuilt(): void {
  const sources = ['console/src', 'console/index.html', 'console/public', ...sharedSources()];
  let built = 0;
  try {
    built = statSync(join(CONSOLE_DIST, 'index.html')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= Math.max(...sources.map(newest))) return;
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Errors written to the browser console or thrown by the page. */
  errors: string[];
}

export async function openConsole(browser: Browser, width: number = WIDTHS[1]): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'es-VE' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return { context, page, errors };
}

/** The browser logs every 4xx answer it receives; those a test provokes on purpose are expected. */
export function unexpectedErrors(errors: string[], ...statuses: number[]): string[] {
  return errors.filter((e) => !statuses.some((s) => e.includes(`Failed to load resource: the server responded with a status of ${s}`)));
}

/** axe-core on the page as it is now: no violations of any rule it runs by default. */
export async function assertAccessible(page: Page, screen: string, known: readonly string[] = []): Promise<void> {
  // Evaluated through the DevTools protocol, so the console's CSP (no inline scripts) stays on.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run: (c: Document) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } }
    ).axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
  });
  assert.deepEqual(
    violations.filter((v) => !known.some((rule) => v.startsWith(`${rule}:`))),
    [],
    `axe violations on ${screen}`,
  );
}

/** Screenshot at both widths (and axe at both: the phone layout is another layout). */
let announced = false;

export async function captureScreen(page: Page, screen: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  if (!announced) {
    announced = true;
    console.log(`console screenshots (390 px and 1280 px): ${SCREENSHOTS_DIR}/`);
  }
  const original = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(50);
    await assertAccessible(page, `${screen} at ${width}px`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${screen} at ${width}px scrolls sideways by ${overflow}px`);
    await page.screenshot({ path: join(SCREENSHOTS_DIR, `${screen}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** Sign in through the sign-in page and wait for the home page's greeting of `name`. */
export async function signInAs(page: Page, baseUrl: string, login: string, password: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/console/signin`);
  await page.getByLabel('Usuario, teléfono o identificación').fill(login);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.getByRole('heading', { name: `Hola, ${name}` }).waitFor();
}

/** An amount as the console shows it in Spanish (Chromium and Node share ICU's data). */
export function esMoney(amount: number, currency = 'VES'): string {
  return new Intl.NumberFormat('es-VE', { style: 'currency', currency, currencyDisplay: 'code' }).format(amount).replace(/\s/g, ' ');
}
