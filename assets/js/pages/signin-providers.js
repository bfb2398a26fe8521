// Sign-in with outside providers (OpenID Connect, Facebook): the "Continue with ..."
// buttons, the messages the server's callback sends back in the address fragment, and the
// account page's list of linked providers.

import { get, post, del, ApiError } from '../api.js';
import { h, replace, notice, announce, errorBox, busy } from '../ui.js';
import { t } from '../i18n.js';

/** What each refusal code of the callback means to the person signing in. */
export const REFUSALS = () => ({
  domain_not_allowed: t('accounts-of-this-email-domain-may'),
  signup_closed: t('there-is-no-account-with-this'),
  email_not_verified: t('the-provider-has-not-verified-your'),
  account_disabled: t('this-account-is-disabled-contact-the'),
  provider_error: t('the-sign-in-with-the-provider'),
  state_mismatch: t('that-sign-in-took-too-long'),
});

/**
 * Reads (and removes from the address bar) what the callback put in the fragment:
 * `mfa=<token>`, `oidc=link&provider=..&email=..`, or `oidc_error=<code>`.
 */
export function takeCallbackFragment() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return {};
  const params = new URLSearchParams(hash);
  const found = {
    mfaToken: params.get('mfa') || null,
    link: params.get('oidc') === 'link' ? { provider: params.get('provider') || 'provider', email: params.get('email') || '' } : null,
    error: params.get('oidc_error') || null,
  };
  if (found.mfaToken || found.link || found.error) {
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return found;
}

export function refusalNotice(code) {
  return notice(REFUSALS()[code] || REFUSALS().provider_error, 'error');
}

/** "Continue with ..." links (full page loads: the server redirects to the provider). */
export function providerButtons(next) {
  const host = h('div', { class: 'oidc-buttons stack' });
  get('/auth/providers').then((providers) => {
    if (!Array.isArray(providers) || !providers.length) return;
    const query = next ? `?next=${encodeURIComponent(next)}` : '';
    replace(host, [
      ...providers.map((p) => h('a', {
        class: ['btn', 'btn-secondary', 'btn-block', 'oidc-button', `oidc-${p.kind}`],
        href: `${p.start_url}${query}`,
        dataset: { reload: '', provider: p.id },
      }, t('continue-with-name', { name: p.name }))),
      h('p', { class: 'auth-or' }, t('or-use-your-email-and-password')),
    ]);
  }).catch(() => {
    // Without the list the password form still works.
  });
  return host;
}

/** After a password login that was asked for: link the provider waiting in this browser. */
export async function confirmPendingLink(password) {
  return post('/users/me/identities', { current_password: password });
}

/** The account page's list of linked providers, each with Unlink. */
export function linkedProvidersSection() {
  const host = h('div', { class: 'stack' });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'providers-h' },
    h('h2', { id: 'providers-h' }, t('sign-in-providers')), host);

  async function load(message) {
    let items;
    try {
      items = await get('/users/me/identities');
    } catch (err) {
      replace(host, errorBox(err));
      return;
    }
    const parts = message ? [message] : [];
    if (!items.length) {
      parts.push(h('p', {}, t('no-provider-is-linked-use-continue')));
    } else {
      parts.push(h('ul', { class: 'linked-providers' }, items.map((i) => {
        const button = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': t('unlink-provider-email', { provider: i.provider, email: i.email }) }, t('unlink'));
        button.addEventListener('click', async (e) => {
          const done = busy(e.currentTarget, t('unlinking'));
          try {
            await del(`/users/me/identities/${encodeURIComponent(i.id)}`);
            announce(t('provider-was-unlinked', { provider: i.provider }));
            await load(notice(t('provider-is-no-longer-linked', { provider: i.provider })));
          } catch (err) {
            done();
            const text = err instanceof ApiError && err.status === 409
              ? t('this-is-your-only-way-to')
              : err.userMessage;
            await load(notice(text, 'error'));
          }
        });
        return h('li', { dataset: { identity: i.id } },
          h('strong', {}, i.provider), ' · ', i.email, ' ', button);
      })));
    }
    replace(host, parts);
  }
  load();
  return section;
}
