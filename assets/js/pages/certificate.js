// @ts-check
// Public certificate verification: the page the certificate's link and QR code open,
// and a form to check a serial typed by hand.

import { get, ApiError } from '../api.js';
import { h, field, onSubmit, formatDate } from '../ui.js';

function verifyForm(ctx, value = '') {
  const form = h('form', { class: 'stack', 'aria-label': 'Check a certificate' },
    field({ label: 'Certificate number', name: 'serial', required: true, value, hint: 'As printed on the certificate, for example SH-CERT-7F3K-9QXD.', attrs: { autocapitalize: 'characters', spellcheck: 'false', maxlength: '64' } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Check')));
  onSubmit(form, async ({ serial }) => {
    ctx.router.navigate(`/certificates/${encodeURIComponent(serial.trim())}`);
  });
  return form;
}

/** `/certificates`: a form to check a certificate number. */
export async function certificateSearchPage(ctx) {
  return {
    title: 'Check a certificate',
    node: h('section', { class: 'page container narrow' },
      h('h1', {}, 'Check a certificate'),
      h('p', {}, 'Enter the number printed on a certificate to see whether this school issued it and whether it is still valid.'),
      verifyForm(ctx)),
  };
}

/** `/certificates/:serial`: whether this school issued the certificate, to whom and for what. */
export async function certificatePage(ctx) {
  const serial = ctx.params.serial;
  let check;
  try {
    check = await get(`/certificates/${encodeURIComponent(serial)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    return {
      title: 'Certificate not found',
      node: h('section', { class: 'page container narrow' },
        h('h1', {}, 'Certificate not found'),
        h('div', { class: 'alert alert-error', role: 'alert' },
          h('p', {}, `This school has not issued a certificate numbered ${serial}. Check the number for typing mistakes.`)),
        verifyForm(ctx, serial)),
    };
  }
  const valid = Boolean(check.valid);
  return {
    title: `Certificate ${check.serial}`,
    node: h('section', { class: 'page container narrow certificate-check' },
      h('h1', {}, valid ? 'Valid certificate' : 'Revoked certificate'),
      h('div', { class: valid ? 'alert alert-success' : 'alert alert-error', role: 'status' },
        h('p', {}, valid
          ? 'This certificate was issued by this school and is valid.'
          : `This certificate was issued by this school but was revoked on ${formatDate(check.revoked_at)}. It is no longer valid.`)),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Awarded to'), h('dd', {}, check.learner_name),
        h('dt', {}, 'Course'), h('dd', {}, check.course_title),
        h('dt', {}, 'Issued'), h('dd', {}, formatDate(check.issued_at)),
        h('dt', {}, 'Certificate number'), h('dd', {}, h('code', {}, check.serial))),
      h('p', {}, h('a', { href: '/certificates' }, 'Check another certificate'))),
  };
}
