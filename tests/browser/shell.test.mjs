// shell.test.mjs — end-to-end test of the web shell in headless Chromium against a running
// genoshare server: login, home, datasets, route parameters, the page registry (pages.js,
// i18n.js), language switch, tablet layout, logout.
//
//   GENOSHARE_URL=http://127.0.0.1:18080 DEMO_USER=alice DEMO_PASSWORD=... \
//   SCREENSHOT_DIR=build/screenshots node tests/browser/shell.test.mjs
//
// Prints one "PASS <name>" or "FAIL <name>: <reason>" line per test and exits 0 only if all
// pass. The tests share one browser session and run in order (login before the signed-in
// pages); a global 60 s timer and 10 s per action keep it from ever hanging.

import {
  ACTION_TIMEOUT_MS, BASE_URL, byTestId, check, newPage, runTests, screenshot as screenshotOf, submitLogin,
} from './harness.mjs';

const DEMO_USER = process.env.DEMO_USER || '';
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || '';
const GLOBAL_TIMEOUT_MS = 60_000;

const context = { browser: null, page: null, signedIn: false, pageErrors: [] };

const screenshot = (name) => screenshotOf(context.page, name);

function requireSignedIn() {
  check(context.signedIn, 'not signed in (the login test failed)');
}

async function text(selector) {
  return ((await context.page.locator(selector).textContent()) || '').trim();
}

async function meStatus() {
  return context.page.evaluate(async () => {
    const response = await fetch('/api/v1/me', { credentials: 'same-origin', cache: 'no-store' });
    return response.status;
  });
}

