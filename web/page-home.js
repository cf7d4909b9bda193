// page-home.js — the home page (#/home): the signed-in user's account and the datasets they may see.

import { el, labelFor, pageHeading, state } from './ui.js';
import { datasetsSection } from './page-datasets.js';

function render(main, renderId) {
  const user = state.user;
  const display = user.display_name || user.name;

  const roles = el('dd');
  if (user.roles && user.roles.length) {
    const list = el('ul', { class: 'chips' });
    for (const role of user.roles) list.append(el('li', { class: 'chip' }, labelFor('role', role)));
    roles.append(list);
  } else {
    roles.append(el('span', { class: 'muted', i18n: 'home.noRoles' }));
  }

  const country = user.country
    ? el('span', { attrs: { 'data-format': 'region', 'data-value': String(user.country) } })
    : el('span', {}, '—');

  main.append(
    pageHeading('home.title', { name: display }, 'home-title'),
    el('section', { class: 'panel profile', attrs: { 'aria-labelledby': 'profile-heading' } },
      el('h2', { i18n: 'home.profile', attrs: { id: 'profile-heading' } }),
      el('dl', { class: 'facts' },
        el('div', {}, el('dt', { i18n: 'home.institution' }), el('dd', {}, String(user.institution || '—'))),
        el('div', {}, el('dt', { i18n: 'home.country' }), el('dd', {}, country)),
        el('div', {}, el('dt', { i18n: 'home.roles' }), roles))),
    datasetsSection(renderId, 'home.datasets'));
}

export default {
  route: 'home',
  navKey: 'nav.home',
  titleKey: 'nav.home',
  order: 10,
  roles: null,
  messages: {
    en: {
      'nav.home': 'Home',
      'home.title': 'Welcome, {name}',
      'home.profile': 'Your account',
      'home.institution': 'Institution',
      'home.country': 'Country',
      'home.roles': 'Roles',
      'home.noRoles': 'No roles assigned',
      'home.datasets': 'Datasets available to you',
    },
    ja: {
      'nav.home': 'ホーム',
      'home.title': 'ようこそ、{name} さん',
      'home.profile': 'アカウント情報',
      'home.institution': '所属機関',
      'home.country': '国',
      'home.roles': 'ロール',
      'home.noRoles': 'ロールが割り当てられていません',
      'home.datasets': '利用できるデータセット',
    },
  },
  render,
};
