// app.js — the genoshare web shell: session (login, /me, logout), hash routing, navigation,
// language switching and the home and datasets pages. No framework and no build step.
// Text comes from i18n.js by key; server data is only ever written with textContent.

import { LANGUAGES, hasMessage, languageFromBrowser, translate } from './i18n.js';

const LANG_STORAGE_KEY = 'genoshare.lang';
const DEFAULT_ROUTE = 'home';

// The navigation bar. A capability adds one entry here and one page in PAGES below.
//   { route: 'matchmaking', key: 'nav.matchmaking' }, { route: 'variants', key: 'nav.variants' },
//   { route: 'tuberculosis', key: 'nav.tuberculosis' }, { route: 'policy', key: 'nav.policy' }
const NAV_ITEMS = [
  { route: 'home', key: 'nav.home' },
  { route: 'datasets', key: 'nav.datasets' },
];

const TIERS = ['restricted', 'controlled', 'open'];

// The whole client state. The CSRF token lives only in memory, never in storage.
const state = {
  lang: 'en',
  user: null,
  csrfToken: null,
  version: null,
  titleKey: 'loading',
  renderId: 0, // bumped on each page render so late responses of an old page are dropped
};

/* ---------- i18n ---------- */

function t(key, params) {
  return translate(state.lang, key, params);
}

// Marks node as translated text: applyLanguage() rewrites it whenever the language changes.
function setText(node, key, params) {
  node.dataset.i18n = key;
  if (params) node.dataset.i18nParams = JSON.stringify(params);
  else delete node.dataset.i18nParams;
  node.textContent = t(key, params);
  return node;
}

// Server-provided text: shown as is, and no longer translated on language change.
function setRawText(node, text) {
  delete node.dataset.i18n;
  delete node.dataset.i18nParams;
  node.textContent = text;
  return node;
}

function translateNode(node) {
  if (node.dataset.i18n) {
    const params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : undefined;
    node.textContent = t(node.dataset.i18n, params);
  }
  if (node.dataset.i18nAttrs) {
    for (const [attribute, key] of Object.entries(JSON.parse(node.dataset.i18nAttrs))) {
      node.setAttribute(attribute, t(key));
    }
  }
  if (node.dataset.format === 'number') {
    node.textContent = Number(node.dataset.value).toLocaleString(state.lang);
  } else if (node.dataset.format === 'region') {
    node.textContent = regionName(node.dataset.value);
  }
}

function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll('[data-i18n], [data-i18n-attrs], [data-format]').forEach(translateNode);
  document.title = t('title.page', { page: t(state.titleKey) });
  const select = document.querySelector('[data-testid="lang-switch"]');
  if (select) select.value = state.lang;
}

function initialLanguage() {
  try {
    const stored = localStorage.getItem(LANG_STORAGE_KEY);
    if (LANGUAGES.some((language) => language.code === stored)) return stored;
  } catch {
    // Storage can be disabled; the browser language still works.
  }
  return languageFromBrowser(navigator.language);
}

function setLanguage(lang) {
  state.lang = lang;
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // Not remembered, but still applied.
  }
  applyLanguage();
}

function regionName(code) {
  try {
    const name = new Intl.DisplayNames([state.lang], { type: 'region' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/* ---------- DOM helpers ---------- */

// el('p', { class: 'x', testid: 'y', i18n: 'key', attrs: {...} }, child, …)
// String children become text nodes, so server data can be passed safely.
function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.testid) node.dataset.testid = options.testid;
  if (options.attrs) {
    for (const [name, value] of Object.entries(options.attrs)) node.setAttribute(name, value);
  }
  if (options.i18nAttrs) node.dataset.i18nAttrs = JSON.stringify(options.i18nAttrs);
  if (options.i18n) setText(node, options.i18n, options.params);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  translateNode(node);
  return node;
}

// A label for a server value that may have a translation (roles, data types).
function labelFor(prefix, value) {
  const text = String(value ?? '');
  const key = `${prefix}.${text}`;
  return hasMessage(key) ? el('span', { i18n: key }) : el('span', {}, text);
}

function formattedNumber(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) return el('span', {}, '—');
  return el('span', { attrs: { 'data-format': 'number', 'data-value': String(number) } });
}

/* ---------- HTTP ---------- */

class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
    this.serverMessage = message || null;
  }
}

// Calls the JSON API. Every non-GET request carries the CSRF token from login or /me.
async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', null);
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code, error.message);
  }
  return data;
}

// Shows err in node: our own translation where we have one, else the server's message.
function showError(node, err) {
  node.hidden = false;
  if (err.status === 429) setText(node, 'error.rateLimited');
  else if (err.status === 0) setText(node, 'error.network');
  else if (err.serverMessage) setRawText(node, err.serverMessage);
  else setText(node, 'error.generic', { status: err.status });
}

