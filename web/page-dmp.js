// page-dmp.js — Data Management Plans (#/dmp): the list with its computed deadlines and statuses
// (filter by programme and status), a plan's page (#/dmp/ID: fields, planned data types and their
// dataset links, edit form, version history) and the form for a new plan (#/dmp/new).
// PROGRAMMES, STATUSES and statusBadge() are shared with page-dashboard.js.

import {
  TIERS, api, clearError, dateText, el, fact, formError, formField, isCurrent, labelFor,
  loadingText, navigate, pageHeading, showError, showLoadError, state, table, tierBadge,
} from './ui.js';

export const PROGRAMMES = ['genome_medicine', 'rare_intractable_disease', 'brain_mental_health',
  'emerging_infectious_disease', 'hepatitis', 'hiv_aids'];
export const STATUSES = ['on_track', 'due_soon', 'overdue', 'fulfilled'];
const DATA_TYPES = ['sequence', 'variants', 'somatic_mutations', 'expression_epigenome',
  'microbial_genomes', 'phenotype_clinical'];

// A plan's status as a chip (class dmp-status-<status> for styling).
export function statusBadge(status) {
  return el('span', { class: `chip dmp-status dmp-status-${status}`, testid: 'dmp-status' },
    labelFor('dmp.status', status));
}

function hasRole(...roles) {
  const held = (state.user && state.user.roles) || [];
  return roles.some((role) => held.includes(role));
}

// A <select> of values labelled by message keys <prefix>.<value>; first: an optional leading
// [value, key] option.
function select(id, values, prefix, selected, first) {
  const node = el('select', { testid: id, attrs: { id, name: id } });
  if (first) node.append(el('option', { i18n: first[1], attrs: { value: first[0] } }));
  for (const value of values) {
    const option = el('option', { i18n: `${prefix}.${value}`, attrs: { value } });
    if (value === selected) option.selected = true;
    node.append(option);
  }
  return node;
}

function input(id, type, value) {
  const node = el('input', { testid: id, attrs: { id, name: id, type } });
  node.value = value ?? '';
  return node;
}

/* ---------- list ---------- */

function planRows(plans) {
  return plans.map((plan) => el('tr', { testid: 'dmp-row' },
    el('td', { class: 'numeric' }, el('a', { attrs: { href: `#/dmp/${plan.id}` } }, String(plan.id))),
    el('td', {}, el('a', { attrs: { href: `#/dmp/${plan.id}` } }, String(plan.title ?? ''))),
    el('td', {}, labelFor('dmp.programme', plan.programme)),
    el('td', { class: 'mono' }, String(plan.institution ?? '')),
    el('td', {}, String(plan.pi ?? '')),
    el('td', {}, plan.deadline ? dateText(plan.deadline) : el('span', { class: 'muted', i18n: 'dmp.noDeadline' })),
    el('td', { class: 'numeric' }, plan.days_left === null ? '—' : String(plan.days_left)),
    el('td', {}, statusBadge(plan.status))));
}

