// page-cases.js — matchmaking (#/cases): the cases the user can see, the form to register a
// case (dataset, scope, label, HPO features picked by autocomplete in English, Japanese or by
// id, genes), and one case (#/cases/ID: facts, features, genes, similar cases with their
// explanations, and the diagnosis ranking with its evidence). Server text only as text nodes.

import {
  api, clearError, dateText, el, fact, formError, formField, isCurrent, loadingText, navigate,
  pageHeading, showError, showLoadError, table,
} from './ui.js';

const SCOPES = ['private', 'domestic', 'international'];

// A term's label in both languages; style.css shows the one of <html lang> (fallback: English).
function termLabel(term, testid = 'term-label') {
  const en = String((term && term.label) || (term && term.id) || '');
  const ja = String((term && term.label_ja) || en);
  return el('span', { class: 'term-label', testid },
    el('span', { class: 'term-en', attrs: { lang: 'en' } }, en),
    el('span', { class: 'term-ja', attrs: { lang: 'ja' } }, ja));
}

function number(value, digits = 3) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

function stateLabel(value) {
  return ['active', 'withdrawn'].includes(value) ? el('span', { i18n: `cases.state.${value}` }) : el('span', {}, String(value ?? ''));
}

function scopeLabel(scope) {
  return SCOPES.includes(scope) ? el('span', { i18n: `cases.scope.${scope}` }) : el('span', {}, String(scope ?? ''));
}

/* ---------- HPO autocomplete ---------- */

// An input with suggestions from /api/v1/hpo/terms; onPick(term) when one is chosen.
function hpoAutocomplete(renderId, onPick, error) {
  const input = el('input', {
    testid: 'case-feature-input',
    attrs: { id: 'case-feature-input', type: 'text', autocomplete: 'off', maxlength: '100', role: 'combobox', 'aria-autocomplete': 'list', 'aria-controls': 'case-feature-suggestions' },
    i18nAttrs: { placeholder: 'cases.featurePlaceholder' },
  });
  const list = el('ul', { class: 'hpo-suggestions', testid: 'case-feature-suggestions', attrs: { id: 'case-feature-suggestions', role: 'listbox' } });
  list.hidden = true;
  let timer = null;
  let asked = 0;
  let terms = [];
  const close = () => { list.hidden = true; list.replaceChildren(); terms = []; };
  const pick = (term) => { onPick(term); input.value = ''; close(); input.focus(); };
  const show = () => {
    list.replaceChildren(...terms.map((term) => {
      const item = el('li', { attrs: { role: 'option' } },
        el('button', { class: 'hpo-suggestion', testid: 'case-feature-suggestion', attrs: { type: 'button', 'data-term-id': String(term.id) } },
          el('span', { class: 'mono' }, String(term.id)), ' ',
          el('span', {}, String(term.label ?? '')),
          term.label_ja ? el('span', { class: 'muted' }, ` ${term.label_ja}`) : null));
      item.firstChild.addEventListener('click', () => pick(term));
      return item;
    }));
    if (terms.length === 0) list.append(el('li', { class: 'muted', testid: 'case-feature-none', i18n: 'cases.noSuggestions' }));
    list.hidden = false;
  };
  const search = () => {
    const q = input.value.trim();
    if (q.length < 2) { close(); return; }
    const mine = ++asked;
    api('GET', `/api/v1/hpo/terms?q=${encodeURIComponent(q)}&limit=10`).then((data) => {
      if (!isCurrent(renderId) || mine !== asked) return;
      clearError(error);
      terms = (data && data.terms) || [];
      show();
    }).catch((err) => {
      if (!isCurrent(renderId) || mine !== asked) return;
      close();
      showError(error, err);
    });
  };
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 200); });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      if (terms.length > 0) pick(terms[0]);
    } else if (event.key === 'Escape') {
      close();
    }
  });
  return { input, list };
}

/* ---------- the list and the form (#/cases) ---------- */

