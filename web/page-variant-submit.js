// page-variant-submit.js — variant submissions (#/variant-submit): upload a VCF / VCF.gz / BCF
// or the TSV template into a dataset and read the validation report line by line (a file with
// any bad line is refused whole: nothing is stored); the batches this browser sent ("my
// submissions"); and, for curators, the queue of pending submissions with accept / return.
//
// The upload sends the file's bytes as they are (application/octet-stream, with the options
// in the query string) so compressed VCF and BCF work, and reads the report from the 201
// answer or from the 422 error's body.

import { hasMessage } from './i18n.js';
import {
  api, clearError, dateText, el, formError, formField, isCurrent, loadingText,
  pageHeading, setText, showError, showLoadError, state, table,
} from './ui.js';
import { DISEASE_AREAS, classificationLabel, reviewLabel, variantName } from './page-variants.js';

const BATCHES_KEY = 'genoshare.variantBatches';
const BATCHES_KEPT = 20;
const STATUS_SAMPLE = 20; // records per batch whose curation status is looked up
const STATUS_BATCHES = 5; // the most recent batches that get a status

/* ---------- "my submissions": the batches sent from this browser ---------- */

function batchesKey() {
  return `${BATCHES_KEY}.${(state.user && state.user.name) || ''}`;
}

function storedBatches() {
  try {
    const list = JSON.parse(localStorage.getItem(batchesKey()) || '[]');
    return Array.isArray(list) ? list.filter((b) => b && Number.isInteger(b.batch)) : [];
  } catch {
    return [];
  }
}

function rememberBatch(entry) {
  try {
    const list = [entry, ...storedBatches().filter((b) => b.batch !== entry.batch)].slice(0, BATCHES_KEPT);
    localStorage.setItem(batchesKey(), JSON.stringify(list));
  } catch {
    // Storage can be disabled: the report was still shown.
  }
}

// The first records of a plain-text VCF or TSV as {chrom, pos, ref, alt} (ALT lists split), so
// their status can be looked up later; [] for compressed or binary files. The header row names
// the columns (VCF: #CHROM POS ID REF ALT; TSV: chrom pos ref alt in any order).
function sampleRecords(text) {
  const records = [];
  let columns = null;
  for (const line of text.split(/\r?\n/)) {
    if (records.length >= STATUS_SAMPLE) break;
    if (!line.trim() || line.startsWith('##')) continue;
    const cells = line.split('\t');
    if (!columns) {
      const names = cells.map((cell) => cell.replace(/^#/, '').trim().toLowerCase());
      if (!names.includes('chrom')) return [];
      columns = Object.fromEntries(names.map((name, index) => [name, index]));
      continue;
    }
    const value = (name) => String(cells[columns[name]] ?? '').trim();
    for (const alt of value('alt').split(',')) {
      records.push({ chrom: value('chrom').replace(/^chr/i, ''), pos: value('pos'), ref: value('ref'), alt });
    }
  }
  return records.slice(0, STATUS_SAMPLE);
}

// Counts the curation states of this institution's submissions of batch.dataset at the
// sampled records (a record not found as sent, e.g. re-aligned by the server, is "unknown").
async function batchStatus(batch, institution) {
  const counts = { pending: 0, accepted: 0, returned: 0, unknown: 0 };
  const seen = new Set();
  for (const r of batch.sample || []) {
    const query = new URLSearchParams({ chrom: r.chrom, start: r.pos, ref: r.ref, alt: r.alt, dataset: batch.dataset });
    const found = await api('GET', `/api/v1/variants?${query}`).catch(() => null);
    const hit = found && found.results && found.results[0];
    if (!hit) { counts.unknown++; continue; }
    if (seen.has(hit.id)) continue;
    seen.add(hit.id);
    const detail = await api('GET', `/api/v1/variants/${hit.id}`).catch(() => null);
    const mine = ((detail && detail.submissions) || []).filter((sub) => sub.dataset === batch.dataset && sub.institution === institution);
    if (mine.length === 0) counts.unknown++;
    for (const sub of mine) if (sub.state in counts) counts[sub.state]++;
  }
  return counts;
}

function statusCell(renderId, batch, index) {
  const cell = el('td', { testid: 'my-batch-status' }, el('span', { i18n: 'vsubmit.pendingCuration' }));
  if (index >= STATUS_BATCHES || !(batch.sample || []).length) return cell;
  batchStatus(batch, String((state.user && state.user.institution) || '')).then((counts) => {
    if (!isCurrent(renderId)) return;
    for (const [key, n] of Object.entries(counts)) cell.dataset[key] = String(n);
    const params = Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, String(n)]));
    cell.replaceChildren(el('span', { i18n: 'vsubmit.statusCounts', params }),
      counts.unknown ? el('span', { class: 'muted', i18n: 'vsubmit.statusUnknown', params }) : null,
      el('div', { class: 'muted small', i18n: 'vsubmit.statusSample', params: { n: String(batch.sample.length) } }));
  });
  return cell;
}

