// @ts-check
// Admin > Coupons: list, create, edit and delete discount codes.

import { get, post, put, del } from '../api.js';
import {
  h, replace, field, onSubmit, fieldErrors, announce, formatDate, notice, errorBox,
} from '../ui.js';
import {
  pageHead, backLink, table, money, parseMoney, moneyInput, listArea, intOrNull, storeCurrency,
} from './common.js';

const SCOPES = [['all', 'Everything'], ['products', 'Products only'], ['courses', 'Courses only'], ['items', 'Listed items only']];

function discountText(c, currency) {
  if (c.percent) return `${c.percent}% off`;
  if (c.fixed_cents) return `${money(c.fixed_cents, currency)} off`;
  return '—';
}

function validity(c) {
  const now = Date.now();
  if (c.expires_at && Date.parse(c.expires_at) < now) return h('span', { class: 'pill pill-off' }, 'Expired');
  if (c.starts_at && Date.parse(c.starts_at) > now) return h('span', { class: 'pill pill-warn' }, `From ${formatDate(c.starts_at)}`);
  if (c.max_redemptions && c.redemptions >= c.max_redemptions) return h('span', { class: 'pill pill-off' }, 'Used up');
  return h('span', { class: 'pill pill-on' }, c.expires_at ? `Until ${formatDate(c.expires_at)}` : 'Active');
}

export async function couponsPage(ctx) {
  // Coupons have no currency of their own: fixed amounts are in the store's.
  const currency = await storeCurrency();
  const list = listArea({
    path: '/admin/coupons',
    noun: 'coupon',
    signal: ctx.signal,
    perPage: 50,
    empty: ['No coupons yet.', 'Create a code for a percentage or a fixed amount off.', h('a', { href: '/admin/coupons/new', class: 'btn btn-primary' }, 'New coupon')],
    render: (items) => table('Coupons', ['Code', 'Discount', 'Applies to', 'Used', 'Validity', h('span', { class: 'visually-hidden' }, 'Actions')],
      items.map((c) => {
        const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': `Delete coupon ${c.code}` }, 'Delete');
        remove.addEventListener('click', async () => {
          // eslint-disable-next-line no-alert
          if (!window.confirm(`Delete the coupon ${c.code}? Orders that used it keep their discount.`)) return;
          remove.disabled = true;
          try {
            await del(`/admin/coupons/${encodeURIComponent(c.id)}`);
            announce(`Coupon ${c.code} deleted.`);
            list.load({ focusSelector: '.table-wrap, .empty' });
          } catch (err) {
            remove.disabled = false;
            replace(remove.parentElement.querySelector('.row-msg'), h('span', { class: 'error-text' }, err.userMessage));
          }
        });
        return h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `/admin/coupons/${encodeURIComponent(c.id)}`, class: 'cell-name mono' }, c.code)),
          h('td', {}, discountText(c, currency), c.min_subtotal_cents ? h('span', { class: 'cell-sub' }, `Orders from ${money(c.min_subtotal_cents, currency)}`) : null),
          h('td', {}, (SCOPES.find(([v]) => v === c.scope) || [null, c.scope])[1]),
          h('td', { class: 'num' }, c.max_redemptions ? `${c.redemptions} / ${c.max_redemptions}` : String(c.redemptions)),
          h('td', {}, validity(c)),
          h('td', {}, remove, h('span', { class: 'row-msg', 'aria-live': 'polite' })));
      })),
  });
  await list.load();
  return {
    title: 'Coupons',
    node: h('section', { class: 'page' },
      pageHead('Coupons', 'Discount codes customers enter at checkout.', h('a', { href: '/admin/coupons/new', class: 'btn btn-primary' }, 'New coupon')),
      list.status, list.results),
  };
}

