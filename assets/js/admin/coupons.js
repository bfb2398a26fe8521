// @ts-check
// Admin > Coupons: list, create, edit and delete discount codes.

import { get, post, put, del } from '../api.js';
import {
  h, replace, field, onSubmit, fieldErrors, announce, formatDate, notice, errorBox,
} from '../ui.js';
import {
  pageHead, backLink, table, money, parseMoney, moneyInput, listArea, intOrNull, storeCurrency,
} from './common.js';
import { t } from '../i18n.js';

const SCOPES = () => ([['all', t('everything')], ['products', t('products-only')], ['courses', t('courses-only')], ['items', t('listed-items-only')]]);

function discountText(c, currency) {
  if (c.percent) return t('percent-off', { percent: c.percent });
  if (c.fixed_cents) return t('amount-off', { amount: money(c.fixed_cents, currency) });
  return '—';
}

function validity(c) {
  const now = Date.now();
  if (c.expires_at && Date.parse(c.expires_at) < now) return h('span', { class: 'pill pill-off' }, t('expired'));
  if (c.starts_at && Date.parse(c.starts_at) > now) return h('span', { class: 'pill pill-warn' }, t('from-date', { date: formatDate(c.starts_at) }));
  if (c.max_redemptions && c.redemptions >= c.max_redemptions) return h('span', { class: 'pill pill-off' }, t('used-up'));
  return h('span', { class: 'pill pill-on' }, c.expires_at ? t('until-date', { date: formatDate(c.expires_at) }) : t('active'));
}

