// @ts-check
// Account page sections: two-factor authentication (TOTP with a QR code,
// recovery codes shown once), data export, and account deletion.

import { post, del, download, logout, ApiError } from '../api.js';
import { h, replace, field, onSubmit, notice, announce, errorBox, busy } from '../ui.js';

/** A QR code only from a data: URI of an image (the CSP allows img-src data:). */
function qrImage(uri) {
  if (typeof uri !== 'string' || !/^data:image\/(svg\+xml|png)[;,]/.test(uri)) return null;
  return h('img', { class: 'mfa-qr', src: uri, alt: 'QR code to scan with your authenticator app', width: '200', height: '200' });
}

export function mfaSection(user) {
  const host = h('div', { class: 'stack' });
  const heading = h('h2', { id: 'mfa-h', tabindex: '-1' }, 'Two-factor authentication');
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
        ? 'Two-factor authentication is off. Add a code from an authenticator app to every login, so a stolen password is not enough.'
        : 'Add a code from an authenticator app to every login, so a stolen password is not enough.'));
      parts.push(h('p', {}, h('button', { type: 'button', class: 'btn btn-primary', on: { click: start } }, 'Set up two-factor authentication')));
    }
    if (enabled !== false) {
      if (enabled === true) parts.push(h('p', {}, h('span', { class: 'chip chip-accent' }, 'On'), ' Logins need a code from your authenticator app.'));
      parts.push(disableForm());
    }
    replace(host, parts);
  }

  async function start(e) {
    const done = busy(e.currentTarget, 'Starting…');
    let setup;
    try {
      setup = await post('/users/me/mfa/setup', {});
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 409) {
        enabled = true;
        drawIdle(notice('Two-factor authentication is already on for your account.', 'info'));
        return;
      }
      host.append(errorBox(err));
      return;
    }
    const confirm = h('form', { class: 'stack' },
      h('ol', { class: 'steps' },
        h('li', {}, 'Open your authenticator app (for example Aegis, Google Authenticator or 1Password) and scan this code:'),
        h('li', {}, 'Enter the six-digit code the app shows, and your password to confirm it is you.')),
      qrImage(setup.qr_data_uri),
      h('details', {}, h('summary', {}, 'Cannot scan? Enter the key by hand'),
        h('p', {}, h('code', { class: 'mfa-secret' }, setup.secret || ''))),
      field({ label: 'Code from the app', name: 'code', required: true, autocomplete: 'one-time-code', attrs: { inputmode: 'numeric', pattern: '[0-9 ]{6,8}', maxlength: '8' } }),
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
      field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password', hint: 'To confirm it is you.' }),
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, 'Turn on'),
        h('button', { type: 'button', class: 'btn btn-link', on: { click: () => drawIdle() } }, 'Cancel')));
    onSubmit(confirm, async (values) => {
      const res = await post('/users/me/mfa/confirm', { password: values.password, code: values.code.replace(/\s+/g, '') });
      enabled = true;
      showRecoveryCodes(res.recovery_codes || []);
    }, { busyLabel: 'Checking…' });
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
            announce('Recovery codes copied.');
          } catch {
            announce('Copy failed; please write the codes down.');
          }
        },
      },
    }, 'Copy codes');
    replace(host,
      notice('Two-factor authentication is on.'),
      h('div', { class: 'alert alert-warn', role: 'status' },
        h('p', {}, 'Save these recovery codes now. Each one works once if you lose your phone. They are shown only this time.')),
      h('ul', { class: 'recovery-codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', {}, c))),
      h('div', { class: 'form-actions' }, copy,
        h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => { drawIdle(); heading.focus(); } } }, 'I have saved them')));
    announce('Two-factor authentication is on. Save your recovery codes.');
    heading.focus();
  }

  function disableForm() {
    const form = h('form', { class: 'stack' },
      h('h3', {}, 'Turn off two-factor authentication'),
      h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
      field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
      field({ label: 'Code from the app or a recovery code', name: 'code', required: true, autocomplete: 'one-time-code', attrs: { maxlength: '32' } }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-danger-outline' }, 'Turn off')));
    onSubmit(form, async (values) => {
      try {
        await del('/users/me/mfa', { password: values.password, code: values.code.replace(/\s+/g, '') });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) {
          enabled = false;
          drawIdle(notice('Two-factor authentication is not on for your account.', 'info'));
          return;
        }
        throw err;
      }
      enabled = false;
      drawIdle(notice('Two-factor authentication is off.'));
      announce('Two-factor authentication is off.');
      heading.focus();
    }, { busyLabel: 'Turning off…' });
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
        const done = busy(button, 'Preparing your data…');
        replace(slot);
        try {
          const name = await download('/users/me/export', 'schoolhouse-export.zip');
          replace(slot, notice(`Your data was downloaded as ${name}.`));
        } catch (err) {
          replace(slot, errorBox(err));
        } finally {
          done();
        }
      },
    },
  }, 'Download my data');
  return h('section', { class: 'panel', 'aria-labelledby': 'export-h' },
    h('h2', { id: 'export-h' }, 'Your data'),
    h('p', {}, 'Download everything the school holds about you — profile, orders, payments, courses, progress, quiz attempts, submissions and reviews — as a ZIP file with a readable page and a JSON file.'),
    h('p', {}, button), slot);
}

export function deleteSection(user, onDeleted) {
  const form = h('form', { class: 'stack' },
    h('p', {}, 'Deleting your account removes your name, email and submissions and ends every session. Orders and payments are kept for the school\'s accounts, without your name. This cannot be undone.'),
    h('input', { type: 'text', name: 'username', autocomplete: 'username', value: user.email || '', hidden: true, readonly: true, tabindex: '-1' }),
    field({ label: 'Password', name: 'password', type: 'password', required: true, autocomplete: 'current-password', hint: 'To confirm it is you.' }),
    field({ label: 'I understand that my account will be deleted for good', name: 'confirm', type: 'checkbox', attrs: { required: true } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-danger-outline' }, 'Delete my account')));
  onSubmit(form, async (values) => {
    await del('/users/me', { password: values.password });
    await logout();
    announce('Your account was deleted.');
    onDeleted();
  }, { busyLabel: 'Deleting…' });
  return h('section', { class: 'panel danger-zone', 'aria-labelledby': 'delete-h' },
    h('h2', { id: 'delete-h' }, 'Delete account'), form);
}
