// page-inbox.js — match notifications (#/inbox): cases of yours that a new or updated case
// matched, unread first, each with links to both cases, the score and why they match (the
// matched term pairs with their most informative common ancestor, shared genes); "mark read"
// and pages of 20; the navigation entry shows the unread count. Server text only as text nodes.

import { api, dateText, el, isCurrent, loadingText, pageHeading, showError, showLoadError } from './ui.js';

const PAGE = 20;

// The unread count beside the navigation entry (item: its <li>); none when nothing is unread.
function showUnread(item, unread) {
  let badge = item.querySelector('[data-testid="nav-inbox-unread"]');
  if (!(unread > 0)) {
    if (badge) badge.remove();
    return;
  }
  if (!badge) {
    badge = el('span', { class: 'chip chip-new nav-badge', testid: 'nav-inbox-unread', i18nAttrs: { title: 'inbox.unreadTitle' } });
    item.append(' ', badge);
  }
  badge.textContent = String(unread);
}

// Called by the shell when it draws the navigation bar.
function navBadge(item) {
  api('GET', '/api/v1/inbox?limit=1').then((data) => showUnread(item, Number(data && data.unread) || 0)).catch(() => {});
}

function number(value, digits = 3) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

function term(t) {
  if (!t || typeof t !== 'object') return el('span', { class: 'muted', i18n: 'inbox.unmatched' });
  return el('span', {}, el('span', { class: 'mono' }, String(t.id ?? '')), ' ', String(t.label ?? ''));
}

function explanation(summary) {
  const pairs = (summary && summary.matched_terms) || [];
  const genes = (summary && summary.shared_genes) || [];
  return el('details', { class: 'inbox-explanation', testid: 'inbox-explanation' },
    el('summary', { i18n: 'inbox.why' }),
    el('p', { class: 'muted' },
      el('span', { i18n: 'inbox.sub.phenotype' }), ` ${number(summary && summary.phenotype_score)} · `,
      el('span', { i18n: 'inbox.sub.gene' }), ` ${number(summary && summary.gene_score)} · `,
      el('span', { i18n: 'inbox.sub.variant' }), ` ${number(summary && summary.variant_score)}`),
    pairs.length
      ? el('ul', { testid: 'inbox-pairs' }, ...pairs.map((p) => el('li', { testid: 'inbox-pair' },
        el('span', { i18n: 'inbox.yours' }), ' ', term(p.own), ' ~ ',
        el('span', { i18n: 'inbox.theirs' }), ' ', term(p.other), ' ',
        el('span', { class: 'muted', i18n: 'inbox.via' }), ' ',
        el('strong', { testid: 'inbox-mica' }, String((p.mica && (p.mica.label || p.mica.id)) ?? '—')),
        el('span', { class: 'muted' }, ` (IC ${number(p.mica && p.mica.ic, 2)})`))))
      : null,
    genes.length
      ? el('p', { testid: 'inbox-genes' }, el('span', { i18n: 'inbox.sharedGenes' }), ' ',
        el('span', { class: 'mono' }, genes.map((g) => String(g.symbol || g.id || '')).join(', ')))
      : null);
}

function caseLink(c, testid) {
  return el('a', { testid, attrs: { href: `#/cases/${Number(c && c.id)}` } },
    `#${Number(c && c.id)} `, String((c && c.label) ?? ''));
}

function item(n, onRead) {
  const read = !!n.read;
  const button = read ? null : el('button', { class: 'button', testid: 'inbox-mark-read', attrs: { type: 'button' }, i18n: 'inbox.markRead' });
  const error = el('p', { class: 'form-error', attrs: { role: 'alert' } });
  error.hidden = true;
  if (button) {
    button.addEventListener('click', () => {
      button.disabled = true;
      api('POST', `/api/v1/inbox/${Number(n.id)}/read`).then(onRead).catch((err) => {
        button.disabled = false;
        showError(error, err);
      });
    });
  }
  const other = n.other_case || {};
  return el('li', { class: `inbox-item ${read ? 'inbox-read' : 'inbox-unread'}`, testid: 'inbox-item', attrs: { 'data-id': String(n.id), 'data-read': String(read) } },
    el('p', {},
      el('span', { class: `chip ${read ? '' : 'chip-new'}`, testid: 'inbox-state', i18n: read ? 'inbox.read' : 'inbox.unread' }), ' ',
      el('span', { i18n: 'inbox.yourCase' }), ' ', caseLink(n.case, 'inbox-own-case'), ' ',
      el('span', { i18n: 'inbox.matched' }), ' ', caseLink(other, 'inbox-other-case')),
    el('p', { class: 'muted' },
      el('span', { i18n: 'inbox.score' }), ' ', el('strong', { testid: 'inbox-score' }, number(n.score)), ' · ',
      el('span', { class: 'mono' }, `${String(other.dataset ?? '')} / ${String(other.institution ?? '')}`), ' · ',
      el('span', { i18n: `inbox.scope.${['private', 'domestic', 'international'].includes(other.scope) ? other.scope : 'other'}` }), ' · ',
      dateText(new Date(Number(n.created_at) * 1000).toISOString(), { time: true })),
    explanation(n.summary || {}),
    button, error);
}