function renderBatches(renderId, container) {
  const list = storedBatches();
  if (list.length === 0) {
    container.replaceChildren(el('p', { class: 'muted', testid: 'my-batches-empty', i18n: 'vsubmit.noBatches' }));
    return;
  }
  const rows = list.map((b, index) => {
    const summary = el('td', { testid: 'my-batch-summary' }, loadingText());
    api('GET', `/api/v1/variants/submissions/${b.batch}`).then((report) => {
      if (!isCurrent(renderId)) return;
      summary.replaceChildren(el('span', {
        i18n: 'vsubmit.batchSummary',
        params: { records: String(report.records ?? 0), created: String(report.created ?? 0), updated: String(report.updated ?? 0), unchanged: String(report.unchanged ?? 0) },
      }));
    }).catch((err) => {
      if (!isCurrent(renderId)) return;
      const error = el('span', { class: 'form-error' });
      showError(error, err);
      summary.replaceChildren(error);
    });
    return el('tr', { testid: 'my-batch', attrs: { 'data-batch': String(b.batch) } },
      el('td', { class: 'numeric' }, String(b.batch)),
      el('td', { class: 'mono' }, String(b.dataset ?? '')),
      el('td', {}, String(b.filename ?? '')),
      el('td', {}, dateText(b.at, { time: true })),
      statusCell(renderId, b, index),
      summary);
  });
  container.replaceChildren(
    table([{ key: 'vsubmit.col.batch', numeric: true }, 'vsubmit.field.dataset', 'vsubmit.col.file', 'vsubmit.col.sent', 'vsubmit.col.status', 'vsubmit.col.summary'],
      rows, { testid: 'my-batches', captionKey: 'vsubmit.mine' }),
    el('p', { class: 'muted small', i18n: 'vsubmit.mineNote' }));
}

/* ---------- upload and report ---------- */

// POSTs the file's bytes; resolves with { status, report } for 201 and 422 (both carry the
// report), throws the ApiError otherwise.
async function uploadFile(file, options) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) if (value) params.set(key, value);
  try {
    const report = await api('POST', `/api/v1/variants/submissions?${params}`, file, { contentType: 'application/octet-stream' });
    return { status: 201, report };
  } catch (err) {
    if (err.status === 422 && err.body && Array.isArray(err.body.items)) return { status: 422, report: err.body };
    throw err;
  }
}