export async function couponsPage(ctx) {
  // Coupons have no currency of their own: fixed amounts are in the store's.
  const currency = await storeCurrency();
  const list = listArea({
    path: '/admin/coupons',
    noun: 'coupon',
    signal: ctx.signal,
    perPage: 50,
    empty: [t('no-coupons-yet'), t('create-a-code-for-a-percentage'), h('a', { href: '/admin/coupons/new', class: 'btn btn-primary' }, t('new-coupon'))],
    render: (items) => table(t('coupons'), [t('code'), t('discount'), t('applies-to'), t('used'), t('validity'), h('span', { class: 'visually-hidden' }, t('actions'))],
      items.map((c) => {
        const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('delete-coupon-code', { code: c.code }) }, t('delete'));
        remove.addEventListener('click', async () => {
          // eslint-disable-next-line no-alert
          if (!window.confirm(t('delete-the-coupon-code-orders-that', { code: c.code }))) return;
          remove.disabled = true;
          try {
            await del(`/admin/coupons/${encodeURIComponent(c.id)}`);
            announce(t('coupon-code-deleted', { code: c.code }));
            list.load({ focusSelector: '.table-wrap, .empty' });
          } catch (err) {
            remove.disabled = false;
            replace(remove.parentElement.querySelector('.row-msg'), h('span', { class: 'error-text' }, err.userMessage));
          }
        });
        return h('tr', {},
          h('th', { scope: 'row' }, h('a', { href: `/admin/coupons/${encodeURIComponent(c.id)}`, class: 'cell-name mono' }, c.code)),
          h('td', {}, discountText(c, currency), c.min_subtotal_cents ? h('span', { class: 'cell-sub' }, t('orders-from-amount', { amount: money(c.min_subtotal_cents, currency) })) : null),
          h('td', {}, (SCOPES().find(([v]) => v === c.scope) || [null, c.scope])[1]),
          h('td', { class: 'num' }, c.max_redemptions ? `${c.redemptions} / ${c.max_redemptions}` : String(c.redemptions)),
          h('td', {}, validity(c)),
          h('td', {}, remove, h('span', { class: 'row-msg', 'aria-live': 'polite' })));
      })),
  });
  await list.load();
  return {
    title: t('coupons'),
    node: h('section', { class: 'page' },
      pageHead(t('coupons'), t('discount-codes-customers-enter-at-checko'), h('a', { href: '/admin/coupons/new', class: 'btn btn-primary' }, t('new-coupon'))),
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
      return { title: t('coupon'), node: h('section', { class: 'page' }, backLink('/admin/coupons', t('coupons')), h('h1', {}, t('coupon-not-found')), errorBox(err)) };
    }
  }
  const currency = await storeCurrency();
  const kind = coupon && coupon.fixed_cents ? 'fixed' : 'percent';
  const saved = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack form-card', 'aria-label': t('coupon') },
    h('div', { class: 'form-grid' },
      field({ label: t('code'), name: 'code', required: true, value: coupon ? coupon.code : '', hint: t('customers-type-it-case-does-not'), attrs: { maxlength: 64, autocomplete: 'off' } }),
      field({ label: t('discount-type'), name: 'kind', type: 'select', value: kind, options: [{ value: 'percent', label: t('percentage') }, { value: 'fixed', label: t('fixed-amount-currency', { currency }) }] }),
      field({ label: t('percent-off-2'), name: 'percent', type: 'number', value: coupon ? coupon.percent ?? '' : '', attrs: { min: 1, max: 100 } }),
      field({ label: t('amount-off-currency', { currency }), name: 'fixed_cents', value: coupon ? moneyInput(coupon.fixed_cents, currency) : '', attrs: { inputmode: 'decimal' } }),
      field({ label: t('minimum-subtotal-currency', { currency }), name: 'min_subtotal_cents', value: coupon ? moneyInput(coupon.min_subtotal_cents, currency) : '', hint: t('optional'), attrs: { inputmode: 'decimal' } }),
      field({ label: t('applies-to'), name: 'scope', type: 'select', value: coupon ? coupon.scope : 'all', options: SCOPES().map(([value, label]) => ({ value, label })) })),
    field({ label: t('item-ids'), name: 'item_ids', type: 'textarea', value: coupon ? (coupon.item_ids || []).join('\n') : '', hint: t('for-listed-items-only-one-product'), attrs: { rows: 3 } }),
    h('div', { class: 'form-grid' },
      field({ label: t('starts'), name: 'starts_at', type: 'datetime-local', value: coupon ? toLocal(coupon.starts_at) : '', hint: t('optional-your-local-time') }),
      field({ label: t('expires'), name: 'expires_at', type: 'datetime-local', value: coupon ? toLocal(coupon.expires_at) : '', hint: t('optional') }),
      field({ label: t('total-uses'), name: 'max_redemptions', type: 'number', value: coupon ? coupon.max_redemptions ?? '' : '', hint: t('empty-unlimited'), attrs: { min: 1 } }),
      field({ label: t('uses-per-customer'), name: 'max_redemptions_per_user', type: 'number', value: coupon ? coupon.max_redemptions_per_user ?? '' : '', hint: t('empty-unlimited'), attrs: { min: 1 } })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? t('create-coupon') : t('save-coupon')), h('a', { href: '/admin/coupons' }, t('cancel'))));
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
    if (v.kind === 'fixed' && (fixed === null || Number.isNaN(fixed))) errors.push({ field: 'fixed_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(500, currency) }) });
    if (Number.isNaN(min)) errors.push({ field: 'min_subtotal_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(5000, currency) }) });
    if (errors.length) {
      throw fieldErrors(t('please-correct-the-highlighted-fields'), errors);
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
      announce(t('coupon-code-created', { code: created.code }));
      ctx.router.navigate('/admin/coupons');
    } else {
      coupon = await put(`/admin/coupons/${encodeURIComponent(coupon.id)}`, body);
      replace(saved, notice(t('the-coupon-was-saved')));
      announce(t('saved'));
    }
  }, { busyLabel: t('saving') });
  const title = isNew ? t('new-coupon') : t('coupon-code-2', { code: coupon.code });
  return {
    title,
    node: h('section', { class: 'page narrow-page' }, backLink('/admin/coupons', t('coupons')),
      pageHead(title, coupon ? t('coupon-used-times', { count: coupon.redemptions }) : null), saved, form),
  };
}
