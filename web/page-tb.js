// page-tb.js — TB isolates, resistance reports, clusters, marker search (#/tb) (placeholder: hidden until its issue's work fills it).

function render(main) {
  main.append(document.createTextNode(''));
}

export default {
  route: 'tb',
  navKey: 'nav.tb',
  titleKey: 'nav.tb',
  order: 70,
  roles: ['placeholder-hidden'],
  messages: { en: { 'nav.tb': 'tb' }, ja: { 'nav.tb': 'tb' } },
  render,
};