function clearError(node) {
  setRawText(node, '');
  node.hidden = true;
}

function acceptSession(data) {
  state.user = data.user;
  state.csrfToken = data.csrf_token || null;
}

function dropSession() {
  state.user = null;
  state.csrfToken = null;
}

/* ---------- shell: header, footer ---------- */

const shell = {};

function buildShell() {
  const app = document.getElementById('app');
  app.replaceChildren();

  const skip = el('a', { class: 'skip-link', i18n: 'skip', attrs: { href: '#main' } });
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    shell.main.focus();
  });

  const langSelect = el('select', {
    testid: 'lang-switch',
    attrs: { id: 'lang-switch' },
  });
  for (const language of LANGUAGES) {
    // Each language is named in itself, so it is findable whatever the current language.
    langSelect.append(el('option', { attrs: { value: language.code, lang: language.code } }, language.label));
  }
  langSelect.value = state.lang;
  langSelect.addEventListener('change', () => setLanguage(langSelect.value));
  const langLabel = el('label', { class: 'visually-hidden', i18n: 'lang.label', attrs: { for: 'lang-switch' } });

  shell.navList = el('ul', { class: 'nav-list' });
  shell.nav = el('nav', { class: 'nav', i18nAttrs: { 'aria-label': 'nav.label' } }, shell.navList);
  shell.userBox = el('div', { class: 'user-box' });

  const brand = el('a', { class: 'brand', attrs: { href: '#/home' } },
    el('span', { class: 'brand-mark', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'brand-name', i18n: 'app.name' }));

  const header = el('header', { class: 'topbar' },
    el('div', { class: 'topbar-inner' },
      brand,
      shell.nav,
      el('div', { class: 'topbar-tools' },
        el('div', { class: 'lang-switch' }, langLabel, langSelect),
        shell.userBox)));

  shell.main = el('main', { class: 'main', attrs: { id: 'main', tabindex: '-1' } });
  shell.version = el('span', { class: 'version' });
  const footer = el('footer', { class: 'footer' },
    el('div', { class: 'footer-inner' }, el('span', { i18n: 'app.tagline' }), shell.version));

  app.append(skip, header, shell.main, footer);
}

function renderNav(route) {
  shell.navList.replaceChildren();
  shell.nav.hidden = !state.user;
  if (!state.user) return;
  for (const item of NAV_ITEMS) {
    const link = el('a', {
      class: 'nav-link',
      testid: `nav-${item.route}`,
      i18n: item.key,
      attrs: { href: `#/${item.route}` },
    });
    if (item.route === route) link.setAttribute('aria-current', 'page');
    shell.navList.append(el('li', {}, link));
  }
}

function renderUserBox() {
  shell.userBox.replaceChildren();
  if (!state.user) return;
  const user = state.user;
  const display = user.display_name || user.name;

  const name = el('span', { class: 'user-name', testid: 'user-name' },
    el('span', { class: 'user-display' }, display));
  if (user.name && user.name !== display) {
    name.append(' ', el('span', { class: 'user-account' }, user.name));
  }

  const roles = el('span', { class: 'user-roles' },
    el('span', { class: 'visually-hidden', i18n: 'user.roles' }));
  (user.roles || []).forEach((role, index) => {
    if (index > 0) roles.append(' · ');
    roles.append(labelFor('role', role));
  });

  const logout = el('button', { class: 'button button-quiet', testid: 'logout', i18n: 'logout', attrs: { type: 'button' } });
  logout.addEventListener('click', () => logoutClicked(logout));

  shell.logoutError = el('p', { class: 'header-error', attrs: { role: 'alert' } });
  shell.logoutError.hidden = true;

  shell.userBox.append(
    el('div', { class: 'user-info' },
      el('span', { class: 'visually-hidden', i18n: 'user.label' }), name, roles),
    logout, shell.logoutError);
}

function renderVersion() {
  if (state.version) setText(shell.version, 'footer.version', { version: state.version });
}

/* ---------- pages ---------- */

function pageHeading(key, params, testid) {
  // tabindex -1 lets the router move focus to the heading after navigation.
  return el('h1', { class: 'page-title', testid, i18n: key, params, attrs: { tabindex: '-1' } });
}

