// variants.test.mjs — the variant knowledge base pages in headless Chromium against the demo
// server: alice searches BRCA1 (the page's total is the API's, every row is BRCA1, the
// reference sources appear as columns), opens a variant held by ClinVar and 1000 Genomes (its
// aggregate, its ClinVar submission, and the sources side by side, with the 1000 Genomes
// allele frequency equal to what bcftools reads from the file); uploads a TSV with bad lines
// (the report names exactly those lines and nothing is stored); uploads a good one (pending,
// hidden from carol), bob accepts it in the curator queue (and returns the demo's pending
// batch whole, with a comment alice then reads), and carol then finds it.
//
// Needs the demo's variant data (genoshare demo with the public data directory): without it
// each test prints "SKIP <name>: <reason>" and the file passes.
//
// One "PASS <name>" / "FAIL <name>: <reason>" line per test, in order (each builds on the
// last); exit 0 only if all pass. A global 100 s timer and 10 s per action keep it from hanging.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  BASE_URL, byTestId, check, runTests, screenshot as screenshotOf, signedInPage,
} from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || '';
const GLOBAL_TIMEOUT_MS = 100_000;
const DATA = process.env.GENOSHARE_DATA || '../shared/data';
const THOUSAND_GENOMES = `${DATA}/variants/1000G_phase3_GRCh38lifted_BRCA1region.vcf.gz`;
const DATASET = 'public-variant-summary'; // kyoto-u's open variant dataset in the demo

const context = { browser: null, page: null, pages: {}, pageErrors: [], site: null, upload: null };
const screenshot = (name) => screenshotOf(context.page, name);

// Signs in as user in a fresh browser context (own cookies and storage); the test goes on on
// that page. Each user's page stays open (context.pages) so alice can come back to hers.
async function signIn(user) {
  context.page = await signedInPage(context, user, PASSWORD);
  context.pages[user] = context.page;
  return context.page;
}

// GET path as the user signed in on page; { status, body }.
async function apiAs(page, path) {
  return page.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    return { status: response.status, body: await response.json().catch(() => null) };
  }, path);
}

async function searchVariants(page, fields) {
  await page.goto(`${BASE_URL}/#/variants`);
  await page.locator(byTestId('variant-search-form')).waitFor({ state: 'visible' });
  for (const [name, value] of Object.entries(fields)) await page.fill(byTestId(`variant-search-${name}`), value);
  await page.click(byTestId('variant-search-submit'));
  await page.locator(`${byTestId('variant-table')} tbody tr`).first().waitFor({ state: 'visible' });
}

// The 1000 Genomes SNV sites (bcftools reads the file: the test's own oracle) that ClinVar
// also holds are candidates, with their overall allele frequency.
function siteCandidates() {
  const out = execFileSync('bcftools', ['query', '-f', '%CHROM\t%POS\t%REF\t%ALT\t%AF\n', THOUSAND_GENOMES], { encoding: 'utf8' });
  return out.trim().split('\n').map((line) => {
    const [chrom, pos, ref, alt, af] = line.split('\t');
    return { chrom, pos: Number(pos), ref, alt, af: Number(af) };
  }).filter((s) => s.ref.length === 1 && s.alt.length === 1); // SNVs: the upload tests vary ALT
}

function tsv(rows) {
  const header = ['chrom', 'pos', 'ref', 'alt', 'gene', 'classification', 'condition_ids', 'condition_name', 'disease_area', 'evidence'];
  return `${[header.join('\t'), ...rows.map((row) => row.join('\t'))].join('\n')}\n`;
}

