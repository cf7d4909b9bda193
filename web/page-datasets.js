// page-datasets.js — the datasets page (#/datasets): the three sharing tiers explained, then the
// list of datasets the user may see. datasetsSection() is also used by the home page.

import {
  TIERS, api, el, formattedNumber, isCurrent, labelFor, loadingText, pageHeading, showLoadError,
  table, tierBadge,
} from './ui.js';

// A placeholder panel that becomes the datasets table (or an error) once the list arrives.
export function datasetsSection(renderId, headingKey) {
  const body = el('div', { class: 'table-wrap' }, loadingText());
  const section = el('section', { class: 'panel', attrs: { 'aria-labelledby': 'datasets-heading' } },
    el('h2', { i18n: headingKey, attrs: { id: 'datasets-heading' } }), body);

  api('GET', '/api/v1/datasets').then((data) => {
    if (!isCurrent(renderId)) return;
    body.replaceChildren(datasetsTable(Array.isArray(data && data.datasets) ? data.datasets : []));
  }).catch((err) => {
    if (!isCurrent(renderId)) return;
    showLoadError(body, err);
  });
  return section;
}

function datasetsTable(datasets) {
  const rows = datasets.map((dataset) => el('tr', { testid: 'dataset-row' },
    el('td', { class: 'mono' }, String(dataset.name ?? '')),
    el('td', {}, String(dataset.title ?? '')),
    el('td', {}, tierBadge(dataset.tier)),
    el('td', { class: 'data-type' }, labelFor('dataType', dataset.data_type)),
    el('td', { class: 'numeric' }, formattedNumber(dataset.records))));
  return table(
    ['col.name', 'col.title', 'col.tier', 'col.dataType', { key: 'col.records', numeric: true }],
    rows,
    { testid: 'datasets-table', captionKey: 'datasets.caption', emptyKey: 'datasets.empty' });
}

function render(main, renderId) {
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

export default {
  route: 'datasets',
  navKey: 'nav.datasets',
  titleKey: 'nav.datasets',
  order: 20,
  roles: null,
  messages: {
    en: {
      'nav.datasets': 'Datasets',
      'datasets.title': 'Datasets',
      'datasets.intro': 'Every dataset belongs to one of three sharing tiers, which decide who may see its records.',
      'datasets.tiers': 'Sharing tiers',
      'datasets.list': 'Dataset list',
      'datasets.caption': 'Datasets you can see',
      'datasets.empty': 'No datasets are visible to you yet.',
      'tierHelp.restricted': 'Shared only among the institutions and consortium members named in the data-sharing agreement.',
      'tierHelp.controlled': 'Available to researchers whose data access request has been approved by the data access committee.',
      'tierHelp.open': 'Data that anyone may use, without signing in or asking for access.',
    },
    ja: {
      'nav.datasets': 'データセット',
      'datasets.title': 'データセット',
      'datasets.intro': 'データセットは三つの共有区分のいずれかに属し、区分によって閲覧できる人が決まります。',
      'datasets.tiers': '共有区分',
      'datasets.list': 'データセット一覧',
      'datasets.caption': '閲覧できるデータセット',
      'datasets.empty': '閲覧できるデータセットはまだありません。',
      'tierHelp.restricted': 'データ共有契約に記載された機関・コンソーシアムのメンバーの間でのみ共有されます。',
      'tierHelp.controlled': 'データアクセス委員会が利用申請を承認した研究者が利用できます。',
      'tierHelp.open': '誰でも、ログインや利用申請なしで利用できるデータです。',
    },
  },
  render,
};
