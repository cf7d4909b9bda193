// page-variants.js — the variant knowledge base (#/variants): the search form (gene, region,
// rsID, HGVS, condition, classification, disease area, review status), a page of results with
// the aggregate classification and the reference sources' values side by side, export links;
// and one variant (#/variants/ID): aggregate with stars and conflicts, per-condition aggregates,
// every visible submission, and the reference sources (ClinVar, allele frequencies, rsID).
//
// The search is kept in the location (#/variants/search/<query string>) so back, reload and
// links work. Server text only as text nodes.

import { hasMessage } from './i18n.js';
import {
  api, dateText, el, fact, formField, isCurrent, labelFor, loadingText, navigate, pageHeading,
  showLoadError, state, table,
} from './ui.js';

const PAGE_SIZE = 25;
// The most variants looked up in the reference sources per page (the API's batch limit is 200)
// and the longest allele sent (the sources refuse longer ones).
const SOURCE_ALLELE_MAX = 1000;

export const CLASSIFICATIONS = ['Pathogenic', 'Likely pathogenic', 'Uncertain significance',
  'Likely benign', 'Benign', 'Conflicting classifications of pathogenicity', 'drug response',
  'risk factor', 'protective', 'not provided'];
export const DISEASE_AREAS = ['cancer', 'rare', 'infectious', 'dementia', 'other'];
const REVIEW_STATUSES = ['practice guideline', 'reviewed by expert panel',
  'criteria provided, multiple submitters, no conflicts',
  'criteria provided, conflicting classifications', 'criteria provided, single submitter',
  'no assertion criteria provided', 'no classification provided'];
const TEXT_FIELDS = ['gene', 'region', 'rsid', 'hgvs', 'condition'];
const SELECT_FIELDS = [
  ['classification', CLASSIFICATIONS, 'variants.class'],
  ['disease_area', DISEASE_AREAS, 'variants.area'],
  ['review_status', REVIEW_STATUSES, 'variants.review'],
];
const QUERY_KEYS = [...TEXT_FIELDS, ...SELECT_FIELDS.map(([name]) => name), 'dataset'];

/* ---------- shared pieces (also used by page-variant-submit.js) ---------- */

// "17-43045711 G>C" (alleles longer than 12 bases are shortened; the HGVS says it all).
export function variantName(v) {
  const short = (allele) => {
    const text = String(allele ?? '');
    return text.length > 12 ? `${text.slice(0, 6)}…(${text.length})` : text;
  };
  return `${v.chrom ?? ''}-${v.pos ?? ''} ${short(v.ref)}>${short(v.alt)}`;
}

// Zero to four stars as ClinVar shows them, with the number for screen readers and tests.
export function stars(count) {
  const n = Math.max(0, Math.min(4, Number(count) || 0));
  return el('span', { class: 'stars', testid: 'variant-stars', attrs: { 'data-stars': String(n), title: `${n}/4` } },
    el('span', { attrs: { 'aria-hidden': 'true' } }, '★'.repeat(n) + '☆'.repeat(4 - n)),
    el('span', { class: 'visually-hidden', i18n: 'variants.stars', params: { n: String(n) } }));
}

// A classification as a coloured label: known terms are translated, others shown as sent.
export function classificationLabel(value, testid) {
  const text = String(value ?? '');
  const group = /conflicting/i.test(text) ? 'conflicting'
    : /benign/i.test(text) ? 'benign'
      : /pathogenic/i.test(text) ? 'pathogenic'
        : /uncertain/i.test(text) ? 'uncertain' : 'other';
  const label = labelFor('variants.class', text);
  label.className = `classification classification-${group}`;
  if (testid) label.dataset.testid = testid;
  return label;
}

// A review status: ClinVar's known statuses are translated, others shown as sent.
export function reviewLabel(value) {
  return labelFor('variants.review', value);
}

function stateLabel(value) {
  return labelFor('variants.state', value);
}

/* ---------- reference sources ---------- */

function frequencyText(frequencies) {
  const all = frequencies.find((f) => f.population === 'ALL' || f.field === 'AF') || frequencies[0];
  return all ? `AF ${Number(all.af).toPrecision(3)}` : '';
}

