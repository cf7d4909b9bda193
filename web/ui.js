// ui.js — the toolkit shared by the shell (app.js) and every page module (page-*.js): client
// state, translated text, DOM building, the JSON API, error display, tables, form fields and
// formatted values. No framework, no build step. Server data only ever reaches the page as
// text nodes / textContent, never as HTML.

import { hasMessage, translate } from './i18n.js';

// The three sharing tiers, most closed first (message keys tier.<tier>).
export const TIERS = ['restricted', 'controlled', 'open'];

// The whole client state. The CSRF token lives only in memory, never in storage.
export const state = {
  lang: 'en',
  user: null, // the /me user: { name, display_name, roles: [...], institution, country, … }
  csrfToken: null,
  version: null,
  titleKey: 'loading',
  renderId: 0, // bumped on each page render so late responses of an old page are dropped
  afterLogin: null, // 'route/params' to show once signed in
};

/* ---------- shell hooks ---------- */

const shellHooks = {
  navigate: () => {},
  sessionExpired: () => {},
};

// Called once by app.js to provide navigate() and sessionExpired() to the pages.
export function connectShell(hooks) {
  Object.assign(shellHooks, hooks);
}

// Goes to '#/<path>' (e.g. 'datasets' or 'requests/12'); re-renders if already there.
export function navigate(path) {
  shellHooks.navigate(path);
}

// Drops the session and shows the login page with a notice; for a 401 from the API.
export function sessionExpired() {
  shellHooks.sessionExpired();
}

// True while the page rendered with renderId is still the one on screen (drop late responses).
export function isCurrent(renderId) {
  return renderId === state.renderId;
}

/* ---------- text ---------- */

// The text of message key in the current language, with {placeholders} filled from params.
export function t(key, params) {
  return translate(state.lang, key, params);
}

// Marks node as translated text: applyLanguage() rewrites it whenever the language changes.
export function setText(node, key, params) {
  node.dataset.i18n = key;
  if (params) node.dataset.i18nParams = JSON.stringify(params);
  else delete node.dataset.i18nParams;
  node.textContent = t(key, params);
  return node;
}

// Server-provided text: shown as is, and no longer translated on language change.
export function setRawText(node, text) {
  delete node.dataset.i18n;
  delete node.dataset.i18nParams;
  node.textContent = text;
  return node;
}

// Re-translates one node (data-i18n, data-i18n-attrs, data-format) into the current language.
export function translateNode(node) {
  if (node.dataset.i18n) {
    const params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : undefined;
    node.textContent = t(node.dataset.i18n, params);
  }
  if (node.dataset.i18nAttrs) {
    for (const [attribute, key] of Object.entries(JSON.parse(node.dataset.i18nAttrs))) {
      node.setAttribute(attribute, t(key));
    }
  }
  const format = node.dataset.format;
  if (format === 'number') {
    node.textContent = Number(node.dataset.value).toLocaleString(state.lang);
  } else if (format === 'region') {
    node.textContent = regionName(node.dataset.value);
  } else if (format === 'date' || format === 'datetime') {
    node.textContent = formatDate(node.dataset.value, format === 'datetime');
  }
}

