// page-dashboard.js — the DMP dashboard (#/dashboard): per programme or overall, plans by status,
// datasets and records by tier and data type, registrations per month and the overdue plans,
// drawn as SVG charts from /api/v1/reports/dashboard (no chart library), each table with its CSV
// download. Status and programme labels come from page-dmp.js.

import {
  TIERS, api, dateText, el, formField, formattedNumber, isCurrent, labelFor, loadingText,
  pageHeading, setText, showLoadError, table,
} from './ui.js';
import { PROGRAMMES, STATUSES, statusBadge } from './page-dmp.js';

const DATA_TYPES = ['sequence', 'variants', 'somatic_mutations', 'expression_epigenome',
  'microbial_genomes', 'phenotype_clinical'];
const STATUS_COLOURS = { on_track: '#1a7f8e', due_soon: '#c98a00', overdue: '#a4161a', fulfilled: '#2e7d32' };
const BAR_COLOUR = '#0f4c5c';
const SVG_NS = 'http://www.w3.org/2000/svg';

// An SVG element with attributes (presentation attributes only: the CSP forbids inline styles).
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) if (child) node.append(child);
  return node;
}

// Text for a chart: a message key (translated, re-translated on language switch) or raw text.
function svgText(attrs, { key, text }) {
  const node = svg('text', attrs);
  if (key) setText(node, key);
  else node.textContent = String(text ?? '');
  return node;
}

// Horizontal bars: items [{ key | text, value, colour }]; each bar carries its value.
function barChart(items, { testid, titleKey }) {
  const rowHeight = 28;
  const labelWidth = 210;
  const barWidth = 300;
  const max = Math.max(1, ...items.map((item) => item.value));
  const height = items.length * rowHeight + 8;
  const chart = svg('svg', { viewBox: `0 0 ${labelWidth + barWidth + 60} ${height}`, width: '100%', role: 'img', 'data-testid': testid, class: 'dash-chart' });
  const title = svg('title');
  setText(title, titleKey);
  chart.append(title);
  items.forEach((item, i) => {
    const y = i * rowHeight + 4;
    const width = Math.round((item.value / max) * barWidth);
    chart.append(
      svgText({ x: labelWidth - 8, y: y + 17, 'text-anchor': 'end', 'font-size': 13, fill: '#1c2430' }, item),
      svg('rect', { x: labelWidth, y, width: Math.max(width, item.value ? 2 : 0), height: rowHeight - 8, rx: 3, fill: item.colour || BAR_COLOUR, 'data-testid': 'chart-bar', 'data-value': item.value }),
      svgText({ x: labelWidth + width + 6, y: y + 17, 'font-size': 13, fill: '#1c2430' }, { text: item.value }));
  });
  return chart;
}

