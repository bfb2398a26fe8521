// Admin area entry point (served at /admin with history fallback): the shell
// with section navigation for instructors, vendors and admins.

import { createRouter } from '../router.js';
import { restoreSession, onSessionChange, getUser, hasRole } from '../api.js';
import { h, replace } from '../ui.js';
import { renderNav, setupMenuToggle, markCurrent, STAFF_ROLES } from '../shell.js';
import { usersPage } from './users.js';

// Every section of the admin area. Only the ones with `ready: true` are shown;
// the others are listed so the navigation grows as each one lands.
const SECTIONS = [
  { href: '/admin/dashboard', label: 'Dashboard', roles: ['admin', 'instructor', 'vendor'], ready: false },
  { href: '/admin/users', label: 'Users', roles: ['admin'], ready: true, page: usersPage },
  { href: '/admin/catalogue', label: 'Catalogue', roles: ['admin', 'instructor', 'vendor'], ready: false },
  { href: '/admin/orders', label: 'Orders', roles: ['admin', 'vendor'], ready: false },
  { href: '/admin/refunds', label: 'Refunds', roles: ['admin'], ready: false },
  { href: '/admin/coupons', label: 'Coupons', roles: ['admin'], ready: false },
  { href: '/admin/audit', label: 'Audit', roles: ['admin'], ready: false },
  { href: '/admin/backups', label: 'Backups', roles: ['admin'], ready: false },
];

const outlet = document.getElementById('main');
const accountNav = document.getElementById('site-nav');
const sectionNav = document.getElementById('admin-nav');

function visibleSections() {
  const user = getUser();
  if (!user) return [];
  return SECTIONS.filter((s) => s.ready && s.roles.includes(user.role));
}

let leaving = false;

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
  replace(sectionNav, h('ul', {}, sections.map((s) => h('li', {}, h('a', { href: s.href }, s.label)))));
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
  if (s.ready) {
    routes.push({
      path: s.href,
      page: guard((ctx) => (hasRole(...s.roles) ? s.page(ctx) : message('No access', `The ${s.label} section is not available to your role.`))),
    });
  }
}

const router = createRouter({
  outlet,
  routes,
  scope: (p) => p === '/admin' || p.startsWith('/admin/'),
  siteName: 'Schoolhouse Admin',
  notFound: guard(() => message('Page not found', 'There is no admin page at this address.', h('a', { href: '/admin' }, 'Go to the admin home'))),
  onChange: (url) => markCurrent(sectionNav, url),
});

onSessionChange((user) => {
  drawNav();
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
  drawNav();
  router.start();
});