// One source's value in a results cell: ClinVar significance (review status), or the overall
// allele frequency; "—" when the source does not have the variant.
function sourceCell(hit) {
  const td = el('td', { testid: 'variant-source-cell', attrs: { 'data-source': String(hit.source ?? '') } });
  if (!hit.available) td.append(el('span', { class: 'muted', i18n: 'variants.sourceUnavailable' }));
  else if (!hit.found) td.append(el('span', { class: 'muted' }, '—'));
  else if (hit.clinvar) {
    td.append(classificationLabel(hit.clinvar.significance),
      el('div', { class: 'muted small' }, reviewLabel(hit.clinvar.reviewStatus)));
  } else td.append(el('span', { class: 'mono' }, frequencyText(hit.frequencies || []) || String(hit.rsid ?? '✓')));
  return td;
}

// The full look-up of one source on the variant page.
function sourcePanel(hit) {
  const body = el('div', { class: 'source-body' });
  if (!hit.available) body.append(el('p', { class: 'muted', i18n: 'variants.sourceUnavailable' }));
  else if (!hit.found) body.append(el('p', { class: 'muted', testid: 'source-not-found', i18n: 'variants.sourceNotFound' }));
  else {
    const facts = el('dl', { class: 'facts' },
      fact('variants.field.rsid', String(hit.rsid ?? '—'), 'source-rsid'),
      fact('variants.sourceId', String(hit.id ?? '—')));
    if (hit.clinvar) {
      facts.append(
        fact('variants.clinvarSignificance', classificationLabel(hit.clinvar.significance), 'source-significance'),
        fact('variants.field.review_status', reviewLabel(hit.clinvar.reviewStatus), 'source-review-status'),
        fact('variants.col.conditions', (hit.clinvar.conditions || []).join('; ')));
    }
    body.append(facts);
    const freqs = hit.frequencies || [];
    if (freqs.length) {
      body.append(table(['variants.col.population', { key: 'variants.col.af', numeric: true }],
        freqs.map((f) => el('tr', { testid: 'source-frequency', attrs: { 'data-population': String(f.population ?? '') } },
          el('td', {}, String(f.population ?? f.field ?? '')),
          el('td', { class: 'numeric mono' }, Number(f.af).toPrecision(4)))),
        { testid: 'source-frequencies', captionKey: 'variants.col.af' }));
    }
  }
  return el('section', { class: 'source-card', testid: 'variant-source', attrs: { 'data-source': String(hit.source ?? '') } },
    el('h3', {}, String(hit.source ?? ''), ' ', el('span', { class: 'muted small' }, `(${hit.kind ?? ''}, ${hit.assembly ?? ''})`)),
    body);
}

/* ---------- the search (#/variants, #/variants/search/QUERY) ---------- */

function queryFrom(encoded) {
  const params = new URLSearchParams(encoded || '');
  const query = {};
  for (const key of QUERY_KEYS) {
    const value = (params.get(key) || '').trim();
    if (value) query[key] = value;
  }
  const offset = Number(params.get('offset'));
  query.offset = Number.isInteger(offset) && offset > 0 ? offset : 0;
  return query;
}

function queryString(query, extra = {}) {
  const params = new URLSearchParams();
  for (const key of QUERY_KEYS) if (query[key]) params.set(key, query[key]);
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  return params.toString();
}

function searchForm(query) {
  const inputs = {};
  const fields = TEXT_FIELDS.map((name) => {
    inputs[name] = el('input', {
      testid: `variant-search-${name}`,
      attrs: { id: `variant-search-${name}`, type: 'text', maxlength: '200', value: query[name] || '', autocomplete: 'off', spellcheck: 'false' },
      i18nAttrs: { placeholder: `variants.placeholder.${name}` },
    });
    return formField(`variants.field.${name}`, inputs[name]);
  });
  for (const [name, values, prefix] of SELECT_FIELDS) {
    inputs[name] = el('select', { testid: `variant-search-${name}`, attrs: { id: `variant-search-${name}` } },
      el('option', { i18n: 'variants.any', attrs: { value: '' } }),
      ...values.map((value) => (hasMessage(`${prefix}.${value}`)
        ? el('option', { i18n: `${prefix}.${value}`, attrs: { value } })
        : el('option', { attrs: { value } }, value))));
    inputs[name].value = query[name] || '';
    fields.push(formField(`variants.field.${name}`, inputs[name]));
  }
  const submit = el('button', { class: 'button button-primary', testid: 'variant-search-submit', i18n: 'variants.search', attrs: { type: 'submit' } });
  const form = el('form', { class: 'variant-search-form', testid: 'variant-search-form', attrs: { novalidate: '' } },
    el('div', { class: 'field-grid' }, ...fields), submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = {};
    for (const name of Object.keys(inputs)) next[name] = inputs[name].value.trim();
    if (query.dataset) next.dataset = query.dataset;
    navigate(`variants/search/${encodeURIComponent(queryString(next))}`);
  });
  return form;
}