// Vertical columns per month: months [{ label: 'YYYY-MM', value }].
function columnChart(months, { testid, titleKey }) {
  const column = 30;
  const plot = 160;
  const width = Math.max(360, months.length * column + 40);
  const max = Math.max(1, ...months.map((m) => m.value));
  const every = Math.max(1, Math.ceil(months.length / 12));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${plot + 50}`, width: '100%', role: 'img', 'data-testid': testid, class: 'dash-chart' });
  const title = svg('title');
  setText(title, titleKey);
  chart.append(title, svg('line', { x1: 30, y1: plot + 10, x2: width - 5, y2: plot + 10, stroke: '#b7bfca' }));
  months.forEach((month, i) => {
    const x = 34 + i * column;
    const h = Math.round((month.value / max) * plot);
    chart.append(svg('rect', { x, y: plot + 10 - h, width: column - 8, height: h, rx: 2, fill: BAR_COLOUR, 'data-testid': 'chart-column', 'data-month': month.label, 'data-value': month.value }));
    if (month.value) chart.append(svgText({ x: x + (column - 8) / 2, y: plot + 6 - h, 'text-anchor': 'middle', 'font-size': 11, fill: '#1c2430' }, { text: month.value }));
    if (i % every === 0) chart.append(svgText({ x: x + (column - 8) / 2, y: plot + 28, 'text-anchor': 'middle', 'font-size': 10, fill: '#5a6472' }, { text: month.label }));
  });
  return chart;
}

/* ---------- panels ---------- */

function csvLink(name, programme) {
  const query = new URLSearchParams({ format: 'csv' });
  if (programme) query.set('programme', programme);
  return el('p', {}, el('a', { class: 'button', testid: `dash-csv-${name}`, i18n: 'dash.csv', attrs: { href: `/api/v1/reports/${name}?${query}`, download: '' } }));
}

function panel(headingKey, testid, ...children) {
  return el('section', { class: 'panel', testid }, el('h2', { i18n: headingKey }), ...children);
}

// A report table's rows as objects keyed by its column names.
function rowsOf(table_) {
  const columns = (table_ && table_.columns) || [];
  return ((table_ && table_.rows) || []).map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
}

function statusPanel(report, programme) {
  const rows = rowsOf(report.tables.status);
  return panel('dash.byStatus', 'dash-status',
    barChart(rows.map((r) => ({ key: `dmp.status.${r.status}`, value: Number(r.plans) || 0, colour: STATUS_COLOURS[r.status] })),
      { testid: 'dash-status-chart', titleKey: 'dash.byStatus' }),
    table(['dmp.col.status', { key: 'dash.col.plans', numeric: true }],
      rows.map((r) => el('tr', {}, el('td', {}, statusBadge(r.status)), el('td', { class: 'numeric' }, formattedNumber(r.plans)))),
      { testid: 'dash-status-table' }),
    csvLink('status', programme));
}

function programmesPanel(report, programme) {
  const rows = rowsOf(report.tables.programmes);
  return panel('dash.byProgramme', 'dash-programmes',
    el('div', { class: 'table-wrap' }, table(
      ['dmp.col.programme', { key: 'dash.col.plans', numeric: true },
        ...STATUSES.map((s) => ({ key: `dmp.status.${s}`, numeric: true }))],
      rows.map((r) => el('tr', { testid: 'dash-programme-row' }, el('td', {}, labelFor('dmp.programme', r.programme)),
        el('td', { class: 'numeric' }, formattedNumber(r.plans)),
        ...STATUSES.map((s) => el('td', { class: 'numeric' }, formattedNumber(r[s]))))),
      { testid: 'dash-programmes-table' })),
    csvLink('programmes', programme));
}

function datasetsPanel(report, programme) {
  const rows = rowsOf(report.tables.datasets);
  const sum = (pick) => rows.filter(pick).reduce((total, r) => total + (Number(r.datasets) || 0), 0);
  const shown = rows.filter((r) => Number(r.datasets) > 0);
  return panel('dash.datasets', 'dash-datasets',
    el('h3', { i18n: 'dash.byTier' }),
    barChart(TIERS.map((tier) => ({ key: `tier.${tier}`, value: sum((r) => r.tier === tier) })), { testid: 'dash-tier-chart', titleKey: 'dash.byTier' }),
    el('h3', { i18n: 'dash.byType' }),
    barChart(DATA_TYPES.map((type) => ({ key: `dataType.${type}`, value: sum((r) => r.data_type === type) })), { testid: 'dash-type-chart', titleKey: 'dash.byType' }),
    el('div', { class: 'table-wrap' }, table(
      ['col.tier', 'col.dataType', { key: 'dash.col.datasets', numeric: true }, { key: 'col.records', numeric: true }],
      shown.map((r) => el('tr', { testid: 'dash-dataset-row' }, el('td', {}, labelFor('tier', r.tier)),
        el('td', {}, labelFor('dataType', r.data_type)), el('td', { class: 'numeric' }, formattedNumber(r.datasets)),
        el('td', { class: 'numeric' }, formattedNumber(r.records)))),
      { testid: 'dash-datasets-table', emptyKey: 'dash.noDatasets' })),
    csvLink('datasets', programme));
}

function registrationsPanel(report, programme) {
  const months = rowsOf(report.tables.registrations).map((r) => ({ label: String(r.month), value: Number(r.datasets) || 0 }));
  return panel('dash.registrations', 'dash-registrations',
    months.length ? columnChart(months, { testid: 'dash-registrations-chart', titleKey: 'dash.registrations' })
      : el('p', { class: 'muted', i18n: 'dash.noDatasets' }),
    csvLink('registrations', programme));
}

function overduePanel(report, programme) {
  const rows = rowsOf(report.tables.overdue);
  return panel('dash.overdue', 'dash-overdue',
    el('div', { class: 'table-wrap' }, table(
      [{ key: 'dmp.col.id', numeric: true }, 'col.title', 'dmp.col.programme', 'dmp.col.pi', 'dmp.col.institution',
        'dmp.col.deadline', { key: 'dash.col.daysOverdue', numeric: true }],
      rows.map((r) => el('tr', { testid: 'dash-overdue-row' },
        el('td', { class: 'numeric' }, el('a', { attrs: { href: `#/dmp/${r.id}` } }, String(r.id))),
        el('td', {}, String(r.title ?? '')), el('td', {}, labelFor('dmp.programme', r.programme)),
        el('td', {}, String(r.pi ?? '')), el('td', { class: 'mono' }, String(r.institution ?? '')),
        el('td', {}, dateText(r.deadline)), el('td', { class: 'numeric' }, formattedNumber(r.days_overdue)))),
      { testid: 'dash-overdue-table', emptyKey: 'dash.noOverdue' })),
    csvLink('overdue', programme));
}

