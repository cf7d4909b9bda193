// app.js — the genoshare web shell: session (login, /me, logout), hash routing, navigation,
// language switching and start-up. The pages themselves are modules listed in pages.js; the
// shared toolkit is ui.js. No framework and no build step.
// Text comes from i18n.js and the pages' messages by key; server data is only ever written
// with textContent.

import { LANGUAGES, languageFromBrowser, registerMessages } from './i18n.js';
import PAGE_MODULES, { visiblePages } from './pages.js';
import {
  api, clearError, connectShell, el, formError, formField, labelFor, setText, showError, state, t,
  translateNode,
} from './ui.js';

const LANG_STORAGE_KEY = 'genoshare.lang';
const DEFAULT_ROUTE = 'home';

/* ---------- page modules ---------- */

// Checks each page module of pages.js and adds its messages; a mistake throws at start-up.
function loadPages(modules) {
  const routes = new Set(['login']);
  for (const page of modules) {
    const name = page && page.route;
    if (!page || typeof name !== 'string' || !/^[\w-]+$/.test(name)) throw new Error(`pages.js: bad route "${name}"`);
    if (routes.has(name)) throw new Error(`pages.js: route "${name}" is taken`);
    if (typeof page.render !== 'function') throw new Error(`pages.js: page "${name}" has no render()`);
    if (typeof page.titleKey !== 'string') throw new Error(`pages.js: page "${name}" has no titleKey`);
    if (page.roles != null && !(Array.isArray(page.roles) && page.roles.every((role) => typeof role === 'string'))) {
      throw new Error(`pages.js: page "${name}": roles must be null or a list of role names`);
    }
    routes.add(name);
    if (page.messages) registerMessages(page.messages.en, page.messages.ja);
  }
}

loadPages(PAGE_MODULES);

/* ---------- language ---------- */

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

/* ---------- session ---------- */

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

// The navigation bar: one link per page the user may see that has a navKey.
function renderNav(route, pages) {
  shell.navList.replaceChildren();
  shell.nav.hidden = !state.user;
  if (!state.user) return;
  for (const page of pages) {
    if (!page.navKey) continue;
    const link = el('a', {
      class: 'nav-link',
      testid: `nav-${page.route}`,
      i18n: page.navKey,
      attrs: { href: `#/${page.route}` },
    });
    if (page.route === route) link.setAttribute('aria-current', 'page');
    const item = el('li', {}, link);
    shell.navList.append(item);
    // A page may decorate its entry (e.g. the inbox's unread count), beside the link so that
    // re-translating the link's text keeps it.
    if (typeof page.navBadge === 'function') page.navBadge(item);
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

/* ---------- login page ---------- */

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
  const error = formError('login-error', 'login-error');
  if (notice) {
    error.hidden = false;
    setText(error, notice);
  }

  const form = el('form', { class: 'login-form', attrs: { novalidate: '' } },
    formField('login.user', userInput),
    formField('login.password', passwordInput),
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

/* ---------- routing ---------- */

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// '#/requests/12' → { route: 'requests', params: ['12'], path: 'requests/12' }.
function currentLocation() {
  const match = /^#\/([\w-]+)/.exec(location.hash);
  if (!match) return { route: '', params: [], path: '' };
  const rest = location.hash.slice(match[0].length);
  const params = rest.startsWith('/') ? rest.slice(1).split('/').filter(Boolean).map(decodeSegment) : [];
  return { route: match[1], params, path: location.hash.slice(2) };
}

// Goes to '#/<path>', or renders again if that is already the location.
function navigate(path) {
  if (location.hash === `#/${path}`) render();
  else location.hash = `#/${path}`;
}

function render(options = {}) {
  const renderId = ++state.renderId;
  const here = currentLocation();
  let route = here.route;
  let params = here.params;
  const main = shell.main;
  main.replaceChildren();

  if (!state.user) {
    // Roles are unknown until sign-in; a page the user may not see falls back to home then.
    if (route && route !== 'login' && PAGE_MODULES.some((page) => page.route === route)) state.afterLogin = here.path;
    if (route !== 'login') {
      history.replaceState(null, '', '#/login');
      route = 'login';
    }
    renderNav(route, []);
    renderUserBox();
    state.titleKey = 'login.title';
    const first = renderLogin(main, renderId, options.notice);
    applyLanguage();
    first.focus();
    return;
  }

  const pages = visiblePages(PAGE_MODULES, state.user);
  let page = pages.find((candidate) => candidate.route === route);
  if (!page) {
    page = pages.find((candidate) => candidate.route === DEFAULT_ROUTE) || pages[0];
    route = page.route;
    params = [];
    history.replaceState(null, '', `#/${route}`);
  }
  renderNav(route, pages);
  renderUserBox();
  state.titleKey = page.titleKey;
  page.render(main, renderId, params);
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
  connectShell({ navigate, sessionExpired });
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