function reportView(report) {
  const errors = (report.items || []).filter((item) => item.level === 'error');
  const rows = (report.items || []).map((item) => el('tr', {
    testid: 'report-item',
    class: item.level === 'error' ? 'report-error' : 'report-note',
    attrs: { 'data-line': String(item.line ?? 0), 'data-level': String(item.level ?? '') },
  },
  el('td', { class: 'numeric mono', testid: 'report-line' }, item.line ? String(item.line) : '—'),
  el('td', {}, el('span', { i18n: item.level === 'error' ? 'vsubmit.level.error' : 'vsubmit.level.note' })),
  el('td', { testid: 'report-message' }, String(item.message ?? ''))));
  const omitted = Number(report.items_omitted) || 0;
  return el('section', {
    class: `panel submit-report ${report.stored ? 'report-stored' : 'report-refused'}`,
    testid: 'submit-report',
    attrs: { 'data-stored': String(Boolean(report.stored)), 'data-batch': String(report.batch ?? 0), 'aria-live': 'polite' },
  },
  el('h2', { i18n: report.stored ? 'vsubmit.stored' : 'vsubmit.refused', params: { batch: String(report.batch ?? ''), errors: String(report.errors ?? errors.length) } }),
  el('p', { testid: 'submit-report-summary', i18n: 'vsubmit.reportSummary', params: {
    lines: String(report.lines ?? 0), records: String(report.records ?? 0), created: String(report.created ?? 0),
    updated: String(report.updated ?? 0), unchanged: String(report.unchanged ?? 0), errors: String(report.errors ?? 0),
    format: String(report.format ?? ''), submitter: String(report.submitter ?? ''),
  } }),
  report.stored ? null : el('p', { class: 'form-error', testid: 'submit-report-nothing', i18n: 'vsubmit.nothingStored' }),
  rows.length ? el('div', { class: 'table-wrap' }, table([{ key: 'vsubmit.col.line', numeric: true }, 'vsubmit.col.level', 'vsubmit.col.message'], rows,
    { testid: 'submit-report-items', captionKey: 'vsubmit.reportItems' })) : null,
  omitted > 0 ? el('p', { class: 'muted', i18n: 'vsubmit.omitted', params: { n: String(omitted) } }) : null);
}

function submitForm(renderId, reportBox, onStored) {
  const dataset = el('select', { testid: 'vsubmit-dataset', attrs: { id: 'vsubmit-dataset' } });
  const format = el('select', { testid: 'vsubmit-format', attrs: { id: 'vsubmit-format' } },
    el('option', { i18n: 'vsubmit.format.auto', attrs: { value: '' } }),
    el('option', { attrs: { value: 'vcf' } }, 'VCF / VCF.gz / BCF'),
    el('option', { attrs: { value: 'tsv' } }, 'TSV'));
  const assembly = el('select', { testid: 'vsubmit-assembly', attrs: { id: 'vsubmit-assembly' } },
    el('option', { attrs: { value: 'GRCh38' } }, 'GRCh38'), el('option', { attrs: { value: 'GRCh37' } }, 'GRCh37'));
  const area = el('select', { testid: 'vsubmit-area', attrs: { id: 'vsubmit-area' } },
    el('option', { i18n: 'vsubmit.areaFromFile', attrs: { value: '' } }),
    ...DISEASE_AREAS.map((a) => (hasMessage(`variants.area.${a}`)
      ? el('option', { i18n: `variants.area.${a}`, attrs: { value: a } })
      : el('option', { attrs: { value: a } }, a))));
  const file = el('input', { testid: 'vsubmit-file', attrs: { id: 'vsubmit-file', type: 'file', accept: '.vcf,.vcf.gz,.bcf,.tsv,.txt,.gz' } });
  const error = formError('vsubmit-error');
  const send = el('button', { class: 'button button-primary', testid: 'vsubmit-send', i18n: 'vsubmit.send', attrs: { type: 'submit' } });
  api('GET', '/api/v1/datasets').then((data) => {
    if (!isCurrent(renderId)) return;
    const usable = ((data && data.datasets) || []).filter((d) => d.data_type === 'variants');
    for (const d of usable) dataset.append(el('option', { attrs: { value: String(d.name) } }, `${d.name} — ${d.title ?? ''}`));
    if (usable.length === 0) dataset.append(el('option', { i18n: 'vsubmit.noDatasets', attrs: { value: '' } }));
  }).catch((err) => { if (isCurrent(renderId)) showError(error, err); });

  const form = el('form', { class: 'vsubmit-form', testid: 'vsubmit-form', attrs: { novalidate: '' } },
    el('div', { class: 'field-grid' },
      formField('vsubmit.field.dataset', dataset),
      formField('vsubmit.field.format', format),
      formField('vsubmit.field.assembly', assembly),
      formField('vsubmit.field.area', area)),
    formField('vsubmit.field.file', file, el('p', { class: 'muted small', i18n: 'vsubmit.fileHelp' })),
    error, send);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    const chosen = file.files && file.files[0];
    if (!dataset.value || !chosen) {
      error.hidden = false;
      setText(error, chosen ? 'vsubmit.needDataset' : 'vsubmit.needFile');
      return;
    }
    const name = chosen.name || 'upload';
    send.disabled = true;
    setText(send, 'vsubmit.sending');
    reportBox.replaceChildren(loadingText());
    const sample = /\.(gz|bgz|bcf)$/i.test(name) ? Promise.resolve([])
      : chosen.slice(0, 1 << 20).text().then(sampleRecords, () => []);
    uploadFile(chosen, {
      dataset: dataset.value,
      format: format.value || (/\.(tsv|txt)$/i.test(name) ? 'tsv' : ''),
      assembly: assembly.value,
      disease_area: area.value,
      filename: name,
    }).then(async ({ report }) => {
      if (!isCurrent(renderId)) return;
      reportBox.replaceChildren(reportView(report));
      if (report.stored) {
        rememberBatch({ batch: Number(report.batch), dataset: dataset.value, filename: name, at: new Date().toISOString(), sample: await sample });
        if (isCurrent(renderId)) onStored();
      }
    }).catch((err) => {
      if (!isCurrent(renderId)) return;
      reportBox.replaceChildren();
      if (err.status === 401) showLoadError(reportBox, err);
      else showError(error, err);
    }).finally(() => {
      if (!isCurrent(renderId)) return;
      send.disabled = false;
      setText(send, 'vsubmit.send');
    });
  });
  return form;
}