function render(main, renderId) {
  const programme = el('select', { testid: 'dash-programme', attrs: { id: 'dash-programme' } },
    el('option', { i18n: 'dash.allProgrammes', attrs: { value: '' } }),
    ...PROGRAMMES.map((p) => el('option', { i18n: `dmp.programme.${p}`, attrs: { value: p } })));
  const body = el('div', {}, loadingText());
  const load = () => {
    const chosen = programme.value;
    body.replaceChildren(loadingText());
    api('GET', `/api/v1/reports/dashboard${chosen ? `?programme=${encodeURIComponent(chosen)}` : ''}`).then((report) => {
      if (!isCurrent(renderId) || chosen !== programme.value) return;
      body.replaceChildren(
        el('p', { class: 'muted', testid: 'dash-as-of' }, el('span', { i18n: 'dash.asOf' }), ' ', dateText(report.as_of)),
        statusPanel(report, chosen), programmesPanel(report, chosen), datasetsPanel(report, chosen),
        registrationsPanel(report, chosen), overduePanel(report, chosen));
    }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
  };
  programme.addEventListener('change', load);
  main.append(pageHeading('dash.title', undefined, 'dashboard-title'),
    el('p', { class: 'lead', i18n: 'dash.intro' }),
    el('section', { class: 'panel' }, formField('dmp.col.programme', programme)), body);
  load();
}

export default {
  route: 'dashboard',
  navKey: 'nav.dashboard',
  titleKey: 'nav.dashboard',
  order: 35,
  roles: null,
  messages: {
    en: {
      'nav.dashboard': 'Dashboard',
      'dash.title': 'Data-sharing dashboard',
      'dash.intro': 'Data management plans by status, registered datasets and records, registrations per month and overdue plans — overall or for one programme.',
      'dash.allProgrammes': 'All programmes',
      'dash.asOf': 'As of',
      'dash.csv': 'Download CSV',
      'dash.byStatus': 'Plans by status',
      'dash.byProgramme': 'Plans by programme',
      'dash.datasets': 'Datasets and records',
      'dash.byTier': 'Datasets by tier',
      'dash.byType': 'Datasets by data type',
      'dash.registrations': 'Dataset registrations per month',
      'dash.overdue': 'Overdue plans',
      'dash.noDatasets': 'No datasets registered here yet.',
      'dash.noOverdue': 'No plan is overdue.',
      'dash.col.plans': 'Plans',
      'dash.col.datasets': 'Datasets',
      'dash.col.daysOverdue': 'Days overdue',
    },
    ja: {
      'nav.dashboard': 'ダッシュボード',
      'dash.title': 'データ共有ダッシュボード',
      'dash.intro': 'データマネジメントプランの状況、登録済みデータセットとレコード、月別の登録数、期限超過のプランを、全体または事業ごとに表示します。',
      'dash.allProgrammes': 'すべての事業',
      'dash.asOf': '集計日',
      'dash.csv': 'CSV をダウンロード',
      'dash.byStatus': '状況別のプラン数',
      'dash.byProgramme': '事業別のプラン数',
      'dash.datasets': 'データセットとレコード',
      'dash.byTier': '共有区分別のデータセット数',
      'dash.byType': 'データ種別ごとのデータセット数',
      'dash.registrations': '月別のデータセット登録数',
      'dash.overdue': '期限超過のプラン',
      'dash.noDatasets': 'まだ登録されたデータセットはありません。',
      'dash.noOverdue': '期限超過のプランはありません。',
      'dash.col.plans': 'プラン数',
      'dash.col.datasets': 'データセット数',
      'dash.col.daysOverdue': '超過日数',
    },
  },
  render,
};
