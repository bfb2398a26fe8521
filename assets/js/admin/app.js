// @ts-check
// Admin area entry point (served at /admin with history fallback): the shell
// with section navigation for instructors, vendors and admins.

import { createRouter } from '../router.js';
import { restoreSession, onSessionChange, getUser, hasRole } from '../api.js';
import { h, replace } from '../ui.js';
import { renderNav, setupMenuToggle, markCurrent, STAFF_ROLES } from '../shell.js';
import { usersPage } from './users.js';
import { coursesPage, newCoursePage, courseDetailsPage } from './courses.js';
import { courseContentPage } from './structure.js';
import { lessonPage } from './lesson.js';
import { courseStudentsPage, courseGradingPage } from './learners.js';
import { productsPage, productPage } from './products.js';
import { ordersPage, orderPage } from './orders.js';
import { dashboardPage } from './dashboard.js';
import { refundsPage } from './refunds.js';
import { invoicesPage } from './invoices.js';
import { couponsPage, couponPage } from './coupons.js';
import { bundlesPage, bundlePage } from './bundles.js';
import { membershipsPage, membershipPlanPage } from './memberships.js';
import { auditPage, errorsPage } from './logs.js';
import { backupsPage } from './backups.js';
import { settingsPage } from './settings.js';
import { taxPage } from './tax.js';
import { probe, isoDay } from './common.js';
import { t, initI18n, onLocaleChange, followProfileLocale } from '../i18n.js';

// Every section of the admin area. A section with `probe` is shown only when
// the server answers that endpoint (features still being built answer 404).
// `sub` routes belong to the section (they are guarded by its roles).
/**
 * @typedef {object} Section
 * @property {string} href
 * @property {string} label
 * @property {Record<string, string>} [role_labels] the label for a role, where it differs
 * @property {string[]} roles
 * @property {boolean} ready
 * @property {(ctx: any) => any} page
 * @property {[string, Record<string, any>] | [string]} [probe] the arguments of common.js probe()
 * @property {[string, (ctx: any) => any][]} [sub]
 */
/** @type {() => Section[]} */
const SECTIONS = () => ([
  {
    href: '/admin/dashboard', label: t('dashboard'), roles: ['admin'], ready: true, page: dashboardPage,
    probe: ['/admin/analytics/sales', { from: isoDay(-7), to: isoDay(0), interval: 'day' }],
  },
  {
    href: '/admin/courses', label: t('courses'), role_labels: { instructor: t('my-courses') }, roles: ['admin', 'instructor'], ready: true, page: coursesPage,
    sub: [
      ['/admin/courses/new', newCoursePage],
      ['/admin/courses/:id', courseContentPage],
      ['/admin/courses/:id/details', courseDetailsPage],
      ['/admin/courses/:id/students', courseStudentsPage],
      ['/admin/courses/:id/grading', courseGradingPage],
      ['/admin/courses/:id/lessons/new', lessonPage],
      ['/admin/courses/:id/lessons/:lessonId', lessonPage],
    ],
  },
  {
    href: '/admin/bundles', label: t('bundles'), roles: ['admin', 'instructor'], ready: true, page: bundlesPage,
    sub: [['/admin/bundles/new', bundlePage], ['/admin/bundles/:id', bundlePage]],
  },
  {
    href: '/admin/memberships', label: t('memberships'), roles: ['admin'], ready: true, page: membershipsPage,
    sub: [['/admin/memberships/plans/new', membershipPlanPage]],
  },
  {
    href: '/admin/products', label: t('products'), role_labels: { vendor: t('my-products') }, roles: ['admin', 'vendor'], ready: true, page: productsPage,
    sub: [['/admin/products/new', productPage], ['/admin/products/:id', productPage]],
  },
  {
    href: '/admin/orders', label: t('orders'), roles: ['admin', 'vendor'], ready: true, page: ordersPage,
    sub: [['/admin/orders/:id', orderPage]],
  },
  { href: '/admin/refunds', label: t('refunds'), roles: ['admin'], ready: true, page: refundsPage, probe: ['/admin/refunds'] },
  { href: '/admin/invoices', label: t('invoices'), roles: ['admin'], ready: true, page: invoicesPage, probe: ['/admin/invoices'] },
  {
    href: '/admin/coupons', label: t('coupons'), roles: ['admin'], ready: true, page: couponsPage,
    sub: [['/admin/coupons/new', couponPage], ['/admin/coupons/:id', couponPage]],
  },
  { href: '/admin/tax', label: t('tax'), roles: ['admin'], ready: true, page: taxPage, probe: ['/admin/tax/oss', { quarter: '2026-Q1' }] },
  { href: '/admin/users', label: t('users'), roles: ['admin'], ready: true, page: usersPage },
  { href: '/admin/audit', label: t('audit-log'), roles: ['admin'], ready: true, page: auditPage, probe: ['/admin/audit'] },
  { href: '/admin/errors', label: t('error-log'), roles: ['admin'], ready: true, page: errorsPage, probe: ['/admin/errors'] },
  { href: '/admin/backups', label: t('backups'), roles: ['admin'], ready: true, page: backupsPage, probe: ['/admin/backups'] },
  { href: '/admin/settings', label: t('settings'), roles: ['admin'], ready: true, page: settingsPage },
]);

