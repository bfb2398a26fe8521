// @ts-check
// Pieces shared by several storefront pages.

import { h } from '../ui.js';
import { isSignedIn, hasRole } from '../api.js';
import { STAFF_ROLES } from '../shell.js';
import { mergeGuestCart } from '../guest-cart.js';
import { t } from '../i18n.js';

/** A "not found" page result with a way back. */
export function notFoundResult(title, text, href = '/', label = t('go-to-the-catalogue')) {
  return {
    title,
    node: h('section', { class: 'page container narrow' },
      h('h1', {}, title),
      h('p', {}, text),
      h('p', {}, h('a', { href, class: 'btn btn-primary' }, label))),
  };
}

/** For pages that need a signed-in user: a redirect to the login form, or null. */
export function requireLogin(ctx) {
  if (isSignedIn()) return null;
  return { redirect: `/login?next=${encodeURIComponent(ctx.path + ctx.url.search)}` };
}

let flash = null;

/** Leave a message (and optionally a prefilled email) for the next page. */
export function setFlash(message, extra = {}) {
  flash = { message, ...extra };
}

/** Take the pending flash message, if any. */
export function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}

/** Where someone signed in lands when no page was asked for: staff in their area. */
export function landingPage() {
  return hasRole(...STAFF_ROLES) ? '/admin' : '/account';
}

/**
 * Go to a local path after login (or the landing page when `next` is empty): admin paths
 * are another app, so load them fully.
 */
export async function goAfterLogin(router, next) {
  // What a visitor put in their cart moves into the account first; lines it refused are told
  // on the cart page.
  const refused = await mergeGuestCart().catch(() => []);
  if (refused.length) {
    setFlash(t('some-items-could-not-go-into', { value: refused.join(' ') }));
    router.navigate('/cart', { replace: true });
    return;
  }
  const to = next || landingPage();
  if (to === '/admin' || to.startsWith('/admin/')) window.location.assign(to);
  else router.navigate(to, { replace: true });
}
