// @ts-check
// The page chrome shared by the storefront and the admin area: the header
// navigation (which depends on who is signed in), the phone-width menu
// toggle, the language switcher and the "current page" marker on navigation links.

import { h, replace, announce, uid } from './ui.js';
import { getUser, logout, hasRole, isSignedIn, patch, updateUser } from './api.js';
import {
  t, locale, dir, languages, setLocale, rememberLocale, PSEUDO,
} from './i18n.js';

export const STAFF_ROLES = ['admin', 'instructor', 'vendor'];

/** Phone-width menu: a button toggling the navigation, closed after a click on a link. */
export function setupMenuToggle() {
  const button = document.getElementById('menu-toggle');
  const nav = document.getElementById('site-nav');
  if (!button || !nav) return;
  const set = (open) => {
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('open', open);
  };
  button.addEventListener('click', () => set(button.getAttribute('aria-expanded') !== 'true'));
  nav.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('a, button')) set(false);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && button.getAttribute('aria-expanded') === 'true') {
      set(false);
      button.focus();
    }
  });
}

/**
 * Switch the UI to `code` without a reload or a new login: remembered in the profile when
 * signed in (so every device follows), in the schoolhouse_locale cookie in any case (the
 * server reads it for visitors, and for the mails and messages of this browser).
 * @param {string} code
 */
export async function chooseLanguage(code) {
  rememberLocale(code);
  if (isSignedIn() && !PSEUDO[code]) {
    try {
      updateUser(await patch('/users/me', { locale: code }));
    } catch (err) {
      // A server without the profile field still has the cookie; the page changes anyway.
      console.warn(err);
    }
  }
  await setLocale(code);
  announce(t('language-changed'));
}

/** The language picker of the header: a labelled select of the school's languages. */
function languageSwitcher() {
  const id = uid('lang');
  const choices = languages();
  // A pseudo-locale (chosen by cookie for testing) is listed while it is on.
  const code = locale();
  if (!choices.some((l) => l.code === code)) choices.push({ code, name: PSEUDO[code] ? PSEUDO[code].name : code, dir: dir() });
  const select = h('select', { id, class: 'lang-select', name: 'language', on: { change: () => chooseLanguage(select.value) } },
    choices.map((l) => h('option', { value: l.code, lang: l.code, selected: l.code === locale() }, l.name)));
  return h('li', { class: 'nav-lang' }, h('label', { for: id, class: 'visually-hidden' }, t('language')), select);
}

/** Mark links whose path matches the current location with aria-current="page". */
export function markCurrent(container, url = new URL(window.location.href)) {
  if (!container) return;
  container.querySelectorAll('a[href]').forEach((a) => {
    const path = new URL(a.href, window.location.href).pathname;
    const exact = a.dataset.match === 'exact';
    const current = exact ? url.pathname === path : (url.pathname === path || url.pathname.startsWith(`${path}/`));
    if (current) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
}

/**
 * Render the header navigation. `links` are the section links shown to
 * everyone; account links depend on the session. `onLoggedOut` runs after
 * logout (e.g. navigate home).
 * @param {HTMLElement} nav
 * @param {{ links?: { href: string, label: string, exact?: boolean }[], cartCount?: number | null, admin?: boolean, onLoggedOut?: () => void }} [opts]
 */
export function renderNav(nav, { links = [], cartCount = null, admin = false, onLoggedOut } = {}) {
  const user = getUser();
  const items = links.map((l) => h('li', {}, h('a', { href: l.href, dataset: l.exact ? { match: 'exact' } : {} }, l.label)));
  if (user) {
    if (!admin) {
      items.push(h('li', {}, h('a', { href: '/cart', class: 'nav-cart' }, t('cart'),
        cartCount ? h('span', { class: 'badge', 'aria-label': t('cart-badge-items', { count: cartCount }) }, String(cartCount)) : null)));
      if (hasRole(...STAFF_ROLES)) items.push(h('li', {}, h('a', { href: '/admin' }, t('admin'))));
      items.push(h('li', {}, h('a', { href: '/account' }, t('account'))));
    } else {
      items.push(h('li', {}, h('a', { href: '/' }, t('view-site'))));
      items.push(h('li', {}, h('a', { href: '/account', class: 'nav-user' }, user.name || user.email)));
    }
    items.push(h('li', {}, h('button', {
      type: 'button',
      class: 'btn btn-secondary btn-small',
      on: {
        click: async (e) => {
          e.currentTarget.disabled = true;
          await logout();
          announce(t('you-are-logged-out'));
          if (onLoggedOut) onLoggedOut();
        },
      },
    }, t('log-out'))));
  } else if (!admin) {
    // A visitor's cart (kept in the browser) shows once it has something in it.
    if (cartCount) {
      items.push(h('li', {}, h('a', { href: '/cart', class: 'nav-cart' }, t('cart'),
        h('span', { class: 'badge', 'aria-label': t('cart-badge-items', { count: cartCount }) }, String(cartCount)))));
    }
    items.push(h('li', {}, h('a', { href: '/login' }, t('log-in'))));
    items.push(h('li', {}, h('a', { href: '/register', class: 'btn btn-primary btn-small' }, t('sign-up'))));
  }
  items.push(languageSwitcher());
  replace(nav, h('ul', {}, items));
  markCurrent(nav);
}
