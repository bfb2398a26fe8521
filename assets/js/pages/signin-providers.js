// Sign-in with outside providers (OpenID Connect, Facebook): the "Continue with ..."
// buttons, the messages the server's callback sends back in the address fragment, and the
// account page's list of linked providers.

import { get, post, del, ApiError } from '../api.js';
import { h, replace, notice, announce, errorBox, busy } from '../ui.js';

/** What each refusal code of the callback means to the person signing in. */
export const REFUSALS = {
  domain_not_allowed: 'Accounts of this email domain may not sign in here. Use your school account, or ask the school.',
  signup_closed: 'There is no account with this email yet, and new accounts cannot be created with this provider. Ask the school for an account.',
  email_not_verified: 'The provider has not verified your email address. Verify it with the provider first, then try again.',
  account_disabled: 'This account is disabled. Contact the school.',
  provider_error: 'The sign-in with the provider did not work. Please try again.',
  state_mismatch: 'That sign-in took too long or was started in another window. Please try again.',
};

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
  return notice(REFUSALS[code] || REFUSALS.provider_error, 'error');
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
      }, `Continue with ${p.name}`)),
      h('p', { class: 'auth-or' }, 'or use your email and password'),
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
    h('h2', { id: 'providers-h' }, 'Sign-in providers'), host);

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
      parts.push(h('p', {}, 'No provider is linked. Use "Continue with ..." on the login page to link one.'));
    } else {
      parts.push(h('ul', { class: 'linked-providers' }, items.map((i) => {
        const button = h('button', { type: 'button', class: 'btn btn-small btn-danger-outline', 'aria-label': `Unlink ${i.provider} (${i.email})` }, 'Unlink');
        button.addEventListener('click', async (e) => {
          const done = busy(e.currentTarget, 'Unlinking…');
          try {
            await del(`/users/me/identities/${encodeURIComponent(i.id)}`);
            announce(`${i.provider} was unlinked.`);
            await load(notice(`${i.provider} is no longer linked.`));
          } catch (err) {
            done();
            const text = err instanceof ApiError && err.status === 409
              ? 'This is your only way to sign in. Set a password ("Forgot your password?" on the login page) or link another provider first.'
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