/* ---------- curator queue ---------- */

// A comment box with accept and return buttons that POST {decision, comment} to path, then
// reload(); a return needs a comment. testid: prefix of the parts' testids; keys: the two
// buttons' message keys. Returns the nodes to place.
function decisionControls(renderId, path, testid, keys, reload) {
  const comment = el('input', {
    testid: `${testid}-comment`,
    attrs: { type: 'text', maxlength: '500' },
    i18nAttrs: { placeholder: 'vsubmit.commentPlaceholder', 'aria-label': 'vsubmit.comment' },
  });
  const error = el('p', { class: 'form-error', testid: `${testid}-error`, attrs: { role: 'alert' } });
  error.hidden = true;
  const accept = el('button', { class: 'button button-primary', testid: `${testid}-accept`, i18n: keys[0], attrs: { type: 'button' } });
  const giveBack = el('button', { class: 'button button-plain', testid: `${testid}-return`, i18n: keys[1], attrs: { type: 'button' } });
  const decide = (decision) => {
    clearError(error);
    if (decision === 'return' && !comment.value.trim()) {
      error.hidden = false;
      setText(error, 'vsubmit.returnNeedsComment');
      comment.focus();
      return;
    }
    accept.disabled = true;
    giveBack.disabled = true;
    api('POST', path, { decision, comment: comment.value.trim() }).then(() => {
      if (isCurrent(renderId)) reload();
    }).catch((err) => {
      if (!isCurrent(renderId)) return;
      accept.disabled = false;
      giveBack.disabled = false;
      if (err.status === 401) showLoadError(error, err);
      else showError(error, err);
    });
  };
  accept.addEventListener('click', () => decide('accept'));
  giveBack.addEventListener('click', () => decide('return'));
  return [comment, ' ', accept, ' ', giveBack, error];
}

