// @ts-check
// Sign-in and account recovery pages: login (with the MFA step), register,
// password reset request and confirm, and the first-admin setup page.

import { login, loginMfa, loginWithLink, post, isSignedIn, logout, ApiError } from '../api.js';
import { h, replace, field, onSubmit, notice, safeNext, announce } from '../ui.js';
import { setFlash, takeFlash, goAfterLogin, landingPage } from './common.js';
import { mergeGuestCart } from '../guest-cart.js';
import { providerButtons, takeCallbackFragment, refusalNotice, confirmPendingLink } from './signin-providers.js';
import { t } from '../i18n.js';

function authPage(title, lead, ...content) {
  return h('section', { class: 'page container auth' },
    h('div', { class: 'auth-card' },
      h('h1', {}, title),
      lead ? h('p', { class: 'lead' }, lead) : null,
      ...content));
}

function flashNode() {
  const f = takeFlash();
  return { node: f && f.message ? notice(f.message) : null, email: f && f.email };
}

function passwordField(label, name, autocomplete, hint) {
  return field({
    label, name, type: 'password', required: true, autocomplete, hint,
    attrs: autocomplete === 'new-password' ? { minlength: '10', maxlength: '1024' } : {},
  });
}

/** A second password field that must match the first. */
function confirmMatches(form, first = 'new_password', second = 'confirm_password') {
  const a = form.elements.namedItem(first);
  const b = form.elements.namedItem(second);
  const check = () => b.setCustomValidity(b.value && a.value !== b.value ? t('the-two-passwords-do-not-match') : '');
  a.addEventListener('input', check);
  b.addEventListener('input', check);
}

// ------------------------------------------------------------------ login --

export async function loginPage(ctx) {
  const next = safeNext(ctx.query.get('next'), '');
  if (isSignedIn()) return { redirect: next || landingPage() };
  const flash = flashNode();
  const host = h('div');
  // Back from a provider: the TOTP step, a link to confirm with the password, or a refusal.
  const back = takeCallbackFragment();
  const providerNotice = back.error ? refusalNotice(back.error)
    : back.link ? notice(t('an-account-already-uses-email-log', { email: back.link.email, provider: back.link.provider }), 'info')
      : null;
  let linkPassword = null;

  async function signedIn() {
    if (back.link && linkPassword) {
      try {
        await confirmPendingLink(linkPassword);
        setFlash(t('your-provider-account-is-linked-next', { provider: back.link.provider, provider2: back.link.provider }));
      } catch (err) {
        setFlash(t('your-provider-account-was-not-linked', { provider: back.link.provider, value: err.userMessage || t('please-try-again') }));
      } finally {
        linkPassword = null;
      }
    }
    announce(t('you-are-logged-in'));
    await goAfterLogin(ctx.router, next);
  }

  function mfaStep(mfaToken) {
    const form = h('form', { class: 'stack' },
      h('p', {}, t('enter-the-6-digit-code-from')),
      field({ label: t('authentication-code'), name: 'code', required: true, autocomplete: 'one-time-code', attrs: { inputmode: 'text', maxlength: '32', autocapitalize: 'off', spellcheck: 'false' } }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('verify')),
        h('button', { type: 'button', class: 'btn btn-link', on: { click: () => { replace(host, passwordStep()); focusFirst(); } } }, t('start-over'))));
    onSubmit(form, async ({ code }) => {
      await loginMfa(mfaToken, code.replace(/\s+/g, ''));
      await signedIn();
    }, { busyLabel: t('verifying') });
    return form;
  }

  function passwordStep() {
    const form = h('form', { class: 'stack' },
      field({ label: t('email'), name: 'email', type: 'email', required: true, autocomplete: 'username', value: flash.email || (back.link && back.link.email) || '' }),
      passwordField(t('password'), 'password', 'current-password'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('log-in')),
        h('a', { href: '/forgot-password' }, t('forgot-your-password'))));
    onSubmit(form, async ({ email, password }) => {
      const result = await login(email, password);
      if (back.link) linkPassword = password;
      if (result.mfa_required) {
        replace(host, mfaStep(result.mfa_token));
        focusFirst();
        return;
      }
      await signedIn();
    }, { busyLabel: t('logging-in') });
    return form;
  }

  function focusFirst() {
    const input = host.querySelector('input');
    if (input) input.focus();
  }

  replace(host, back.mfaToken ? mfaStep(back.mfaToken) : passwordStep());
  return {
    title: t('log-in'),
    node: authPage(t('log-in'), null, flash.node, providerNotice, back.mfaToken || back.link ? null : providerButtons(next), host,
      h('p', { class: 'auth-alt' }, `${t('new-here')} `, h('a', { href: `/register${next ? `?next=${encodeURIComponent(next)}` : ''}` }, t('create-an-account')))),
  };
}