async function upload(page, name, text) {
  await page.goto(`${BASE_URL}/#/variant-submit`);
  await page.locator(byTestId('vsubmit-form')).waitFor({ state: 'visible' });
  await page.waitForFunction((d) => [...document.querySelectorAll('[data-testid="vsubmit-dataset"] option')].some((o) => o.value === d), DATASET);
  await page.selectOption(byTestId('vsubmit-dataset'), DATASET);
  await page.setInputFiles(byTestId('vsubmit-file'), { name, mimeType: 'text/tab-separated-values', buffer: Buffer.from(text) });
  await page.click(byTestId('vsubmit-send'));
  const report = page.locator(byTestId('submit-report'));
  await report.waitFor({ state: 'visible' });
  return report;
}

const tests = [
  ['alice searches BRCA1: totals, genes and source columns', async () => {
    const page = await signIn('alice');
    const link = page.locator(byTestId('nav-variants'));
    check(await link.count() === 1, 'no navigation link nav-variants');
    await searchVariants(page, { gene: 'BRCA1' });
    const api = await apiAs(page, '/api/v1/variants?gene=BRCA1&limit=1');
    check(api.status === 200 && api.body.total > 0, `API search failed: ${api.status}`);
    const total = (await page.locator(`${byTestId('variant-total')} span`).first().textContent()) || '';
    check(total === `${api.body.total.toLocaleString('en')} variants`, `page total "${total}" is not the API's ${api.body.total}`);
    const genes = await page.locator(byTestId('variant-gene')).allTextContents();
    check(genes.length === Math.min(25, api.body.total), `expected a page of ${Math.min(25, api.body.total)} rows, got ${genes.length}`);
    check(genes.every((g) => g === 'BRCA1'), `a row outside BRCA1: ${genes.find((g) => g !== 'BRCA1')}`);
    const sources = await apiAs(page, '/api/v1/sources');
    const names = sources.body.sources.map((s) => s.name);
    await page.locator(byTestId('variant-source-head')).first().waitFor({ state: 'visible' });
    const heads = await page.locator(byTestId('variant-source-head')).allTextContents();
    check(heads.join(',') === names.slice().sort().join(',') || heads.slice().sort().join(',') === names.slice().sort().join(','), `source columns "${heads}" are not the registered sources "${names}"`);
    check(await page.locator(byTestId('variant-export-vcf')).getAttribute('href') === '/api/v1/variants?gene=BRCA1&format=vcf', 'VCF export link does not carry the search');
    // the next page moves the window
    await page.click(byTestId('variant-page-next'));
    await page.waitForFunction(() => /offset=25/.test(decodeURIComponent(location.hash)));
    await page.locator(byTestId('variant-page-info')).filter({ hasText: '26' }).waitFor();
    await screenshot('variants-search-en.png');
  }],
  ['variant page: aggregate, ClinVar submission and sources side by side', async () => {
    const page = context.page;
    let site = null;
    for (const candidate of siteCandidates()) {
      const q = `/api/v1/variants?chrom=${candidate.chrom}&start=${candidate.pos}&ref=${candidate.ref}&alt=${candidate.alt}`;
      const found = await apiAs(page, q);
      if (found.status === 200 && found.body.total === 1) { site = { ...candidate, id: found.body.results[0].id }; break; }
    }
    check(site, 'no 1000 Genomes site is in the ClinVar submissions');
    context.site = site;
    await searchVariants(page, { region: `${site.chrom}:${site.pos}-${site.pos}` });
    await page.locator(`${byTestId('variant-row')}[data-variant-id="${site.id}"] ${byTestId('variant-link')}`).click();
    await page.locator(byTestId('variant-aggregate')).waitFor({ state: 'visible' });
    check(await page.evaluate(() => location.hash) === `#/variants/${site.id}`, 'the link does not lead to the variant page');
    const detail = (await apiAs(page, `/api/v1/variants/${site.id}`)).body;
    const shown = (await page.locator(byTestId('variant-aggregate-classification')).textContent()) || '';
    check(shown.trim() === detail.aggregate.classification, `aggregate "${shown}" is not the API's "${detail.aggregate.classification}"`);
    const starsShown = await page.locator(`${byTestId('variant-aggregate-review')} ${byTestId('variant-stars')}`).getAttribute('data-stars');
    check(starsShown === String(detail.aggregate.stars), `stars ${starsShown} are not the API's ${detail.aggregate.stars}`);
    const clinvarRow = page.locator(byTestId('variant-submission')).filter({ has: page.locator(byTestId('submission-submitter'), { hasText: 'ClinVar' }) });
    check(await clinvarRow.count() === 1, 'no ClinVar submission row');
    check(((await clinvarRow.locator(byTestId('submission-state')).textContent()) || '') === 'Accepted', 'the ClinVar submission is not shown accepted');
    const submitted = ((await clinvarRow.locator(byTestId('submission-classification')).textContent()) || '').trim();
    // sources: ClinVar's own file says the same as the ClinVar submission; 1000G's AF is bcftools'
    await page.locator(byTestId('variant-sources')).waitFor({ state: 'visible' });
    const clinvarCard = page.locator(`${byTestId('variant-source')}[data-source^="clinvar"]`);
    check(await clinvarCard.count() === 1, 'no ClinVar source card');
    const significance = ((await clinvarCard.locator(byTestId('source-significance')).textContent()) || '').trim();
    check(significance === submitted, `ClinVar source says "${significance}", its submission "${submitted}"`);
    const kgCard = page.locator(`${byTestId('variant-source')}[data-source^="1000genomes"]`);
    const all = kgCard.locator(`${byTestId('source-frequency')}[data-population="ALL"] td.numeric`);
    const af = Number(await all.textContent());
    check(Math.abs(af - site.af) <= 1e-3 * Math.max(site.af, 1e-6), `1000 Genomes AF ${af} differs from bcftools' ${site.af}`);
    check(await kgCard.locator(byTestId('source-frequency')).count() > 1, 'no per-population frequencies');
    await screenshot('variants-detail-en.png');
  }],
  ['Japanese: the variant page translates, server text stays', async () => {
    const page = context.page;
    await page.selectOption(byTestId('lang-switch'), 'ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    check(((await page.locator(byTestId('variants-title')).textContent()) || '') === `バリアント ${context.site.id}`, 'title not in Japanese');
    check(((await page.locator(byTestId('variant-gene-value')).textContent()) || '') === 'BRCA1', 'gene changed with the language');
    const status = (await apiAs(page, `/api/v1/variants/${context.site.id}`)).body.aggregate.review_status;
    const review = (await page.locator(byTestId('variant-aggregate-review')).textContent()) || '';
    check(!review.includes(status) && /[\u3040-\u30ff\u4e00-\u9fff]/.test(review), `review status "${review}" not translated`);
    await screenshot('variants-detail-ja.png');
    await page.selectOption(byTestId('lang-switch'), 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
  }],
  ['a file with bad lines: the report names them and nothing is stored', async () => {
    const page = context.page;
    const site = context.site;
    // an allele at a real ClinVar/1000G position (so REF is the reference base) that no one holds
    let alt = null;
    for (const base of ['A', 'C', 'G', 'T']) {
      if (base === site.ref) continue;
      const found = await apiAs(page, `/api/v1/variants?chrom=${site.chrom}&start=${site.pos}&ref=${site.ref}&alt=${base}`);
      if (found.status === 200 && found.body.total === 0) { alt = base; break; }
    }
    check(alt, 'every allele at the site is already held');
    context.upload = { ...site, alt };
    const good = [site.chrom, String(site.pos), site.ref, alt, 'BRCA1', 'Likely pathogenic', 'MONDO:0011450', 'Breast-ovarian cancer, familial, susceptibility to, 1', 'cancer', 'browser test'];
    const rows = [good, [...good.slice(0, 5), 'Pathogenicish', ...good.slice(6)], [site.chrom, 'not-a-position', ...good.slice(2)]];
    const badLines = [3, 4]; // line 1 is the header
    const report = await upload(page, 'bad.tsv', tsv(rows));
    check(await report.getAttribute('data-stored') === 'false', 'the bad file was stored');
    await page.locator(byTestId('submit-report-nothing')).waitFor({ state: 'visible' });
    const errorLines = await page.locator(`${byTestId('report-item')}[data-level="error"]`).evaluateAll((items) => items.map((i) => Number(i.dataset.line)));
    check(JSON.stringify(errorLines) === JSON.stringify(badLines), `error lines ${JSON.stringify(errorLines)}, expected ${JSON.stringify(badLines)}`);
    const messages = await page.locator(`${byTestId('report-item')}[data-level="error"] ${byTestId('report-message')}`).allTextContents();
    check(/Pathogenicish/.test(messages[0]), `line 3's message does not name the bad classification: "${messages[0]}"`);
    const after = await apiAs(page, `/api/v1/variants?chrom=${site.chrom}&start=${site.pos}&ref=${site.ref}&alt=${alt}`);
    check(after.status === 200 && after.body.total === 0, 'the good line of a refused file was stored');
    check(await page.locator(byTestId('my-batch')).count() === 0, 'a refused file is listed in my submissions');
    check(await page.locator(byTestId('my-batches-empty')).count() === 1, 'my submissions does not say it is empty');
    await screenshot('variants-report-refused.png');
  }],
  ['a good file: stored pending, shown to alice, hidden from carol', async () => {
    const page = context.page;
    const u = context.upload;
    const report = await upload(page, 'good.tsv', tsv([[u.chrom, String(u.pos), u.ref, u.alt, 'BRCA1', 'Likely pathogenic', 'MONDO:0011450', 'Breast-ovarian cancer, familial, susceptibility to, 1', 'cancer', 'browser test']]));
    check(await report.getAttribute('data-stored') === 'true', 'the good file was refused');
    const batch = await report.getAttribute('data-batch');
    await page.locator(`${byTestId('my-batch')}[data-batch="${batch}"] ${byTestId('my-batch-summary')}`).filter({ hasText: 'Submissions: 1 (' }).waitFor();
    await page.locator(`${byTestId('my-batch')}[data-batch="${batch}"] ${byTestId('my-batch-status')}[data-pending="1"][data-accepted="0"]`).waitFor();
    u.batch = batch;
    await searchVariants(page, { region: `${u.chrom}:${u.pos}-${u.pos}` });
    const mine = await apiAs(page, `/api/v1/variants?chrom=${u.chrom}&start=${u.pos}&ref=${u.ref}&alt=${u.alt}`);
    check(mine.body.total === 1, 'alice does not see her own pending submission');
    u.id = mine.body.results[0].id;
    await page.locator(`${byTestId('variant-row')}[data-variant-id="${u.id}"] ${byTestId('variant-link')}`).click();
    const row = page.locator(byTestId('variant-submission')).first();
    await row.waitFor({ state: 'visible' });
    check(await row.getAttribute('data-state') === 'pending', 'alice\'s submission is not pending');
    const carol = await signIn('carol');
    const hidden = await apiAs(carol, `/api/v1/variants?chrom=${u.chrom}&start=${u.pos}&ref=${u.ref}&alt=${u.alt}`);
    check(hidden.status === 200 && hidden.body.total === 0, 'carol sees a pending submission of another institution');
  }],
  ['bob accepts it in the curator queue and returns a whole batch; carol then finds it', async () => {
    const u = context.upload;
    const bob = await signIn('bob');
    await bob.goto(`${BASE_URL}/#/variant-submit`);
    await bob.locator(byTestId('queue-table')).waitFor({ state: 'visible' });
    const row = bob.locator(`${byTestId('queue-row')}[data-variant-id="${u.id}"]`);
    check(await row.count() === 1, 'the pending submission is not in bob\'s queue');
    // returning needs a comment: the page says so and keeps the row
    await row.locator(byTestId('queue-return')).click();
    await row.locator(byTestId('queue-error')).waitFor({ state: 'visible' });
    await screenshot('variants-queue.png');
    await row.locator(byTestId('queue-accept')).click();
    await bob.locator(`${byTestId('queue-row')}[data-variant-id="${u.id}"]`).waitFor({ state: 'detached' });
    // the demo's other pending batch goes back whole, with the curator's comment
    const batch = bob.locator(byTestId('queue-batch')).first();
    await batch.waitFor({ state: 'visible' });
    const batchId = await batch.getAttribute('data-batch');
    const members = await bob.locator(`${byTestId('queue-row')}[data-batch="${batchId}"]`).evaluateAll((rows) => rows.map((r) => r.dataset.submissionId));
    check(members.length >= 1, `batch ${batchId} has no rows in the queue`);
    await batch.locator(byTestId('queue-batch-return')).click();
    await batch.locator(byTestId('queue-batch-error')).waitFor({ state: 'visible' });
    await batch.locator(byTestId('queue-batch-comment')).fill('please add the segregation data');
    await batch.locator(byTestId('queue-batch-return')).click();
    await bob.locator(`${byTestId('queue-row')}[data-batch="${batchId}"]`).first().waitFor({ state: 'detached' });
    check(await bob.locator(`${byTestId('queue-row')}[data-batch="${batchId}"]`).count() === 0, `rows of batch ${batchId} are still queued`);
    const submitter = context.pages.alice;
    for (const id of members) {
      const returned = await apiAs(submitter, `/api/v1/variants/curation/${id}`);
      check(returned.status === 200 && returned.body.state === 'returned' && returned.body.comment === 'please add the segregation data',
        `submission ${id} is not returned with the comment: ${JSON.stringify(returned.body && [returned.body.state, returned.body.comment])}`);
    }
    const carol = await signIn('carol');
    await searchVariants(carol, { region: `${u.chrom}:${u.pos}-${u.pos}` });
    const found = carol.locator(`${byTestId('variant-row')}[data-variant-id="${u.id}"]`);
    check(await found.count() === 1, 'carol does not find the accepted submission');
    await found.locator(byTestId('variant-link')).click();
    const submission = carol.locator(byTestId('variant-submission')).first();
    await submission.waitFor({ state: 'visible' });
    check(await submission.getAttribute('data-state') === 'accepted', 'the submission is not shown accepted');
    check(((await submission.locator(byTestId('submission-submitter')).textContent()) || '').includes('kyoto-u'), 'the submitter is not alice\'s institution');
    // alice's "my submissions" now counts it accepted
    await submitter.goto(`${BASE_URL}/#/variant-submit`);
    await submitter.locator(`${byTestId('my-batch')}[data-batch="${u.batch}"] ${byTestId('my-batch-status')}[data-pending="0"][data-accepted="1"]`).waitFor();
  }],
];

// Without the demo's variant data (no public data directory) the pages have nothing to show.
async function variantsMissing() {
  if (!existsSync(THOUSAND_GENOMES)) return `${THOUSAND_GENOMES} is absent`;
  const response = await fetch(`${BASE_URL}/api/v1/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: PASSWORD }),
  });
  const cookie = (response.headers.get('set-cookie') || '').split(';')[0];
  const sources = await fetch(`${BASE_URL}/api/v1/sources`, { headers: { Cookie: cookie } }).then((r) => r.json()).catch(() => ({}));
  return sources && Array.isArray(sources.sources) && sources.sources.length >= 2 ? '' : 'the demo database has no reference sources (genoshare demo without the public data directory)';
}

await runTests(context, tests, {
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  missing: PASSWORD ? '' : 'DEMO_PASSWORD must be set',
  skip: process.env.GENOSHARE_URL && PASSWORD ? await variantsMissing().catch((e) => String(e.message)) : '',
  stopAfterFailure: true,
});