function queueRow(renderId, item, reload) {
  const v = item.variant || {};
  return el('tr', { testid: 'queue-row', attrs: { 'data-submission-id': String(item.id), 'data-batch': String(item.batch ?? ''), 'data-variant-id': String(item.variant_id ?? ''), 'data-key': `${v.chrom}-${v.pos}-${v.ref}-${v.alt}` } },
    el('td', {}, el('a', { class: 'variant-link', attrs: { href: `#/variants/${item.variant_id}` } }, variantName(v))),
    el('td', {}, classificationLabel(item.classification), el('div', { class: 'muted small' }, reviewLabel(item.review_status))),
    el('td', {}, String((item.condition && item.condition.name) ?? ''), el('div', { class: 'muted small mono wrap-anywhere' }, String((item.condition && item.condition.ids) ?? ''))),
    el('td', {}, String(item.submitter ?? ''), el('div', { class: 'muted small' }, `${item.institution ?? ''} · ${item.dataset ?? ''}`)),
    el('td', {}, dateText(item.date)),
    el('td', { class: 'small' }, String(item.evidence ?? '')),
    el('td', { class: 'queue-actions' },
      ...decisionControls(renderId, `/api/v1/variants/curation/${item.id}`, 'queue', ['vsubmit.accept', 'vsubmit.return'], reload)));
}

// Accept or return every pending submission of one upload batch at once (a ClinVar-sized
// file is one batch of thousands): POST /api/v1/variants/curation/batch/{id}.
function batchDecision(renderId, batch, items, reload) {
  const first = items[0];
  return el('li', { class: 'queue-batch', testid: 'queue-batch', attrs: { 'data-batch': String(batch) } },
    el('span', { i18n: 'vsubmit.batchLine', params: { batch: String(batch), n: String(items.length), institution: String(first.institution ?? ''), dataset: String(first.dataset ?? '') } }),
    ' ', ...decisionControls(renderId, `/api/v1/variants/curation/batch/${batch}`, 'queue-batch', ['vsubmit.acceptBatch', 'vsubmit.returnBatch'], reload));
}

