// tb.test.mjs — the tuberculosis page in headless Chromium against the demo server. Three
// isolates with VCFs, DST and MICs are imported into the demo's restricted TB dataset through
// the command line (tests/fixtures/tb), beside whatever isolates the demo loaded (with the
// public data: WHO's dev isolates and genomes derived from por5A1, far from the fixtures, so
// the checks look at the fixtures' rows and clusters); alice (a tb-asia member) sees them in the list, opens
// one (DST, MIC and variant tables), views the clusters at 5 SNPs (table and drawn network)
// and the Newick tree, runs the marker search (the server's answer, or its error when no
// catalogue is configured, is shown), registers a named isolate over the API and sees its
// resistance report (when the WHO catalogue is among the public data), and switches to
// Japanese.
//
// One "PASS <name>" / "FAIL <name>: <reason>" line per test, in order; exit 0 only if all pass.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  BASE_URL, byTestId, check, newPage, runTests, screenshot as screenshotOf, submitLogin,
} from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || '';
const BIN = process.env.GENOSHARE_BIN || '';
const DB = process.env.GENOSHARE_DB || '';
const GLOBAL_TIMEOUT_MS = 100_000;
const DATASET = 'tb-isolates-asia';
const FIX = 'tests/fixtures/tb';
const DATA = process.env.GENOSHARE_DATA || '../shared/data';

const context = { browser: null, page: null, pageErrors: [] };
const screenshot = (name) => screenshotOf(context.page, name);

async function signIn(user) {
  const page = await newPage(context);
  context.page = page;
  await page.goto(`${BASE_URL}/#/home`);
  await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
  await submitLogin(page, user, PASSWORD);
  await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
}

