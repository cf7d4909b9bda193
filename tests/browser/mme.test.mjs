// mme.test.mjs — "search other nodes" on a case page (Matchmaker Exchange) in headless
// Chromium against the demo server: two peers are configured in the demo database (an
// international and a domestic one, both at a closed port); alice opens her domestic demo
// case, ticks "Also search other matchmaking nodes", and sees one status line per node —
// both "not asked", since the case is in a restricted dataset (restricted data never goes to
// another node) — while the local similar cases stay listed. Needs GENOSHARE_BIN and
// GENOSHARE_DB (set by run.sh) to add the peers; without them every test fails with the reason.
// Without an HPO release (no public data) every test prints SKIP with the reason.
//
// One "PASS <name>" / "FAIL <name>: <reason>" line per test, in order; exit 0 only if all pass.

import { execFileSync } from 'node:child_process';
import {
  BASE_URL, byTestId, check, hpoMissing, newPage, runTests, screenshot as screenshotOf, submitLogin,
} from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || '';
const BIN = process.env.GENOSHARE_BIN || '';
const DB = process.env.GENOSHARE_DB || '';
const context = { browser: null, page: null, pageErrors: [], caseId: null };
const screenshot = (name) => screenshotOf(context.page, name);

function addPeer(name, scope) {
  // a peer may already exist from an earlier run of this file on the same database
  try {
    execFileSync(BIN, ['mme', 'peer', 'add', name, '--url', 'http://127.0.0.1:1/mme', '--scope', scope, '--db', DB],
      { stdio: 'pipe' });
  } catch (error) {
    if (!String(error.stderr || '').includes('already exists')) throw error;
  }
}

const tests = [
  ['two peers are configured', async () => {
    addPeer('bt-intl', 'international');
    addPeer('bt-dom', 'domestic');
    const list = execFileSync(BIN, ['mme', 'peer', 'list', '--db', DB]).toString();
    check(list.includes('bt-intl') && list.includes('bt-dom'), `peer list lacks them: ${list}`);
  }],
  ['alice opens her domestic case', async () => {
    const page = await newPage(context);
    context.page = page;
    await page.goto(`${BASE_URL}/#/home`);
    await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
    await submitLogin(page, 'alice', PASSWORD);
    await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
    const cases = await page.evaluate(async () => (await (await fetch('/api/v1/cases')).json()).cases || []);
    const mine = cases.find((c) => c.label === 'KU-MM-001');
    check(mine, `alice does not see KU-MM-001 (${cases.map((c) => c.label).join(', ')})`);
    context.caseId = mine.id;
    await page.goto(`${BASE_URL}/#/cases/${mine.id}`);
    await page.locator(byTestId('case-detail')).waitFor({ state: 'visible' });
    await page.locator(byTestId('match-peers-toggle')).waitFor({ state: 'visible' });
  }],
  ['searching other nodes lists each node; restricted data is not sent', async () => {
    const page = context.page;
    await page.locator(byTestId('match-section')).locator('p, ol').first().waitFor();
    await page.check(byTestId('match-peers-toggle'));
    await page.locator(byTestId('peer-section')).waitFor({ state: 'visible' });
    for (const node of ['bt-intl', 'bt-dom']) {
      const line = page.locator(`${byTestId('peer-status')}[data-node="${node}"]`);
      check(await line.count() === 1, `no status line for ${node}`);
      check(await line.getAttribute('data-status') === 'withheld', `${node}: ${await line.getAttribute('data-status')}`);
      check(((await line.textContent()) || '').includes('only open-tier'), `${node}: no reason shown`);
    }
    check(await page.locator(byTestId('remote-result')).count() === 0, 'a withheld node produced results');
    const local = await page.locator(byTestId('match-results')).count() + await page.locator(byTestId('match-empty')).count();
    check(local === 1, 'the local similar cases disappeared');
    await screenshot('mme-peers.png');
  }],
];

await runTests(context, tests, {
  globalTimeoutMs: 60_000,
  stopAfterFailure: true,
  skip: process.env.GENOSHARE_URL && PASSWORD ? await hpoMissing() : '',
  missing: BIN && DB ? '' : 'GENOSHARE_BIN and GENOSHARE_DB are not set (run tests/browser/run.sh)',
});
