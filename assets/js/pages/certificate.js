// @ts-check
// Public certificate verification: the page the certificate's link and QR code open,
// and a form to check a serial typed by hand.

import { get, ApiError } from '../api.js';
import { h, field, onSubmit, formatDate } from '../ui.js';
import { t } from '../i18n.js';

function verifyForm(ctx, value = '') {
  const form = h('form', { class: 'stack', 'aria-label': t('check-a-certificate') },
    field({ label: t('certificate-number'), name: 'serial', required: true, value, hint: t('as-printed-on-the-certificate-for'), attrs: { autocapitalize: 'characters', spellcheck: 'false', maxlength: '64' } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('check'))));
  onSubmit(form, async ({ serial }) => {
    ctx.router.navigate(`/certificates/${encodeURIComponent(serial.trim())}`);
  });
  return form;
}

/** `/certificates`: a form to check a certificate number. */
export async function certificateSearchPage(ctx) {
  return {
    title: t('check-a-certificate'),
    node: h('section', { class: 'page container narrow' },
      h('h1', {}, t('check-a-certificate')),
      h('p', {}, t('enter-the-number-printed-on-a')),
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
      title: t('certificate-not-found'),
      node: h('section', { class: 'page container narrow' },
        h('h1', {}, t('certificate-not-found')),
        h('div', { class: 'alert alert-error', role: 'alert' },
          h('p', {}, t('this-school-has-not-issued-a', { serial }))),
        verifyForm(ctx, serial)),
    };
  }
  const valid = Boolean(check.valid);
  return {
    title: t('certificate-serial', { serial: check.serial }),
    node: h('section', { class: 'page container narrow certificate-check' },
      h('h1', {}, valid ? t('valid-certificate') : t('revoked-certificate')),
      h('div', { class: valid ? 'alert alert-success' : 'alert alert-error', role: 'status' },
        h('p', {}, valid
          ? t('this-certificate-was-issued-by-this')
          : t('this-certificate-was-issued-by-this-2', { date: formatDate(check.revoked_at) }))),
      h('dl', { class: 'facts' },
        h('dt', {}, t('awarded-to')), h('dd', {}, check.learner_name),
        h('dt', {}, t('course')), h('dd', {}, check.course_title),
        h('dt', {}, t('issued')), h('dd', {}, formatDate(check.issued_at)),
        h('dt', {}, t('certificate-number')), h('dd', {}, h('code', {}, check.serial))),
      h('p', {}, h('a', { href: '/certificates' }, t('check-another-certificate')))),
  };
}