const tests = [
  ['isolates imported into the demo TB dataset', async () => {
    check(BIN && DB, 'GENOSHARE_BIN and GENOSHARE_DB must be set');
    const out = execFileSync(BIN, ['tb', 'isolate', 'import', `${FIX}/isolates.tsv`, '--dataset', DATASET,
      '--dst', `${FIX}/dst.tsv`, '--mic', `${FIX}/mic.tsv`, '--mask', `${FIX}/mask.bed`, '--db', DB],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    check(out.includes('imported 3 isolates'), `import said: ${out}`);
  }],
  ['alice sees the isolates', async () => {
    await signIn('alice');
    const link = context.page.locator(byTestId('nav-tb'));
    check(await link.count() === 1, 'no navigation link nav-tb');
    await context.page.goto(`${BASE_URL}/#/tb`);
    await context.page.locator(byTestId('tb-isolates-table')).waitFor({ state: 'visible' });
    await context.page.locator(byTestId('tb-isolate-row')).first().waitFor({ state: 'visible' });
    for (const name of ['TB-001', 'TB-002', 'TB-003']) {
      const rows = context.page.locator(byTestId('tb-isolate-row')).filter({ hasText: name });
      check(await rows.count() === 1, `expected one row for ${name}`);
    }
    await screenshot('tb-list.png');
  }],
  ['an isolate page shows DST, MIC and variants', async () => {
    const page = context.page;
    const row = page.locator(byTestId('tb-isolate-row')).filter({ hasText: 'TB-001' });
    await row.locator('a').first().click();
    await page.locator(byTestId('tb-isolate-detail')).waitFor({ state: 'visible' });
    check(((await page.locator(byTestId('tb-isolate-name')).textContent()) || '').includes('TB-00'), 'no isolate name');
    await page.locator(byTestId('tb-variant-row')).first().waitFor({ state: 'visible' });
    const name = (await page.locator(byTestId('tb-isolate-name')).textContent()) || '';
    // the resistance report: per-drug calls, or why there are none (VCF calls not named yet)
    const report = await page.locator(`${byTestId('tb-resistance')}, ${byTestId('tb-resistance-note')}`).count();
    check(report === 1, 'no resistance report section');
    if (name.includes('TB-001')) {
      check(await page.locator(`${byTestId('tb-dst-row')}[data-drug="rifampicin"]`).count() === 1, 'no rifampicin DST row');
      check(await page.locator(byTestId('tb-mic-row')).count() === 1, 'no MIC row');
    }
    await screenshot('tb-isolate.png');
  }],
  ['clusters at 5 SNPs: table, network and tree', async () => {
    const page = context.page;
    await page.goto(`${BASE_URL}/#/tb/clusters`);
    await page.locator(byTestId('tb-clusters-table')).waitFor({ state: 'visible' });
    // the members of TB-001's cluster (the demo's own isolates form clusters of their own)
    const clusterOf = (name) => page.locator(byTestId('tb-cluster-row')).evaluateAll((rows, n) => {
      const mine = rows.find((r) => r.dataset.isolate === n);
      return mine ? rows.filter((r) => r.dataset.cluster === mine.dataset.cluster).map((r) => r.dataset.isolate).sort() : [];
    }, name);
    const members = await clusterOf('TB-001');
    check(JSON.stringify(members) === JSON.stringify(['TB-001', 'TB-002']), `cluster at 5: ${members}`);
    const clustered = await page.locator(byTestId('tb-cluster-row')).count();
    check(await page.locator(`${byTestId('tb-network')} ${byTestId('tb-node')}`).count() === clustered,
      'the network does not draw one node per clustered isolate');
    const edges = await page.locator(`${byTestId('tb-network')} ${byTestId('tb-edge')}`).count();
    check(edges >= 1 && edges <= clustered * (clustered - 1) / 2, `network edges: ${edges}`);
    const newick = (await page.locator(byTestId('tb-newick')).textContent()) || '';
    check(/^\(.*TB-003.*\);$/.test(newick.trim()), `no Newick tree: ${newick}`);
    await page.fill(byTestId('tb-threshold'), '12');
    await page.click(byTestId('tb-clusters-submit'));
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="tb-cluster-row"]')];
      const mine = rows.find((r) => r.dataset.isolate === 'TB-001');
      return mine && rows.filter((r) => r.dataset.cluster === mine.dataset.cluster).length === 3
        && rows.some((r) => r.dataset.isolate === 'TB-003' && r.dataset.cluster === mine.dataset.cluster);
    });
    await screenshot('tb-clusters.png');
  }],
  ['marker search answers', async () => {
    const page = context.page;
    await page.goto(`${BASE_URL}/#/tb/markers`);
    await page.selectOption(byTestId('tb-drug'), 'rifampicin');
    await page.click(byTestId('tb-markers-submit'));
    await page.waitForFunction(() => document.querySelector('[data-testid="tb-markers-table"]')
      || !document.querySelector('[data-testid="tb-markers-error"]').hidden);
    const error = page.locator(byTestId('tb-markers-error'));
    if (await error.isVisible()) {
      check(((await error.textContent()) || '').includes('catalogue'), `unexpected error: ${await error.textContent()}`);
    } else {
      check(((await page.locator(byTestId('tb-markers-summary')).textContent()) || '').includes('rifampicin'), 'no summary');
    }
    await screenshot('tb-markers.png');
  }],
  ['a named isolate registered over the API gets a resistance report', async () => {
    const page = context.page;
    const catalogue = `${DATA}/tb/who2023.tbdb-6aed5d9.mutations.csv.gz`;
    if (!existsSync(catalogue)) return; // no public data: the note path was checked above
    execFileSync(BIN, ['tb', 'catalogue', 'load', catalogue, '--version', 'who2023', '--db', DB],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    const created = await page.evaluate(async (dataset) => {
      const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
      const response = await fetch('/api/v1/tb/isolates', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token || '' },
        body: JSON.stringify({ dataset, isolates: [{ isolate: 'TB-NAMED', year: 2024, country: 'JP',
          variants: [{ gene: 'rpoB', name: 'p.Ser450Leu', effect: 'missense_variant', af: 1 }] }] }),
      });
      return { status: response.status, body: await response.json() };
    }, DATASET);
    check(created.status === 201, `POST isolate: ${created.status} ${JSON.stringify(created.body)}`);
    await page.goto(`${BASE_URL}/#/tb/${created.body.isolates[0].id}`);
    await page.locator(byTestId('tb-calls-table')).waitFor({ state: 'visible' });
    check(await page.locator(`${byTestId('tb-call-row')}[data-drug="rifampicin"][data-call="R"]`).count() === 1,
      'rifampicin is not called R');
    check(((await page.locator(byTestId('tb-resistance-type')).textContent()) || '').includes('RR-TB'), 'type is not RR-TB');
    await screenshot('tb-report.png');
  }],
  ['in Japanese the page is Japanese', async () => {
    const page = context.page;
    await page.selectOption(byTestId('lang-switch'), 'ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    await page.goto(`${BASE_URL}/#/tb`);
    await page.locator(byTestId('tb-isolates-table')).waitFor({ state: 'visible' });
    check(((await page.locator(byTestId('tb-title')).textContent()) || '').includes('結核菌株'), 'title not in Japanese');
    await page.selectOption(byTestId('lang-switch'), 'en');
  }],
];

runTests(context, tests, {
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  missing: PASSWORD ? '' : 'DEMO_PASSWORD is not set',
  stopAfterFailure: true,
  harnessName: 'tb harness',
});