/** RFC 3339 from a datetime-local value; "" -> null. */
function toRfc(local) {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export async function couponPage(ctx) {
  const isNew = !ctx.params.id;
  let coupon = null;
  if (!isNew) {
    try {
      coupon = await get(`/admin/coupons/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      return { title: 'Coupon', node: h('section', { class: 'page' }, backLink('/admin/coupons', 'Coupons'), h('h1', {}, 'Coupon not found'), errorBox(err)) };
    }
  }
  const currency = await storeCurrency();
  const kind = coupon && coupon.fixed_cents ? 'fixed' : 'percent';
  const saved = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack form-card', 'aria-label': 'Coupon' },
    h('div', { class: 'form-grid' },
      field({ label: 'Code', name: 'code', required: true, value: coupon ? coupon.code : '', hint: 'Customers type it; case does not matter.', attrs: { maxlength: 64, autocomplete: 'off' } }),
      field({ label: 'Discount type', name: 'kind', type: 'select', value: kind, options: [{ value: 'percent', label: 'Percentage' }, { value: 'fixed', label: `Fixed amount (${currency})` }] }),
      field({ label: 'Percent off', name: 'percent', type: 'number', value: coupon ? coupon.percent ?? '' : '', attrs: { min: 1, max: 100 } }),
      field({ label: `Amount off (${currency})`, name: 'fixed_cents', value: coupon ? moneyInput(coupon.fixed_cents, currency) : '', attrs: { inputmode: 'decimal' } }),
      field({ label: `Minimum subtotal (${currency})`, name: 'min_subtotal_cents', value: coupon ? moneyInput(coupon.min_subtotal_cents, currency) : '', hint: 'Optional.', attrs: { inputmode: 'decimal' } }),
      field({ label: 'Applies to', name: 'scope', type: 'select', value: coupon ? coupon.scope : 'all', options: SCOPES.map(([value, label]) => ({ value, label })) })),
    field({ label: 'Item ids', name: 'item_ids', type: 'textarea', value: coupon ? (coupon.item_ids || []).join('\n') : '', hint: 'For “Listed items only”: one product or course id per line.', attrs: { rows: 3 } }),
    h('div', { class: 'form-grid' },
      field({ label: 'Starts', name: 'starts_at', type: 'datetime-local', value: coupon ? toLocal(coupon.starts_at) : '', hint: 'Optional; your local time.' }),
      field({ label: 'Expires', name: 'expires_at', type: 'datetime-local', value: coupon ? toLocal(coupon.expires_at) : '', hint: 'Optional.' }),
      field({ label: 'Total uses', name: 'max_redemptions', type: 'number', value: coupon ? coupon.max_redemptions ?? '' : '', hint: 'Empty: unlimited.', attrs: { min: 1 } }),
      field({ label: 'Uses per customer', name: 'max_redemptions_per_user', type: 'number', value: coupon ? coupon.max_redemptions_per_user ?? '' : '', hint: 'Empty: unlimited.', attrs: { min: 1 } })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? 'Create coupon' : 'Save coupon'), h('a', { href: '/admin/coupons' }, 'Cancel')));
  const kindSel = form.elements.kind;
  const scopeSel = form.elements.scope;
  const sync = () => {
    form.elements.percent.closest('.field').hidden = kindSel.value !== 'percent';
    form.elements.fixed_cents.closest('.field').hidden = kindSel.value !== 'fixed';
    form.elements.item_ids.closest('.field').hidden = scopeSel.value !== 'items';
  };
  kindSel.addEventListener('change', sync);
  scopeSel.addEventListener('change', sync);
  sync();
  onSubmit(form, async (v) => {
    const fixed = parseMoney(v.fixed_cents, currency);
    const min = parseMoney(v.min_subtotal_cents, currency);
    const errors = [];
    if (v.kind === 'fixed' && (fixed === null || Number.isNaN(fixed))) errors.push({ field: 'fixed_cents', message: `must be an amount such as ${moneyInput(500, currency)}` });
    if (Number.isNaN(min)) errors.push({ field: 'min_subtotal_cents', message: `must be an amount such as ${moneyInput(5000, currency)}` });
    if (errors.length) {
      throw fieldErrors('Please correct the highlighted fields.', errors);
    }
    const body = {
      code: v.code,
      percent: v.kind === 'percent' ? intOrNull(v.percent) : null,
      fixed_cents: v.kind === 'fixed' ? fixed : null,
      min_subtotal_cents: min,
      scope: v.scope,
      item_ids: v.scope === 'items' ? v.item_ids.split(/\s+/).filter(Boolean) : [],
      starts_at: toRfc(v.starts_at),
      expires_at: toRfc(v.expires_at),
      max_redemptions: intOrNull(v.max_redemptions),
      max_redemptions_per_user: intOrNull(v.max_redemptions_per_user),
    };
    if (isNew) {
      const created = await post('/admin/coupons', body);
      announce(`Coupon ${created.code} created.`);
      ctx.router.navigate('/admin/coupons');
    } else {
      coupon = await put(`/admin/coupons/${encodeURIComponent(coupon.id)}`, body);
      replace(saved, notice('The coupon was saved.'));
      announce('Saved.');
    }
  }, { busyLabel: 'Saving…' });
  const title = isNew ? 'New coupon' : `Coupon ${coupon.code}`;
  return {
    title,
    node: h('section', { class: 'page narrow-page' }, backLink('/admin/coupons', 'Coupons'),
      pageHead(title, coupon ? `Used ${coupon.redemptions} time${coupon.redemptions === 1 ? '' : 's'} in paid orders.` : null), saved, form),
  };
}
