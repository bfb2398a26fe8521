// @ts-check
// Admin > Bundles: several courses sold at one price. Admins bundle any published
// course, instructors their own.

import { get, post, put, del, getUser, hasRole } from '../api.js';
import { h, replace, field, onSubmit, fieldErrors, announce, notice, errorBox } from '../ui.js';
import { pageHead, backLink, table, money, parseMoney, moneyInput, listArea, statusChip, storeCurrency } from './common.js';
import { t } from '../i18n.js';

const STATUSES = () => ([['draft', t('draft')], ['published', t('published')], ['archived', t('archived')]]);

export async function bundlesPage(ctx) {
  const list = listArea({
    path: '/bundles',
    noun: 'bundle',
    signal: ctx.signal,
    perPage: 50,
    empty: [t('no-bundles-yet'), t('sell-several-courses-together-at-one'), h('a', { href: '/admin/bundles/new', class: 'btn btn-primary' }, t('new-bundle'))],
    render: (items) => table(t('bundles'), [t('name'), t('courses'), t('price'), t('status'), h('span', { class: 'visually-hidden' }, t('actions'))],
      items.map((b) => {
        const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('delete-bundle-name', { name: b.name }) }, t('delete'));
        remove.addEventListener('click', async () => {
          // eslint-disable-next-line no-alert
          if (!window.confirm(t('delete-bundle-name-confirm', { name: b.name }))) return;
          remove.disabled = true;
          try {
            await del(`/bundles/${encodeURIComponent(b.id)}`);
            announce(t('bundle-name-removed', { name: b.name }));
            list.load({ focusSelector: '.table-wrap, .empty' });
          } catch (err) {
            remove.disabled = false;
            replace(remove.parentElement.querySelector('.row-msg'), h('span', { class: 'error-text' }, err.userMessage));
          }
        });
        return h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `/admin/bundles/${encodeURIComponent(b.id)}`, class: 'cell-name' }, b.name)),
          h('td', {}, b.courses.map((c) => c.title).join(', ')),
          h('td', { class: 'num' }, money(b.price_cents, b.currency),
            b.savings_cents > 0 ? h('span', { class: 'cell-sub' }, t('saves-amount', { amount: money(b.savings_cents, b.currency) })) : null),
          h('td', {}, statusChip(b.status)),
          h('td', {}, remove, h('span', { class: 'row-msg', 'aria-live': 'polite' })));
      })),
  });
  await list.load();
  return {
    title: t('bundles'),
    node: h('section', { class: 'page' },
      pageHead(t('bundles'), t('several-courses-sold-together-at-one'), h('a', { href: '/admin/bundles/new', class: 'btn btn-primary' }, t('new-bundle'))),
      list.status, list.results),
  };
}

/** The published courses this user may bundle (an instructor: their own). */
async function bundleableCourses(signal) {
  const query = { status: 'published', per_page: 100 };
  const user = getUser();
  if (!hasRole('admin') && user) query.instructor_id = user.id;
  const body = await get('/courses', query, { signal });
  return body.items || [];
}

/** The published products this user may include (an instructor: their own). */
async function bundleableProducts(signal) {
  const query = { status: 'published', per_page: 100 };
  const user = getUser();
  if (!hasRole('admin') && user) query.vendor_id = user.id;
  const body = await get('/products', query, { signal });
  return body.items || [];
}

/** A fieldset of checkboxes, one per item, those in `chosen` ticked. */
function checklist(id, legend, items, chosen, attr, label, empty, errorField) {
  return h('fieldset', { class: 'stack', id },
    h('legend', {}, legend),
    items.length ? items.map((item) => h('label', { class: 'field-check' },
      h('input', { type: 'checkbox', [attr]: item.id, checked: chosen.has(item.id) }), ` ${label(item)}`))
      : h('p', { class: 'hint' }, empty),
    h('p', { class: 'field-error', 'data-field': errorField, hidden: true }));
}