// A country code as '<name in the current language> (<code>)', or the code if unknown.
export function regionName(code) {
  try {
    const name = new Intl.DisplayNames([state.lang], { type: 'region' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

// An ISO 8601 date or date-time as text in the current language; '—' if it is not a date.
export function formatDate(iso, withTime = false) {
  const text = String(iso ?? '');
  const date = new Date(text);
  if (!text || Number.isNaN(date.getTime())) return '—';
  // A bare date (2024-05-01) means that day everywhere, not UTC midnight in local time.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const options = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  if (dateOnly) options.timeZone = 'UTC';
  try {
    return new Intl.DateTimeFormat(state.lang, options).format(date);
  } catch {
    return text;
  }
}

/* ---------- DOM helpers ---------- */

// el('p', { class: 'x', testid: 'y', i18n: 'key', params: {...}, attrs: {...}, i18nAttrs: {...} }, child, …)
// String children become text nodes, so server data can be passed safely.
export function el(tag, options = {}, ...children) {
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

// A label for a server value that may have a translation (roles, data types): <prefix>.<value>.
export function labelFor(prefix, value) {
  const text = String(value ?? '');
  const key = `${prefix}.${text}`;
  return hasMessage(key) ? el('span', { i18n: key }) : el('span', {}, text);
}

// A number formatted for the current language (re-formatted on switch); '—' if not a number.
export function formattedNumber(value) {
  const number = Number(value);
  if (!Number.isFinite(number)) return el('span', {}, '—');
  return el('span', { attrs: { 'data-format': 'number', 'data-value': String(number) } });
}

// A <time> showing an ISO 8601 date (or date-time with { time: true }) in the current language.
export function dateText(iso, { time = false } = {}) {
  const text = String(iso ?? '');
  if (!text || Number.isNaN(new Date(text).getTime())) return el('span', {}, '—');
  return el('time', { attrs: { datetime: text, 'data-format': time ? 'datetime' : 'date', 'data-value': text } });
}

// The page's <h1>; tabindex -1 lets the router move focus to it after navigation.
// One label/value pair of a <dl class="facts">: key is the label's message; value a node or text.
export function fact(key, value, testid) {
  return el('div', {}, el('dt', { i18n: key }), el('dd', { testid }, value));
}

export function pageHeading(key, params, testid) {
  return el('h1', { class: 'page-title', testid, i18n: key, params, attrs: { tabindex: '-1' } });
}

// A coloured badge for a sharing tier; an unknown tier is shown as the server sent it.
export function tierBadge(tier) {
  const known = TIERS.includes(tier);
  return known
    ? el('span', { class: `tier tier-${tier}`, i18n: `tier.${tier}` })
    : el('span', { class: 'tier' }, String(tier ?? ''));
}

// The muted "Loading…" line shown while a request is under way.
export function loadingText() {
  return el('p', { class: 'muted', i18n: 'loading' });
}

// A data table. columns: message keys, or { key, numeric: true } for right-aligned numbers;
// rows: <tr> elements; emptyKey: message shown as the only row when rows is empty;
// captionKey: a caption for screen readers; testid: the table's data-testid.
export function table(columns, rows, { testid, captionKey, emptyKey } = {}) {
  const heads = columns.map((column) => (typeof column === 'string' ? { key: column } : column));
  const headRow = el('tr', {},
    ...heads.map((head) => el('th', { i18n: head.key, attrs: { scope: 'col' }, class: head.numeric ? 'numeric' : '' })));
  const tbody = el('tbody', {}, ...rows);
  if (rows.length === 0 && emptyKey) {
    tbody.append(el('tr', {}, el('td', { class: 'muted', i18n: emptyKey, attrs: { colspan: String(heads.length) } })));
  }
  return el('table', { class: 'data-table', testid },
    captionKey ? el('caption', { class: 'visually-hidden', i18n: captionKey }) : null,
    el('thead', {}, headRow),
    tbody);
}

// A form field: <div class="field"><label for="{input.id}">{labelKey}</label>{input}{…extra}</div>.
// Give the input an id; extra can be a hint or a formError() paragraph.
export function formField(labelKey, input, ...extra) {
  return el('div', { class: 'field' },
    el('label', { i18n: labelKey, attrs: { for: input.id } }), input, ...extra);
}

// A hidden error paragraph (role=alert) for a form; fill it with showError() or setText().
export function formError(testid, id) {
  const error = el('p', { class: 'form-error', testid, attrs: id ? { role: 'alert', id } : { role: 'alert' } });
  error.hidden = true;
  return error;
}

/* ---------- HTTP ---------- */

// A failed API call: status 0 = network failure; code and serverMessage from the error body;
// body: the whole parsed answer (e.g. a 422 validation report), or null.
export class ApiError extends Error {
  constructor(status, code, message, body = null) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
    this.serverMessage = message || null;
    this.body = body;
  }
}

// Calls the JSON API. Every non-GET request carries the CSRF token from login or /me. body is
// sent as JSON, or as it is (a File or Blob) when options.contentType names its type.
export async function api(method, path, body, { contentType = null } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = contentType || 'application/json';
    if (state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
    init.body = contentType ? body : JSON.stringify(body ?? {});
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
    throw new ApiError(response.status, error.code, error.message, data);
  }
  return data;
}

// Shows err in node: our own translation where we have one, else the server's message.
export function showError(node, err) {
  node.hidden = false;
  if (err.status === 429) setText(node, 'error.rateLimited');
  else if (err.status === 0) setText(node, 'error.network');
  else if (err.serverMessage) setRawText(node, err.serverMessage);
  else setText(node, 'error.generic', { status: err.status });
}

// Empties and hides an error node.
export function clearError(node) {
  setRawText(node, '');
  node.hidden = true;
}

// For a failed page load: a 401 ends the session; any other error replaces container's content.
export function showLoadError(container, err) {
  if (err.status === 401) {
    sessionExpired();
    return;
  }
  const error = el('p', { class: 'form-error', attrs: { role: 'alert' } });
  showError(error, err);
  container.replaceChildren(error);
}
