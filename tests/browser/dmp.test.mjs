// dmp.test.mjs — the Data Management Plan pages and the dashboard in headless Chromium against
// the demo server (tests/browser/run.sh): list and filters, a plan's page with its computed
// status, editing and linking (errors shown), filing a new plan, who sees the edit form, the
// SVG charts agreeing with the tables, the CSV download, and the Japanese text.
//
// Prints one "PASS <name>" / "FAIL <name>: <reason>" line per test; exit 0 only if all pass.

import { BASE_URL, ACTION_TIMEOUT_MS, byTestId, check, newPage, runTests, screenshot, submitLogin } from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || 'genoshare-demo';

const ctx = { browser: null, page: null, pageErrors: [] };

function isoDay(offsetDays) {
  return new Date(Date.now() + offsetDays * 86400_000).toISOString().slice(0, 10);
}

async function signIn(page, user) {
  await page.goto(`${BASE_URL}/#/login`);
  await submitLogin(page, user, PASSWORD);
  await page.locator(byTestId('logout')).waitFor({ state: 'visible' });
}

async function rows(page, testid) {
  return page.locator(byTestId(testid)).count();
}

const tests = [
  ['dmp: sign in as alice', async () => {
    await signIn(ctx.page, 'alice');
  }],
  ['dmp: list shows the demo plans with statuses', async () => {
    const { page } = ctx;
    await page.goto(`${BASE_URL}/#/dmp`);
    await page.locator(byTestId('dmp-table')).waitFor();
    check(await rows(page, 'dmp-row') === 6, `expected 6 plans, got ${await rows(page, 'dmp-row')}`);
    const statuses = await page.locator(`${byTestId('dmp-row')} ${byTestId('dmp-status')}`).allTextContents();
    for (const want of ['On track', 'Due within 90 days', 'Overdue', 'Fulfilled']) {
      check(statuses.includes(want), `no "${want}" status in ${statuses.join(', ')}`);
    }
    check(await page.locator(byTestId('dmp-new')).count() === 1, 'alice (submitter) sees no "New plan"');
  }],
  ['dmp: status filter narrows the list', async () => {
    const { page } = ctx;
    await page.selectOption(byTestId('dmp-filter-status'), 'overdue');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dmp-row"]').length === 2);
    const statuses = await page.locator(`${byTestId('dmp-row')} ${byTestId('dmp-status')}`).allTextContents();
    check(statuses.every((s) => s === 'Overdue'), `filtered rows: ${statuses.join(', ')}`);
  }],
  ['dmp: a plan shows its deadline, status and history', async () => {
    const { page } = ctx;
    await page.goto(`${BASE_URL}/#/dmp/1`);
    await page.locator(byTestId('dmp-plan-status')).waitFor();
    check((await page.textContent(byTestId('dmp-plan-status'))).includes('Due within 90 days'), 'plan 1 is not due soon');
    check((await page.textContent(byTestId('dmp-plan-days'))).trim() === '30', 'plan 1: days left is not 30');
    await page.locator(byTestId('dmp-history')).waitFor();
    check(await rows(page, 'dmp-version-row') === 2, 'plan 1 should have 2 versions');
    check(await page.locator(byTestId('dmp-form')).count() === 1, 'the PI sees no edit form');
  }],
  ['dmp: linking a dataset of another data type shows the error', async () => {
    const { page } = ctx;
    await page.selectOption(byTestId('dmp-link-type'), 'sequence');
    await page.fill(byTestId('dmp-link-dataset'), 'rare-disease-cases');
    await page.click(byTestId('dmp-link-submit'));
    await page.locator(byTestId('dmp-link-error')).waitFor({ state: 'visible' });
    const message = await page.textContent(byTestId('dmp-link-error'));
    check(message.includes('phenotype_clinical'), `unexpected error: ${message}`);
  }],
  ['dmp: editing the paper date moves the deadline', async () => {
    const { page } = ctx;
    await page.fill(byTestId('dmp-paper-accepted'), isoDay(-3));
    await page.click(byTestId('dmp-submit'));
    await page.waitForFunction(() => (document.querySelector('[data-testid="dmp-plan-version"]') || {}).textContent === '3');
    check((await page.textContent(byTestId('dmp-plan-status'))).includes('Overdue'), 'not overdue after the paper date');
    check((await page.textContent(byTestId('dmp-plan-days'))).trim() === '-3', 'days left is not -3');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dmp-version-row"]').length === 3);
  }],
  ['dmp: filing a new plan', async () => {
    const { page } = ctx;
    await page.goto(`${BASE_URL}/#/dmp/new`);
    await page.locator(byTestId('dmp-form')).waitFor();
    await page.click(byTestId('dmp-submit')); // no title, no data type: refused by the server
    await page.locator(byTestId('dmp-form-error')).waitFor({ state: 'visible' });
    await page.selectOption(byTestId('dmp-programme'), 'hepatitis');
    await page.fill(byTestId('dmp-form-title'), 'Browser-filed plan <b>not bold</b>');
    await page.check(byTestId('dmp-type-variants'));
    await page.selectOption(byTestId('dmp-tier-variants'), 'open');
    await page.fill(byTestId('dmp-analysis-done'), isoDay(-100));
    await page.click(byTestId('dmp-submit'));
    await page.waitForURL(/#\/dmp\/7$/);
    await page.locator(byTestId('dmp-plan-title')).waitFor();
    check(await page.textContent(byTestId('dmp-plan-title')) === 'Browser-filed plan <b>not bold</b>', 'title not shown as text');
    check(await page.locator(`${byTestId('dmp-plan-title')} b`).count() === 0, 'server text became markup');
    check((await page.textContent(byTestId('dmp-plan-status'))).includes('On track'), 'new plan is not on track');
  }],
  ['dashboard: charts agree with the tables', async () => {
    const { page } = ctx;
    await page.goto(`${BASE_URL}/#/dashboard`);
    await page.locator(byTestId('dash-status-chart')).waitFor();
    const bars = await page.locator(`${byTestId('dash-status-chart')} ${byTestId('chart-bar')}`).evaluateAll(
      (nodes) => nodes.map((n) => Number(n.getAttribute('data-value'))));
    const report = await page.evaluate(async () => (await fetch('/api/v1/reports/status')).json());
    const counts = report.rows.map((r) => r[1]);
    check(JSON.stringify(bars) === JSON.stringify(counts), `bars ${bars} vs table ${counts}`);
    check(bars.reduce((a, b) => a + b, 0) === 7, `expected 7 plans in the chart, got ${bars}`);
    check(await page.locator(byTestId('dash-registrations-chart')).count() === 1, 'no registrations chart');
    check(await page.locator(`${byTestId('dash-tier-chart')} ${byTestId('chart-bar')}`).count() === 3, 'tier chart lacks bars');
    check(await rows(page, 'dash-overdue-row') === 3, `expected 3 overdue plans, got ${await rows(page, 'dash-overdue-row')}`);
    await screenshot(page, 'dashboard.png');
  }],
  ['dashboard: CSV download', async () => {
    const { page } = ctx;
    const href = await page.getAttribute(byTestId('dash-csv-overdue'), 'href');
    check(href === '/api/v1/reports/overdue?format=csv', `href ${href}`);
    const got = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'), text: await r.text() };
    }, href);
    check(got.type.startsWith('text/csv'), `content type ${got.type}`);
    check(/attachment; filename="genoshare-dmp-overdue-/.test(got.disposition || ''), `disposition ${got.disposition}`);
    check(got.text.startsWith('id,programme,title,pi,institution,deadline,days_overdue\r\n'), `csv ${got.text.slice(0, 80)}`);
  }],
  ['dashboard: one programme', async () => {
    const { page } = ctx;
    await page.selectOption(byTestId('dash-programme'), 'hepatitis');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dash-programme-row"]').length === 1);
    const href = await page.getAttribute(byTestId('dash-csv-status'), 'href');
    check(href.includes('programme=hepatitis'), `CSV link ignores the programme: ${href}`);
  }],
  ['dashboard: Japanese', async () => {
    const { page } = ctx;
    await page.selectOption(byTestId('lang-switch'), 'ja');
    await page.waitForFunction(() => document.querySelector('[data-testid="dashboard-title"]').textContent === 'データ共有ダッシュボード');
    const label = await page.locator(`${byTestId('dash-status-chart')} text`).first().textContent();
    check(label === '順調', `chart label not translated: ${label}`);
    await page.selectOption(byTestId('lang-switch'), 'en');
  }],
  ['dmp: bob (curator, not PI) sees no edit form and no "New plan"', async () => {
    const other = await ctx.browser.newContext({ locale: 'en-US' });
    try {
      const page = await other.newPage();
      page.setDefaultTimeout(ACTION_TIMEOUT_MS);
      await signIn(page, 'bob');
      await page.goto(`${BASE_URL}/#/dmp/1`);
      await page.locator(byTestId('dmp-history')).waitFor();
      check(await page.locator(byTestId('dmp-form')).count() === 0, 'bob sees the edit form of plan 1');
      const status = await page.evaluate(async () => (await fetch('/api/v1/dmps/1', {
        method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '{"title":"x"}' })).status);
      check(status === 403, `PATCH without CSRF token / as non-editor gave ${status}`);
      await page.goto(`${BASE_URL}/#/dmp`);
      await page.locator(byTestId('dmp-table')).waitFor();
      check(await page.locator(byTestId('dmp-new')).count() === 0, 'bob sees "New plan"');
    } finally {
      await other.close();
    }
  }],
];

await runTests(ctx, tests, {
  globalTimeoutMs: 90_000,
  harnessName: 'dmp harness',
  setup: async () => { ctx.page = await newPage(ctx); },
});
