// inbox.test.mjs — match notifications in headless Chromium against the demo server: carol
// (Seoul) registers a case in the TB consortium dataset she submits to, alice (Kyoto, also in
// that consortium) registers a matching case (same phenotype and gene) in the rare-disease
// dataset; alice's Inbox names carol's case as unread with the score, links to both cases
// and the explanation (matched terms with their MICA, the shared gene), the navigation shows
// the unread count; marking it read works (and the count follows); the page reads in Japanese; and carol, who may not read the rare-disease dataset,
// is never told about alice's case.
//
// Needs an HPO release in the demo database (genoshare demo with the public data directory):
// without one each test prints "SKIP <name>: <reason>" and the file passes.
//
// One "PASS <name>" / "FAIL <name>: <reason>" line per test, in order (each builds on the
// last); exit 0 only if all pass. A global 100 s timer and 10 s per action keep it from hanging.

import {
  BASE_URL, byTestId, check, hpoMissing, newPage, runTests, screenshot as screenshotOf, submitLogin,
} from './harness.mjs';

const PASSWORD = process.env.DEMO_PASSWORD || '';
const GLOBAL_TIMEOUT_MS = 100_000;
const CAROL_LABEL = 'BT-INBOX-CAROL';
const ALICE_LABEL = 'BT-INBOX-ALICE';

const context = { browser: null, page: null, pageErrors: [], aliceCase: null, carolCase: null };
const screenshot = (name) => screenshotOf(context.page, name);

async function signIn(user) {
  if (context.page) await context.page.context().close();
  const page = await newPage(context);
  context.page = page;
  await page.goto(`${BASE_URL}/#/home`);
  await page.locator(byTestId('login-user')).waitFor({ state: 'visible' });
  await submitLogin(page, user, PASSWORD);
  await page.locator(byTestId('home-title')).waitFor({ state: 'visible' });
}

async function addFeature(text, id) {
  const page = context.page;
  await page.fill(byTestId('case-feature-input'), text);
  const option = page.locator(`${byTestId('case-feature-suggestion')}[data-term-id="${id}"]`);
  await option.waitFor({ state: 'visible' });
  await option.click();
  await page.locator(`${byTestId('case-feature-chip')}[data-term-id="${id}"]`).waitFor({ state: 'visible' });
}

// Registers a case through the Matchmaking form; returns its id (from #/cases/ID).
async function registerCase(dataset, label) {
  const page = context.page;
  await page.goto(`${BASE_URL}/#/cases`);
  await page.locator(byTestId('case-form')).waitFor({ state: 'visible' });
  await addFeature('seiz', 'HP:0001250');
  await addFeature('HP:0000252', 'HP:0000252');
  await addFeature('HP:0001263', 'HP:0001263');
  await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid="case-dataset"] option')].some((o) => o.value === name), dataset);
  await page.selectOption(byTestId('case-dataset'), dataset);
  await page.selectOption(byTestId('case-scope'), 'international');
  await page.fill(byTestId('case-label'), label);
  await page.fill(byTestId('case-genes'), 'SCN1A');
  await page.click(byTestId('case-create'));
  await page.waitForFunction(() => /^#\/cases\/\d+$/.test(location.hash));
  await page.locator(byTestId('case-detail')).waitFor({ state: 'visible' });
  return Number((await page.evaluate(() => location.hash)).split('/')[2]);
}

// The inbox items naming the case labelled `label` as the other case (after the list loaded),
// about own case ownId when given (alice's earlier cases may match too).
async function itemAbout(label, ownId) {
  const page = context.page;
  await page.goto(`${BASE_URL}/#/inbox`);
  await page.locator(byTestId('inbox-title')).waitFor({ state: 'visible' });
  await page.locator(`${byTestId('inbox-list')}, ${byTestId('inbox-empty')}`).first().waitFor({ state: 'visible' });
  let items = page.locator(byTestId('inbox-item')).filter({ has: page.locator(byTestId('inbox-other-case'), { hasText: label }) });
  if (ownId) items = items.filter({ has: page.locator(`${byTestId('inbox-own-case')}[href="#/cases/${ownId}"]`) });
  return items;
}