function renderLogin(main, renderId, notice) {
  const userInput = el('input', {
    testid: 'login-user',
    attrs: { id: 'login-user', name: 'user', type: 'text', autocomplete: 'username', required: '', autocapitalize: 'none', spellcheck: 'false' },
  });
  const passwordInput = el('input', {
    testid: 'login-password',
    attrs: { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: '' },
  });
  const submit = el('button', { class: 'button button-primary', testid: 'login-submit', i18n: 'login.submit', attrs: { type: 'submit' } });
  const error = el('p', { class: 'form-error', testid: 'login-error', attrs: { role: 'alert', id: 'login-error' } });
  error.hidden = true;
  if (notice) {
    error.hidden = false;
    setText(error, notice);
  }

  const form = el('form', { class: 'login-form', attrs: { novalidate: '' } },
    el('div', { class: 'field' },
      el('label', { i18n: 'login.user', attrs: { for: 'login-user' } }), userInput),
    el('div', { class: 'field' },
      el('label', { i18n: 'login.password', attrs: { for: 'login-password' } }), passwordInput),
    error,
    submit);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const user = userInput.value.trim();
    const password = passwordInput.value;
    if (!user || !password) {
      error.hidden = false;
      setText(error, 'login.failed');
      (user ? passwordInput : userInput).focus();
      return;
    }
    clearError(error);
    submit.disabled = true;
    setText(submit, 'login.pending');
    try {
      const data = await api('POST', '/api/v1/login', { user, password });
      if (renderId !== state.renderId) return;
      acceptSession(data);
      const wanted = state.afterLogin || DEFAULT_ROUTE;
      state.afterLogin = null;
      navigate(wanted);
    } catch (err) {
      if (renderId !== state.renderId) return;
      submit.disabled = false;
      setText(submit, 'login.submit');
      if (err.status === 401 && !err.serverMessage) setText(error, 'login.failed');
      else showError(error, err);
      error.hidden = false;
      passwordInput.value = '';
      passwordInput.setAttribute('aria-invalid', 'true');
      passwordInput.setAttribute('aria-describedby', 'login-error');
      passwordInput.focus();
    }
  });

  main.append(
    el('section', { class: 'login-card', attrs: { 'aria-labelledby': 'login-title' } },
      el('h1', { class: 'page-title', testid: 'login-title', i18n: 'login.title', attrs: { id: 'login-title', tabindex: '-1' } }),
      el('p', { class: 'lead', i18n: 'login.intro' }),
      form));
  return userInput;
}

function tierBadge(tier) {
  const known = TIERS.includes(tier);
  return known
    ? el('span', { class: `tier tier-${tier}`, i18n: `tier.${tier}` })
    : el('span', { class: 'tier' }, String(tier ?? ''));
}

// A placeholder that becomes the datasets table (or an error) once the list arrives.
function datasetsSection(renderId, headingKey) {
  const body = el('div', { class: 'table-wrap' }, el('p', { class: 'muted', i18n: 'loading' }));
  const section = el('section', { class: 'panel', attrs: { 'aria-labelledby': 'datasets-heading' } },
    el('h2', { i18n: headingKey, attrs: { id: 'datasets-heading' } }), body);

  api('GET', '/api/v1/datasets').then((data) => {
    if (renderId !== state.renderId) return;
    body.replaceChildren(datasetsTable(Array.isArray(data && data.datasets) ? data.datasets : []));
  }).catch((err) => {
    if (renderId !== state.renderId) return;
    if (err.status === 401) {
      sessionExpired();
      return;
    }
    const error = el('p', { class: 'form-error', attrs: { role: 'alert' } });
    showError(error, err);
    body.replaceChildren(error);
  });
  return section;
}

function datasetsTable(datasets) {
  const headRow = el('tr', {},
    ...['col.name', 'col.title', 'col.tier', 'col.dataType', 'col.records'].map((key) =>
      el('th', { i18n: key, attrs: { scope: 'col' }, class: key === 'col.records' ? 'numeric' : '' })));
  const tbody = el('tbody');
  for (const dataset of datasets) {
    tbody.append(el('tr', { testid: 'dataset-row' },
      el('td', { class: 'mono' }, String(dataset.name ?? '')),
      el('td', {}, String(dataset.title ?? '')),
      el('td', {}, tierBadge(dataset.tier)),
      el('td', { class: 'data-type' }, labelFor('dataType', dataset.data_type)),
      el('td', { class: 'numeric' }, formattedNumber(dataset.records))));
  }
  if (datasets.length === 0) {
    tbody.append(el('tr', {}, el('td', { class: 'muted', i18n: 'datasets.empty', attrs: { colspan: '5' } })));
  }
  return el('table', { class: 'data-table', testid: 'datasets-table' },
    el('caption', { class: 'visually-hidden', i18n: 'datasets.caption' }),
    el('thead', {}, headRow),
    tbody);
}

