// The API reference at /docs in a phone-sized Chromium: Scalar renders the operations of
// /openapi.json under the page's own Content-Security-Policy (scripts by a nonce per answer,
// no 'unsafe-inline'), nothing is blocked or fails in the console, and nothing is wider than the screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers.ts';
import { chromiumAvailable, launchBrowser } from './browser.ts';
import { assertAccessible } from './console-kit.ts';

test('the API reference works at phone width without CSP errors', { skip: !chromiumAvailable() && 'no Chromium' }, async (t) => {
  const server = await startTestServer({ env: { PASARELA_ENV: 'sandbox' } });
  const browser = await launchBrowser();
  t.after(async () => {
    await browser.close();
    await server.close();
  });

  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));

  const answer = await page.goto(`${server.url}/docs`, { waitUntil: 'networkidle' });
  assert.equal(answer?.status(), 200);
  const policy = (await answer!.allHeaders())['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(/script-src[^;]*/.exec(policy)![0], /unsafe-inline|unsafe-eval/);

  // The first family's operations are shown, and every family's section is listed.
  await page.getByText('Obtain or refresh an access token', { exact: true }).first().waitFor({ state: 'attached', timeout: 30_000 });
  for (const tag of ['card API', 'console API', 'webhooks', 'sandbox', 'operations']) {
    await page.getByText(tag, { exact: true }).first().waitFor({ state: 'attached', timeout: 10_000 });
  }
  // No way out to Scalar's cloud services from a deployment's reference.
  assert.equal(await page.getByText('Ask AI').count(), 0);
  assert.equal(await page.getByText('Generate MCP').count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
  assert.deepEqual(problems, []);
  // Our part (the page's language, Scalar's colours through customCss) passes axe. Two rules fail
  // inside Scalar's own components, which we do not render: its icon-only disclosure buttons
  // (button-name) and its scrolling endpoint list (scrollable-region-focusable). Any other fails.
  await assertAccessible(page, 'API reference at 390px', ['button-name', 'scrollable-region-focusable']);
});
