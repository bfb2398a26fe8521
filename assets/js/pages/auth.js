// @ts-check
// Sign-in and account recovery pages: login (with the MFA step), register,
// password reset request and confirm, and the first-admin setup page.

import { login, loginMfa, loginWithLink, post, isSignedIn, logout, ApiError } from '../api.js';
import { h, replace, field, onSubmit, notice, safeNext, announce } from '../ui.js';
import { setFlash, takeFlash, goAfterLogin, landingPage } from './common.js';
import { mergeGuestCart } from '../guest-cart.js';
import { providerButtons, takeCallbackFragment, refusalNotice, confirmPendingLink } from './signin-providers.js';

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
  const check = () => b.setCustomValidity(b.value && a.value !== b.value ? 'The two passwords do not match.' : '');
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
    : back.link ? notice(`An account already uses ${back.link.email}. Log in with its password once to link your ${back.link.provider} account to it.`, 'info')
      : null;
  let linkPassword = null;

  async function signedIn() {
    if (back.link && linkPassword) {
      try {
        await confirmPendingLink(linkPassword);
        setFlash(`Your ${back.link.provider} account is linked: next time, just continue with ${back.link.provider}.`);
      } catch (err) {
        setFlash(`Your ${back.link.provider} account was not linked: ${err.userMessage || 'please try again'}`);
      } finally {
        linkPassword = null;
      }
    }
    announce('You are logged in.');
    await goAfterLogin(ctx.router, next);
  }

  function mfaStep(mfaToken) {
    const form = h('form', { class: 'stack' },
      h('p', {}, 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.'),
      field({ label: 'Authentication code', name: 'code', required: true, autocomplete: 'one-time-code', attrs: { inputmode: 'text', maxlength: '32', autocapitalize: 'off', spellcheck: 'false' } }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Verify'),
        h('button', { type: 'button', class: 'btn btn-link', on: { click: () => { replace(host, passwordStep()); focusFirst(); } } }, 'Start over')));
    onSubmit(form, async ({ code }) => {
      await loginMfa(mfaToken, code.replace(/\s+/g, ''));
      await signedIn();
    }, { busyLabel: 'Verifying…' });
    return form;
  }

  function passwordStep() {
    const form = h('form', { class: 'stack' },
      field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'username', value: flash.email || (back.link && back.link.email) || '' }),
      passwordField('Password', 'password', 'current-password'),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Log in'),
        h('a', { href: '/forgot-password' }, 'Forgot your password?')));
    onSubmit(form, async ({ email, password }) => {
      const result = await login(email, password);
      if (back.link) linkPassword = password;
      if (result.mfa_required) {
        replace(host, mfaStep(result.mfa_token));
        focusFirst();
        return;
      }
      await signedIn();
    }, { busyLabel: 'Logging in…' });
    return form;
  }

  function focusFirst() {
    const input = host.querySelector('input');
    if (input) input.focus();
  }

  replace(host, back.mfaToken ? mfaStep(back.mfaToken) : passwordStep());
  return {
    title: 'Log in',
    node: authPage('Log in', null, flash.node, providerNotice, back.mfaToken || back.link ? null : providerButtons(next), host,
      h('p', { class: 'auth-alt' }, 'New here? ', h('a', { href: `/register${next ? `?next=${encodeURIComponent(next)}` : ''}` }, 'Create an account'))),
  };
}

// --------------------------------------------------------------- register --

