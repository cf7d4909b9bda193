// page-variants.js — variant search and variant pages (#/variants) (placeholder: hidden until its issue's work fills it).

function render(main) {
  main.append(document.createTextNode(''));
}

export default {
  route: 'variants',
  navKey: 'nav.variants',
  titleKey: 'nav.variants',
  order: 60,
  roles: ['placeholder-hidden'],
  messages: { en: { 'nav.variants': 'variants' }, ja: { 'nav.variants': 'variants' } },
  render,
};