function exportLinks(query) {
  const link = (format) => el('a', {
    class: 'button button-plain',
    testid: `variant-export-${format}`,
    attrs: { href: `/api/v1/variants?${queryString(query, format === 'json' ? { format, limit: 1000 } : { format })}`, download: `variants.${format}` },
  }, format.toUpperCase());
  return el('p', { class: 'export-links', testid: 'variant-export' },
    el('span', { class: 'muted', i18n: 'variants.export' }), ' ', link('vcf'), ' ', link('tsv'), ' ', link('json'));
}

function pager(query, data) {
  const total = Number(data.total) || 0;
  const offset = Number(data.offset) || 0;
  const go = (to) => navigate(`variants/search/${encodeURIComponent(queryString({ ...query, offset: undefined }, to ? { offset: to } : {}))}`);
  const previous = el('button', { class: 'button button-plain', testid: 'variant-page-previous', i18n: 'variants.previous', attrs: { type: 'button' } });
  const next = el('button', { class: 'button button-plain', testid: 'variant-page-next', i18n: 'variants.next', attrs: { type: 'button' } });
  previous.disabled = offset <= 0;
  next.disabled = offset + PAGE_SIZE >= total;
  previous.addEventListener('click', () => go(Math.max(0, offset - PAGE_SIZE)));
  next.addEventListener('click', () => go(offset + PAGE_SIZE));
  const shown = total === 0 ? '0' : `${offset + 1}–${Math.min(offset + PAGE_SIZE, total)}`;
  return el('div', { class: 'pager' }, previous, ' ',
    el('span', { testid: 'variant-page-info', i18n: 'variants.pageInfo', params: { shown, total: total.toLocaleString(state.lang) } }), ' ', next);
}

function resultRow(v) {
  const agg = v.aggregate || {};
  const link = el('a', { class: 'variant-link', testid: 'variant-link', attrs: { href: `#/variants/${v.id}` } }, variantName(v));
  return el('tr', { testid: 'variant-row', attrs: { 'data-variant-id': String(v.id), 'data-key': `${v.chrom}-${v.pos}-${v.ref}-${v.alt}` } },
    el('td', {}, link, el('div', { class: 'muted small mono wrap-anywhere' }, String(v.hgvs ?? ''))),
    el('td', { testid: 'variant-gene' }, String(v.gene ?? '')),
    el('td', {}, classificationLabel(agg.classification, 'variant-classification'), ' ', stars(agg.stars),
      el('div', { class: 'muted small', testid: 'variant-review-status' }, reviewLabel(agg.review_status))),
    el('td', { class: 'small' }, el('div', { class: 'condition-cell', attrs: { title: String(v.condition ?? '') } }, String(v.condition ?? ''))));
}