const tests = [
  ['carol registers a case in her consortium dataset', async () => {
    await signIn('carol');
    context.carolCase = await registerCase('tb-isolates-asia', CAROL_LABEL);
    check(context.carolCase > 0, 'no case id');
  }],
  ['alice registers a matching case', async () => {
    await signIn('alice');
    context.aliceCase = await registerCase('rare-disease-cases', ALICE_LABEL);
    check(context.aliceCase > context.carolCase, 'unexpected case id');
  }],
  ["alice's inbox names carol's case, unread, with links to both cases", async () => {
    const page = context.page;
    const link = page.locator(byTestId('nav-inbox'));
    check(await link.count() === 1, 'no navigation link nav-inbox');
    const item = await itemAbout(CAROL_LABEL, context.aliceCase);
    check(await item.count() === 1, `no notification about ${CAROL_LABEL} for case ${context.aliceCase}`);
    check(await item.getAttribute('data-read') === 'false', 'the notification is not unread');
    check(await item.locator(byTestId('inbox-own-case')).getAttribute('href') === `#/cases/${context.aliceCase}`, 'own case link wrong');
    check(await item.locator(byTestId('inbox-other-case')).getAttribute('href') === `#/cases/${context.carolCase}`, 'other case link wrong');
    const score = (await item.locator(byTestId('inbox-score')).textContent()) || '';
    check(Number(score) >= 2, `score "${score}" below the default threshold`);
    const count = (await page.locator(byTestId('inbox-count')).textContent()) || '';
    check(/[1-9]\d* unread/.test(count), `count line "${count}" shows nothing unread`);
    const badge = page.locator(byTestId('nav-inbox-unread'));
    await badge.waitFor({ state: 'visible' });
    check(count.startsWith(`${((await badge.textContent()) || '').trim()} unread`), `navigation count "${await badge.textContent()}" differs from "${count}"`);
  }],
  ['the explanation shows matched terms with a MICA and the shared gene', async () => {
    const page = context.page;
    const item = await itemAbout(CAROL_LABEL, context.aliceCase);
    const explanation = item.locator(byTestId('inbox-explanation'));
    await explanation.locator('summary').click();
    const mica = explanation.locator(byTestId('inbox-mica')).first();
    await mica.waitFor({ state: 'visible' });
    check(((await mica.textContent()) || '').trim().length > 0, 'matched pair without a MICA label');
    check(await explanation.locator(byTestId('inbox-pair')).count() >= 2, 'fewer than two matched pairs');
    check(((await explanation.locator(byTestId('inbox-genes')).textContent()) || '').includes('SCN1A'), 'shared gene SCN1A not shown');
    await screenshot('inbox-en.png');
    await item.locator(byTestId('inbox-other-case')).click();
    await page.locator(byTestId('case-detail')).waitFor({ state: 'visible' });
    check(((await page.locator(byTestId('case-label-value')).textContent()) || '') === CAROL_LABEL, "the link does not open carol's case");
  }],
  ['marking it read', async () => {
    const page = context.page;
    const item = await itemAbout(CAROL_LABEL, context.aliceCase);
    const id = await item.getAttribute('data-id');
    await item.locator(byTestId('inbox-mark-read')).click();
    await page.locator(`${byTestId('inbox-item')}[data-id="${id}"][data-read="true"]`).waitFor({ state: 'visible' });
    check(await page.locator(`${byTestId('inbox-item')}[data-id="${id}"] ${byTestId('inbox-mark-read')}`).count() === 0, 'still offers "mark read"');
    const count = (await page.locator(byTestId('inbox-count')).textContent()) || '';
    const unread = Number(count.split(' ')[0]);
    const badge = page.locator(byTestId('nav-inbox-unread'));
    if (unread > 0) check(((await badge.textContent()) || '').trim() === String(unread), 'navigation count not updated after mark read');
    else check(await badge.count() === 0, 'navigation count shown with nothing unread');
  }],
  ['the inbox reads in Japanese', async () => {
    const page = context.page;
    await page.selectOption(byTestId('lang-switch'), 'ja');
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    check(((await page.locator(byTestId('inbox-title')).textContent()) || '') === '受信箱', 'title not in Japanese');
    check(((await page.locator(byTestId('nav-inbox')).textContent()) || '') === '受信箱', 'navigation not in Japanese');
    await screenshot('inbox-ja.png');
    await page.selectOption(byTestId('lang-switch'), 'en');
  }],
  ["carol is not told about alice's case she may not see", async () => {
    await signIn('carol');
    const item = await itemAbout(ALICE_LABEL);
    check(await item.count() === 0, 'carol is told about a case of a dataset she may not read');
    const text = (await context.page.locator('main').textContent()) || '';
    check(!text.includes(ALICE_LABEL), "alice's case label appears in carol's inbox");
  }],
];

// Without an HPO release the matchmaking features cannot work: SKIP every test, with the reason.
await runTests(context, tests, {
  skip: process.env.GENOSHARE_URL && PASSWORD ? await hpoMissing() : '',
  globalTimeoutMs: GLOBAL_TIMEOUT_MS,
  missing: PASSWORD ? '' : 'DEMO_PASSWORD must be set',
  stopAfterFailure: true,
});