function caseForm(renderId) {
  const dataset = el('select', { testid: 'case-dataset', attrs: { id: 'case-dataset' } });
  const scope = el('select', { testid: 'case-scope', attrs: { id: 'case-scope' } },
    ...SCOPES.map((s) => el('option', { i18n: `cases.scope.${s}`, attrs: { value: s } })));
  scope.value = 'domestic';
  const label = el('input', { testid: 'case-label', attrs: { id: 'case-label', type: 'text', maxlength: '200' } });
  const genes = el('input', { testid: 'case-genes', attrs: { id: 'case-genes', type: 'text', placeholder: 'SCN1A, FBN1' } });
  const error = formError('case-error');
  const featureError = formError('case-feature-error');
  const chips = el('ul', { class: 'chips feature-chips', testid: 'case-feature-chips' });
  const features = []; // { term, excluded }
  const drawChips = () => {
    chips.replaceChildren(...features.map((feature, index) => {
      const toggle = el('button', {
        class: `chip-toggle ${feature.excluded ? 'is-excluded' : 'is-observed'}`,
        testid: 'case-feature-toggle',
        i18n: feature.excluded ? 'cases.excluded' : 'cases.observed',
        attrs: { type: 'button', 'aria-pressed': feature.excluded ? 'true' : 'false' },
      });
      toggle.addEventListener('click', () => { feature.excluded = !feature.excluded; drawChips(); });
      const remove = el('button', { class: 'chip-remove', testid: 'case-feature-remove', i18nAttrs: { 'aria-label': 'cases.remove', title: 'cases.remove' }, attrs: { type: 'button' } }, '×');
      remove.addEventListener('click', () => { features.splice(index, 1); drawChips(); });
      return el('li', { class: `chip feature-chip${feature.excluded ? ' feature-excluded' : ''}`, testid: 'case-feature-chip', attrs: { 'data-term-id': String(feature.term.id), 'data-excluded': String(feature.excluded) } },
        el('span', { class: 'mono' }, String(feature.term.id)), ' ', termLabel(feature.term, 'case-feature-label'), ' ', toggle, ' ', remove);
    }));
    if (features.length === 0) chips.append(el('li', { class: 'muted', i18n: 'cases.noFeatures' }));
  };
  drawChips();
  const auto = hpoAutocomplete(renderId, (term) => {
    if (!features.some((f) => f.term.id === term.id)) features.push({ term, excluded: false });
    drawChips();
  }, featureError);
  const create = el('button', { class: 'button button-primary', testid: 'case-create', i18n: 'cases.create', attrs: { type: 'submit' } });
  api('GET', '/api/v1/datasets').then((data) => {
    if (!isCurrent(renderId)) return;
    const usable = ((data && data.datasets) || [])
      .filter((d) => d.tier === 'restricted' || d.tier === 'controlled')
      .sort((a, b) => Number(b.data_type === 'phenotype_clinical') - Number(a.data_type === 'phenotype_clinical'));
    for (const d of usable) {
      dataset.append(el('option', { attrs: { value: String(d.name) } }, `${d.name} — ${d.title ?? ''}`));
    }
    if (usable.length === 0) dataset.append(el('option', { i18n: 'cases.noDatasets', attrs: { value: '' } }));
  }).catch((err) => { if (isCurrent(renderId)) showError(error, err); });
  const form = el('form', { class: 'case-form', testid: 'case-form', attrs: { novalidate: '' } },
    formField('cases.field.dataset', dataset),
    formField('cases.field.scope', scope, el('p', { class: 'muted', i18n: 'cases.scopeHelp' })),
    formField('cases.field.label', label),
    formField('cases.field.features', auto.input, el('p', { class: 'muted', i18n: 'cases.featureHelp' }), auto.list, featureError, chips),
    formField('cases.field.genes', genes, el('p', { class: 'muted', i18n: 'cases.genesHelp' })),
    error, create);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    create.disabled = true;
    const body = {
      dataset: dataset.value,
      scope: scope.value,
      label: label.value.trim(),
      features: features.map((f) => ({ id: f.term.id, excluded: f.excluded })),
      genes: genes.value.split(/[,\s]+/).map((g) => g.trim()).filter(Boolean).map((symbol) => ({ symbol })),
    };
    api('POST', '/api/v1/cases', body).then((created) => {
      navigate(`cases/${created.id}`);
    }).catch((err) => {
      create.disabled = false;
      if (err.status === 401) showLoadError(form, err);
      else showError(error, err);
    });
  });
  return form;
}

