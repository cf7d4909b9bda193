// page-variant-submit.js — variant submission upload and the curator queue (#/variant-submit) (placeholder: hidden until its issue's work fills it).

function render(main) {
  main.append(document.createTextNode(''));
}

export default {
  route: 'variant-submit',
  navKey: 'nav.variant-submit',
  titleKey: 'nav.variant-submit',
  order: 61,
  roles: ['placeholder-hidden'],
  messages: { en: { 'nav.variant-submit': 'variant-submit' }, ja: { 'nav.variant-submit': 'variant-submit' } },
  render,
};
