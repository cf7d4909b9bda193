// page-dac.js — the data access committee's queue (#/dac): every submitted request awaiting a
// decision of the user's committees, with its DUO conflicts and history, and a form to approve
// (optionally for a shorter period) or reject with a comment; below, approved requests that
// the committee may revoke. For users with the dac or admin role (the server decides anyway).

import { api, clearError, el, formError, formField, isCurrent, loadingText, pageHeading, showError, showLoadError } from './ui.js';
import { requestDetail } from './page-requests.js';

// One request card with its review (or revoke) form; reload() refreshes the page's lists.
function requestCard(request, mode, reload) {
  const id = request.id;
  const comment = el('textarea', { testid: 'review-comment', attrs: { id: `review-comment-${id}`, rows: '2', maxlength: '1000' } });
  const error = formError('review-error');
  const buttons = el('p', { class: 'actions' });
  const send = (path, body, button) => {
    clearError(error);
    button.disabled = true;
    api('POST', `/api/v1/requests/${id}/${path}`, body).then(reload).catch((err) => {
      button.disabled = false;
      if (err.status === 401) showLoadError(card, err);
      else showError(error, err);
    });
  };
  const fields = [formField('dac.comment', comment)];
  if (mode === 'review') {
    const until = el('input', { testid: 'review-until', attrs: { id: `review-until-${id}`, type: 'text', placeholder: 'YYYY-MM-DD / YYYY-MM-DDTHH:MM:SSZ' } });
    fields.push(formField('dac.until', until, el('p', { class: 'muted', i18n: 'dac.untilHelp' })));
    const approve = el('button', { class: 'button button-primary', testid: 'review-approve', i18n: 'dac.approve', attrs: { type: 'button' } });
    const reject = el('button', { class: 'button', testid: 'review-reject', i18n: 'dac.reject', attrs: { type: 'button' } });
    approve.addEventListener('click', () => send('review', { decision: 'approve', comment: comment.value, until: until.value || undefined }, approve));
    reject.addEventListener('click', () => send('review', { decision: 'reject', comment: comment.value }, reject));
    buttons.append(approve, ' ', reject);
  } else {
    const revoke = el('button', { class: 'button', testid: 'review-revoke', i18n: 'dac.revoke', attrs: { type: 'button' } });
    revoke.addEventListener('click', () => send('revoke', { comment: comment.value }, revoke));
    buttons.append(revoke);
  }
  const card = el('article', { class: 'panel dac-request', testid: 'dac-request', attrs: { 'data-request-id': String(id) } },
    el('h3', { i18n: 'dac.request', params: { id } }),
    (request.conflicts > 0) ? el('p', { class: 'form-error', testid: 'dac-conflicts', i18n: 'dac.conflicts', params: { n: request.conflicts } }) : null,
    requestDetail(request), ...fields, error, buttons);
  return card;
}

function section(renderId, headingKey, query, mode, emptyKey, testid, reload) {
  const body = el('div', {}, loadingText());
  api('GET', `/api/v1/dac/queue${query}`).then((data) => {
    if (!isCurrent(renderId)) return;
    const requests = (data && data.requests) || [];
    const visible = mode === 'revoke' ? requests.filter((r) => r.can && r.can.revoke) : requests;
    body.replaceChildren(...(visible.length
      ? visible.map((request) => requestCard(request, mode, reload))
      : [el('p', { class: 'muted', i18n: emptyKey })]));
  }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
  return el('section', { testid }, el('h2', { i18n: headingKey }), body);
}

function render(main, renderId) {
  const lists = el('div', {});
  const reload = () => {
    if (!isCurrent(renderId)) return;
    lists.replaceChildren(
      section(renderId, 'dac.queue', '', 'review', 'dac.empty', 'dac-queue', reload),
      section(renderId, 'dac.approved', '?state=approved', 'revoke', 'dac.noneApproved', 'dac-approved', reload));
  };
  main.append(pageHeading('dac.title', undefined, 'dac-title'), el('p', { class: 'lead', i18n: 'dac.intro' }), lists);
  reload();
}

export default {
  route: 'dac',
  navKey: 'nav.dac',
  titleKey: 'nav.dac',
  order: 45,
  roles: ['dac', 'admin'],
  messages: {
    en: {
      'nav.dac': 'DAC',
      'dac.title': 'Data access committee',
      'dac.intro': 'Requests for the datasets your committee oversees. Check the DUO conflicts against the dataset\'s consent before deciding; approving despite a conflict needs a comment.',
      'dac.queue': 'Awaiting your decision',
      'dac.approved': 'Approved (may be revoked)',
      'dac.empty': 'Nothing awaits your decision.',
      'dac.noneApproved': 'No approved requests.',
      'dac.request': 'Request {id}',
      'dac.conflicts': '{n} DUO conflict(s) with the dataset\'s consent',
      'dac.comment': 'Comment (shown to the requester)',
      'dac.until': 'Approve until (optional)',
      'dac.untilHelp': 'Leave empty for the requested end; a committee may shorten the period, not extend it.',
      'dac.approve': 'Approve',
      'dac.reject': 'Reject',
      'dac.revoke': 'Revoke access',
    },
    ja: {
      'nav.dac': '委員会審査',
      'dac.title': 'データアクセス委員会',
      'dac.intro': '委員会が担当するデータセットへの利用申請です。判断の前に、データセットの同意条件との DUO の不一致を確認してください。不一致があるまま承認するにはコメントが必要です。',
      'dac.queue': '判断待ち',
      'dac.approved': '承認済み（取り消し可能）',
      'dac.empty': '判断待ちの申請はありません。',
      'dac.noneApproved': '承認済みの申請はありません。',
      'dac.request': '申請 {id}',
      'dac.conflicts': 'データセットの同意条件との DUO の不一致が {n} 件あります',
      'dac.comment': 'コメント（申請者に表示されます）',
      'dac.until': '承認期限（任意）',
      'dac.untilHelp': '空欄の場合は申請どおりの終了日です。委員会は期間を短くできますが、延ばすことはできません。',
      'dac.approve': '承認',
      'dac.reject': '却下',
      'dac.revoke': 'アクセスを取り消す',
    },
  },
  render,
};