function renderList(main, renderId) {
  const body = el('div', { class: 'table-wrap' }, loadingText());
  main.append(
    pageHeading('cases.title', undefined, 'cases-title'),
    el('p', { class: 'lead', i18n: 'cases.intro' }),
    el('section', { class: 'panel' }, el('h2', { i18n: 'cases.visible' }), body),
    el('section', { class: 'panel' }, el('h2', { i18n: 'cases.new' }), caseForm(renderId)));
  api('GET', '/api/v1/cases?limit=200').then((data) => {
    if (!isCurrent(renderId)) return;
    const rows = ((data && data.cases) || []).map((c) => el('tr', { testid: 'case-row', attrs: { 'data-case-id': String(c.id) } },
      el('td', { class: 'numeric' }, el('a', { attrs: { href: `#/cases/${c.id}` } }, String(c.id))),
      el('td', {}, el('a', { attrs: { href: `#/cases/${c.id}` } }, String(c.label ?? ''))),
      el('td', { class: 'mono' }, String(c.dataset ?? '')),
      el('td', {}, scopeLabel(c.scope)),
      el('td', {}, stateLabel(c.state))));
    body.replaceChildren(table(
      [{ key: 'cases.col.id', numeric: true }, 'cases.field.label', 'cases.field.dataset', 'cases.field.scope', 'cases.col.state'],
      rows, { testid: 'cases-table', captionKey: 'cases.visible', emptyKey: 'cases.empty' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

/* ---------- one case (#/cases/ID) ---------- */

function pairItem(pair) {
  const query = pair.query || {};
  if (!pair.case || !pair.mica) {
    return el('li', { testid: 'match-pair', class: 'match-pair unmatched' },
      el('span', {}, String(query.label ?? query.id ?? '')), ' → ',
      el('span', { class: 'muted', i18n: 'cases.unmatched' }));
  }
  return el('li', { testid: 'match-pair', class: 'match-pair' },
    el('span', { testid: 'pair-query' }, String(query.label ?? query.id ?? '')), ' → ',
    el('span', { testid: 'pair-case' }, String(pair.case.label ?? pair.case.id ?? '')), ' ',
    el('span', { class: 'muted', i18n: 'cases.via' }), ' ',
    el('strong', { testid: 'pair-mica' }, String(pair.mica.label ?? pair.mica.id ?? '')),
    el('span', { class: 'muted' }, ` (IC ${number(pair.mica.ic, 2)})`));
}

function subscore(key, value, testid) {
  return el('span', { class: 'subscore', testid },
    el('span', { class: 'muted', i18n: key }), ' ', el('span', { class: 'mono' }, number(value)));
}

function matchResult(result) {
  const sub = result.subscores || {};
  const genes = (result.shared_genes || []).map((g) => String((g && (g.symbol || g.id)) ?? g));
  const explanation = el('details', { class: 'match-explanation', testid: 'match-explanation' },
    el('summary', { i18n: 'cases.explanation' }),
    el('ul', { class: 'match-pairs' }, ...(result.matched_terms || []).map(pairItem)),
    genes.length ? el('p', {}, el('span', { class: 'muted', i18n: 'cases.sharedGenes' }), ' ', el('span', { class: 'mono', testid: 'match-genes' }, genes.join(', '))) : null);
  return el('li', { class: 'match-result', testid: 'match-result', attrs: { 'data-case-id': String(result.case_id) } },
    el('div', { class: 'match-head' },
      el('span', { class: 'match-rank' }, `#${result.rank ?? ''}`), ' ',
      el('a', { attrs: { href: `#/cases/${result.case_id}` } }, String(result.label ?? result.case_id)), ' ',
      el('span', { class: 'muted mono' }, `${result.dataset ?? ''} · ${result.institution ?? ''}`), ' ',
      el('span', { class: 'match-score', testid: 'match-score' }, el('span', { i18n: 'cases.score' }), ' ', number(result.score))),
    el('div', { class: 'subscores' },
      subscore('cases.sub.phenotype', result.phenotype_score, 'match-sub-phenotype'),
      subscore('cases.sub.gene', result.gene_score, 'match-sub-gene'),
      subscore('cases.sub.variant', result.variant_score, 'match-sub-variant'),
      subscore('cases.sub.resnik', sub.resnik_bma),
      subscore('cases.sub.simgic', sub.simgic),
      subscore('cases.sub.tversky', sub.tversky),
      subscore('cases.sub.cosine', sub.cosine)),
    explanation);
}

// The other matchmaking nodes' part of a search with peers (Matchmaker Exchange): one line per
// node (ok, error or withheld by the case's scope, with the reason), then their results.
function peersSection(data) {
  const nodes = (data.peers || []).map((p) => el('li', {
    testid: 'peer-status', class: `peer-status peer-${String(p.status)}`,
    attrs: { 'data-node': String(p.node ?? ''), 'data-status': String(p.status ?? '') },
  },
  el('span', { class: 'mono' }, String(p.node ?? '')), ' ',
  el('span', { class: 'chip', i18n: `cases.peer.${['ok', 'error', 'withheld'].includes(p.status) ? p.status : 'error'}` }),
  p.status === 'ok' ? el('span', { class: 'muted', i18n: 'cases.peer.results', params: { n: String(p.results ?? 0) } }) : null,
  p.error ? el('span', { class: 'muted' }, ` ${String(p.error)}`) : null));
  const remote = (data.remote_results || []).map((r) => {
    const patient = r.patient || {};
    const contact = patient.contact || {};
    return el('li', { testid: 'remote-result', attrs: { 'data-node': String(r.node ?? '') } },
      el('span', { class: 'mono' }, String(r.node ?? '')), ' ',
      el('strong', {}, String(patient.label || patient.id || '')), ' ',
      el('span', { class: 'match-score' }, el('span', { i18n: 'cases.score' }), ' ', number(r.score)), ' ',
      el('span', { class: 'muted' }, `${String(contact.name ?? '')} ${String(contact.href ?? '')}`));
  });
  return el('div', { class: 'peer-results', testid: 'peer-section' },
    el('h3', { i18n: 'cases.peers' }),
    data.peers_error ? el('p', { class: 'muted' }, String(data.peers_error)) : null,
    nodes.length ? el('ul', { class: 'peer-statuses' }, ...nodes) : el('p', { class: 'muted', i18n: 'cases.peer.none' }),
    remote.length ? el('ol', { class: 'remote-results', testid: 'remote-results' }, ...remote) : null);
}

function loadMatches(renderId, id, container, peers = false) {
  const query = peers ? '&peers=1' : '';
  api('GET', `/api/v1/cases/${id}/matches?top=10${query}`).then((data) => {
    if (!isCurrent(renderId)) return;
    const results = (data && data.results) || [];
    container.replaceChildren(results.length
      ? el('ol', { class: 'match-results', testid: 'match-results' }, ...results.map(matchResult))
      : el('p', { class: 'muted', testid: 'match-empty', i18n: 'cases.noMatches' }));
    if (data && data.informative === false) container.prepend(el('p', { class: 'muted', i18n: 'cases.uninformative' }));
    if (data && data.peers) container.append(peersSection(data));
  }).catch((err) => {
    if (!isCurrent(renderId)) return;
    if (err.status === 401) { showLoadError(container, err); return; }
    const error = el('p', { class: 'form-error', testid: 'match-error', attrs: { role: 'alert' } });
    showError(error, err);
    container.replaceChildren(error);
  });
}

function evidence(result) {
  const matches = (result.matches || []).map((m) => el('li', { testid: 'diagnosis-match' },
    el('span', {}, String(m.query_label ?? m.query ?? '')), ' → ',
    el('span', {}, String(m.disease_label ?? m.disease_term ?? '')), ' ',
    el('span', { class: 'muted', i18n: 'cases.via' }), ' ',
    el('strong', {}, String(m.mica_label ?? m.mica ?? '—')),
    el('span', { class: 'muted' }, ` (IC ${number(m.ic, 2)})`)));
  const conflicts = (result.contradictions || []).map((c) => el('li', { testid: 'diagnosis-conflict', class: 'conflict' },
    el('span', { i18n: c.kind === 'query_excludes' ? 'cases.conflict.queryExcludes' : 'cases.conflict.diseaseExcludes' }), ': ',
    el('span', { class: 'mono' }, String((c.query && (c.query.label || c.query.id)) ?? c.query ?? '')), ' / ',
    el('span', { class: 'mono' }, String((c.disease_term && (c.disease_term.label || c.disease_term.id)) ?? c.disease_term ?? ''))));
  return el('details', { class: 'diagnosis-evidence', testid: 'diagnosis-evidence' },
    el('summary', { i18n: 'cases.evidence', params: { n: String(matches.length) } }),
    el('ul', {}, ...matches, ...conflicts));
}

function loadDiagnoses(renderId, id, container) {
  api('GET', `/api/v1/cases/${id}/diagnoses?top=10`).then((data) => {
    if (!isCurrent(renderId)) return;
    const rows = ((data && data.results) || []).map((r) => el('tr', { testid: 'diagnosis-row', attrs: { 'data-disease-id': String(r.id) } },
      el('td', { class: 'numeric' }, String(r.rank ?? '')),
      el('td', { class: 'mono' }, String(r.id ?? '')),
      el('td', { testid: 'diagnosis-name' }, String(r.name ?? '')),
      el('td', { class: 'numeric mono' }, number(r.score)),
      el('td', {}, evidence(r))));
    container.replaceChildren(table(
      [{ key: 'cases.col.rank', numeric: true }, 'cases.col.disease', 'cases.col.name', { key: 'cases.score', numeric: true }, 'cases.col.evidence'],
      rows, { testid: 'diagnosis-table', emptyKey: 'cases.noDiagnoses' }));
  }).catch((err) => {
    if (!isCurrent(renderId)) return;
    if (err.status === 401) { showLoadError(container, err); return; }
    const error = el('p', { class: 'form-error', testid: 'diagnosis-error', attrs: { role: 'alert' } });
    showError(error, err);
    container.replaceChildren(error);
  });
}

// Feature rows, labels filled in from /api/v1/hpo/terms (the id alone when HPO is not loaded).
function featuresTable(renderId, features) {
  const rows = features.map((f) => {
    const labelCell = el('td', { testid: 'feature-label' }, el('span', { class: 'muted' }, '…'));
    api('GET', `/api/v1/hpo/terms?q=${encodeURIComponent(f.id)}&limit=1`).then((data) => {
      if (!isCurrent(renderId)) return;
      const term = ((data && data.terms) || [])[0];
      labelCell.replaceChildren(term ? termLabel(term, 'case-term-label') : el('span', { class: 'muted' }, '—'));
    }).catch(() => { if (isCurrent(renderId)) labelCell.replaceChildren(el('span', { class: 'muted' }, '—')); });
    return el('tr', { testid: 'case-feature', attrs: { 'data-term-id': String(f.id), 'data-excluded': String(!!f.excluded) } },
      el('td', { class: 'mono' }, String(f.id)), labelCell,
      el('td', {}, el('span', { class: `chip ${f.excluded ? 'feature-excluded' : ''}`, i18n: f.excluded ? 'cases.excluded' : 'cases.observed' })));
  });
  return table(['cases.col.term', 'cases.col.label', 'cases.col.status'], rows, { testid: 'case-features', emptyKey: 'cases.noFeatures' });
}

function renderOne(main, renderId, id) {
  const body = el('div', {}, loadingText());
  main.append(pageHeading('cases.one', { id: String(id) }, 'cases-title'), el('section', { class: 'panel' }, body));
  const matches = el('div', { testid: 'match-section' }, loadingText());
  const diagnoses = el('div', { class: 'table-wrap', testid: 'diagnosis-section' }, loadingText());
  api('GET', `/api/v1/cases/${id}`).then((c) => {
    if (!isCurrent(renderId)) return;
    const genes = (c.genes || []).map((g) => String(g.symbol || g.id || ''));
    body.replaceChildren(
      el('div', { class: 'case-detail', testid: 'case-detail', attrs: { 'data-case-id': String(c.id) } },
        el('dl', { class: 'facts' },
          fact('cases.field.label', String(c.label ?? ''), 'case-label-value'),
          fact('cases.field.dataset', el('span', { class: 'mono' }, String(c.dataset ?? ''))),
          fact('cases.field.institution', el('span', { class: 'mono' }, String(c.institution ?? ''))),
          fact('cases.field.scope', scopeLabel(c.scope)),
          fact('cases.col.state', stateLabel(c.state)),
          fact('cases.field.created', dateText(c.created_at, { time: true }))),
        el('h3', { i18n: 'cases.field.features' }),
        el('div', { class: 'table-wrap' }, featuresTable(renderId, c.features || [])),
        el('h3', { i18n: 'cases.field.genes' }),
        el('p', { class: 'mono', testid: 'case-genes-value' }, genes.length ? genes.join(', ') : '—')));
    const peersToggle = el('input', { testid: 'match-peers-toggle', attrs: { type: 'checkbox' } });
    peersToggle.addEventListener('change', () => {
      matches.replaceChildren(loadingText());
      loadMatches(renderId, id, matches, peersToggle.checked);
    });
    main.append(
      el('section', { class: 'panel' }, el('h2', { i18n: 'cases.similar' }), el('p', { class: 'muted', i18n: 'cases.similarHelp' }),
        el('label', { class: 'check' }, peersToggle, ' ', el('span', { i18n: 'cases.searchPeers' })), matches),
      el('section', { class: 'panel' }, el('h2', { i18n: 'cases.diagnoses' }), el('p', { class: 'muted', i18n: 'cases.diagnosesHelp' }), diagnoses));
    loadMatches(renderId, id, matches);
    loadDiagnoses(renderId, id, diagnoses);
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

function render(main, renderId, params = []) {
  const id = Number(params[0]);
  if (Number.isInteger(id) && id > 0) renderOne(main, renderId, id);
  else renderList(main, renderId);
}

const en = {
  'nav.cases': 'Matchmaking',
  'cases.title': 'Matchmaking',
  'cases.one': 'Case {id}',
  'cases.intro': 'Register a case by its phenotype (HPO terms) and candidate genes, then look for similar cases at other institutions and for diseases that explain it.',
  'cases.visible': 'Cases you can see',
  'cases.new': 'New case',
  'cases.empty': 'No cases yet.',
  'cases.create': 'Register case',
  'cases.field.dataset': 'Dataset',
  'cases.field.scope': 'Sharing scope',
  'cases.field.label': 'Label',
  'cases.field.features': 'Phenotype features',
  'cases.field.genes': 'Genes',
  'cases.field.institution': 'Institution',
  'cases.field.created': 'Registered',
  'cases.scopeHelp': 'Who may find this case: your institution only, institutions in your country, or everyone in the consortium.',
  'cases.featureHelp': 'Type a term in English or Japanese, or an id such as HP:0001250, and pick it from the list. Each term is observed unless you mark it excluded.',
  'cases.featurePlaceholder': 'e.g. seizure, 発作, HP:0001250',
  'cases.genesHelp': 'Gene symbols separated by commas.',
  'cases.noSuggestions': 'No matching term.',
  'cases.noFeatures': 'No features.',
  'cases.noDatasets': 'No dataset you can register cases in.',
  'cases.observed': 'observed',
  'cases.excluded': 'excluded',
  'cases.remove': 'Remove',
  'cases.scope.private': 'Private (own institution)',
  'cases.scope.domestic': 'Domestic',
  'cases.scope.international': 'International',
  'cases.col.id': 'No.',
  'cases.col.state': 'State',
  'cases.state.active': 'Active',
  'cases.state.withdrawn': 'Withdrawn',
  'cases.col.term': 'Term',
  'cases.col.label': 'Name',
  'cases.col.status': 'Status',
  'cases.col.rank': 'Rank',
  'cases.col.disease': 'Disease',
  'cases.col.name': 'Name',
  'cases.col.evidence': 'Evidence',
  'cases.similar': 'Similar cases',
  'cases.similarHelp': 'Cases you may see, ranked by phenotype similarity and shared genes.',
  'cases.noMatches': 'No similar case found.',
  'cases.uninformative': 'The phenotype is too general to rank by; only cases sharing a gene are shown.',
  'cases.score': 'Score',
  'cases.sub.phenotype': 'phenotype',
  'cases.sub.gene': 'gene',
  'cases.sub.variant': 'variant',
  'cases.sub.resnik': 'Resnik',
  'cases.sub.simgic': 'simGIC',
  'cases.sub.tversky': 'Tversky',
  'cases.sub.cosine': 'cosine',
  'cases.explanation': 'Why this case matches',
  'cases.via': 'via',
  'cases.unmatched': 'no matching term',
  'cases.searchPeers': 'Also search other matchmaking nodes (Matchmaker Exchange)',
  'cases.peers': 'Other matchmaking nodes',
  'cases.peer.ok': 'answered',
  'cases.peer.error': 'failed',
  'cases.peer.withheld': 'not asked',
  'cases.peer.results': ' {n} results',
  'cases.peer.none': 'No other node is configured.',
  'cases.sharedGenes': 'Shared genes:',
  'cases.diagnoses': 'Diagnosis ranking',
  'cases.diagnosesHelp': 'Diseases whose annotated phenotypes best explain this case.',
  'cases.noDiagnoses': 'No disease ranked.',
  'cases.evidence': '{n} matched terms',
  'cases.conflict.queryExcludes': 'excluded in the case but typical of the disease',
  'cases.conflict.diseaseExcludes': 'observed in the case but excluded by the disease',
};

const ja = {
  'nav.cases': 'マッチメイキング',
  'cases.title': 'マッチメイキング',
  'cases.one': '症例 {id}',
  'cases.intro': '症例を表現型（HPO 用語）と候補遺伝子で登録し、他機関の類似症例と、症例を説明する疾患を探します。',
  'cases.visible': '閲覧できる症例',
  'cases.new': '新しい症例',
  'cases.empty': '症例はまだありません。',
  'cases.create': '症例を登録',
  'cases.field.dataset': 'データセット',
  'cases.field.scope': '共有範囲',
  'cases.field.label': 'ラベル',
  'cases.field.features': '表現型',
  'cases.field.genes': '遺伝子',
  'cases.field.institution': '機関',
  'cases.field.created': '登録日時',
  'cases.scopeHelp': 'この症例を検索できる範囲：自機関のみ、国内の機関、またはコンソーシアム全体。',
  'cases.featureHelp': '英語または日本語で用語を入力するか、HP:0001250 のような ID を入力して一覧から選びます。除外と指定しない限り「あり」として登録されます。',
  'cases.featurePlaceholder': '例：seizure、発作、HP:0001250',
  'cases.genesHelp': '遺伝子シンボルをカンマ区切りで入力します。',
  'cases.noSuggestions': '該当する用語はありません。',
  'cases.noFeatures': '表現型はありません。',
  'cases.noDatasets': '症例を登録できるデータセットがありません。',
  'cases.observed': 'あり',
  'cases.excluded': '除外',
  'cases.remove': '削除',
  'cases.scope.private': '非公開（自機関）',
  'cases.scope.domestic': '国内',
  'cases.scope.international': '国際',
  'cases.col.id': '番号',
  'cases.col.state': '状態',
  'cases.state.active': '有効',
  'cases.state.withdrawn': '取り下げ',
  'cases.col.term': '用語',
  'cases.col.label': '名称',
  'cases.col.status': '区分',
  'cases.col.rank': '順位',
  'cases.col.disease': '疾患',
  'cases.col.name': '名称',
  'cases.col.evidence': '根拠',
  'cases.similar': '類似症例',
  'cases.similarHelp': '閲覧できる症例を、表現型の類似度と共通の遺伝子で順位付けしています。',
  'cases.noMatches': '類似症例は見つかりませんでした。',
  'cases.uninformative': '表現型が一般的すぎて順位付けできないため、遺伝子が共通する症例のみ表示しています。',
  'cases.score': 'スコア',
  'cases.sub.phenotype': '表現型',
  'cases.sub.gene': '遺伝子',
  'cases.sub.variant': 'バリアント',
  'cases.sub.resnik': 'Resnik',
  'cases.sub.simgic': 'simGIC',
  'cases.sub.tversky': 'Tversky',
  'cases.sub.cosine': 'コサイン',
  'cases.explanation': 'この症例が一致する理由',
  'cases.via': '共通祖先',
  'cases.unmatched': '一致する用語なし',
  'cases.searchPeers': '他のマッチメイキングノードも検索する（Matchmaker Exchange）',
  'cases.peers': '他のマッチメイキングノード',
  'cases.peer.ok': '応答あり',
  'cases.peer.error': '失敗',
  'cases.peer.withheld': '送信せず',
  'cases.peer.results': ' {n} 件',
  'cases.peer.none': '他のノードは設定されていません。',
  'cases.sharedGenes': '共通の遺伝子：',
  'cases.diagnoses': '診断候補の順位',
  'cases.diagnosesHelp': 'アノテーションされた表現型がこの症例を最もよく説明する疾患。',
  'cases.noDiagnoses': '順位付けされた疾患はありません。',
  'cases.evidence': '一致した用語 {n} 件',
  'cases.conflict.queryExcludes': '症例では除外だが疾患に典型的',
  'cases.conflict.diseaseExcludes': '症例ではありだが疾患では除外',
};

export default {
  route: 'cases',
  navKey: 'nav.cases',
  titleKey: 'nav.cases',
  order: 55,
  roles: null,
  messages: { en, ja },
  render,
};