// Results of the feature probes: section href -> available.
const available = new Map();

async function detectFeatures() {
  const user = getUser();
  if (!user) return;
  await Promise.all(SECTIONS().filter((s) => s.roles.includes(user.role)).map(async (s) => {
    if (s.probe) available.set(s.href, await probe(...s.probe));
  }));
}

// admin/index.html has these three.
const outlet = /** @type {HTMLElement} */ (document.getElementById('main'));
const accountNav = /** @type {HTMLElement} */ (document.getElementById('site-nav'));
const sectionNav = /** @type {HTMLElement} */ (document.getElementById('admin-nav'));

function visibleSections() {
  const user = getUser();
  if (!user) return [];
  return SECTIONS().filter((s) => s.ready && s.roles.includes(user.role) && (!s.probe || available.get(s.href)));
}

let leaving = false;
let started = false;

function drawNav() {
  renderNav(accountNav, {
    admin: true,
    onLoggedOut: () => {
      leaving = true;
      window.location.assign('/');
    },
  });
  const sections = visibleSections();
  sectionNav.hidden = sections.length === 0;
  replace(sectionNav, h('ul', {}, sections.map((s) => h('li', {}, h('a', { href: s.href }, (s.role_labels && s.role_labels[getUser().role]) || s.label)))));
  markCurrent(sectionNav);
}

function loginRedirect() {
  const here = window.location.pathname + window.location.search;
  window.location.replace(`/login?next=${encodeURIComponent(here)}`);
}

function message(title, text, link) {
  return {
    title,
    node: h('section', { class: 'page narrow' }, h('h1', {}, title), h('p', {}, text), link ? h('p', {}, link) : null),
  };
}

function guard(page) {
  return (ctx) => {
    if (!getUser()) {
      loginRedirect();
      return null;
    }
    if (!hasRole(...STAFF_ROLES)) {
      return message(t('no-access'), t('the-admin-area-is-for-administrators'),
        h('a', { href: '/', class: 'btn btn-primary', dataset: { reload: '' } }, t('back-to-the-site')));
    }
    return page(ctx);
  };
}

function home() {
  const first = visibleSections()[0];
  if (first) return { redirect: first.href };
  return message(t('admin'), t('the-tools-for-your-role-are'),
    h('a', { href: '/', class: 'btn btn-primary', dataset: { reload: '' } }, t('back-to-the-site')));
}

const routes = [{ path: '/admin', page: guard(home) }];
for (const s of SECTIONS()) {
  if (!s.ready) continue;
  // The label in the language of the moment, not the one at start-up.
  const label = () => (SECTIONS().find((x) => x.href === s.href) || s).label;
  const gate = (page) => guard((ctx) => {
    if (!hasRole(...s.roles)) return message(t('no-access'), t('the-label-section-is-not-available', { label: label() }));
    if (s.probe && !available.get(s.href)) return message(t('not-available'), t('the-label-section-is-not-available-2', { label: label() }));
    return page(ctx);
  });
  // Fixed paths (".../new") before parameterised ones.
  for (const [path, page] of s.sub || []) routes.push({ path, page: gate(page) });
  routes.push({ path: s.href, page: gate(s.page) });
}
routes.sort((a, b) => (a.path.includes(':') ? 1 : 0) - (b.path.includes(':') ? 1 : 0));

const router = createRouter({
  outlet,
  routes,
  scope: (p) => p === '/admin' || p.startsWith('/admin/'),
  siteName: () => t('admin-site-name'),
  notFound: guard(() => message(t('page-not-found'), t('there-is-no-admin-page-at'), h('a', { href: '/admin' }, t('go-to-the-admin-home')))),
  onChange: (url) => markCurrent(sectionNav, url),
});

onSessionChange((user) => {
  // Before start-up finishes, the first sign-in is drawn once the features are known.
  if (started) drawNav();
  // Signed out elsewhere (session revoked, refresh failed): back to the login
  // form, unless this tab is logging out on purpose.
  if (!user) setTimeout(() => { if (!leaving) loginRedirect(); }, 0);
});
setupMenuToggle();

onLocaleChange(() => {
  if (!started) return;
  drawNav();
  router.render({ focus: false });
  const select = accountNav.querySelector('.lang-select');
  if (select instanceof HTMLElement) select.focus();
});

Promise.all([initI18n().catch((err) => console.error(err)), restoreSession()]).then(async ([, ok]) => {
  if (!ok) {
    loginRedirect();
    return;
  }
  await followProfileLocale(getUser());
  detectFeatures().finally(() => {
    started = true;
    drawNav();
    router.start();
  });
});