// Adds one column per reference source to the results table, from one batch look-up.
function addSourceColumns(renderId, tableNode, results) {
  const wanted = results.filter((v) => String(v.ref).length <= SOURCE_ALLELE_MAX && String(v.alt).length <= SOURCE_ALLELE_MAX);
  if (wanted.length === 0) return;
  const assembly = wanted[0].assembly || 'GRCh38';
  const batch = wanted.filter((v) => (v.assembly || 'GRCh38') === assembly);
  api('POST', '/api/v1/sources/lookup', {
    assembly,
    variants: batch.map((v) => ({ chrom: String(v.chrom), pos: Number(v.pos), ref: String(v.ref), alt: String(v.alt) })),
  }).then((data) => {
    if (!isCurrent(renderId)) return;
    const looked = (data && data.results) || [];
    const names = looked.length ? looked[0].sources.map((s) => String(s.source)) : [];
    if (names.length === 0) return;
    const headRow = tableNode.querySelector('thead tr');
    for (const name of names) headRow.append(el('th', { attrs: { scope: 'col' }, testid: 'variant-source-head' }, name));
    const byKey = new Map(batch.map((v, i) => [`${v.chrom}-${v.pos}-${v.ref}-${v.alt}`, looked[i]]));
    for (const row of tableNode.querySelectorAll('[data-testid="variant-row"]')) {
      const hits = (byKey.get(row.dataset.key) || { sources: [] }).sources;
      for (const name of names) {
        const hit = hits.find((h) => h.source === name);
        row.append(hit ? sourceCell(hit) : el('td', { class: 'muted' }, '—'));
      }
    }
  }).catch(() => {
    // The results stand without the sources; the variant page shows a look-up's error.
  });
}

function renderSearch(main, renderId, encoded) {
  const query = queryFrom(encoded);
  const searched = QUERY_KEYS.some((key) => query[key]);
  const results = el('div', { class: 'table-wrap', testid: 'variant-results' });
  main.append(
    pageHeading('variants.title', undefined, 'variants-title'),
    el('p', { class: 'lead', i18n: 'variants.intro' }),
    el('section', { class: 'panel' }, searchForm(query)),
    el('section', { class: 'panel' }, el('h2', { i18n: 'variants.results' }), results));
  if (!searched) {
    // The API needs at least one filter: show how to start instead of every variant.
    results.append(el('p', { class: 'muted', testid: 'variant-hint' },
      el('span', { i18n: 'variants.hint' }), ' ',
      el('a', { testid: 'variant-example', attrs: { href: `#/variants/search/${encodeURIComponent('gene=BRCA1')}` } }, 'BRCA1'), ' · ',
      el('a', { attrs: { href: `#/variants/search/${encodeURIComponent('classification=Pathogenic&review_status=reviewed by expert panel')}` } }, 'Pathogenic ★★★')));
    return;
  }
  results.append(loadingText());
  api('GET', `/api/v1/variants?${queryString(query, { offset: query.offset, limit: PAGE_SIZE })}`).then((data) => {
    if (!isCurrent(renderId)) return;
    const rows = ((data && data.results) || []).map(resultRow);
    const resultTable = table(['variants.col.variant', 'variants.field.gene', 'variants.col.classificationReview',
      'variants.col.conditions'],
    rows, { testid: 'variant-table', captionKey: 'variants.results', emptyKey: 'variants.empty' });
    const counts = ((data && data.datasets) || []).map((d) => `${d.name}: ${Number(d.variants).toLocaleString(state.lang)}`).join(' · ');
    results.replaceChildren(
      el('p', { class: 'muted', testid: 'variant-total' },
        el('span', { i18n: 'variants.total', params: { n: Number(data.total || 0).toLocaleString(state.lang) } }),
        counts ? ` (${counts})` : ''),
      exportLinks(query), resultTable, pager(query, data));
    if (rows.length) addSourceColumns(renderId, resultTable, data.results);
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(results, err); });
}

/* ---------- one variant (#/variants/ID) ---------- */

function aggregatePanel(agg) {
  const conflicts = agg.conflicts || [];
  return el('section', { class: 'panel', testid: 'variant-aggregate' },
    el('h2', { i18n: 'variants.aggregate' }),
    el('dl', { class: 'facts' },
      fact('variants.col.classification', classificationLabel(agg.classification), 'variant-aggregate-classification'),
      fact('variants.field.review_status', el('span', {}, reviewLabel(agg.review_status), ' ', stars(agg.stars)), 'variant-aggregate-review'),
      fact('variants.col.submissions', String(agg.submissions ?? 0))),
    conflicts.length
      ? el('div', { testid: 'variant-conflicts' },
        el('h3', { i18n: 'variants.conflicts' }),
        el('ul', {}, ...conflicts.map((c) => el('li', { testid: 'variant-conflict' },
          el('strong', {}, String(c.submitter ?? '')), ': ', classificationLabel(c.classification)))))
      : null);
}

