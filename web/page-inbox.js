// page-inbox.js — match notifications (#/inbox) (placeholder: hidden until its issue's work fills it).

function render(main) {
  main.append(document.createTextNode(''));
}

export default {
  route: 'inbox',
  navKey: 'nav.inbox',
  titleKey: 'nav.inbox',
  order: 56,
  roles: ['placeholder-hidden'],
  messages: { en: { 'nav.inbox': 'inbox' }, ja: { 'nav.inbox': 'inbox' } },
  render,
};