// --------------------------------------------------------------- register --

export async function registerPage(ctx) {
  const next = safeNext(ctx.query.get('next'), '');
  if (isSignedIn()) return { redirect: next || landingPage() };
  const form = h('form', { class: 'stack' },
    field({ label: t('name'), name: 'name', required: true, autocomplete: 'name', attrs: { maxlength: '200' } }),
    field({ label: t('email'), name: 'email', type: 'email', required: true, autocomplete: 'email', attrs: { maxlength: '254' } }),
    passwordField(t('password'), 'password', 'new-password', t('at-least-10-characters-a-short')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('create-account'))));
  onSubmit(form, async ({ name, email, password }) => {
    await post('/auth/register', { name, email, password });
    try {
      const result = await login(email, password);
      if (result.mfa_required) throw new Error('mfa');
      announce(t('your-account-is-ready'));
      await goAfterLogin(ctx.router, next);
    } catch {
      // The account exists; let the person log in by hand.
      setFlash(t('your-account-is-ready-log-in'), { email });
      ctx.router.navigate(`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`, { replace: true });
    }
  }, { busyLabel: t('creating-account') });
  return {
    title: t('create-an-account'),
    node: authPage(t('create-an-account'), t('join-to-enrol-in-courses-buy'), providerButtons(next), form,
      h('p', { class: 'auth-alt' }, `${t('already-have-an-account')} `, h('a', { href: '/login' }, t('log-in')))),
  };
}

// --------------------------------------------------------- password reset --

export async function forgotPasswordPage() {
  const host = h('div');
  const form = h('form', { class: 'stack' },
    field({ label: t('email'), name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('send-reset-link'))));
  onSubmit(form, async ({ email }) => {
    await post('/auth/password-reset/request', { email });
    const done = h('div', { class: 'alert alert-success', role: 'status', tabindex: '-1' },
      h('p', {}, t('if-an-account-exists-for-email', { email })),
      h('p', {}, h('a', { href: '/login' }, t('back-to-log-in'))));
    replace(host, done);
    done.focus();
  }, { busyLabel: t('sending') });
  replace(host, form);
  return {
    title: t('reset-your-password'),
    node: authPage(t('reset-your-password'), t('enter-the-email-address-of-your'), host,
      h('p', { class: 'auth-alt' }, h('a', { href: '/login' }, t('back-to-log-in')))),
  };
}

export async function resetPasswordPage(ctx) {
  const token = ctx.query.get('token');
  if (!token) {
    return {
      title: t('reset-link-incomplete'),
      node: authPage(t('reset-link-incomplete'), null,
        h('p', {}, t('this-address-is-missing-its-reset')),
        h('p', {}, h('a', { href: '/forgot-password', class: 'btn btn-primary' }, t('ask-for-a-new-link')))),
    };
  }
  // Keep the token out of the address bar and history once it has been read.
  history.replaceState(null, '', '/reset-password');
  const form = h('form', { class: 'stack' },
    passwordField(t('new-password'), 'new_password', 'new-password', t('at-least-10-characters')),
    field({ label: t('repeat-new-password'), name: 'confirm_password', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('set-new-password'))));
  confirmMatches(form);
  onSubmit(form, async ({ new_password: newPassword }) => {
    try {
      await post('/auth/password-reset/confirm', { token, new_password: newPassword });
    } catch (err) {
      // 400: unknown token; 410: used or expired.
      if (err instanceof ApiError && (err.status === 400 || err.status === 410 || err.errors.some((e) => e.field === 'token'))
        && !/new (one|link)/i.test(err.userMessage)) {
        err.errors.push({ field: '', message: t('ask-for-a-new-link-below') });
      }
      throw err;
    }
    // Every session is revoked by the reset; drop ours too.
    if (isSignedIn()) await logout();
    setFlash(t('your-password-has-been-changed-log'));
    ctx.router.navigate('/login', { replace: true });
  }, { busyLabel: t('saving') });
  return {
    title: t('choose-a-new-password'),
    node: authPage(t('choose-a-new-password'), t('you-will-be-logged-out-everywhere'), form,
      h('p', { class: 'auth-alt' }, h('a', { href: '/forgot-password' }, t('ask-for-a-new-link')))),
  };
}

