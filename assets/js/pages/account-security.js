// @ts-check
// Account page sections: two-factor authentication (TOTP with a QR code,
// recovery codes shown once), data export, and account deletion.

import { post, del, download, logout, ApiError } from '../api.js';
import { h, replace, field, onSubmit, notice, announce, errorBox, busy } from '../ui.js';
import { t } from '../i18n.js';

/** A QR code only from a data: URI of an image (the CSP allows img-src data:). */
function qrImage(uri) {
  if (typeof uri !== 'string' || !/^data:image\/(svg\+xml|png)[;,]/.test(uri)) return null;
  return h('img', { class: 'mfa-qr', src: uri, alt: t('qr-code-to-scan-with-your'), width: '200', height: '200' });
}

export function mfaSection(user) {
  const host = h('div', { class: 'stack' });
  const heading = h('h2', { id: 'mfa-h', tabindex: '-1' }, t('two-factor-authentication'));
  // GET /api/users/me may not say whether MFA is on; `null` means unknown.
  let enabled = typeof user.mfa_enabled === 'boolean' ? user.mfa_enabled : null;

  function focusFirst() {
    const target = host.querySelector('input, button');
    if (target) target.focus();
  }

  function drawIdle(message) {
    const parts = [];
    if (message) parts.push(message);
    if (enabled !== true) {
      parts.push(h('p', {}, enabled === false
        ? t('two-factor-authentication-is-off-add')
        : t('add-a-code-from-an-authenticator')));
      parts.push(h('p', {}, h('button', { type: 'button', class: 'btn btn-primary', on: { click: start } }, t('set-up-two-factor-authentication'))));
    }
    if (enabled !== false) {
      if (enabled === true) parts.push(h('p', {}, h('span', { class: 'chip chip-accent' }, t('on')), ` ${t('logins-need-a-code-from-your')}`));
      parts.push(disableForm());
    }
    replace(host, parts);
  }

  async function start(e) {
    const done = busy(e.currentTarget, t('starting'));
    let setup;
    try {
      setup = await post('/users/me/mfa/setup', {});
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 409) {
        enabled = true;
        drawIdle(notice(t('two-factor-authentication-is-already-on'), 'info'));
        return;
      }
      host.append(errorBox(err));
      return;
    }
    const confirm = h('form', { class: 'stack' },
      h('ol', { class: 'steps' },
        h('li', {}, t('open-your-authenticator-app-for-example')),
        h('li', {}, t('enter-the-six-digit-code-the'))),
      qrImage(setup.qr_data_uri),
      h('details', {}, h('summary', {}, t('cannot-scan-enter-the-key-by')),
        h('p', {}, h('code', { class: 'mfa-secret' }, setup.secret || ''))),
      field({ label: t('code-from-the-app'), name: 'code', required: true, autocomplete: 'one-time-code', attrs: { inputmode: 'numeric', pattern: '[0-9 ]{6,8}', maxlength: '8' } }),
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
      field({ label: t('password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', hint: t('to-confirm-it-is-you') }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('turn-on')),
        h('button', { type: 'button', class: 'btn btn-link', on: { click: () => drawIdle() } }, t('cancel'))));
    onSubmit(confirm, async (values) => {
      const res = await post('/users/me/mfa/confirm', { password: values.password, code: values.code.replace(/\s+/g, '') });
      enabled = true;
      showRecoveryCodes(res.recovery_codes || []);
    }, { busyLabel: t('checking') });
    replace(host, confirm);
    focusFirst();
  }

  function showRecoveryCodes(codes) {
    const text = codes.join('\n');
    const copy = h('button', {
      type: 'button', class: 'btn btn-secondary',
      on: {
        click: async () => {
          try {
            await navigator.clipboard.writeText(text);
            announce(t('recovery-codes-copied'));
          } catch {
            announce(t('copy-failed-please-write-the-codes'));
          }
        },
      },
    }, t('copy-codes'));
    replace(host,
      notice(t('two-factor-authentication-is-on')),
      h('div', { class: 'alert alert-warn', role: 'status' },
        h('p', {}, t('save-these-recovery-codes-now-each'))),
      h('ul', { class: 'recovery-codes', 'aria-label': t('recovery-codes') }, codes.map((c) => h('li', {}, c))),
      h('div', { class: 'form-actions' }, copy,
        h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => { drawIdle(); heading.focus(); } } }, t('i-have-saved-them'))));
    announce(t('two-factor-authentication-is-on-save'));
    heading.focus();
  }

  function disableForm() {
    const form = h('form', { class: 'stack' },
      h('h3', {}, t('turn-off-two-factor-authentication')),
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
      field({ label: t('password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
      field({ label: t('code-from-the-app-or-a'), name: 'code', required: true, autocomplete: 'one-time-code', attrs: { maxlength: '32' } }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-danger-outline' }, t('turn-off'))));
    onSubmit(form, async (values) => {
      try {
        await del('/users/me/mfa', { password: values.password, code: values.code.replace(/\s+/g, '') });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          enabled = false;
          drawIdle(notice(t('two-factor-authentication-is-not-on'), 'info'));
          return;
        }
        throw err;
      }
      enabled = false;
      drawIdle(notice(t('two-factor-authentication-is-off')));
      announce(t('two-factor-authentication-is-off'));
      heading.focus();
    }, { busyLabel: t('turning-off') });
    return form;
  }

  drawIdle();
  return h('section', { class: 'panel', 'aria-labelledby': 'mfa-h' }, heading, host);
}

export function exportSection() {
  const slot = h('div', { 'aria-live': 'polite' });
  const button = h('button', {
    type: 'button', class: 'btn btn-secondary',
    on: {
      click: async () => {
        const done = busy(button, t('preparing-your-data'));
        replace(slot);
        try {
          const name = await download('/users/me/export', 'schoolhouse-export.zip');
          replace(slot, notice(t('your-data-was-downloaded-as-name', { name })));
        } catch (err) {
          replace(slot, errorBox(err));
        } finally {
          done();
        }
      },
    },
  }, t('download-my-data'));
  return h('section', { class: 'panel', 'aria-labelledby': 'export-h' },
    h('h2', { id: 'export-h' }, t('your-data')),
    h('p', {}, t('download-everything-the-school-holds-abo')),
    h('p', {}, button), slot);
}

export function deleteSection(user, onDeleted) {
  const form = h('form', { class: 'stack' },
    h('p', {}, t('deleting-your-account-removes-your-name')),
    h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
    field({ label: t('password'), name: 'password', type: 'password', required: true, autocomplete: 'current-password', hint: t('to-confirm-it-is-you') }),
    field({ label: t('i-understand-that-my-account-will'), name: 'confirm', type: 'checkbox', attrs: { required: true } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-danger-outline' }, t('delete-my-account'))));
  onSubmit(form, async (values) => {
    await del('/users/me', { password: values.password });
    await logout();
    announce(t('your-account-was-deleted'));
    onDeleted();
  }, { busyLabel: t('deleting') });
  return h('section', { class: 'panel danger-zone', 'aria-labelledby': 'delete-h' },
    h('h2', { id: 'delete-h' }, t('delete-account')), form);
}
