// harness.mjs — what the browser tests (tests/browser/*.test.mjs) share: Debian's Chromium
// with its flags, browser contexts with the per-action timeout, the login form, screenshots,
// and the runner that prints one "PASS <name>" / "FAIL <name>: <reason>" line per test under a
// global timer and exits 0 only if all pass.
//
// Environment (set by tests/browser/run.sh): GENOSHARE_URL (the server), SCREENSHOT_DIR
// (optional: where screenshots go), CHROMIUM (optional: the browser, default /usr/bin/chromium).
//
// A test file keeps a state object `ctx` with at least { browser: null, page: null,
// pageErrors: [] }, lists its tests as [name, async () => {...}] pairs and ends with
//   await runTests(ctx, tests, { globalTimeoutMs, ... });
// runTests launches the browser into ctx.browser, runs the tests in order and never returns.

import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_URL = (process.env.GENOSHARE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR || '';
export const ACTION_TIMEOUT_MS = 10_000;

export const byTestId = (id) => `[data-testid="${id}"]`;

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Debian's Chromium, headless, with nothing that talks to the network on its own.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    timeout: ACTION_TIMEOUT_MS,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page in a fresh browser context (its own cookies) of ctx.browser, with the per-action
// timeout; script errors in the page are collected in ctx.pageErrors (runTests fails the
// running test on them).
export async function newPage(ctx, { viewport = { width: 1280, height: 900 }, locale = 'en-US' } = {}) {
  const browserContext = await ctx.browser.newContext({ viewport, locale });
  browserContext.setDefaultTimeout(ACTION_TIMEOUT_MS);
  browserContext.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
  const page = await browserContext.newPage();
  page.on('pageerror', (error) => ctx.pageErrors.push(error.message));
  return page;
}

// Fills in the login form shown on page and submits it (the caller waits for the outcome).
export async function submitLogin(page, user, password) {
  await page.fill(byTestId('login-user'), user);
  await page.fill(byTestId('login-password'), password);
  await page.click(byTestId('login-submit'));
}

// A new page of ctx (its own cookies, see newPage) signed in as user, on the home page.
export async function signedInPage(ctx, user, password) {
  const page = await newPage(ctx);
  await page.goto(`${BASE_URL}/#/home`);
  await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
  await submitLogin(page, user, password);
  await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
  return page;
}

// A full-page screenshot NAME into SCREENSHOT_DIR, if one is set.
export async function screenshot(page, name) {
  if (!SCREENSHOT_DIR) return;
  await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true, timeout: ACTION_TIMEOUT_MS });
}

// Why the matchmaking tests cannot run against the server at BASE_URL: the server's answer
// "no HPO release…" when the demo has no HPO (no public data), else '' (also when the
// server cannot be asked: the tests then report the real failure).
export async function hpoMissing() {
  try {
    const response = await fetch(`${BASE_URL}/api/v1/hpo/terms?q=seizure&limit=1`);
    if (response.status !== 404) return '';
    const body = await response.json().catch(() => ({}));
    const message = (body && body.error && body.error.message) || '';
    return /no HPO release/i.test(message) ? message : '';
  } catch {
    return '';
  }
}

// runTests(ctx, tests, options): launches Chromium into ctx.browser, awaits options.setup()
// (e.g. ctx.page = await newPage(ctx)), then runs tests in order, each printing one PASS/FAIL
// line; a test also fails when the page reported a script error while it ran. Exits the
// process: 0 only if every test passed. Options:
//   globalTimeoutMs     after this, every test not yet reported fails ("global N s timeout")
//   missing             a reason why nothing can run (e.g. an unset variable): all tests fail
//   skip                a reason why the tests do not apply (e.g. no public data): each prints
//                       "SKIP <name>: <reason>" and the run passes
//   stopAfterFailure    each test builds on the last: after a failure the rest fail, not run
//   harnessName         the name of the line for an error outside any test (default "harness")
export async function runTests(ctx, tests, {
  globalTimeoutMs, missing = '', skip = '', stopAfterFailure = false, setup = null, harnessName = 'harness',
} = {}) {
  if (skip && !missing) {
    for (const [name] of tests) console.log(`SKIP ${name}: ${skip}`);
    process.exit(0);
  }
  let current = 0;
  let finished = false;
  let failures = 0;

  function report(name, error) {
    if (error) {
      failures++;
      const reason = String(error.message || error).split('\n')[0];
      console.log(`FAIL ${name}: ${reason}`);
    } else {
      console.log(`PASS ${name}`);
    }
  }

  // Whatever is still running or pending fails, so every test still prints its one line.
  const globalTimer = setTimeout(() => {
    if (finished) return;
    finished = true;
    for (let i = current; i < tests.length; i++) {
      report(tests[i][0], new Error(`global ${globalTimeoutMs / 1000} s timeout`));
    }
    process.exit(1); // playwright kills the browser it launched on exit
  }, globalTimeoutMs);

  async function main() {
    if (missing) {
      for (const [name] of tests) report(name, new Error(missing));
      return;
    }
    if (SCREENSHOT_DIR) mkdirSync(SCREENSHOT_DIR, { recursive: true });
    try {
      ctx.browser = await launchChromium();
      if (setup) await setup();
    } catch (error) {
      for (const [name] of tests) report(name, new Error(`cannot start chromium: ${error.message}`));
      return;
    }
    let broken = null;
    for (; current < tests.length && !finished; current++) {
      const [name, run] = tests[current];
      if (broken) {
        report(name, new Error(`not run: "${broken}" failed`));
        continue;
      }
      const errorsBefore = ctx.pageErrors.length;
      let failure = null;
      try {
        await run();
        if (ctx.pageErrors.length > errorsBefore) {
          failure = new Error(`script error in page: ${ctx.pageErrors[errorsBefore]}`);
        }
      } catch (error) {
        failure = error;
      }
      if (failure && stopAfterFailure) broken = name;
      if (!finished) report(name, failure);
    }
  }

  try {
    await main();
  } catch (error) {
    report(harnessName, error);
  }
  if (!finished) {
    finished = true;
    clearTimeout(globalTimer);
    if (ctx.browser) await ctx.browser.close().catch(() => {});
    process.exit(failures === 0 ? 0 : 1);
  }
}