function renderHome(main, renderId) {
  const user = state.user;
  const display = user.display_name || user.name;

  const roles = el('dd');
  if (user.roles && user.roles.length) {
    const list = el('ul', { class: 'chips' });
    for (const role of user.roles) list.append(el('li', { class: 'chip' }, labelFor('role', role)));
    roles.append(list);
  } else {
    roles.append(el('span', { class: 'muted', i18n: 'home.noRoles' }));
  }

  const country = user.country
    ? el('span', { attrs: { 'data-format': 'region', 'data-value': String(user.country) } })
    : el('span', {}, '—');

  main.append(
    pageHeading('home.title', { name: display }, 'home-title'),
    el('section', { class: 'panel profile', attrs: { 'aria-labelledby': 'profile-heading' } },
      el('h2', { i18n: 'home.profile', attrs: { id: 'profile-heading' } }),
      el('dl', { class: 'facts' },
        el('div', {}, el('dt', { i18n: 'home.institution' }), el('dd', {}, String(user.institution || '—'))),
        el('div', {}, el('dt', { i18n: 'home.country' }), el('dd', {}, country)),
        el('div', {}, el('dt', { i18n: 'home.roles' }), roles))),
    datasetsSection(renderId, 'home.datasets'));
}

function renderDatasets(main, renderId) {
  const tiers = el('dl', { class: 'tiers' });
  for (const tier of TIERS) {
    tiers.append(el('div', { class: `tier-card tier-card-${tier}` },
      el('dt', {}, tierBadge(tier)),
      el('dd', { i18n: `tierHelp.${tier}` })));
  }
  main.append(
    pageHeading('datasets.title', undefined, 'datasets-title'),
    el('p', { class: 'lead', i18n: 'datasets.intro' }),
    el('section', { class: 'panel', attrs: { 'aria-labelledby': 'tiers-heading' } },
      el('h2', { i18n: 'datasets.tiers', attrs: { id: 'tiers-heading' } }), tiers),
    datasetsSection(renderId, 'datasets.list'));
}

// Signed-in pages, by route. Each takes (main, renderId) and fills main.
const PAGES = {
  home: { titleKey: 'nav.home', render: renderHome },
  datasets: { titleKey: 'nav.datasets', render: renderDatasets },
};

/* ---------- routing ---------- */

function currentRoute() {
  const match = /^#\/([\w-]+)/.exec(location.hash);
  return match ? match[1] : '';
}

function navigate(route) {
  if (currentRoute() === route) render();
  else location.hash = `#/${route}`;
}

function render(options = {}) {
  const renderId = ++state.renderId;
  let route = currentRoute();
  const main = shell.main;
  main.replaceChildren();

  if (!state.user) {
    if (route && route !== 'login' && PAGES[route]) state.afterLogin = route;
    if (route !== 'login') {
      history.replaceState(null, '', '#/login');
      route = 'login';
    }
    renderNav(route);
    renderUserBox();
    state.titleKey = 'login.title';
    const first = renderLogin(main, renderId, options.notice);
    applyLanguage();
    first.focus();
    return;
  }

  if (!PAGES[route]) {
    route = DEFAULT_ROUTE;
    history.replaceState(null, '', `#/${route}`);
  }
  const page = PAGES[route];
  renderNav(route);
  renderUserBox();
  state.titleKey = page.titleKey;
  page.render(main, renderId);
  applyLanguage();
  if (options.focus !== false) {
    const heading = main.querySelector('h1');
    if (heading) heading.focus({ preventScroll: true });
  }
}

function sessionExpired() {
  dropSession();
  render({ notice: 'error.sessionExpired' });
}

async function logoutClicked(button) {
  button.disabled = true;
  clearError(shell.logoutError);
  try {
    await api('POST', '/api/v1/logout', {});
  } catch (err) {
    // 401: the session is already gone, which is what the user asked for.
    if (err.status !== 401) {
      button.disabled = false;
      showError(shell.logoutError, err);
      return;
    }
  }
  dropSession();
  state.afterLogin = null;
  navigate('login');
}

/* ---------- start ---------- */

async function start() {
  state.lang = initialLanguage();
  buildShell();
  setText(shell.main.appendChild(el('p', { class: 'muted' })), 'loading');
  applyLanguage();

  api('GET', '/api/v1/health').then((data) => {
    state.version = data && data.version ? String(data.version) : null;
    renderVersion();
  }).catch(() => {
    // The footer simply shows no version.
  });

  try {
    acceptSession(await api('GET', '/api/v1/me'));
  } catch (err) {
    dropSession();
    if (err.status !== 401) {
      render();
      const error = shell.main.querySelector('[data-testid="login-error"]');
      if (error) showError(error, err);
      window.addEventListener('hashchange', () => render());
      return;
    }
  }
  window.addEventListener('hashchange', () => render());
  render({ focus: false });
}

start();