function renderList(main, renderId) {
  const programme = select('dmp-filter-programme', PROGRAMMES, 'dmp.programme', '', ['', 'dmp.all']);
  const status = select('dmp-filter-status', STATUSES, 'dmp.status', '', ['', 'dmp.all']);
  const body = el('div', { class: 'table-wrap' }, loadingText());
  const load = () => {
    const query = new URLSearchParams();
    if (programme.value) query.set('programme', programme.value);
    if (status.value) query.set('status', status.value);
    body.replaceChildren(loadingText());
    api('GET', `/api/v1/dmps?${query}`).then((data) => {
      if (!isCurrent(renderId)) return;
      body.replaceChildren(table(
        [{ key: 'dmp.col.id', numeric: true }, 'col.title', 'dmp.col.programme', 'dmp.col.institution',
          'dmp.col.pi', 'dmp.col.deadline', { key: 'dmp.col.daysLeft', numeric: true }, 'dmp.col.status'],
        planRows(Array.isArray(data && data.dmps) ? data.dmps : []),
        { testid: 'dmp-table', captionKey: 'dmp.caption', emptyKey: 'dmp.empty' }));
    }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
  };
  programme.addEventListener('change', load);
  status.addEventListener('change', load);
  main.append(
    pageHeading('dmp.title', undefined, 'dmp-title'),
    el('p', { class: 'lead', i18n: 'dmp.intro' }),
    hasRole('submitter', 'admin')
      ? el('p', {}, el('a', { class: 'button button-primary', testid: 'dmp-new', i18n: 'dmp.new', attrs: { href: '#/dmp/new' } }))
      : null,
    el('section', { class: 'panel' },
      el('div', { class: 'dmp-filters' },
        formField('dmp.col.programme', programme), formField('dmp.col.status', status)),
      body));
  load();
}

/* ---------- the plan form (new and edit) ---------- */

function planForm(plan, onSubmit) {
  const items = new Map((plan ? plan.data_types : []).map((item) => [item.data_type, item.tier]));
  const fields = {
    programme: select('dmp-programme', PROGRAMMES, 'dmp.programme', plan ? plan.programme : PROGRAMMES[0]),
    title: input('dmp-form-title', 'text', plan && plan.title),
    pi: input('dmp-pi', 'text', plan ? plan.pi : state.user.name),
    institution: input('dmp-institution', 'text', plan ? plan.institution : state.user.institution),
    target_db: input('dmp-target-db', 'text', plan && plan.target_db),
    volume: input('dmp-volume', 'text', plan && plan.volume),
    analysis_done: input('dmp-analysis-done', 'date', plan && plan.analysis_done),
    paper_accepted: input('dmp-paper-accepted', 'date', plan && plan.paper_accepted),
  };
  const typeRows = DATA_TYPES.map((type) => {
    const check = el('input', { testid: `dmp-type-${type}`, attrs: { type: 'checkbox', id: `dmp-type-${type}` } });
    check.checked = items.has(type);
    const tier = select(`dmp-tier-${type}`, TIERS, 'tier', items.get(type) || 'controlled');
    return { type, check, tier, row: el('tr', {}, el('td', {}, check, ' ', el('label', { attrs: { for: check.id } }, labelFor('dataType', type))), el('td', {}, tier)) };
  });
  const error = formError('dmp-form-error');
  const submit = el('button', { class: 'button button-primary', testid: 'dmp-submit', i18n: plan ? 'dmp.save' : 'dmp.create', attrs: { type: 'submit' } });
  const form = el('form', { class: 'dmp-form', testid: 'dmp-form', attrs: { novalidate: '' } },
    formField('dmp.col.programme', fields.programme),
    formField('dmp.field.title', fields.title),
    formField('dmp.col.pi', fields.pi),
    formField('dmp.col.institution', fields.institution),
    formField('dmp.field.targetDb', fields.target_db),
    formField('dmp.field.volume', fields.volume),
    formField('dmp.field.analysisDone', fields.analysis_done),
    formField('dmp.field.paperAccepted', fields.paper_accepted),
    el('p', { class: 'muted', i18n: 'dmp.deadlineHelp' }),
    table(['dmp.col.dataType', 'dmp.col.plannedTier'], typeRows.map((r) => r.row), { testid: 'dmp-form-types' }),
    error, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    const body = {};
    for (const [name, node] of Object.entries(fields)) body[name] = node.value;
    body.analysis_done = body.analysis_done || null;
    body.paper_accepted = body.paper_accepted || null;
    body.data_types = typeRows.filter((r) => r.check.checked).map((r) => ({ data_type: r.type, tier: r.tier.value }));
    submit.disabled = true;
    onSubmit(body).catch((err) => {
      submit.disabled = false;
      if (err.status === 401) showLoadError(form, err);
      else showError(error, err);
    });
  });
  return form;
}

function renderNew(main, renderId) {
  main.append(pageHeading('dmp.new', undefined, 'dmp-title'),
    el('section', { class: 'panel' }, planForm(null, (body) => api('POST', '/api/v1/dmps', body).then((plan) => {
      if (isCurrent(renderId)) navigate(`dmp/${plan.id}`);
    }))));
}

/* ---------- one plan ---------- */

function linkForm(plan, renderId) {
  const type = select('dmp-link-type', plan.data_types.map((item) => item.data_type), 'dataType');
  const dataset = input('dmp-link-dataset', 'text', '');
  const error = formError('dmp-link-error');
  const submit = el('button', { class: 'button button-primary', testid: 'dmp-link-submit', i18n: 'dmp.link', attrs: { type: 'submit' } });
  const form = el('form', { testid: 'dmp-link-form' },
    el('h3', { i18n: 'dmp.linkTitle' }), formField('dmp.col.dataType', type),
    formField('dmp.col.dataset', dataset), error, submit);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearError(error);
    submit.disabled = true;
    api('POST', `/api/v1/dmps/${plan.id}/links`, { data_type: type.value, dataset: dataset.value || null })
      .then(() => { if (isCurrent(renderId)) navigate(`dmp/${plan.id}`); })
      .catch((err) => { submit.disabled = false; showError(error, err); });
  });
  return form;
}