function render(main, renderId) {
  const body = el('div', {}, loadingText());
  const count = el('p', { class: 'lead', testid: 'inbox-count' });
  main.append(pageHeading('inbox.title', undefined, 'inbox-title'),
    el('p', { class: 'muted', i18n: 'inbox.intro' }), count,
    el('section', { class: 'panel' }, body));
  let offset = 0;
  const load = () => {
    api('GET', `/api/v1/inbox?offset=${offset}&limit=${PAGE}`).then((data) => {
      if (!isCurrent(renderId)) return;
      const items = (data && data.items) || [];
      const total = Number(data && data.total) || 0;
      const navItem = document.querySelector('[data-testid="nav-inbox"]');
      if (navItem && navItem.parentElement) showUnread(navItem.parentElement, Number(data && data.unread) || 0);
      count.replaceChildren(el('span', { i18n: 'inbox.counts', params: { unread: String(Number(data && data.unread) || 0), total: String(total) } }));
      const pager = el('p', { class: 'pager' });
      if (offset > 0) {
        const newer = el('button', { class: 'button', testid: 'inbox-newer', attrs: { type: 'button' }, i18n: 'inbox.newer' });
        newer.addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
        pager.append(newer);
      }
      if (offset + PAGE < total) {
        const older = el('button', { class: 'button', testid: 'inbox-older', attrs: { type: 'button' }, i18n: 'inbox.older' });
        older.addEventListener('click', () => { offset += PAGE; load(); });
        pager.append(older);
      }
      body.replaceChildren(items.length
        ? el('ul', { class: 'inbox-list', testid: 'inbox-list' }, ...items.map((n) => item(n, load)))
        : el('p', { class: 'muted', testid: 'inbox-empty', i18n: 'inbox.empty' }), pager);
    }).catch((err) => { if (isCurrent(renderId)) showLoadError(body, err); });
  };
  load();
}

const en = {
  'nav.inbox': 'Inbox',
  'inbox.title': 'Inbox',
  'inbox.intro': 'When a new or updated case matches one of the cases you registered, both owners are told here. You only see cases you are allowed to see.',
  'inbox.counts': '{unread} unread of {total}',
  'inbox.unreadTitle': 'Unread notifications',
  'inbox.empty': 'No notifications.',
  'inbox.unread': 'New',
  'inbox.read': 'Read',
  'inbox.markRead': 'Mark read',
  'inbox.yourCase': 'Your case',
  'inbox.matched': 'matches',
  'inbox.score': 'Score',
  'inbox.why': 'Why these cases match',
  'inbox.yours': 'yours:',
  'inbox.theirs': 'theirs:',
  'inbox.via': 'via',
  'inbox.unmatched': 'no matching term',
  'inbox.sharedGenes': 'Shared genes:',
  'inbox.sub.phenotype': 'phenotype',
  'inbox.sub.gene': 'gene',
  'inbox.sub.variant': 'variant',
  'inbox.scope.private': 'Private',
  'inbox.scope.domestic': 'Domestic',
  'inbox.scope.international': 'International',
  'inbox.scope.other': 'Other scope',
  'inbox.older': 'Older',
  'inbox.newer': 'Newer',
};

const ja = {
  'nav.inbox': '受信箱',
  'inbox.title': '受信箱',
  'inbox.intro': '新規登録または更新された症例があなたの登録した症例と一致すると、双方の登録者にここで通知されます。閲覧を許可された症例だけが表示されます。',
  'inbox.counts': '未読 {unread} 件／全 {total} 件',
  'inbox.unreadTitle': '未読の通知',
  'inbox.empty': '通知はありません。',
  'inbox.unread': '未読',
  'inbox.read': '既読',
  'inbox.markRead': '既読にする',
  'inbox.yourCase': 'あなたの症例',
  'inbox.matched': 'に一致した症例：',
  'inbox.score': 'スコア',
  'inbox.why': '一致の理由',
  'inbox.yours': 'あなた：',
  'inbox.theirs': '相手：',
  'inbox.via': '共通祖先',
  'inbox.unmatched': '一致する用語なし',
  'inbox.sharedGenes': '共通の遺伝子：',
  'inbox.sub.phenotype': '表現型',
  'inbox.sub.gene': '遺伝子',
  'inbox.sub.variant': 'バリアント',
  'inbox.scope.private': '非公開',
  'inbox.scope.domestic': '国内',
  'inbox.scope.international': '国際',
  'inbox.scope.other': 'その他の範囲',
  'inbox.older': '古い通知',
  'inbox.newer': '新しい通知',
};

export default {
  route: 'inbox',
  navKey: 'nav.inbox',
  titleKey: 'nav.inbox',
  order: 56,
  roles: null,
  messages: { en, ja },
  render,
  navBadge,
};
