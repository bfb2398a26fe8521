// @ts-check
// Storefront and classroom entry point (served at / with history fallback).

import { createRouter } from './router.js';
import { restoreSession, onSessionChange, isSignedIn, get, getUser } from './api.js';
import { h } from './ui.js';
import { guestCount } from './guest-cart.js';
import { renderNav, setupMenuToggle, markCurrent } from './shell.js';
import { cataloguePage } from './pages/catalogue.js';
import { coursePage } from './pages/course.js';
import { productPage } from './pages/product.js';
import { bundlesPage, bundlePage } from './pages/bundles.js';
import { membershipPlansPage } from './pages/membership.js';
import { myMembershipPage } from './pages/membership-account.js';
import { loginPage, registerPage, forgotPasswordPage, resetPasswordPage, setupPage, loginLinkPage } from './pages/auth.js';
import { accountPage } from './pages/account.js';
import { cartPage } from './pages/cart.js';
import { checkoutPage, paymentPage } from './pages/checkout.js';
import { paypalReturnPage, paypalCancelPage } from './pages/paypal.js';
import { ordersPage, orderPage } from './pages/orders.js';
import { myCoursesPage, learnPage } from './pages/learn.js';
import { certificatePage, certificateSearchPage } from './pages/certificate.js';
import { initI18n, onLocaleChange, followProfileLocale } from './i18n.js';
import { t } from './i18n.js';

// index.html has both.
const outlet = /** @type {HTMLElement} */ (document.getElementById('main'));
const nav = /** @type {HTMLElement} */ (document.getElementById('site-nav'));
let cartCount = null;

const LINKS = () => ([
  { href: '/courses', label: t('courses') },
  { href: '/products', label: t('products') },
  { href: '/bundles', label: t('bundles') },
  { href: '/membership', label: t('membership-nav') },
]);
// Shown to signed-in users only.
const USER_LINKS = () => ([
  { href: '/my-courses', label: t('my-courses') },
  { href: '/orders', label: t('orders') },
]);

function notFound() {
  return {
    title: t('page-not-found'),
    node: h('section', { class: 'page container narrow' },
      h('h1', {}, t('page-not-found')),
      h('p', {}, t('there-is-nothing-at-this-address')),
      h('p', {}, h('a', { href: '/', class: 'btn btn-primary' }, t('go-to-the-catalogue')))),
  };
}

const router = createRouter({
  outlet,
  notFound,
  routes: [
    { path: '/', page: (ctx) => cataloguePage(ctx, 'courses') },
    { path: '/courses', page: (ctx) => cataloguePage(ctx, 'courses') },
    { path: '/products', page: (ctx) => cataloguePage(ctx, 'products') },
    { path: '/courses/:id', page: coursePage },
    { path: '/products/:id', page: productPage },
    { path: '/bundles', page: bundlesPage },
    { path: '/bundles/:id', page: bundlePage },
    { path: '/login', page: loginPage },
    { path: '/register', page: registerPage },
    { path: '/forgot-password', page: forgotPasswordPage },
    { path: '/reset-password', page: resetPasswordPage },
    { path: '/setup', page: setupPage },
    { path: '/login-link', page: loginLinkPage },
    { path: '/account', page: accountPage },
    { path: '/membership', page: membershipPlansPage },
    { path: '/account/membership', page: myMembershipPage },
    { path: '/cart', page: cartPage },
    { path: '/checkout', page: checkoutPage },
    { path: '/orders', page: ordersPage },
    { path: '/orders/:id', page: orderPage },
    { path: '/orders/:id/pay', page: paymentPage },
    { path: '/paypal/return', page: paypalReturnPage },
    { path: '/paypal/cancel', page: paypalCancelPage },
    { path: '/my-courses', page: myCoursesPage },
    { path: '/learn/:courseId', page: learnPage },
    { path: '/learn/:courseId/:lessonId', page: learnPage },
    { path: '/certificates', page: certificateSearchPage },
    { path: '/certificates/:serial', page: certificatePage },
  ],
  onChange: (url) => markCurrent(nav, url),
});

function drawNav() {
  renderNav(nav, {
    links: isSignedIn() ? [...LINKS(), ...USER_LINKS()] : LINKS(),
    cartCount,
    onLoggedOut: () => router.navigate('/'),
  });
}

async function refreshCartCount() {
  if (!isSignedIn()) {
    cartCount = guestCount() || null;
    drawNav();
    return;
  }
  try {
    const cart = await get('/cart');
    cartCount = (cart.items || []).reduce((n, item) => n + (Number(item.quantity) || 0), 0);
  } catch {
    cartCount = null;
  }
  drawNav();
}

let lastUserId = null;
onSessionChange((user) => {
  drawNav();
  followProfileLocale(user);
  // The cart count changes with who is signed in, not with profile edits.
  const id = user ? user.id : null;
  if (id !== lastUserId) {
    lastUserId = id;
    refreshCartCount();
  }
});
window.addEventListener('schoolhouse:cart', refreshCartCount);
setupMenuToggle();

// A change of language redraws the header and the page in place; the session stays.
let started = false;
onLocaleChange(() => {
  if (!started) return;
  drawNav();
  router.render({ focus: false });
  const select = nav.querySelector('.lang-select');
  if (select instanceof HTMLElement) select.focus();
});

// The catalogue, and a session restored from the refresh cookie, before the first page
// renders: pages read their words at once, and pages that need a signed-in user do not
// bounce to the login form.
Promise.all([initI18n().catch((err) => console.error(err)), restoreSession()]).finally(async () => {
  await followProfileLocale(getUser());
  started = true;
  drawNav();
  router.start();
});
