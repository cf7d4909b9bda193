// requests.test.mjs — an access request from submit to approved to expired, in headless
// Chromium against the demo server: alice files a request for hereditary-cancer-variants and
// submits it; dave (its data access committee, set up by requests_demo_fill) approves it in the
// DAC queue for a few seconds only; alice sees it on "my access" and reads the dataset's record;
// once the approved period has ended she sees it expired and the record is 404 again.
//
//   GENOSHARE_URL=http://127.0.0.1:18080 GENOSHARE_BIN=build/genoshare GENOSHARE_DB=demo.db \
//   DEMO_PASSWORD=genoshare-demo node tests/browser/requests.test.mjs
//
// One "PASS <name>" / "FAIL <name>: <reason>" line per test, in order (each builds on the last);
// exit 0 only if all pass. A global 100 s timer and 10 s per action keep it from hanging.

import { execFileSync } from 'node:child_process';
import {
  BASE_URL, byTestId, check, newPage, runTests, screenshot as screenshotOf, submitLogin,
} from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || '';
const BIN = process.env.GENOSHARE_BIN || '';
const DB = process.env.GENOSHARE_DB || '';
const GLOBAL_TIMEOUT_MS = 100_000;
const APPROVED_SECONDS = 12; // long enough to look, short enough to wait for
const DATASET = 'hereditary-cancer-variants';

const context = { browser: null, page: null, pageErrors: [], requestId: null, recordId: null, until: null };

const screenshot = (name) => screenshotOf(context.page, name);

// Signs in as user in a fresh browser context (own cookies), as a second person would.
async function signIn(user) {
  if (context.page) await context.page.context().close();
  const page = await newPage(context);
  context.page = page;
  await page.goto(`${BASE_URL}/#/home`);
  await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
  await submitLogin(page, user, PASSWORD);
  await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
  const name = (await page.locator(byTestId('user-name')).textContent()) || '';
  check(name.includes(user), `signed in as "${name}", expected ${user}`);
}

// Goes to a page through its navigation link's address (the link must be shown). The address is
// followed rather than the link clicked: with many pages the shell's top bar can overlap them.
async function openPage(route) {
  const link = context.page.locator(byTestId(`nav-${route}`));
  check(await link.count() === 1, `no navigation link nav-${route}`);
  check(await link.getAttribute('href') === `#/${route}`, `nav-${route} does not lead to #/${route}`);
  await context.page.goto(`${BASE_URL}/#/${route}`);
}

async function apiStatus(path) {
  return context.page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin', cache: 'no-store' })).status, path);
}