// ------------------------------------------------------------ first admin --

export async function setupPage(ctx) {
  const token = ctx.query.get('token');
  if (!token) {
    return {
      title: t('set-up-schoolhouse'),
      node: authPage(t('set-up-schoolhouse'), null,
        h('p', {}, t('open-the-one-time-setup-link')),
        h('p', {}, h('a', { href: '/login' }, t('go-to-log-in')))),
    };
  }
  history.replaceState(null, '', '/setup');
  const host = h('div');
  const form = h('form', { class: 'stack' },
    field({ label: t('your-name'), name: 'name', autocomplete: 'name', attrs: { maxlength: '200' } }),
    field({ label: t('administrator-email'), name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    passwordField(t('password'), 'password', 'new-password', t('at-least-10-characters-you-can')),
    field({ label: t('repeat-password'), name: 'confirm_password', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('create-administrator'))));
  confirmMatches(form, 'password', 'confirm_password');
  onSubmit(form, async ({ name, email, password }) => {
    try {
      await post('/setup', name ? { token, email, password, name } : { token, email, password });
    } catch (err) {
      // 409: an admin exists already; 403/410: the token is wrong, used or expired.
      if (err instanceof ApiError && [403, 409, 410].includes(err.status)) {
        const box = h('div', { class: 'alert alert-info', role: 'alert', tabindex: '-1' },
          h('p', {}, err.status === 409
            ? t('an-administrator-account-already-exists')
            : /restart/i.test(err.userMessage) ? err.userMessage
              : t('usermessage-restart-the-server-to-print', { userMessage: err.userMessage })),
          h('p', {}, h('a', { href: '/login?next=%2Fadmin', class: 'btn btn-primary' }, t('log-in'))));
        replace(host, box);
        box.focus();
        return;
      }
      throw err;
    }
    setFlash(t('the-administrator-account-was-created-lo'), { email });
    ctx.router.navigate('/login?next=%2Fadmin', { replace: true });
  }, { busyLabel: t('creating') });
  replace(host, form);
  return {
    title: t('set-up-schoolhouse'),
    node: authPage(t('set-up-schoolhouse'), t('create-the-first-administrator-account-t'), host),
  };
}

// ------------------------------------------------------------ login link --

/** `/login-link?token=...`, printed by `schoolhouse user login-link`: signs in at once. */
export async function loginLinkPage(ctx) {
  const token = ctx.query.get('token');
  const next = safeNext(ctx.query.get('next'), '');
  if (!token) {
    return {
      title: t('login-link-incomplete'),
      node: authPage(t('login-link-incomplete'), null,
        h('p', {}, t('this-address-is-missing-its-token')),
        h('p', {}, h('a', { href: '/login', class: 'btn btn-primary' }, t('log-in')))),
    };
  }
  history.replaceState(null, '', '/login-link');
  try {
    if (isSignedIn()) await logout();
    await loginWithLink(token);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return {
      title: t('login-link-not-valid'),
      node: authPage(t('login-link-not-valid'), null,
        h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, err.userMessage)),
        h('p', {}, t('a-login-link-works-once-and')),
        h('p', {}, h('a', { href: '/login', class: 'btn btn-primary' }, t('log-in')), ' ', h('a', { href: '/forgot-password', class: 'btn btn-link' }, t('reset-your-password')))),
    };
  }
  announce(t('you-are-logged-in'));
  await mergeGuestCart().catch(() => []);
  return { redirect: next || landingPage() };
}
