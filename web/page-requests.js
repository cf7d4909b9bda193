// page-requests.js — access requests (#/requests): the form to ask for controlled datasets with a
// research purpose in GA4GH DUO terms, the list of the user's own requests, and one request
// (#/requests/ID: datasets with their DUO conflicts, decisions, history; submit and withdraw).
// requestDetail() and stateBadge() are shared with page-dac.js.

import {
  api, clearError, dateText, el, fact, formError, formField, isCurrent, loadingText, navigate,
  pageHeading, showError, showLoadError, table,
} from './ui.js';

export const STATES = ['draft', 'submitted', 'approved', 'rejected', 'withdrawn', 'expired', 'revoked'];

// A request's state as a chip (class request-state-<state> for styling).
export function stateBadge(stateName, testid = 'request-state') {
  const known = STATES.includes(stateName);
  return el('span', { class: `chip request-state request-state-${stateName}`, testid },
    known ? el('span', { i18n: `requests.state.${stateName}` }) : String(stateName ?? ''));
}

function input(id, type, value) {
  const node = el('input', { testid: id, attrs: { id, name: id, type } });
  node.value = value ?? '';
  return node;
}

// The datasets of a request with their terms, decision and the DUO conflicts the committee sees.
function datasetsTable(request) {
  const rows = (request.datasets || []).map((dataset) => {
    const conflicts = el('ul', { class: 'conflicts' },
      ...(dataset.conflicts || []).map((conflict) => el('li', { testid: 'request-conflict' },
        el('strong', {}, String(conflict.term ?? '')), ': ', String(conflict.why ?? ''))));
    return el('tr', { testid: 'request-dataset' },
      el('td', { class: 'mono' }, String(dataset.name ?? '')),
      el('td', { class: 'mono' }, dataset.duo ? String(dataset.duo) : el('span', { class: 'muted', i18n: 'requests.noTerms' })),
      el('td', {}, el('span', { i18n: `requests.decision.${dataset.decision}` }),
        dataset.decided_by ? el('span', { class: 'muted' }, ` (${dataset.decided_by})`) : null),
      el('td', {}, (dataset.conflicts || []).length
        ? conflicts : el('span', { class: 'muted', i18n: 'requests.noConflicts' })));
  });
  return table(['col.name', 'requests.col.terms', 'requests.col.decision', 'requests.col.conflicts'],
    rows, { testid: 'request-datasets' });
}

function historyTable(request) {
  const rows = (request.history || []).map((step) => el('tr', { testid: 'history-row' },
    el('td', {}, dateText(step.at, { time: true })),
    el('td', { class: 'mono' }, String(step.by ?? '')),
    el('td', {}, el('span', { i18n: `requests.action.${step.action}` })),
    el('td', {}, stateBadge(step.state, 'history-state')),
    el('td', {}, String(step.comment ?? ''))));
  return table(['requests.col.when', 'requests.col.who', 'requests.col.action', 'requests.col.state',
    'requests.col.comment'], rows, { testid: 'request-history' });
}

// One request: summary, datasets and conflicts, history. Used here and on the DAC page.
export function requestDetail(request) {
  const duo = el('span', {}, el('span', { class: 'mono' }, String(request.duo ?? '')),
    request.commercial ? el('span', { class: 'muted', i18n: 'requests.commercialNote' }) : null);
  const facts = el('dl', { class: 'facts' },
    fact('requests.field.requester', el('span', { class: 'mono' }, String(request.requester ?? ''))),
    fact('requests.col.state', stateBadge(request.state)),
    fact('requests.field.purpose', String(request.purpose ?? ''), 'request-purpose'),
    fact('requests.field.duo', duo),
    fact('requests.field.period', el('span', {}, dateText(request.from), ' – ', dateText(request.until))),
    fact('requests.field.approvedUntil',
      request.approved_until ? dateText(request.approved_until, { time: true }) : '—', 'request-approved-until'));
  return el('div', { class: 'request-detail', testid: 'request-detail', attrs: { 'data-request-id': String(request.id) } },
    facts,
    el('h3', { i18n: 'requests.datasets' }), el('div', { class: 'table-wrap' }, datasetsTable(request)),
    el('h3', { i18n: 'requests.history' }), el('div', { class: 'table-wrap' }, historyTable(request)));
}

