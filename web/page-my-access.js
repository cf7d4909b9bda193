// page-my-access.js — "my access" (#/my-access): the controlled datasets the user holds grants
// for, from approved requests or granted directly, with since / until and whether each grant is
// active, scheduled (its period has not begun), expired or revoked (decided by the server at the
// time of the request).

import { api, dateText, el, isCurrent, loadingText, pageHeading, showLoadError, table } from './ui.js';

function rows(grants) {
  return grants.map((grant) => el('tr', { testid: 'access-row', attrs: { 'data-request-id': grant.request == null ? '' : String(grant.request) } },
    el('td', { class: 'mono' }, String(grant.dataset ?? '')),
    el('td', {}, dateText(grant.since, { time: true })),
    el('td', {}, dateText(grant.until, { time: true })),
    el('td', {}, grant.request == null
      ? el('span', { class: 'muted', i18n: 'myAccess.direct' })
      : el('a', { attrs: { href: `#/requests/${grant.request}` } }, String(grant.request))),
    el('td', {}, el('span', { class: `chip access-state access-state-${grant.state}`, testid: 'access-state', attrs: { 'data-state': String(grant.state ?? '') } },
      el('span', { i18n: `myAccess.state.${grant.state}` })))));
}

function render(main, renderId) {
  const body = el('div', { class: 'table-wrap' }, loadingText());
  main.append(pageHeading('myAccess.title', undefined, 'my-access-title'),
    el('p', { class: 'lead', i18n: 'myAccess.intro' }),
    el('section', { class: 'panel' }, body));
  api('GET', '/api/v1/me/access').then((data) => {
    if (!isCurrent(renderId)) return;
    body.replaceChildren(table(
      ['myAccess.col.dataset', 'myAccess.col.since', 'myAccess.col.until', 'myAccess.col.request', 'myAccess.col.state'],
      rows((data && data.grants) || []),
      { testid: 'my-access-table', captionKey: 'myAccess.title', emptyKey: 'myAccess.empty' }));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
}

export default {
  route: 'my-access',
  navKey: 'nav.my-access',
  titleKey: 'nav.my-access',
  order: 50,
  roles: null,
  messages: {
    en: {
      'nav.my-access': 'My access',
      'myAccess.title': 'My access to controlled data',
      'myAccess.intro': 'Grants end by themselves at their end date; a committee can also revoke them, which stops access at once.',
      'myAccess.empty': 'You hold no grants for controlled datasets.',
      'myAccess.direct': 'granted directly',
      'myAccess.col.dataset': 'Dataset',
      'myAccess.col.since': 'Since',
      'myAccess.col.until': 'Until',
      'myAccess.col.request': 'Request',
      'myAccess.col.state': 'State',
      'myAccess.state.active': 'Active',
      'myAccess.state.scheduled': 'Starts later',
      'myAccess.state.expired': 'Expired',
      'myAccess.state.revoked': 'Revoked',
    },
    ja: {
      'nav.my-access': '利用権限',
      'myAccess.title': '制限公開データの利用権限',
      'myAccess.intro': '利用権限は期限に自動で終了します。委員会が取り消した場合は、その時点で利用できなくなります。',
      'myAccess.empty': '制限公開データセットの利用権限はありません。',
      'myAccess.direct': '直接付与',
      'myAccess.col.dataset': 'データセット',
      'myAccess.col.since': '開始',
      'myAccess.col.until': '期限',
      'myAccess.col.request': '申請',
      'myAccess.col.state': '状態',
      'myAccess.state.active': '有効',
      'myAccess.state.scheduled': '開始前',
      'myAccess.state.expired': '期限切れ',
      'myAccess.state.revoked': '取り消し',
    },
  },
  render,
};