/** The ids whose box is ticked in a [checklist]. */
function ticked(list, attr) {
  return [...list.querySelectorAll(`input[${attr}]`)].filter((i) => /** @type {HTMLInputElement} */ (i).checked).map((i) => i.getAttribute(attr));
}

export async function bundlePage(ctx) {
  const isNew = !ctx.params.id;
  let bundle = null;
  let courses;
  let products;
  try {
    if (!isNew) bundle = await get(`/bundles/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
    [courses, products] = await Promise.all([bundleableCourses(ctx.signal), bundleableProducts(ctx.signal)]);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return { title: t('bundle'), node: h('section', { class: 'page' }, backLink('/admin/bundles', t('bundles')), h('h1', {}, t('bundle-not-found')), errorBox(err)) };
  }
  const currency = bundle ? bundle.currency : await storeCurrency();
  // What is already in the bundle stays listed even when no longer offered.
  const listed = [...courses, ...(bundle ? bundle.courses.filter((c) => !courses.some((o) => o.id === c.id)) : [])];
  const goods = [...products, ...(bundle ? (bundle.products || []).filter((p) => !products.some((o) => o.id === p.id)) : [])];
  const saved = h('div', { 'aria-live': 'polite' });
  const picks = checklist('bundle-courses', t('courses-in-the-bundle'), listed,
    new Set(bundle ? bundle.courses.map((c) => c.id) : []), 'data-course',
    (c) => `${c.title} (${money(c.price_cents, currency)})`, t('publish-a-course-first-only-published'), 'course_ids');
  const productPicks = checklist('bundle-products', t('bundle-products-included'), goods,
    new Set(bundle ? (bundle.products || []).map((p) => p.id) : []), 'data-product',
    (p) => `${p.name} (${money(p.price_cents, p.currency || currency)}, ${p.kind === 'physical' ? t('bundle-product-shipped') : t('bundle-product-download')})`,
    t('bundle-no-products-to-include'), 'product_ids');
  const form = h('form', { class: 'stack form-card', 'aria-label': t('bundle') },
    field({ label: t('name'), name: 'name', required: true, value: bundle ? bundle.name : '', attrs: { maxlength: 200 } }),
    field({ label: t('description'), name: 'description', type: 'textarea', value: bundle ? bundle.description : '', attrs: { rows: 3 } }),
    h('div', { class: 'form-grid' },
      field({ label: t('price-currency', { currency }), name: 'price_cents', required: true, value: bundle ? moneyInput(bundle.price_cents, currency) : '', attrs: { inputmode: 'decimal' } }),
      field({ label: t('status'), name: 'status', type: 'select', value: bundle ? bundle.status : 'draft', options: STATUSES().map(([value, label]) => ({ value, label })) })),
    picks,
    productPicks,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? t('create-bundle') : t('save-bundle')), h('a', { href: '/admin/bundles' }, t('cancel'))));
  onSubmit(form, async (v) => {
    const price = parseMoney(v.price_cents, currency);
    if (price === null || Number.isNaN(price)) {
      throw fieldErrors(t('please-correct-the-highlighted-fields'), [{ field: 'price_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(4900, currency) }) }]);
    }
    const body = {
      name: v.name, description: v.description, price_cents: price, status: v.status,
      course_ids: ticked(picks, 'data-course'), product_ids: ticked(productPicks, 'data-product'),
    };
    if (isNew) {
      const created = await post('/bundles', body);
      announce(t('bundle-name-created', { name: created.name }));
      ctx.router.navigate('/admin/bundles');
    } else {
      bundle = await put(`/bundles/${encodeURIComponent(bundle.id)}`, body);
      replace(saved, notice(t('the-bundle-was-saved')));
      announce(t('saved'));
    }
  }, { busyLabel: t('saving') });
  const title = isNew ? t('new-bundle') : t('bundle-name', { name: bundle.name });
  return {
    title,
    node: h('section', { class: 'page narrow-page' }, backLink('/admin/bundles', t('bundles')), pageHead(title, null), saved, form),
  };
}