function loadQueue(renderId, container) {
  const reload = () => loadQueue(renderId, container);
  api('GET', '/api/v1/variants/curation?limit=100').then((data) => {
    if (!isCurrent(renderId)) return;
    const items = (data && data.items) || [];
    const batches = new Map();
    for (const item of items) {
      if (!batches.has(item.batch)) batches.set(item.batch, []);
      batches.get(item.batch).push(item);
    }
    container.replaceChildren(
      el('p', { class: 'muted', testid: 'queue-total', i18n: 'vsubmit.queueTotal', params: { n: String(data.total ?? items.length) } }),
      batches.size ? el('ul', { class: 'queue-batches', testid: 'queue-batches' },
        ...[...batches].map(([batch, list]) => batchDecision(renderId, batch, list, reload))) : null,
      table(['variants.col.variant', 'variants.col.classification', 'variants.col.conditions', 'variants.col.submitter',
        'variants.col.date', 'variants.col.evidence', 'vsubmit.col.decision'],
      items.map((item) => queueRow(renderId, item, reload)),
      { testid: 'queue-table', captionKey: 'vsubmit.queue', emptyKey: 'vsubmit.queueEmpty' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(container, err); });
}

/* ---------- the page ---------- */

function render(main, renderId) {
  const roles = new Set((state.user && state.user.roles) || []);
  const reportBox = el('div', { testid: 'vsubmit-report-box' });
  const mine = el('div', { class: 'table-wrap' });
  main.append(
    pageHeading('vsubmit.title', undefined, 'variant-submit-title'),
    el('p', { class: 'lead', i18n: 'vsubmit.intro' }),
    el('section', { class: 'panel' }, el('h2', { i18n: 'vsubmit.upload' }), submitForm(renderId, reportBox, () => renderBatches(renderId, mine))),
    reportBox,
    el('section', { class: 'panel' }, el('h2', { i18n: 'vsubmit.mine' }), mine));
  renderBatches(renderId, mine);
  if (roles.has('curator')) {
    const queue = el('div', { class: 'table-wrap', testid: 'queue' }, loadingText());
    main.append(el('section', { class: 'panel', testid: 'queue-panel' },
      el('h2', { i18n: 'vsubmit.queue' }), el('p', { class: 'muted', i18n: 'vsubmit.queueIntro' }), queue));
    loadQueue(renderId, queue);
  }
}

export default {
  route: 'variant-submit',
  navKey: 'nav.variant-submit',
  titleKey: 'nav.variant-submit',
  order: 61,
  roles: null, // any signed-in user may try; the server decides who writes to which dataset
  messages: {
    en: {
      'nav.variant-submit': 'Submissions',
      'vsubmit.title': 'Variant submissions',
      'vsubmit.intro': 'Send interpreted variants as a VCF (ClinVar INFO fields) or the TSV template. A file with any bad line is refused whole; stored submissions wait for curation.',
      'vsubmit.upload': 'Upload a file',
      'vsubmit.field.dataset': 'Dataset',
      'vsubmit.field.format': 'Format',
      'vsubmit.field.assembly': 'Assembly',
      'vsubmit.field.area': 'Disease area (records without one)',
      'vsubmit.field.file': 'File',
      'vsubmit.fileHelp': 'VCF, VCF.gz or BCF with CLNSIG, CLNDN/CLNDISDB and GS_AREA; or TSV with the columns chrom, pos, ref, alt, classification, condition_ids or condition_name, disease_area (genoshare variants template).',
      'vsubmit.format.auto': 'From the file',
      'vsubmit.areaFromFile': 'From the file',
      'vsubmit.noDatasets': 'No variant dataset',
      'vsubmit.needDataset': 'Choose a dataset.',
      'vsubmit.needFile': 'Choose a file.',
      'vsubmit.send': 'Send',
      'vsubmit.sending': 'Sending…',
      'vsubmit.stored': 'Stored as batch {batch}: waiting for curation',
      'vsubmit.refused': 'Refused: {errors} lines have errors',
      'vsubmit.nothingStored': 'Nothing was stored. Correct the lines below and send the whole file again.',
      'vsubmit.reportSummary': '{lines} lines read ({format}, submitter {submitter}): {records} submissions, {created} new, {updated} updated, {unchanged} unchanged, {errors} errors.',
      'vsubmit.reportItems': 'Validation report',
      'vsubmit.omitted': '{n} more report lines not shown.',
      'vsubmit.level.error': 'Error',
      'vsubmit.level.note': 'Note',
      'vsubmit.col.line': 'Line',
      'vsubmit.col.level': 'Level',
      'vsubmit.col.message': 'Message',
      'vsubmit.mine': 'My submissions',
      'vsubmit.noBatches': 'No file sent from this browser yet.',
      'vsubmit.mineNote': 'Files sent from this browser. The status counts your institution\'s submissions at the first records of each file (the latest five files); every submission\'s status is on its variant page.',
      'vsubmit.statusCounts': '{pending} pending · {accepted} accepted · {returned} returned',
      'vsubmit.statusUnknown': ' · {unknown} not found as sent',
      'vsubmit.statusSample': 'of the first {n} records',
      'vsubmit.col.batch': 'Batch',
      'vsubmit.col.file': 'File',
      'vsubmit.col.sent': 'Sent',
      'vsubmit.col.status': 'Status',
      'vsubmit.col.summary': 'Report',
      'vsubmit.pendingCuration': 'Sent for curation',
      'vsubmit.batchSummary': 'Submissions: {records} ({created} new, {updated} updated, {unchanged} unchanged)',
      'vsubmit.queue': 'Curation queue',
      'vsubmit.queueIntro': 'Pending submissions of the datasets you may read. Accept to publish; return with a comment to send back.',
      'vsubmit.queueTotal': '{n} pending',
      'vsubmit.queueEmpty': 'Nothing waits for curation.',
      'vsubmit.col.decision': 'Decision',
      'vsubmit.comment': 'Comment',
      'vsubmit.commentPlaceholder': 'Comment (needed to return)',
      'vsubmit.accept': 'Accept',
      'vsubmit.return': 'Return',
      'vsubmit.returnNeedsComment': 'Returning needs a comment.',
      'vsubmit.batchLine': 'Batch {batch} from {institution} in {dataset} ({n} shown below):',
      'vsubmit.acceptBatch': 'Accept the whole batch',
      'vsubmit.returnBatch': 'Return the whole batch',
    },
    ja: {
      'nav.variant-submit': 'バリアント登録',
      'vsubmit.title': 'バリアントの登録',
      'vsubmit.intro': '解釈済みバリアントを VCF（ClinVar の INFO 項目）または TSV テンプレートで送ります。誤りのある行が 1 行でもあればファイル全体が拒否されます。登録されたものは審査を待ちます。',
      'vsubmit.upload': 'ファイルのアップロード',
      'vsubmit.field.dataset': 'データセット',
      'vsubmit.field.format': '形式',
      'vsubmit.field.assembly': 'アセンブリ',
      'vsubmit.field.area': '疾患領域（記載のない行）',
      'vsubmit.field.file': 'ファイル',
      'vsubmit.fileHelp': 'CLNSIG、CLNDN/CLNDISDB、GS_AREA を含む VCF・VCF.gz・BCF、または chrom, pos, ref, alt, classification, condition_ids か condition_name, disease_area の列を持つ TSV（genoshare variants template）。',
      'vsubmit.format.auto': 'ファイルから判定',
      'vsubmit.areaFromFile': 'ファイルの記載に従う',
      'vsubmit.noDatasets': 'バリアントのデータセットがありません',
      'vsubmit.needDataset': 'データセットを選んでください。',
      'vsubmit.needFile': 'ファイルを選んでください。',
      'vsubmit.send': '送信',
      'vsubmit.sending': '送信中…',
      'vsubmit.stored': 'バッチ {batch} として登録しました（審査待ち）',
      'vsubmit.refused': '拒否されました：{errors} 行に誤りがあります',
      'vsubmit.nothingStored': '何も登録されていません。下の行を直し、ファイル全体をもう一度送ってください。',
      'vsubmit.reportSummary': '{lines} 行を読み込み（{format}、登録者 {submitter}）：{records} 件、新規 {created}、更新 {updated}、変更なし {unchanged}、誤り {errors}。',
      'vsubmit.reportItems': '検証レポート',
      'vsubmit.omitted': 'ほかに {n} 行のレポートがあります（表示していません）。',
      'vsubmit.level.error': '誤り',
      'vsubmit.level.note': '注記',
      'vsubmit.col.line': '行',
      'vsubmit.col.level': '種類',
      'vsubmit.col.message': '内容',
      'vsubmit.mine': '自分の登録',
      'vsubmit.noBatches': 'このブラウザから送ったファイルはまだありません。',
      'vsubmit.mineNote': 'このブラウザから送ったファイルです。状態は各ファイルの先頭の記録について自施設の登録を数えたものです（最新 5 ファイル）。各登録の状態はバリアントのページにあります。',
      'vsubmit.statusCounts': '審査待ち {pending} · 承認済み {accepted} · 差し戻し {returned}',
      'vsubmit.statusUnknown': ' · 送信時の形で見つからないもの {unknown}',
      'vsubmit.statusSample': '先頭 {n} 記録について',
      'vsubmit.col.batch': 'バッチ',
      'vsubmit.col.file': 'ファイル',
      'vsubmit.col.sent': '送信日時',
      'vsubmit.col.status': '状態',
      'vsubmit.col.summary': 'レポート',
      'vsubmit.pendingCuration': '審査に送付済み',
      'vsubmit.batchSummary': '{records} 件（新規 {created}、更新 {updated}、変更なし {unchanged}）',
      'vsubmit.queue': '審査キュー',
      'vsubmit.queueIntro': '閲覧できるデータセットの審査待ちの登録です。承認すると公開され、コメントを付けて差し戻すこともできます。',
      'vsubmit.queueTotal': '審査待ち {n} 件',
      'vsubmit.queueEmpty': '審査待ちの登録はありません。',
      'vsubmit.col.decision': '判定',
      'vsubmit.comment': 'コメント',
      'vsubmit.commentPlaceholder': 'コメント（差し戻しには必須）',
      'vsubmit.accept': '承認',
      'vsubmit.return': '差し戻し',
      'vsubmit.returnNeedsComment': '差し戻しにはコメントが必要です。',
      'vsubmit.batchLine': 'バッチ {batch}（{institution}、{dataset}、下に {n} 件）：',
      'vsubmit.acceptBatch': 'バッチ全体を承認',
      'vsubmit.returnBatch': 'バッチ全体を差し戻し',
    },
  },
  render,
};
