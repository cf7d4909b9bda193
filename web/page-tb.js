// page-tb.js — tuberculosis isolates (#/tb): the isolates the user can see; one isolate
// (#/tb/ID: metadata, drug-susceptibility results, MICs, variants — the stored calls behind a
// resistance report —, missing sites); transmission clusters (#/tb/clusters: threshold, table,
// a drawn network of the close pairs, the neighbour-joining tree in Newick); and the marker
// search (#/tb/markers: the WHO solo 2×2 table per variant for a drug). Server text only as
// text nodes.

import {
  api, clearError, el, fact, formError, formField, isCurrent, loadingText, navigate, pageHeading,
  showError, showLoadError, table,
} from './ui.js';

const DRUGS = ['rifampicin', 'isoniazid', 'pyrazinamide', 'ethambutol', 'levofloxacin',
  'moxifloxacin', 'bedaquiline', 'linezolid', 'clofazimine', 'delamanid', 'amikacin',
  'kanamycin', 'capreomycin', 'streptomycin', 'ethionamide'];
const SVG = 'http://www.w3.org/2000/svg';

function number(value, digits = 3) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

function pValue(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toPrecision(3) : '—';
}

function tabs(current) {
  const link = (route, key) => el('a', {
    class: `chip${current === route ? ' is-current' : ''}`, testid: `tb-tab-${route || 'isolates'}`, i18n: key,
    attrs: { href: `#/tb${route ? `/${route}` : ''}`, ...(current === route ? { 'aria-current': 'page' } : {}) },
  });
  return el('nav', { class: 'chips', attrs: { 'aria-label': 'TB' } },
    link('', 'tb.tab.isolates'), ' ', link('clusters', 'tb.tab.clusters'), ' ', link('markers', 'tb.tab.markers'));
}

/* ---------- isolates (#/tb) ---------- */