// The id of the demo record of DATASET, found through the command line as the operator.
function findRecordId() {
  check(BIN && DB, 'GENOSHARE_BIN and GENOSHARE_DB must be set');
  for (let id = 1; id <= 50; id++) {
    try {
      const out = execFileSync(BIN, ['record', 'show', String(id), '--db', DB], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (JSON.parse(out).dataset === DATASET) return id;
    } catch {
      // not a record, or not this dataset's
    }
  }
  throw new Error(`no record of ${DATASET} in the demo database`);
}

function isoIn(seconds) {
  return new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const tests = [
  ['alice cannot read the controlled record before asking, and has no DAC page', async () => {
    context.recordId = findRecordId();
    await signIn('alice');
    check(await apiStatus(`/api/v1/records/${context.recordId}`) === 404, 'record readable before any request');
    check(await context.page.locator(byTestId('nav-dac')).count() === 0, 'alice (no dac role) sees the DAC queue link');
  }],

  ['alice files a request for hereditary-cancer-variants and submits it', async () => {
    const { page } = context;
    await openPage('requests');
    await page.locator(byTestId('request-form')).waitFor({ state: 'visible' });
    await page.locator(`${byTestId('request-dataset')} option[value="${DATASET}"]`).waitFor({ state: 'attached' });
    await page.selectOption(byTestId('request-dataset'), [DATASET]);
    const terms = await page.locator(byTestId('request-dataset-terms')).textContent();
    check(terms.includes('DS:MONDO:0007254'), `dataset terms not shown: "${terms}"`);
    await page.fill(byTestId('request-purpose-input'), 'Penetrance of BRCA1/2 founder variants in Japanese breast cancer families');
    await page.fill(byTestId('request-duo'), 'DS:MONDO:0007254,IRB,PUB');
    check(await page.locator(byTestId('request-submit-now')).isChecked(), 'submit-now is not the default');
    await page.click(byTestId('request-create'));
    const detail = page.locator(byTestId('request-detail'));
    await detail.waitFor({ state: 'visible' });
    context.requestId = await detail.getAttribute('data-request-id');
    check(/^\d+$/.test(context.requestId || ''), `no request id on the detail (${context.requestId})`);
    check(new URL(page.url()).hash === `#/requests/${context.requestId}`, `expected #/requests/${context.requestId}, got ${page.url()}`);
    const stateClass = await detail.locator(byTestId('request-state')).first().getAttribute('class');
    check(stateClass.includes('request-state-submitted'), `state is not submitted: ${stateClass}`);
    check(await page.locator(byTestId('history-row')).count() === 2, 'history should show filed and submitted');
    check(await page.locator(byTestId('request-conflict')).count() === 0, 'a matching purpose shows DUO conflicts');
    check(await page.locator(byTestId('request-withdraw')).count() === 1, 'no withdraw button on a submitted request');
    await screenshot('request-submitted.png');
  }],

  ['dave approves it in the DAC queue for a few seconds', async () => {
    await signIn('dave');
    const { page } = context;
    await openPage('dac');
    const card = page.locator(`${byTestId('dac-queue')} [data-testid="dac-request"][data-request-id="${context.requestId}"]`);
    await card.waitFor({ state: 'visible' });
    context.until = isoIn(APPROVED_SECONDS);
    await card.locator(byTestId('review-comment')).fill('IRB approval letter checked');
    await card.locator(byTestId('review-until')).fill(context.until);
    await screenshot('dac-queue.png');
    await card.locator(byTestId('review-approve')).click();
    await page.locator(`${byTestId('dac-approved')} [data-testid="dac-request"][data-request-id="${context.requestId}"]`).waitFor({ state: 'visible' });
    check(await page.locator(`${byTestId('dac-queue')} [data-request-id="${context.requestId}"]`).count() === 0,
      'the approved request is still in the queue');
  }],

  ['alice sees it on "my access" and reads the record', async () => {
    await signIn('alice');
    const { page } = context;
    await openPage('my-access');
    const row = page.locator(`${byTestId('access-row')}[data-request-id="${context.requestId}"]`);
    await row.waitFor({ state: 'visible' });
    check(await row.locator(byTestId('access-state')).getAttribute('data-state') === 'active', 'grant is not active');
    check(await apiStatus(`/api/v1/records/${context.recordId}`) === 200, 'record not readable after approval');
    await screenshot('my-access-active.png');
  }],

  ['after the approved period alice sees it expired and the record is 404 again', async () => {
    const { page } = context;
    const wait = new Date(context.until).getTime() - Date.now() + 1500;
    if (wait > 0) await page.waitForTimeout(wait);
    check(await apiStatus(`/api/v1/records/${context.recordId}`) === 404, 'record still readable after expiry');
    await page.goto(`${BASE_URL}/#/home`);
    await openPage('my-access');
    const row = page.locator(`${byTestId('access-row')}[data-request-id="${context.requestId}"]`);
    await row.waitFor({ state: 'visible' });
    check(await row.locator(byTestId('access-state')).getAttribute('data-state') === 'expired', 'grant is not shown expired');
    await page.goto(`${BASE_URL}/#/requests/${context.requestId}`);
    const detail = page.locator(byTestId('request-detail'));
    await detail.waitFor({ state: 'visible' });
    const stateClass = await detail.locator(byTestId('request-state')).first().getAttribute('class');
    check(stateClass.includes('request-state-expired'), `request state is not expired: ${stateClass}`);
    const history = (await page.locator(byTestId('request-history')).textContent()) || '';
    check(history.includes('IRB approval letter checked') && history.includes('user:dave') && history.includes('system:expiry'),
      'history lacks the approval comment, the reviewer or the expiry');
    await screenshot('request-expired.png');
  }],
];

// Each test builds on the one before: after a failure the rest are reported as not run.
await runTests(context, tests, {
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  missing: PASSWORD ? '' : 'DEMO_PASSWORD must be set',
  stopAfterFailure: true,
});