export async function registerPage(ctx) {
  const next = safeNext(ctx.query.get('next'), '');
  if (isSignedIn()) return { redirect: next || landingPage() };
  const form = h('form', { class: 'stack' },
    field({ label: 'Name', name: 'name', required: true, autocomplete: 'name', attrs: { maxlength: '200' } }),
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email', attrs: { maxlength: '254' } }),
    passwordField('Password', 'password', 'new-password', 'At least 10 characters. A short phrase is easy to remember and hard to guess.'),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create account')));
  onSubmit(form, async ({ name, email, password }) => {
    await post('/auth/register', { name, email, password });
    try {
      const result = await login(email, password);
      if (result.mfa_required) throw new Error('mfa');
      announce('Your account is ready.');
      await goAfterLogin(ctx.router, next);
    } catch {
      // The account exists; let the person log in by hand.
      setFlash('Your account is ready. Log in to continue.', { email });
      ctx.router.navigate(`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`, { replace: true });
    }
  }, { busyLabel: 'Creating account…' });
  return {
    title: 'Create an account',
    node: authPage('Create an account', 'Join to enrol in courses, buy from the shop and track your progress.', providerButtons(next), form,
      h('p', { class: 'auth-alt' }, 'Already have an account? ', h('a', { href: '/login' }, 'Log in'))),
  };
}

// --------------------------------------------------------- password reset --

export async function forgotPasswordPage() {
  const host = h('div');
  const form = h('form', { class: 'stack' },
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Send reset link')));
  onSubmit(form, async ({ email }) => {
    await post('/auth/password-reset/request', { email });
    const done = h('div', { class: 'alert alert-success', role: 'status', tabindex: '-1' },
      h('p', {}, `If an account exists for ${email}, we have sent it a link to choose a new password. The link is valid for a limited time.`),
      h('p', {}, h('a', { href: '/login' }, 'Back to log in')));
    replace(host, done);
    done.focus();
  }, { busyLabel: 'Sending…' });
  replace(host, form);
  return {
    title: 'Reset your password',
    node: authPage('Reset your password', 'Enter the email address of your account and we will send you a link to choose a new password.', host,
      h('p', { class: 'auth-alt' }, h('a', { href: '/login' }, 'Back to log in'))),
  };
}

export async function resetPasswordPage(ctx) {
  const token = ctx.query.get('token');
  if (!token) {
    return {
      title: 'Reset link incomplete',
      node: authPage('Reset link incomplete', null,
        h('p', {}, 'This address is missing its reset token. Open the link from the email again, or ask for a new one.'),
        h('p', {}, h('a', { href: '/forgot-password', class: 'btn btn-primary' }, 'Ask for a new link'))),
    };
  }
  // Keep the token out of the address bar and history once it has been read.
  history.replaceState(null, '', '/reset-password');
  const form = h('form', { class: 'stack' },
    passwordField('New password', 'new_password', 'new-password', 'At least 10 characters.'),
    field({ label: 'Repeat new password', name: 'confirm_password', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Set new password')));
  confirmMatches(form);
  onSubmit(form, async ({ new_password: newPassword }) => {
    try {
      await post('/auth/password-reset/confirm', { token, new_password: newPassword });
    } catch (err) {
      // 400: unknown token; 410: used or expired.
      if (err instanceof ApiError && (err.status === 400 || err.status === 410 || err.errors.some((e) => e.field === 'token'))
        && !/new (one|link)/i.test(err.userMessage)) {
        err.errors.push({ field: '', message: 'Ask for a new link below: each link works once and for a limited time.' });
      }
      throw err;
    }
    // Every session is revoked by the reset; drop ours too.
    if (isSignedIn()) await logout();
    setFlash('Your password has been changed. Log in with the new one.');
    ctx.router.navigate('/login', { replace: true });
  }, { busyLabel: 'Saving…' });
  return {
    title: 'Choose a new password',
    node: authPage('Choose a new password', 'You will be logged out everywhere once it is changed.', form,
      h('p', { class: 'auth-alt' }, h('a', { href: '/forgot-password' }, 'Ask for a new link'))),
  };
}

// ------------------------------------------------------------ first admin --

export async function setupPage(ctx) {
  const token = ctx.query.get('token');
  if (!token) {
    return {
      title: 'Set up Schoolhouse',
      node: authPage('Set up Schoolhouse', null,
        h('p', {}, 'Open the one-time setup link that the server printed when it started. It contains the token needed to create the first administrator.'),
        h('p', {}, h('a', { href: '/login' }, 'Go to log in'))),
    };
  }
  history.replaceState(null, '', '/setup');
  const host = h('div');
  const form = h('form', { class: 'stack' },
    field({ label: 'Your name', name: 'name', autocomplete: 'name', attrs: { maxlength: '200' } }),
    field({ label: 'Administrator email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
    passwordField('Password', 'password', 'new-password', 'At least 10 characters. You can turn on two-factor authentication afterwards.'),
    field({ label: 'Repeat password', name: 'confirm_password', type: 'password', required: true, autocomplete: 'new-password' }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create administrator')));
  confirmMatches(form, 'password', 'confirm_password');
  onSubmit(form, async ({ name, email, password }) => {
    try {
      await post('/setup', name ? { token, email, password, name } : { token, email, password });
    } catch (err) {
      // 409: an admin exists already; 403/410: the token is wrong, used or expired.
      if (err instanceof ApiError && [403, 409, 410].includes(err.status)) {
        const box = h('div', { class: 'alert alert-info', role: 'alert', tabindex: '-1' },
          h('p', {}, err.status === 409
            ? 'An administrator account already exists, so this setup link can no longer be used.'
            : /restart/i.test(err.userMessage) ? err.userMessage
              : `${err.userMessage} Restart the server to print a new setup link if no administrator exists yet.`),
          h('p', {}, h('a', { href: '/login?next=%2Fadmin', class: 'btn btn-primary' }, 'Log in')));
        replace(host, box);
        box.focus();
        return;
      }
      throw err;
    }
    setFlash('The administrator account was created. Log in to continue.', { email });
    ctx.router.navigate('/login?next=%2Fadmin', { replace: true });
  }, { busyLabel: 'Creating…' });
  replace(host, form);
  return {
    title: 'Set up Schoolhouse',
    node: authPage('Set up Schoolhouse', 'Create the first administrator account. This link works once.', host),
  };
}

// ------------------------------------------------------------ login link --

/** `/login-link?token=...`, printed by `schoolhouse user login-link`: signs in at once. */
export async function loginLinkPage(ctx) {
  const token = ctx.query.get('token');
  const next = safeNext(ctx.query.get('next'), '');
  if (!token) {
    return {
      title: 'Login link incomplete',
      node: authPage('Login link incomplete', null,
        h('p', {}, 'This address is missing its token. Copy the whole link again, or log in with your password.'),
        h('p', {}, h('a', { href: '/login', class: 'btn btn-primary' }, 'Log in'))),
    };
  }
  history.replaceState(null, '', '/login-link');
  try {
    if (isSignedIn()) await logout();
    await loginWithLink(token);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return {
      title: 'Login link not valid',
      node: authPage('Login link not valid', null,
        h('div', { class: 'alert alert-error', role: 'alert' }, h('p', {}, err.userMessage)),
        h('p', {}, 'A login link works once and only for a short time. Ask an administrator for a new one, or log in with your password.'),
        h('p', {}, h('a', { href: '/login', class: 'btn btn-primary' }, 'Log in'), ' ', h('a', { href: '/forgot-password', class: 'btn btn-link' }, 'Reset your password'))),
    };
  }
  announce('You are logged in.');
  await mergeGuestCart().catch(() => []);
  return { redirect: next || landingPage() };
}