function renderList(main, renderId) {
  const body = el('div', { class: 'table-wrap' }, loadingText());
  main.append(pageHeading('tb.title', undefined, 'tb-title'), el('p', { class: 'lead', i18n: 'tb.intro' }), tabs(''),
    el('section', { class: 'panel' }, el('h2', { i18n: 'tb.isolates' }), body));
  api('GET', '/api/v1/tb/isolates?limit=1000').then((data) => {
    if (!isCurrent(renderId)) return;
    const rows = ((data && data.isolates) || []).map((i) => el('tr', { testid: 'tb-isolate-row', attrs: { 'data-isolate-id': String(i.id) } },
      el('td', { class: 'numeric' }, el('a', { attrs: { href: `#/tb/${i.id}` } }, String(i.id))),
      el('td', {}, el('a', { attrs: { href: `#/tb/${i.id}` } }, String(i.isolate ?? ''))),
      el('td', { class: 'mono' }, String(i.dataset ?? '')),
      el('td', { class: 'numeric' }, i.year ? String(i.year) : '—'),
      el('td', {}, String(i.country || '—')),
      el('td', {}, String(i.specimen || '—')),
      el('td', {}, el('span', { i18n: i.genome ? 'tb.genome.yes' : 'tb.genome.no' }))));
    body.replaceChildren(table(
      [{ key: 'tb.col.id', numeric: true }, 'tb.col.isolate', 'tb.col.dataset', { key: 'tb.col.year', numeric: true },
        'tb.col.country', 'tb.col.specimen', 'tb.col.genome'],
      rows, { testid: 'tb-isolates-table', captionKey: 'tb.isolates', emptyKey: 'tb.empty' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

/* ---------- one isolate (#/tb/ID) ---------- */

function resultBadge(result) {
  return el('span', { class: `tier ${result === 'R' ? 'tier-restricted' : 'tier-open'}`, i18n: result === 'R' ? 'tb.resistant' : 'tb.susceptible' });
}

// The per-drug calls by the stored catalogue (R and U first), or why there are none.
function resistanceReport(i) {
  const r = i.resistance;
  if (!r) return el('p', { class: 'muted', testid: 'tb-resistance-note' }, String(i.resistance_note || ''));
  const order = { R: 0, U: 1, S: 2 };
  const drugs = [...(r.drugs || [])].sort((a, b) => (order[a.call] ?? 3) - (order[b.call] ?? 3) || String(a.drug).localeCompare(String(b.drug)));
  const rows = drugs.map((d) => el('tr', { testid: 'tb-call-row', attrs: { 'data-drug': String(d.drug), 'data-call': String(d.call) } },
    el('td', {}, String(d.drug ?? '')),
    el('td', {}, el('span', { class: `tier ${d.call === 'R' ? 'tier-restricted' : d.call === 'U' ? 'tier-controlled' : 'tier-open'}`, i18n: `tb.call.${d.call}` })),
    el('td', { class: 'numeric' }, d.grade ? String(d.grade) : '—'),
    el('td', { class: 'mono' }, (d.variants || []).map((v) => `${v.gene} ${v.name} (${number(v.af, 2)})`).join(', ') || String(d.reason || '—'))));
  return el('div', { testid: 'tb-resistance' },
    el('p', { testid: 'tb-resistance-type', i18n: 'tb.resistanceType', params: { type: String(r.type), catalogue: String(r.catalogue) } }),
    r.sub_lineage || r.main_lineage
      ? el('p', { testid: 'tb-lineage', i18n: r.mixed ? 'tb.lineageMixed' : 'tb.lineage', params: { lineage: String(r.sub_lineage || r.main_lineage) } })
      : null,
    el('div', { class: 'table-wrap' }, table(['tb.col.drug', 'tb.col.call', { key: 'tb.col.grade', numeric: true }, 'tb.col.evidence'], rows,
      { testid: 'tb-calls-table', emptyKey: 'tb.none' })));
}

function renderOne(main, renderId, id) {
  const body = el('div', {}, loadingText());
  main.append(pageHeading('tb.one', { id: String(id) }, 'tb-title'), tabs(null), el('section', { class: 'panel' }, body));
  api('GET', `/api/v1/tb/isolates/${id}`).then((i) => {
    if (!isCurrent(renderId)) return;
    const dst = (i.dst || []).map((d) => el('tr', { testid: 'tb-dst-row', attrs: { 'data-drug': String(d.drug) } },
      el('td', {}, String(d.drug ?? '')), el('td', {}, resultBadge(d.result)),
      el('td', {}, String(d.category ?? '')), el('td', {}, String(d.method || '—'))));
    const mic = (i.mic || []).map((m) => el('tr', { testid: 'tb-mic-row' },
      el('td', {}, String(m.drug ?? '')), el('td', { class: 'numeric mono' }, `${m.relation === '=' ? '' : m.relation}${m.value}`),
      el('td', {}, String(m.unit ?? '')), el('td', {}, String(m.method || '—'))));
    const variants = (i.variants || []).map((v) => el('tr', { testid: 'tb-variant-row' },
      el('td', { class: 'numeric mono' }, v.pos ? String(v.pos) : '—'),
      el('td', { class: 'mono' }, v.pos ? `${v.ref}>${v.alt}` : '—'),
      el('td', { class: 'mono' }, String(v.gene || '—')),
      el('td', { class: 'mono' }, String(v.name || '—')),
      el('td', {}, String(v.effect || '—')),
      el('td', { class: 'numeric' }, number(v.af, 2)),
      el('td', { class: 'numeric' }, v.depth ? String(v.depth) : '—')));
    const missing = (i.missing || []).map((m) => `${m[0]}–${m[1]}`);
    body.replaceChildren(el('div', { testid: 'tb-isolate-detail', attrs: { 'data-isolate-id': String(i.id) } },
      el('dl', { class: 'facts' },
        fact('tb.col.isolate', String(i.isolate ?? ''), 'tb-isolate-name'),
        fact('tb.col.dataset', el('span', { class: 'mono' }, String(i.dataset ?? ''))),
        fact('tb.col.year', i.year ? String(i.year) : '—'),
        fact('tb.col.country', String(i.country || '—')),
        fact('tb.field.region', String(i.region || '—')),
        fact('tb.field.source', String(i.source || '—')),
        fact('tb.col.specimen', String(i.specimen || '—'))),
      el('h3', { i18n: 'tb.report' }),
      resistanceReport(i),
      el('p', { class: 'muted', i18n: 'tb.reportHelp' }),
      el('h3', { i18n: 'tb.dst' }),
      el('div', { class: 'table-wrap' }, table(['tb.col.drug', 'tb.col.result', 'tb.col.category', 'tb.col.method'], dst,
        { testid: 'tb-dst-table', emptyKey: 'tb.none' })),
      el('h3', { i18n: 'tb.mic' }),
      el('div', { class: 'table-wrap' }, table(['tb.col.drug', { key: 'tb.col.mic', numeric: true }, 'tb.col.unit', 'tb.col.method'], mic,
        { testid: 'tb-mic-table', emptyKey: 'tb.none' })),
      el('h3', { i18n: 'tb.variants', params: { n: String(variants.length) } }),
      el('div', { class: 'table-wrap' }, table([{ key: 'tb.col.pos', numeric: true }, 'tb.col.change', 'tb.col.gene', 'tb.col.name',
        'tb.col.effect', { key: 'tb.col.af', numeric: true }, { key: 'tb.col.depth', numeric: true }], variants,
      { testid: 'tb-variants-table', emptyKey: 'tb.none' })),
      el('h3', { i18n: 'tb.missing' }),
      el('p', { class: 'mono', testid: 'tb-missing' }, missing.length ? missing.join(', ') : '—')));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

/* ---------- clusters (#/tb/clusters) ---------- */

function svgNode(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.append(document.createTextNode(String(text)));
  return node;
}

// The clusters drawn as a network: each cluster on its own circle, an edge per close pair.
function network(data, threshold) {
  const entry = (data.thresholds || []).find((t) => t.threshold === threshold) || { clusters: [] };
  const clusters = entry.clusters || [];
  const names = data.names || {};
  const cols = Math.max(1, Math.ceil(Math.sqrt(clusters.length)));
  const cell = 220;
  const width = cols * cell;
  const height = Math.max(1, Math.ceil(clusters.length / cols)) * cell;
  const where = new Map();
  clusters.forEach((c, k) => {
    const cx = (k % cols) * cell + cell / 2;
    const cy = Math.floor(k / cols) * cell + cell / 2;
    const members = c.members || [];
    const r = members.length > 1 ? 70 : 0;
    members.forEach((id, m) => {
      const angle = (2 * Math.PI * m) / members.length - Math.PI / 2;
      where.set(id, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) });
    });
  });
  const svg = svgNode('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'data-testid': 'tb-network' });
  svg.append(svgNode('title', {}, `clusters at ${threshold} SNPs`));
  for (const p of data.pairs || []) {
    if (p.snps > threshold || !where.has(p.a) || !where.has(p.b)) continue;
    const a = where.get(p.a);
    const b = where.get(p.b);
    const line = svgNode('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y, stroke: '#6b7a8f', 'stroke-width': 2, 'data-testid': 'tb-edge' });
    line.append(svgNode('title', {}, `${p.snps} SNPs`));
    svg.append(line, svgNode('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 4, 'font-size': 11, fill: '#333', 'text-anchor': 'middle' }, p.snps));
  }
  for (const [id, at] of where) {
    const name = (names[String(id)] || {}).isolate || String(id);
    const g = svgNode('g', { 'data-testid': 'tb-node', 'data-isolate-id': id });
    g.append(svgNode('circle', { cx: at.x, cy: at.y, r: 9, fill: '#2f6fb0' }),
      svgNode('text', { x: at.x, y: at.y + 22, 'font-size': 12, 'text-anchor': 'middle', fill: '#111' }, name));
    svg.append(g);
  }
  return svg;
}

function renderClusters(main, renderId) {
  const thresholdInput = el('input', { testid: 'tb-threshold', attrs: { id: 'tb-threshold', type: 'number', min: '0', max: '50', value: '5' } });
  const error = formError('tb-clusters-error');
  const result = el('div', { testid: 'tb-clusters-result' });
  const form = el('form', { class: 'form-inline' },
    formField('tb.field.threshold', thresholdInput),
    el('button', { class: 'button', testid: 'tb-clusters-submit', i18n: 'tb.show', attrs: { type: 'submit' } }), error);
  main.append(pageHeading('tb.clusters', undefined, 'tb-title'), el('p', { class: 'lead', i18n: 'tb.clustersIntro' }), tabs('clusters'),
    el('section', { class: 'panel' }, form, result));
  const load = () => {
    const threshold = Number(thresholdInput.value);
    clearError(error);
    result.replaceChildren(loadingText());
    api('GET', `/api/v1/tb/clusters?threshold=${encodeURIComponent(String(thresholdInput.value))}&newick=1`).then((data) => {
      if (!isCurrent(renderId)) return;
      const names = data.names || {};
      const entry = (data.thresholds || [])[0] || { clusters: [] };
      const rows = [];
      for (const c of entry.clusters || []) {
        for (const id of c.members || []) {
          const n = names[String(id)] || {};
          rows.push(el('tr', { testid: 'tb-cluster-row', attrs: { 'data-cluster': String(c.cluster), 'data-isolate': String(n.isolate ?? id) } },
            el('td', { class: 'numeric' }, String(entry.threshold)),
            el('td', { class: 'numeric' }, String(c.cluster)),
            el('td', { class: 'numeric' }, String(c.size)),
            el('td', {}, el('a', { attrs: { href: `#/tb/${id}` } }, String(n.isolate ?? id))),
            el('td', { class: 'mono' }, String(n.dataset ?? ''))));
        }
      }
      result.replaceChildren(
        el('p', { testid: 'tb-clusters-summary', i18n: 'tb.clustersSummary', params: { threshold: String(entry.threshold), clusters: String((entry.clusters || []).length), isolates: String(data.isolates ?? 0) } }),
        el('div', { class: 'table-wrap' }, table([{ key: 'tb.col.threshold', numeric: true }, { key: 'tb.col.cluster', numeric: true },
          { key: 'tb.col.size', numeric: true }, 'tb.col.isolate', 'tb.col.dataset'], rows,
        { testid: 'tb-clusters-table', emptyKey: 'tb.noClusters' })),
        el('h3', { i18n: 'tb.network' }),
        network(data, entry.threshold),
        el('h3', { i18n: 'tb.tree' }),
        el('pre', { class: 'mono', testid: 'tb-newick' }, String(data.newick || '—')));
    }).catch((err) => {
      if (!isCurrent(renderId)) return;
      result.replaceChildren();
      if (err.status === 401) showLoadError(result, err); else showError(error, err);
    });
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
  load();
}

/* ---------- marker search (#/tb/markers) ---------- */

function renderMarkers(main, renderId) {
  const drug = el('select', { testid: 'tb-drug', attrs: { id: 'tb-drug' } }, ...DRUGS.map((d) => el('option', { attrs: { value: d } }, d)));
  const error = formError('tb-markers-error');
  const result = el('div', { testid: 'tb-markers-result' });
  const form = el('form', { class: 'form-inline' }, formField('tb.col.drug', drug),
    el('button', { class: 'button', testid: 'tb-markers-submit', i18n: 'tb.search', attrs: { type: 'submit' } }), error);
  main.append(pageHeading('tb.markers', undefined, 'tb-title'), el('p', { class: 'lead', i18n: 'tb.markersIntro' }), tabs('markers'),
    el('section', { class: 'panel' }, form, result));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    result.replaceChildren(loadingText());
    api('GET', `/api/v1/tb/markers?drug=${encodeURIComponent(drug.value)}`).then((data) => {
      if (!isCurrent(renderId)) return;
      const rows = (data.variants || []).map((v) => el('tr', { testid: 'tb-marker-row', class: v.candidate ? 'is-candidate' : '', attrs: { 'data-variant': `${v.gene} ${v.variant}` } },
        el('td', { class: 'mono' }, String(v.gene ?? '')), el('td', { class: 'mono' }, String(v.variant ?? '')),
        el('td', { class: 'numeric' }, v.grade ? String(v.grade) : '—'),
        el('td', { class: 'numeric' }, String(v.a)), el('td', { class: 'numeric' }, String(v.b)),
        el('td', { class: 'numeric' }, String(v.c)), el('td', { class: 'numeric' }, String(v.d)),
        el('td', { class: 'numeric' }, `${number(v.ppv)} (${number(v.ppv_lo)}–${number(v.ppv_hi)})`),
        el('td', { class: 'numeric' }, pValue(v.p)),
        el('td', {}, v.candidate ? el('strong', { i18n: 'tb.candidate' }) : '')));
      const mic = (data.mic || []).map((m) => el('tr', { testid: 'tb-mic-bin' },
        el('td', { class: 'mono' }, `${m.gene} ${m.variant}`), el('td', { class: 'numeric mono' }, `${m.relation === '=' ? '' : m.relation}${m.value}`),
        el('td', { class: 'numeric' }, String(m.isolates))));
      result.replaceChildren(
        el('p', { testid: 'tb-markers-summary', i18n: 'tb.markersSummary', params: { drug: String(data.drug), n: String(data.isolates), r: String(data.resistant), s: String(data.susceptible), candidates: String((data.candidates || []).length) } }),
        el('div', { class: 'table-wrap' }, table(['tb.col.gene', 'tb.col.name', { key: 'tb.col.grade', numeric: true },
          { key: 'tb.col.soloR', numeric: true }, { key: 'tb.col.soloS', numeric: true }, { key: 'tb.col.otherR', numeric: true },
          { key: 'tb.col.otherS', numeric: true }, { key: 'tb.col.ppv', numeric: true }, { key: 'tb.col.p', numeric: true }, 'tb.col.candidate'],
        rows, { testid: 'tb-markers-table', emptyKey: 'tb.none' })),
        el('h3', { i18n: 'tb.micDistribution' }),
        el('div', { class: 'table-wrap' }, table(['tb.col.name', { key: 'tb.col.mic', numeric: true }, { key: 'tb.col.isolates', numeric: true }], mic,
          { testid: 'tb-mic-distribution', emptyKey: 'tb.none' })));
    }).catch((err) => {
      if (!isCurrent(renderId)) return;
      result.replaceChildren();
      if (err.status === 401) showLoadError(result, err); else showError(error, err);
    });
  });
}

function render(main, renderId, params = []) {
  const first = params[0];
  if (first === 'clusters') renderClusters(main, renderId);
  else if (first === 'markers') renderMarkers(main, renderId);
  else if (Number.isInteger(Number(first)) && Number(first) > 0) renderOne(main, renderId, Number(first));
  else if (first) navigate('tb');
  else renderList(main, renderId);
}

const en = {
  'nav.tb': 'Tuberculosis',
  'tb.title': 'Tuberculosis isolates',
  'tb.intro': 'M. tuberculosis isolates shared by TB reference laboratories: metadata, drug-susceptibility tests, MICs and variants, transmission clusters and the search for new resistance markers.',
  'tb.tab.isolates': 'Isolates',
  'tb.tab.clusters': 'Transmission clusters',
  'tb.tab.markers': 'Marker search',
  'tb.isolates': 'Isolates you can see',
  'tb.empty': 'No isolate yet.',
  'tb.one': 'Isolate {id}',
  'tb.col.id': 'No.',
  'tb.col.isolate': 'Isolate',
  'tb.col.dataset': 'Dataset',
  'tb.col.year': 'Year',
  'tb.col.country': 'Country',
  'tb.col.specimen': 'Specimen',
  'tb.col.genome': 'Genome',
  'tb.genome.yes': 'whole genome',
  'tb.genome.no': 'named variants',
  'tb.field.region': 'Region',
  'tb.field.source': 'Source',
  'tb.report': 'Resistance report',
  'tb.reportHelp': 'Below: the laboratory results and the variant calls behind the prediction, with allele fraction and depth per call.',
  'tb.resistanceType': 'Resistance type: {type} (catalogue {catalogue}).',
  'tb.lineage': 'Lineage: {lineage}.',
  'tb.lineageMixed': 'Lineage: mixed ({lineage}).',
  'tb.col.call': 'Call',
  'tb.col.evidence': 'Variants (allele fraction)',
  'tb.call.R': 'resistant',
  'tb.call.S': 'susceptible',
  'tb.call.U': 'no call',
  'tb.dst': 'Drug-susceptibility tests',
  'tb.mic': 'Minimum inhibitory concentrations',
  'tb.variants': 'Variants ({n})',
  'tb.missing': 'Sites not resolved (excluded from distances)',
  'tb.none': 'None.',
  'tb.resistant': 'resistant',
  'tb.susceptible': 'susceptible',
  'tb.col.drug': 'Drug',
  'tb.col.result': 'Result',
  'tb.col.category': 'Category',
  'tb.col.method': 'Method',
  'tb.col.mic': 'MIC',
  'tb.col.unit': 'Unit',
  'tb.col.pos': 'Position',
  'tb.col.change': 'Change',
  'tb.col.gene': 'Gene',
  'tb.col.name': 'Variant',
  'tb.col.effect': 'Effect',
  'tb.col.af': 'Allele fraction',
  'tb.col.depth': 'Depth',
  'tb.clusters': 'Transmission clusters',
  'tb.clustersIntro': 'Isolates whose genomes differ by at most the threshold in SNPs (masked repeats, indels and sites missing in either isolate left out) are linked; a cluster is every isolate reachable through such links.',
  'tb.field.threshold': 'Threshold (SNPs)',
  'tb.show': 'Show',
  'tb.clustersSummary': 'At {threshold} SNPs: {clusters} clusters among {isolates} isolates with a genome.',
  'tb.noClusters': 'No cluster at this threshold.',
  'tb.col.threshold': 'Threshold',
  'tb.col.cluster': 'Cluster',
  'tb.col.size': 'Size',
  'tb.network': 'Network of close pairs (SNPs on each link)',
  'tb.tree': 'Neighbour-joining tree (Newick)',
  'tb.markers': 'Resistance-marker search',
  'tb.markersIntro': "WHO's solo method: for each variant, the isolates carrying it with no other graded resistance variant for the drug, against the laboratory phenotype. PPV with a Wilson 95% interval; Fisher's exact test.",
  'tb.search': 'Search',
  'tb.markersSummary': '{drug}: {n} isolates with a phenotype ({r} resistant, {s} susceptible); {candidates} candidate new markers.',
  'tb.col.grade': 'Grade',
  'tb.col.soloR': 'Solo R',
  'tb.col.soloS': 'Solo S',
  'tb.col.otherR': 'Others R',
  'tb.col.otherS': 'Others S',
  'tb.col.ppv': 'PPV (95% CI)',
  'tb.col.p': 'p',
  'tb.col.candidate': 'Candidate',
  'tb.candidate': 'candidate',
  'tb.micDistribution': 'MIC distribution by variant',
  'tb.col.isolates': 'Isolates',
};

const ja = {
  'nav.tb': '結核',
  'tb.title': '結核菌株',
  'tb.intro': '結核リファレンス検査機関が共有する結核菌株：メタデータ、薬剤感受性試験、MIC、バリアント、伝播クラスター、新しい耐性マーカーの探索。',
  'tb.tab.isolates': '菌株',
  'tb.tab.clusters': '伝播クラスター',
  'tb.tab.markers': 'マーカー探索',
  'tb.isolates': '閲覧できる菌株',
  'tb.empty': '菌株はまだありません。',
  'tb.one': '菌株 {id}',
  'tb.col.id': '番号',
  'tb.col.isolate': '菌株',
  'tb.col.dataset': 'データセット',
  'tb.col.year': '年',
  'tb.col.country': '国',
  'tb.col.specimen': '検体',
  'tb.col.genome': 'ゲノム',
  'tb.genome.yes': '全ゲノム',
  'tb.genome.no': '命名済みバリアント',
  'tb.field.region': '地域',
  'tb.field.source': '由来',
  'tb.report': '耐性レポート',
  'tb.reportHelp': '以下は予測の根拠となる検査結果とバリアント検出（検出ごとのアレル頻度とデプス）です。',
  'tb.resistanceType': '耐性型：{type}（カタログ {catalogue}）。',
  'tb.lineage': '系統：{lineage}。',
  'tb.lineageMixed': '系統：混合（{lineage}）。',
  'tb.col.call': '判定',
  'tb.col.evidence': 'バリアント（アレル頻度）',
  'tb.call.R': '耐性',
  'tb.call.S': '感受性',
  'tb.call.U': '判定不能',
  'tb.dst': '薬剤感受性試験',
  'tb.mic': '最小発育阻止濃度',
  'tb.variants': 'バリアント（{n} 件）',
  'tb.missing': '判定できなかった部位（距離から除外）',
  'tb.none': 'なし。',
  'tb.resistant': '耐性',
  'tb.susceptible': '感受性',
  'tb.col.drug': '薬剤',
  'tb.col.result': '結果',
  'tb.col.category': '区分',
  'tb.col.method': '方法',
  'tb.col.mic': 'MIC',
  'tb.col.unit': '単位',
  'tb.col.pos': '位置',
  'tb.col.change': '変化',
  'tb.col.gene': '遺伝子',
  'tb.col.name': 'バリアント',
  'tb.col.effect': '影響',
  'tb.col.af': 'アレル頻度',
  'tb.col.depth': 'デプス',
  'tb.clusters': '伝播クラスター',
  'tb.clustersIntro': 'ゲノムの SNP 差がしきい値以下の菌株を結びます（マスク領域・挿入欠失・どちらかで欠測の部位は除外）。結びつきをたどって到達できる菌株全体が一つのクラスターです。',
  'tb.field.threshold': 'しきい値（SNP）',
  'tb.show': '表示',
  'tb.clustersSummary': '{threshold} SNP：ゲノムのある {isolates} 菌株中 {clusters} クラスター。',
  'tb.noClusters': 'このしきい値ではクラスターはありません。',
  'tb.col.threshold': 'しきい値',
  'tb.col.cluster': 'クラスター',
  'tb.col.size': '菌株数',
  'tb.network': '近縁ペアのネットワーク（線上の数字は SNP 差）',
  'tb.tree': '近隣結合法の系統樹（Newick）',
  'tb.markers': '耐性マーカー探索',
  'tb.markersIntro': 'WHO の solo 法：各バリアントについて、その薬剤の他の耐性グレードのバリアントを持たない保有菌株を検査表現型と比較します。PPV と Wilson 95% 信頼区間、Fisher の正確検定。',
  'tb.search': '検索',
  'tb.markersSummary': '{drug}：表現型のある {n} 菌株（耐性 {r}、感受性 {s}）、新しいマーカー候補 {candidates} 件。',
  'tb.col.grade': 'グレード',
  'tb.col.soloR': 'solo 耐性',
  'tb.col.soloS': 'solo 感受性',
  'tb.col.otherR': 'その他 耐性',
  'tb.col.otherS': 'その他 感受性',
  'tb.col.ppv': 'PPV（95% CI）',
  'tb.col.p': 'p 値',
  'tb.col.candidate': '候補',
  'tb.candidate': '候補',
  'tb.micDistribution': 'バリアント別の MIC 分布',
  'tb.col.isolates': '菌株数',
};

export default {
  route: 'tb',
  navKey: 'nav.tb',
  titleKey: 'nav.tb',
  order: 70,
  roles: null,
  messages: { en, ja },
  render,
};
