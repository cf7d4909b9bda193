// pages.js — the one list of page modules. Adding a page = one page-<name>.js file, its import
// here and its name in the list below (see README.md). app.js builds the navigation and the
// routes from this list.

import home from './page-home.js';
import datasets from './page-datasets.js';
import dmp from './page-dmp.js';
import dashboard from './page-dashboard.js';
import requests from './page-requests.js';
import dac from './page-dac.js';
import myAccess from './page-my-access.js';
import cases from './page-cases.js';
import inbox from './page-inbox.js';
import variants from './page-variants.js';
import variantSubmit from './page-variant-submit.js';
import tb from './page-tb.js';

export default [home, datasets, dmp, dashboard, requests, dac, myAccess, cases, inbox, variants,
  variantSubmit, tb];

// The pages user may see, in nav order (by order, then list position). A page with roles is
// only for users holding at least one of them; roles null means every signed-in user.
// This only shapes the UI: the server must refuse the API calls itself.
export function visiblePages(pages, user) {
  const held = new Set((user && Array.isArray(user.roles)) ? user.roles : []);
  return pages
    .filter((page) => page.roles == null
      || (Array.isArray(page.roles) && page.roles.some((role) => held.has(role))))
    .map((page, index) => ({ page, index }))
    .sort((a, b) => (a.page.order ?? 0) - (b.page.order ?? 0) || a.index - b.index)
    .map(({ page }) => page);
}