function conditionsTable(conditions) {
  return table(['variants.col.conditions', 'variants.col.classification', 'variants.field.review_status'],
    conditions.map((c) => el('tr', { testid: 'variant-condition' },
      el('td', {}, String(c.name ?? ''), el('div', { class: 'muted small mono wrap-anywhere' }, (c.ids || []).join(', '))),
      el('td', {}, classificationLabel((c.aggregate || {}).classification)),
      el('td', { class: 'small' }, reviewLabel((c.aggregate || {}).review_status), ' ', stars((c.aggregate || {}).stars)))),
    { testid: 'variant-conditions', captionKey: 'variants.byCondition', emptyKey: 'variants.none' });
}

function submissionsTable(submissions) {
  return table(['variants.col.classification', 'variants.col.conditions', 'variants.col.origin',
    'variants.col.submitter', 'variants.col.date', 'variants.col.state', 'variants.field.review_status', 'variants.col.evidence'],
  submissions.map((s) => el('tr', { testid: 'variant-submission', attrs: { 'data-submission-id': String(s.id), 'data-state': String(s.state ?? '') } },
    el('td', {}, classificationLabel(s.classification, 'submission-classification')),
    el('td', {}, String((s.condition && s.condition.name) ?? ''), el('div', { class: 'muted small mono wrap-anywhere' }, ((s.condition && s.condition.ids) || []).join(', '))),
    el('td', {}, String(s.origin ?? '')),
    el('td', { testid: 'submission-submitter' }, String(s.submitter ?? ''), el('div', { class: 'muted small' }, `${s.institution ?? ''} · ${s.dataset ?? ''}`)),
    el('td', {}, dateText(s.date)),
    el('td', { testid: 'submission-state' }, stateLabel(s.state)),
    el('td', { class: 'small' }, reviewLabel(s.review_status)),
    el('td', { class: 'small' }, String(s.evidence ?? ''), s.method ? el('div', { class: 'muted' }, String(s.method)) : null))),
  { testid: 'variant-submissions', captionKey: 'variants.submissions', emptyKey: 'variants.none' });
}