function historySection(id, renderId) {
  const body = el('div', { class: 'table-wrap' }, loadingText());
  api('GET', `/api/v1/dmps/${id}/history`).then((data) => {
    if (!isCurrent(renderId)) return;
    const rows = (data.versions || []).slice().reverse().map((v) => el('tr', { testid: 'dmp-version-row' },
      el('td', { class: 'numeric' }, String(v.version)), el('td', {}, dateText(v.at, { time: true })),
      el('td', { class: 'mono' }, String(v.actor ?? '')), el('td', { class: 'mono' }, String(v.changes ?? ''))));
    body.replaceChildren(table([{ key: 'dmp.col.version', numeric: true }, 'dmp.col.at', 'dmp.col.actor', 'dmp.col.changes'],
      rows, { testid: 'dmp-history' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
  return el('section', { class: 'panel' }, el('h2', { i18n: 'dmp.history' }), body);
}

function mayEdit(plan) {
  const user = state.user || {};
  return hasRole('admin') || plan.created_by === user.name || plan.pi === user.name;
}

function renderPlan(main, renderId, id) {
  const body = el('div', {}, loadingText());
  main.append(pageHeading('dmp.planTitle', { id }, 'dmp-title'), body);
  api('GET', `/api/v1/dmps/${encodeURIComponent(id)}`).then((plan) => {
    if (!isCurrent(renderId)) return;
    const deadline = plan.deadline
      ? el('span', {}, dateText(plan.deadline), ' (', labelFor('dmp.rule', plan.deadline_rule), ')')
      : el('span', { class: 'muted', i18n: 'dmp.noDeadline' });
    const types = plan.data_types.map((item) => el('tr', { testid: 'dmp-type-row' },
      el('td', {}, labelFor('dataType', item.data_type)), el('td', {}, tierBadge(item.tier)),
      el('td', { class: 'mono' }, item.dataset ? String(item.dataset) : el('span', { class: 'muted', i18n: 'dmp.notLinked' }))));
    const editable = mayEdit(plan);
    body.replaceChildren(
      el('section', { class: 'panel' },
        el('h2', { testid: 'dmp-plan-title' }, String(plan.title ?? '')),
        el('dl', { class: 'facts' },
          fact('dmp.col.status', statusBadge(plan.status), 'dmp-plan-status'),
          fact('dmp.col.deadline', deadline, 'dmp-plan-deadline'),
          fact('dmp.col.daysLeft', plan.days_left === null ? '—' : String(plan.days_left), 'dmp-plan-days'),
          fact('dmp.col.programme', labelFor('dmp.programme', plan.programme)),
          fact('dmp.col.institution', String(plan.institution ?? '')),
          fact('dmp.col.pi', String(plan.pi ?? '')),
          fact('dmp.field.targetDb', String(plan.target_db || '—')),
          fact('dmp.field.volume', String(plan.volume || '—')),
          fact('dmp.field.analysisDone', dateText(plan.analysis_done)),
          fact('dmp.field.paperAccepted', dateText(plan.paper_accepted)),
          fact('dmp.col.version', String(plan.version), 'dmp-plan-version'))),
      el('section', { class: 'panel' }, el('h2', { i18n: 'dmp.dataTypes' }),
        table(['dmp.col.dataType', 'dmp.col.plannedTier', 'dmp.col.dataset'], types, { testid: 'dmp-types' }),
        editable ? linkForm(plan, renderId) : null),
      editable ? el('section', { class: 'panel' }, el('h2', { i18n: 'dmp.edit' }),
        planForm(plan, (changes) => api('PATCH', `/api/v1/dmps/${plan.id}`, changes).then(() => {
          if (isCurrent(renderId)) navigate(`dmp/${plan.id}`);
        }))) : null,
      historySection(plan.id, renderId));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

function render(main, renderId, params) {
  if (params[0] === 'new') renderNew(main, renderId);
  else if (params[0]) renderPlan(main, renderId, params[0]);
  else renderList(main, renderId);
}

export default {
  route: 'dmp',
  navKey: 'nav.dmp',
  titleKey: 'nav.dmp',
  order: 30,
  roles: null,
  messages: {
    en: {
      'nav.dmp': 'Data management plans',
      'dmp.title': 'Data management plans',
      'dmp.intro': 'Each project files a plan: what it will share, at which tier, and by when. The registration deadline is the earlier of “genome analysis finished + 2 years” and “paper accepted”.',
      'dmp.new': 'New plan',
      'dmp.create': 'File the plan',
      'dmp.save': 'Save changes',
      'dmp.edit': 'Change the plan',
      'dmp.all': 'All',
      'dmp.caption': 'Data management plans',
      'dmp.empty': 'No plans match.',
      'dmp.planTitle': 'Plan {id}',
      'dmp.noDeadline': 'No deadline yet',
      'dmp.notLinked': 'Not registered yet',
      'dmp.dataTypes': 'Planned data types',
      'dmp.history': 'Versions',
      'dmp.link': 'Link dataset',
      'dmp.linkTitle': 'Link a registered dataset',
      'dmp.deadlineHelp': 'Leave a date empty until it is known. The plan is fulfilled when every planned data type is linked to a registered dataset.',
      'dmp.col.id': 'ID',
      'dmp.col.programme': 'Programme',
      'dmp.col.institution': 'Institution',
      'dmp.col.pi': 'Principal investigator',
      'dmp.col.deadline': 'Deadline',
      'dmp.col.daysLeft': 'Days left',
      'dmp.col.status': 'Status',
      'dmp.col.dataType': 'Data type',
      'dmp.col.plannedTier': 'Planned tier',
      'dmp.col.dataset': 'Dataset',
      'dmp.col.version': 'Version',
      'dmp.col.at': 'When',
      'dmp.col.actor': 'Who',
      'dmp.col.changes': 'What changed',
      'dmp.field.title': 'Project title',
      'dmp.field.targetDb': 'Target public database',
      'dmp.field.volume': 'Expected volume',
      'dmp.field.analysisDone': 'Genome analysis completed',
      'dmp.field.paperAccepted': 'Paper accepted',
      'dmp.status.on_track': 'On track',
      'dmp.status.due_soon': 'Due within 90 days',
      'dmp.status.overdue': 'Overdue',
      'dmp.status.fulfilled': 'Fulfilled',
      'dmp.rule.analysis_plus_2y': 'analysis + 2 years',
      'dmp.rule.paper': 'paper accepted',
      'dmp.programme.genome_medicine': 'Genome medicine',
      'dmp.programme.rare_intractable_disease': 'Rare and intractable disease',
      'dmp.programme.brain_mental_health': 'Brain and mental health',
      'dmp.programme.emerging_infectious_disease': 'Emerging infectious disease',
      'dmp.programme.hepatitis': 'Hepatitis',
      'dmp.programme.hiv_aids': 'HIV/AIDS',
    },
    ja: {
      'nav.dmp': 'データマネジメントプラン',
      'dmp.title': 'データマネジメントプラン',
      'dmp.intro': '各研究課題は、共有するデータ・共有区分・期限を計画として提出します。登録期限は「ゲノム解析終了から2年」と「論文受理」のうち早い方です。',
      'dmp.new': '新しいプラン',
      'dmp.create': 'プランを提出',
      'dmp.save': '変更を保存',
      'dmp.edit': 'プランの変更',
      'dmp.all': 'すべて',
      'dmp.caption': 'データマネジメントプラン',
      'dmp.empty': '該当するプランはありません。',
      'dmp.planTitle': 'プラン {id}',
      'dmp.noDeadline': '期限未定',
      'dmp.notLinked': '未登録',
      'dmp.dataTypes': '計画したデータ種別',
      'dmp.history': '版の履歴',
      'dmp.link': 'データセットを紐付け',
      'dmp.linkTitle': '登録済みデータセットの紐付け',
      'dmp.deadlineHelp': '日付が未定の場合は空欄のままにしてください。計画したすべてのデータ種別が登録済みデータセットに紐付くと、プランは達成となります。',
      'dmp.col.id': 'ID',
      'dmp.col.programme': '事業',
      'dmp.col.institution': '機関',
      'dmp.col.pi': '研究代表者',
      'dmp.col.deadline': '登録期限',
      'dmp.col.daysLeft': '残り日数',
      'dmp.col.status': '状況',
      'dmp.col.dataType': 'データ種別',
      'dmp.col.plannedTier': '予定の共有区分',
      'dmp.col.dataset': 'データセット',
      'dmp.col.version': '版',
      'dmp.col.at': '日時',
      'dmp.col.actor': '変更者',
      'dmp.col.changes': '変更内容',
      'dmp.field.title': '研究課題名',
      'dmp.field.targetDb': '登録先の公開データベース',
      'dmp.field.volume': '予定データ量',
      'dmp.field.analysisDone': 'ゲノム解析終了日',
      'dmp.field.paperAccepted': '論文受理日',
      'dmp.status.on_track': '順調',
      'dmp.status.due_soon': '90日以内に期限',
      'dmp.status.overdue': '期限超過',
      'dmp.status.fulfilled': '達成',
      'dmp.rule.analysis_plus_2y': '解析終了＋2年',
      'dmp.rule.paper': '論文受理',
      'dmp.programme.genome_medicine': 'ゲノム医療',
      'dmp.programme.rare_intractable_disease': '難治性疾患',
      'dmp.programme.brain_mental_health': '脳とこころ',
      'dmp.programme.emerging_infectious_disease': '新興・再興感染症',
      'dmp.programme.hepatitis': '肝炎',
      'dmp.programme.hiv_aids': 'エイズ',
    },
  },
  render,
};