/* ---------- one request (#/requests/ID) ---------- */

function renderOne(main, renderId, id) {
  const body = el('div', {}, loadingText());
  main.append(pageHeading('requests.one', { id }, 'requests-title'), el('section', { class: 'panel' }, body));
  const show = (request) => {
    const error = formError('request-action-error');
    const actions = el('p', { class: 'actions' });
    const act = (verb, key) => {
      const button = el('button', { class: 'button', testid: `request-${verb}`, i18n: key, attrs: { type: 'button' } });
      button.addEventListener('click', () => {
        clearError(error);
        button.disabled = true;
        api('POST', `/api/v1/requests/${id}/${verb}`, {}).then((updated) => {
          if (isCurrent(renderId)) show(updated);
        }).catch((err) => {
          button.disabled = false;
          if (err.status === 401) showLoadError(body, err);
          else showError(error, err);
        });
      });
      actions.append(button, ' ');
    };
    if (request.can && request.can.submit) act('submit', 'requests.submit');
    if (request.can && request.can.withdraw) act('withdraw', 'requests.withdraw');
    body.replaceChildren(requestDetail(request), actions, error);
  };
  api('GET', `/api/v1/requests/${id}`).then((request) => {
    if (isCurrent(renderId)) show(request);
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

/* ---------- the list and the form (#/requests) ---------- */

function requestRows(requests) {
  return requests.map((request) => el('tr', { testid: 'request-row', attrs: { 'data-request-id': String(request.id) } },
    el('td', { class: 'numeric' }, el('a', { attrs: { href: `#/requests/${request.id}` } }, String(request.id))),
    el('td', { class: 'mono' }, (request.datasets || []).map((d) => d.name).join(', ')),
    el('td', { class: 'mono' }, String(request.duo ?? '')),
    el('td', {}, dateText(request.until)),
    el('td', {}, stateBadge(request.state))));
}

function requestForm(renderId) {
  const datasets = el('select', { testid: 'request-dataset', attrs: { id: 'request-dataset', multiple: '', size: '3' } });
  const terms = el('p', { class: 'muted', testid: 'request-dataset-terms' });
  const purpose = el('textarea', { testid: 'request-purpose-input', attrs: { id: 'request-purpose-input', rows: '3', maxlength: '2000' } });
  const duo = input('request-duo', 'text', '');
  duo.setAttribute('placeholder', 'HMB,IRB,PUB');
  const commercial = input('request-commercial', 'checkbox');
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = new Date(Date.now() + 365 * 86400000).toISOString().slice(0, 10);
  const from = input('request-from', 'date', today);
  const until = input('request-until', 'date', nextYear);
  const submitNow = input('request-submit-now', 'checkbox');
  submitNow.checked = true;
  const error = formError('request-error');
  const create = el('button', { class: 'button button-primary', testid: 'request-create', i18n: 'requests.create', attrs: { type: 'submit' } });
  const catalogue = new Map();
  const showTerms = () => {
    const chosen = [...datasets.selectedOptions].map((option) => option.value);
    terms.textContent = chosen.map((name) => `${name}: ${catalogue.get(name) || '—'}`).join('  ·  ');
  };
  datasets.addEventListener('change', showTerms);
  api('GET', '/api/v1/access/datasets').then((data) => {
    if (!isCurrent(renderId)) return;
    for (const dataset of (data && data.datasets) || []) {
      catalogue.set(dataset.name, dataset.duo);
      datasets.append(el('option', { attrs: { value: dataset.name } }, String(dataset.name)));
    }
  }).catch((err) => { if (isCurrent(renderId)) showError(error, err); });
  const form = el('form', { class: 'request-form', testid: 'request-form', attrs: { novalidate: '' } },
    formField('requests.field.datasets', datasets, terms),
    formField('requests.field.purpose', purpose),
    formField('requests.field.duo', duo, el('p', { class: 'muted', i18n: 'requests.duoHelp' })),
    el('div', { class: 'field' }, commercial, ' ', el('label', { i18n: 'requests.field.commercial', attrs: { for: commercial.id } })),
    formField('requests.field.from', from),
    formField('requests.field.until', until),
    el('div', { class: 'field' }, submitNow, ' ', el('label', { i18n: 'requests.field.submitNow', attrs: { for: submitNow.id } })),
    error, create);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    create.disabled = true;
    api('POST', '/api/v1/requests', {
      datasets: [...datasets.selectedOptions].map((option) => option.value),
      purpose: purpose.value,
      duo: duo.value,
      commercial: commercial.checked,
      from: from.value || undefined,
      until: until.value,
      submit: submitNow.checked,
    }).then((request) => {
      navigate(`requests/${request.id}`);
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
    pageHeading('requests.title', undefined, 'requests-title'),
    el('p', { class: 'lead', i18n: 'requests.intro' }),
    el('section', { class: 'panel' }, el('h2', { i18n: 'requests.mine' }), body),
    el('section', { class: 'panel' }, el('h2', { i18n: 'requests.new' }), requestForm(renderId)));
  api('GET', '/api/v1/requests').then((data) => {
    if (!isCurrent(renderId)) return;
    body.replaceChildren(table(
      [{ key: 'requests.col.id', numeric: true }, 'requests.field.datasets', 'requests.field.duo',
        'requests.field.until', 'requests.col.state'],
      requestRows((data && data.requests) || []),
      { testid: 'my-requests-table', captionKey: 'requests.mine', emptyKey: 'requests.empty' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

function render(main, renderId, params = []) {
  const id = Number(params[0]);
  if (Number.isInteger(id) && id > 0) renderOne(main, renderId, id);
  else renderList(main, renderId);
}

const en = {
  'nav.requests': 'Requests',
  'requests.title': 'Access requests',
  'requests.one': 'Access request {id}',
  'requests.intro': 'Ask the data access committee of a controlled dataset for access. State your research purpose as GA4GH Data Use Ontology (DUO) terms; the committee sees where they conflict with the dataset\'s consent.',
  'requests.mine': 'My requests',
  'requests.new': 'New request',
  'requests.empty': 'You have not filed any access request yet.',
  'requests.create': 'File request',
  'requests.submit': 'Submit to the committee',
  'requests.withdraw': 'Withdraw',
  'requests.datasets': 'Datasets and committee decisions',
  'requests.history': 'History',
  'requests.noTerms': 'no DUO terms recorded',
  'requests.noConflicts': 'none',
  'requests.commercialNote': ' (commercial use)',
  'requests.duoHelp': 'One purpose (GRU, HMB, DS:MONDO:…, POA) and what you declare, e.g. IRB (ethics approval), PUB (will publish), NPU (not-for-profit organisation), COL (will collaborate).',
  'requests.field.datasets': 'Datasets',
  'requests.field.purpose': 'Research purpose',
  'requests.field.duo': 'Purpose and declarations (DUO)',
  'requests.field.commercial': 'Commercial (for-profit) use',
  'requests.field.from': 'From',
  'requests.field.until': 'Until',
  'requests.field.submitNow': 'Submit now (otherwise keep as a draft)',
  'requests.field.requester': 'Requester',
  'requests.field.period': 'Requested period',
  'requests.field.approvedUntil': 'Approved until',
  'requests.col.id': 'No.',
  'requests.col.state': 'State',
  'requests.col.terms': 'Dataset terms (DUO)',
  'requests.col.decision': 'Decision',
  'requests.col.conflicts': 'DUO conflicts',
  'requests.col.when': 'When',
  'requests.col.who': 'Who',
  'requests.col.action': 'Step',
  'requests.col.comment': 'Comment',
  'requests.state.draft': 'Draft',
  'requests.state.submitted': 'Submitted',
  'requests.state.approved': 'Approved',
  'requests.state.rejected': 'Rejected',
  'requests.state.withdrawn': 'Withdrawn',
  'requests.state.expired': 'Expired',
  'requests.state.revoked': 'Revoked',
  'requests.decision.pending': 'Pending',
  'requests.decision.approved': 'Approved',
  'requests.decision.rejected': 'Rejected',
  'requests.action.create': 'Filed',
  'requests.action.submit': 'Submitted',
  'requests.action.withdraw': 'Withdrawn',
  'requests.action.approve': 'Approved',
  'requests.action.reject': 'Rejected',
  'requests.action.expire': 'Expired',
  'requests.action.revoke': 'Revoked',
};
const ja = {
  'nav.requests': '利用申請',
  'requests.title': '利用申請',
  'requests.one': '利用申請 {id}',
  'requests.intro': '制限公開データセットのデータアクセス委員会に利用を申請します。研究目的を GA4GH Data Use Ontology (DUO) の用語で記載してください。データセットの同意条件と合わない点は委員会に表示されます。',
  'requests.mine': '自分の申請',
  'requests.new': '新しい申請',
  'requests.empty': 'まだ利用申請はありません。',
  'requests.create': '申請を作成',
  'requests.submit': '委員会に提出',
  'requests.withdraw': '取り下げ',
  'requests.datasets': 'データセットと委員会の判断',
  'requests.history': '履歴',
  'requests.noTerms': 'DUO 用語は未登録',
  'requests.noConflicts': 'なし',
  'requests.commercialNote': '（営利目的の利用）',
  'requests.duoHelp': '目的を一つ（GRU、HMB、DS:MONDO:…、POA）と申告事項を記載します。例: IRB（倫理審査承認済み）、PUB（成果を公表）、NPU（非営利団体）、COL（共同研究に同意）。',
  'requests.field.datasets': 'データセット',
  'requests.field.purpose': '研究目的',
  'requests.field.duo': '目的と申告事項 (DUO)',
  'requests.field.commercial': '営利目的の利用',
  'requests.field.from': '開始日',
  'requests.field.until': '終了日',
  'requests.field.submitNow': 'すぐに提出する（チェックしない場合は下書き）',
  'requests.field.requester': '申請者',
  'requests.field.period': '申請期間',
  'requests.field.approvedUntil': '承認期限',
  'requests.col.id': '番号',
  'requests.col.state': '状態',
  'requests.col.terms': 'データセットの利用条件 (DUO)',
  'requests.col.decision': '判断',
  'requests.col.conflicts': 'DUO の不一致',
  'requests.col.when': '日時',
  'requests.col.who': '実行者',
  'requests.col.action': '手続き',
  'requests.col.comment': 'コメント',
  'requests.state.draft': '下書き',
  'requests.state.submitted': '審査中',
  'requests.state.approved': '承認',
  'requests.state.rejected': '却下',
  'requests.state.withdrawn': '取り下げ',
  'requests.state.expired': '期限切れ',
  'requests.state.revoked': '取り消し',
  'requests.decision.pending': '未判断',
  'requests.decision.approved': '承認',
  'requests.decision.rejected': '却下',
  'requests.action.create': '作成',
  'requests.action.submit': '提出',
  'requests.action.withdraw': '取り下げ',
  'requests.action.approve': '承認',
  'requests.action.reject': '却下',
  'requests.action.expire': '期限切れ',
  'requests.action.revoke': '取り消し',
};

export default {
  route: 'requests',
  navKey: 'nav.requests',
  titleKey: 'nav.requests',
  order: 40,
  roles: null,
  messages: { en, ja },
  render,
};
