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
import { auditPage, errorsPage } from './logs.js';
import { backupsPage } from './backups.js';
import { settingsPage } from './settings.js';
import { probe, isoDay } from './common.js';

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
/** @type {Section[]} */
const SECTIONS = [
  {
    href: '/admin/dashboard', label: 'Dashboard', roles: ['admin'], ready: true, page: dashboardPage,
    probe: ['/admin/analytics/sales', { from: isoDay(-7), to: isoDay(0), interval: 'day' }],
  },
  {
    href: '/admin/courses', label: 'Courses', role_labels: { instructor: 'My courses' }, roles: ['admin', 'instructor'], ready: true, page: coursesPage,
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
    href: '/admin/products', label: 'Products', role_labels: { vendor: 'My products' }, roles: ['admin', 'vendor'], ready: true, page: productsPage,
    sub: [['/admin/products/new', productPage], ['/admin/products/:id', productPage]],
  },
  {
    href: '/admin/orders', label: 'Orders', roles: ['admin', 'vendor'], ready: true, page: ordersPage,
    sub: [['/admin/orders/:id', orderPage]],
  },
  { href: '/admin/refunds', label: 'Refunds', roles: ['admin'], ready: true, page: refundsPage, probe: ['/admin/refunds'] },
  { href: '/admin/invoices', label: 'Invoices', roles: ['admin'], ready: true, page: invoicesPage, probe: ['/admin/invoices'] },
  {
    href: '/admin/coupons', label: 'Coupons', roles: ['admin'], ready: true, page: couponsPage,
    sub: [['/admin/coupons/new', couponPage], ['/admin/coupons/:id', couponPage]],
  },
  { href: '/admin/users', label: 'Users', roles: ['admin'], ready: true, page: usersPage },
  { href: '/admin/audit', label: 'Audit log', roles: ['admin'], ready: true, page: auditPage, probe: ['/admin/audit'] },
  { href: '/admin/errors', label: 'Error log', roles: ['admin'], ready: true, page: errorsPage, probe: ['/admin/errors'] },
  { href: '/admin/backups', label: 'Backups', roles: ['admin'], ready: true, page: backupsPage, probe: ['/admin/backups'] },
  { href: '/admin/settings', label: 'Settings', roles: ['admin'], ready: true, page: settingsPage },
];

// Results of the feature probes: section href -> available.
const available = new Map();

async function detectFeatures() {
  const user = getUser();
  if (!user) return;
  await Promise.all(SECTIONS.filter((s) => s.roles.includes(user.role)).map(async (s) => {
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
  return SECTIONS.filter((s) => s.ready && s.roles.includes(user.role) && (!s.probe || available.get(s.href)));
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
      return message('No access', 'The admin area is for administrators, instructors and vendors. Your account does not have one of those roles.',
        h('a', { href: '/', class: 'btn btn-primary', dataset: { reload: '' } }, 'Back to the site'));
    }
    return page(ctx);
  };
}

function home() {
  const first = visibleSections()[0];
  if (first) return { redirect: first.href };
  return message('Admin', 'The tools for your role are not available yet in this version of Schoolhouse.',
    h('a', { href: '/', class: 'btn btn-primary', dataset: { reload: '' } }, 'Back to the site'));
}

const routes = [{ path: '/admin', page: guard(home) }];
for (const s of SECTIONS) {
  if (!s.ready) continue;
  const gate = (page) => guard((ctx) => {
    if (!hasRole(...s.roles)) return message('No access', `The ${s.label} section is not available to your role.`);
    if (s.probe && !available.get(s.href)) return message('Not available', `The ${s.label} section is not available on this server yet.`);
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
  siteName: 'Schoolhouse Admin',
  notFound: guard(() => message('Page not found', 'There is no admin page at this address.', h('a', { href: '/admin' }, 'Go to the admin home'))),
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

restoreSession().then((ok) => {
  if (!ok) {
    loginRedirect();
    return;
  }
  detectFeatures().finally(() => {
    started = true;
    drawNav();
    router.start();
  });
});