const tests = [
  ['shows login page when signed out', async () => {
    const { page } = context;
    await page.goto(`${BASE_URL}/`);
    await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
    await page.locator(byTestId('login-password')).waitFor({ state: 'visible' });
    await page.locator(byTestId('login-submit')).waitFor({ state: 'visible' });
    check(new URL(page.url()).hash === '#/login', `expected #/login, got ${page.url()}`);
    check(await page.locator(byTestId('logout')).count() === 0, 'logout button shown while signed out');
  }],

  ['wrong password shows an error', async () => {
    const { page } = context;
    await submitLogin(page, DEMO_USER, `${DEMO_PASSWORD}-wrong`);
    const error = page.locator(byTestId('login-error'));
    await error.waitFor({ state: 'visible' });
    await page.waitForFunction((selector) => document.querySelector(selector)?.textContent.trim() !== '',
      byTestId('login-error'), { timeout: ACTION_TIMEOUT_MS });
    check(await page.locator(byTestId('home-title')).count() === 0, 'home page shown after a wrong password');
  }],

  ['login shows the home page with the user name', async () => {
    const { page } = context;
    await submitLogin(page, DEMO_USER, DEMO_PASSWORD);
    await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
    context.signedIn = true;
    const name = await text(byTestId('user-name'));
    check(name.includes(DEMO_USER), `user-name "${name}" does not contain "${DEMO_USER}"`);
    check(new URL(page.url()).hash === '#/home', `expected #/home, got ${page.url()}`);
    check(await page.locator(byTestId('login-error')).count() === 0, 'login form still present');
    await page.locator(byTestId('datasets-table')).waitFor({ state: 'visible' });
    await screenshot('home-en.png');
  }],

  ['datasets page lists at least one dataset row', async () => {
    requireSignedIn();
    const { page } = context;
    await page.click(byTestId('nav-datasets'));
    // The home page has a datasets table too: wait for the datasets page's own title first.
    await page.locator(byTestId('datasets-title')).waitFor({ state: 'visible' });
    await page.locator(byTestId('datasets-table')).waitFor({ state: 'visible' });
    check(new URL(page.url()).hash === '#/datasets', `expected #/datasets, got ${page.url()}`);
    const rows = await page.locator(`${byTestId('datasets-table')} tbody ${byTestId('dataset-row')}`).count();
    check(rows >= 1, `expected at least one dataset row, got ${rows}`);
    const current = await page.locator(byTestId('nav-datasets')).getAttribute('aria-current');
    check(current === 'page', 'nav-datasets is not marked as the current page');
  }],

  ['a route with parameters (#/datasets/anything) still shows the datasets page', async () => {
    requireSignedIn();
    const { page } = context;
    await page.click(byTestId('nav-home'));
    await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
    await page.goto(`${BASE_URL}/#/datasets/anything/else`);
    await page.locator(byTestId('datasets-title')).waitFor({ state: 'visible' });
    await page.locator(byTestId('datasets-table')).waitFor({ state: 'visible' });
    check(new URL(page.url()).hash === '#/datasets/anything/else', `expected #/datasets/anything/else, got ${page.url()}`);
    const current = await page.locator(byTestId('nav-datasets')).getAttribute('aria-current');
    check(current === 'page', 'nav-datasets is not marked as the current page');
    check(await page.locator(byTestId('home-title')).count() === 0, 'home page still shown');
  }],

  ['pages.js filters pages by role and sorts them; i18n.js refuses a message defined twice', async () => {
    requireSignedIn();
    const result = await context.page.evaluate(async () => {
      const { default: modules, visiblePages } = await import('/pages.js');
      const { registerMessages, translate } = await import('/i18n.js');
      const routes = (pages) => pages.map((page) => page.route).join(',');
      const fake = [
        { route: 'c', order: 30, roles: null },
        { route: 'dac-only', order: 10, roles: ['dac', 'admin'] },
        { route: 'a', order: 20 },
        { route: 'b', order: 20, roles: [] },
      ];
      let collision = '';
      try {
        registerMessages({ 'nav.home': 'Again' }, { 'nav.home': 'もう一度' });
      } catch (error) {
        collision = error.message;
      }
      let missing = '';
      try {
        registerMessages({ 'test.onlyEnglish': 'x' }, {});
      } catch (error) {
        missing = error.message;
      }
      return {
        shipped: routes(visiblePages(modules, { roles: [] })),
        member: routes(visiblePages(fake, { roles: ['member'] })),
        dac: routes(visiblePages(fake, { roles: ['member', 'dac'] })),
        signedOut: routes(visiblePages(fake, null)),
        collision,
        missing,
        homeStillEnglish: translate('en', 'nav.home'),
        onlyEnglishAdded: translate('en', 'test.onlyEnglish') !== 'test.onlyEnglish',
      };
    });
    // Capabilities add pages after these two; the shell's own come first, in order.
    check(result.shipped.startsWith('home,datasets'), `shipped pages "${result.shipped}" do not start with "home,datasets"`);
    check(result.member === 'a,c', `member sees "${result.member}", expected "a,c"`);
    check(result.dac === 'dac-only,a,c', `dac sees "${result.dac}", expected "dac-only,a,c"`);
    check(result.signedOut === 'a,c', `signed out sees "${result.signedOut}", expected "a,c"`);
    check(result.collision.includes('nav.home'), `no error for a message defined twice (got "${result.collision}")`);
    check(result.missing.includes('test.onlyEnglish'), `no error for a message without Japanese (got "${result.missing}")`);
    check(result.homeStillEnglish === 'Home', `nav.home changed to "${result.homeStillEnglish}"`);
    check(!result.onlyEnglishAdded, 'a refused message was added anyway');
    const navLinks = await context.page.locator('.nav-link').evaluateAll((links) => links.map((link) => link.dataset.testid).join(','));
    check(navLinks.startsWith('nav-home,nav-datasets'), `nav links "${navLinks}" do not start with "nav-home,nav-datasets"`);
  }],

  ['switching to Japanese changes the home title and survives a reload', async () => {
    requireSignedIn();
    const { page } = context;
    await page.click(byTestId('nav-home'));
    await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
    const english = await text(byTestId('home-title'));
    check(await page.getAttribute('html', 'lang') === 'en', 'html lang is not "en" before switching');

    await page.selectOption(byTestId('lang-switch'), 'ja');
    await page.waitForFunction(([selector, before]) => document.querySelector(selector)?.textContent.trim() !== before,
      [byTestId('home-title'), english], { timeout: ACTION_TIMEOUT_MS });
    const japanese = await text(byTestId('home-title'));
    check(await page.getAttribute('html', 'lang') === 'ja', 'html lang is not "ja" after switching');
    await page.locator(byTestId('datasets-table')).waitFor({ state: 'visible' });
    await screenshot('home-ja.png');

    await page.reload();
    await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
    check(await page.getAttribute('html', 'lang') === 'ja', 'html lang is not "ja" after reload');
    const reloaded = await text(byTestId('home-title'));
    check(reloaded === japanese, `title after reload "${reloaded}", expected "${japanese}"`);
    check(await page.inputValue(byTestId('lang-switch')) === 'ja', 'lang-switch does not show ja after reload');

    await page.selectOption(byTestId('lang-switch'), 'en');
    await page.waitForFunction(([selector, before]) => document.querySelector(selector)?.textContent.trim() === before,
      [byTestId('home-title'), english], { timeout: ACTION_TIMEOUT_MS });
  }],

  ['tablet viewport has no horizontal scrollbar', async () => {
    requireSignedIn();
    const { page } = context;
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const route of ['home', 'datasets']) {
      await page.goto(`${BASE_URL}/#/${route}`);
      await page.locator(byTestId(`${route}-title`)).waitFor({ state: 'visible' });
      await page.locator(byTestId('datasets-table')).waitFor({ state: 'visible' });
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      check(scrollWidth <= clientWidth, `#/${route}: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
      await page.locator(byTestId('nav-home')).waitFor({ state: 'visible' });
      await page.locator(byTestId('logout')).waitFor({ state: 'visible' });
    }
    await screenshot('tablet.png');
    await page.setViewportSize({ width: 1280, height: 800 });
  }],

  ['logout returns to the login page and /api/v1/me is then 401', async () => {
    requireSignedIn();
    const { page } = context;
    await page.click(byTestId('logout'));
    await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
    context.signedIn = false;
    check(new URL(page.url()).hash === '#/login', `expected #/login, got ${page.url()}`);
    const status = await meStatus();
    check(status === 401, `/api/v1/me returned ${status} after logout`);
  }],
];

await runTests(context, tests, {
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  missing: !DEMO_USER || !DEMO_PASSWORD ? 'DEMO_USER and DEMO_PASSWORD must be set' : '',
  // An English browser, so the default language is known before the switch test.
  setup: async () => { context.page = await newPage(context, { viewport: { width: 1280, height: 800 } }); },
});