function loadSources(renderId, v, container) {
  const params = new URLSearchParams({ assembly: v.assembly || 'GRCh38', chrom: String(v.chrom), pos: String(v.pos), ref: String(v.ref), alt: String(v.alt) });
  api('GET', `/api/v1/sources/lookup?${params}`).then((data) => {
    if (!isCurrent(renderId)) return;
    const hits = (data && data.sources) || [];
    container.replaceChildren(hits.length
      ? el('div', { class: 'source-grid', testid: 'variant-sources' }, ...hits.map(sourcePanel))
      : el('p', { class: 'muted', testid: 'variant-sources-none', i18n: 'variants.noSources' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(container, err); });
}

function renderVariant(main, renderId, id) {
  const heading = pageHeading('variants.variantTitle', { id }, 'variants-title');
  const body = el('div', { testid: 'variant-detail' }, loadingText());
  main.append(
    el('p', {}, el('a', { attrs: { href: '#/variants' }, i18n: 'variants.back' })),
    heading, body);
  api('GET', `/api/v1/variants/${encodeURIComponent(id)}`).then((v) => {
    if (!isCurrent(renderId)) return;
    const sources = el('div', {}, loadingText());
    body.replaceChildren(
      el('section', { class: 'panel' },
        el('p', { class: 'lead mono', testid: 'variant-name' }, variantName(v)),
        el('dl', { class: 'facts' },
          fact('variants.field.hgvs', String(v.hgvs ?? ''), 'variant-hgvs'),
          fact('variants.field.gene', String(v.gene ?? '—'), 'variant-gene-value'),
          fact('variants.field.rsid', String(v.rsid ?? '—'), 'variant-rsid'),
          fact('variants.assembly', String(v.assembly ?? '')),
          fact('variants.datasets', (v.datasets || []).join(', ')))),
      aggregatePanel(v.aggregate || {}),
      el('section', { class: 'panel' }, el('h2', { i18n: 'variants.byCondition' }), el('div', { class: 'table-wrap' }, conditionsTable(v.conditions || []))),
      el('section', { class: 'panel' }, el('h2', { i18n: 'variants.submissions' }), el('div', { class: 'table-wrap' }, submissionsTable(v.submissions || []))),
      el('section', { class: 'panel' }, el('h2', { i18n: 'variants.sources' }), el('p', { class: 'muted', i18n: 'variants.sourcesIntro' }), sources));
    loadSources(renderId, v, sources);
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

function render(main, renderId, params) {
  if (params[0] && /^\d+$/.test(params[0])) renderVariant(main, renderId, params[0]);
  else renderSearch(main, renderId, params[0] === 'search' ? params[1] : '');
}

const CLASS_JA = {
  Pathogenic: '病的', 'Likely pathogenic': '病的の可能性が高い', 'Uncertain significance': '意義不明',
  'Likely benign': '良性の可能性が高い', Benign: '良性',
  'Conflicting classifications of pathogenicity': '病原性の解釈が相反', 'drug response': '薬剤応答',
  'risk factor': 'リスク因子', protective: '防御的', 'not provided': '提供なし',
};
const AREA = {
  cancer: ['Cancer', 'がん'], rare: ['Rare and intractable disease', '希少・難治性疾患'],
  infectious: ['Infectious disease', '感染症'], dementia: ['Dementia', '認知症'], other: ['Other', 'その他'],
};
const REVIEW_JA = {
  'practice guideline': '診療ガイドライン', 'reviewed by expert panel': '専門家パネルによる評価',
  'criteria provided, multiple submitters, no conflicts': '基準あり・複数登録者・相反なし',
  'criteria provided, conflicting classifications': '基準あり・解釈が相反',
  'criteria provided, single submitter': '基準あり・単一登録者',
  'no assertion criteria provided': '評価基準の提示なし', 'no classification provided': '分類の提示なし',
};
const STATE = { pending: ['Pending', '審査待ち'], accepted: ['Accepted', '承認済み'], returned: ['Returned', '差し戻し'] };

function vocabulary(lang) {
  const messages = {};
  const index = lang === 'en' ? 0 : 1;
  for (const term of CLASSIFICATIONS) messages[`variants.class.${term}`] = lang === 'en' ? term : CLASS_JA[term];
  for (const [area, names] of Object.entries(AREA)) messages[`variants.area.${area}`] = names[index];
  for (const status of REVIEW_STATUSES) messages[`variants.review.${status}`] = lang === 'en' ? status : REVIEW_JA[status];
  for (const [state, names] of Object.entries(STATE)) messages[`variants.state.${state}`] = names[index];
  return messages;
}

export default {
  route: 'variants',
  navKey: 'nav.variants',
  titleKey: 'nav.variants',
  order: 60,
  roles: null, // every signed-in user searches what they may see (the API decides per dataset)
  messages: {
    en: {
      'nav.variants': 'Variants',
      'variants.title': 'Variant knowledge base',
      'variants.intro': 'Search the interpreted variants you may see, beside the reference sources (ClinVar, population frequencies).',
      'variants.field.gene': 'Gene',
      'variants.field.region': 'Region',
      'variants.field.rsid': 'rsID',
      'variants.field.hgvs': 'HGVS (genomic)',
      'variants.field.condition': 'Condition',
      'variants.field.classification': 'Classification',
      'variants.field.disease_area': 'Disease area',
      'variants.field.review_status': 'Review status',
      'variants.placeholder.gene': 'BRCA1',
      'variants.placeholder.region': '17:43044000-43125000',
      'variants.placeholder.rsid': 'rs80357906',
      'variants.placeholder.hgvs': 'NC_000017.11:g.43045711G>C',
      'variants.placeholder.condition': 'breast ovarian',
      'variants.any': 'Any',
      'variants.search': 'Search',
      'variants.results': 'Results',
      'variants.hint': 'Enter at least one search term. Examples:',
      'variants.total': '{n} variants',
      'variants.empty': 'No variant matches.',
      'variants.export': 'Export every match:',
      'variants.previous': 'Previous',
      'variants.next': 'Next',
      'variants.pageInfo': '{shown} of {total}',
      'variants.col.variant': 'Variant',
      'variants.col.classification': 'Classification',
      'variants.col.classificationReview': 'Classification (review status)',
      'variants.col.conditions': 'Conditions',
      'variants.col.submissions': 'Submissions',
      'variants.col.origin': 'Origin',
      'variants.col.submitter': 'Submitter',
      'variants.col.date': 'Date',
      'variants.col.state': 'Status',
      'variants.col.evidence': 'Evidence',
      'variants.col.population': 'Population',
      'variants.col.af': 'Allele frequency',
      'variants.stars': '{n} of 4 stars',
      'variants.variantTitle': 'Variant {id}',
      'variants.back': '← Variant search',
      'variants.assembly': 'Assembly',
      'variants.datasets': 'Datasets',
      'variants.aggregate': 'Aggregate classification',
      'variants.conflicts': 'Conflicts by submitter',
      'variants.byCondition': 'By condition',
      'variants.submissions': 'Submitted interpretations',
      'variants.none': 'None.',
      'variants.sources': 'Reference sources',
      'variants.sourcesIntro': 'The same allele in each registered reference file, read in place.',
      'variants.noSources': 'No reference source is registered.',
      'variants.sourceNotFound': 'Not in this source.',
      'variants.sourceUnavailable': 'Source unavailable',
      'variants.sourceId': 'Identifier',
      'variants.clinvarSignificance': 'Clinical significance',
      ...vocabulary('en'),
    },
    ja: {
      'nav.variants': 'バリアント',
      'variants.title': 'バリアント知識ベース',
      'variants.intro': '閲覧できる解釈済みバリアントを、参照データ（ClinVar、集団頻度）と並べて検索します。',
      'variants.field.gene': '遺伝子',
      'variants.field.region': '領域',
      'variants.field.rsid': 'rsID',
      'variants.field.hgvs': 'HGVS（ゲノム表記）',
      'variants.field.condition': '疾患',
      'variants.field.classification': '分類',
      'variants.field.disease_area': '疾患領域',
      'variants.field.review_status': 'レビュー状況',
      'variants.placeholder.gene': 'BRCA1',
      'variants.placeholder.region': '17:43044000-43125000',
      'variants.placeholder.rsid': 'rs80357906',
      'variants.placeholder.hgvs': 'NC_000017.11:g.43045711G>C',
      'variants.placeholder.condition': '乳がん 卵巣がん（英語名）',
      'variants.any': 'すべて',
      'variants.search': '検索',
      'variants.results': '検索結果',
      'variants.hint': '検索条件を 1 つ以上入力してください。例：',
      'variants.total': '{n} 件のバリアント',
      'variants.empty': '該当するバリアントはありません。',
      'variants.export': '全件をエクスポート：',
      'variants.previous': '前へ',
      'variants.next': '次へ',
      'variants.pageInfo': '{total} 件中 {shown}',
      'variants.col.variant': 'バリアント',
      'variants.col.classification': '分類',
      'variants.col.classificationReview': '分類（レビュー状況）',
      'variants.col.conditions': '疾患',
      'variants.col.submissions': '登録数',
      'variants.col.origin': '由来',
      'variants.col.submitter': '登録者',
      'variants.col.date': '日付',
      'variants.col.state': '状態',
      'variants.col.evidence': '根拠',
      'variants.col.population': '集団',
      'variants.col.af': 'アレル頻度',
      'variants.stars': '星 {n}（4 段階）',
      'variants.variantTitle': 'バリアント {id}',
      'variants.back': '← バリアント検索',
      'variants.assembly': 'アセンブリ',
      'variants.datasets': 'データセット',
      'variants.aggregate': '統合された分類',
      'variants.conflicts': '登録者ごとの相反',
      'variants.byCondition': '疾患ごと',
      'variants.submissions': '登録された解釈',
      'variants.none': 'ありません。',
      'variants.sources': '参照データ',
      'variants.sourcesIntro': '登録済みの各参照ファイルにおける同じアレル（ファイルを直接読みます）。',
      'variants.noSources': '参照データは登録されていません。',
      'variants.sourceNotFound': 'この参照データにはありません。',
      'variants.sourceUnavailable': '参照データを読めません',
      'variants.sourceId': '識別子',
      'variants.clinvarSignificance': '臨床的意義',
      ...vocabulary('ja'),
    },
  },
  render,
};
