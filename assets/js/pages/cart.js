// @ts-check
// Cart page: items, quantities, removal, and the totals as the API computes them.

import { get, patch, del, isSignedIn, ApiError } from '../api.js';
import { h, replace, formatMoney, emptyState, errorBox, announce, loading, notice } from '../ui.js';
import { takeFlash } from './common.js';
import { guestLines, setGuestQuantity, removeGuestLine } from '../guest-cart.js';
import { t } from '../i18n.js';

/** @param {string} type */
/** A bundle's products, named under its line (nothing for other lines). */
const includedGoods = (item) => ((item.includes || []).length
  ? h('span', { class: 'cell-sub' }, t('bundle-includes-products', { names: item.includes.map((p) => p.name).join(', ') }))
  : null);
const itemWord = (type) => (type === 'course' ? t('course') : type === 'bundle' ? t('bundle') : t('product'));

function itemHref(item) {
  return `/${item.item_type}s/${encodeURIComponent(item.item_id)}`;
}

/** A line of the visitor's cart with the item's public name and price (null when gone). */
async function guestItem(line, signal) {
  const path = `/${line.item_type}s/${encodeURIComponent(line.item_id)}`;
  try {
    const item = await get(path, null, { signal });
    return { ...line, name: item.title || item.name, unit_price_cents: Number(item.price_cents) || 0, currency: item.currency };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { ...line, name: null };
    throw err;
  }
}

/** The cart of a visitor who has not signed in: kept in this browser, priced from the catalogue. */
async function guestCartPage(ctx) {
  const host = h('div');
  async function draw(focus) {
    const items = await Promise.all(guestLines().map((l) => guestItem(l, ctx.signal)));
    if (!items.length) {
      replace(host, emptyState(t('your-cart-is-empty'), t('courses-and-products-you-add-appear'),
        h('a', { href: '/courses', class: 'btn btn-primary' }, t('browse-the-catalogue'))));
      return;
    }
    const currency = (items.find((i) => i.currency) || {}).currency;
    const subtotal = items.reduce((n, i) => n + (i.name ? i.unit_price_cents * i.quantity : 0), 0);
    const rows = items.map((item) => {
      const label = item.name || t('an-item-no-longer-for-sale');
      const qtyId = `qty-${item.item_id}`;
      const qty = item.item_type !== 'product' || !item.name
        ? h('span', { class: 'muted' }, t('qty-quantity', { quantity: item.quantity }))
        : h('div', { class: 'qty' }, h('label', { for: qtyId }, t('quantity')),
          h('input', {
            id: qtyId, type: 'number', min: '1', max: '1000', step: '1', inputmode: 'numeric', value: String(item.quantity),
            on: {
              change: (e) => {
                const q = Number(e.currentTarget.value);
                if (Number.isInteger(q) && q >= 1 && q <= 1000) setGuestQuantity(item.item_type, item.item_id, q);
                draw(qtyId);
              },
            },
          }));
      return h('li', { class: ['cart-item', item.name ? '' : 'cart-item-unavailable'] },
        h('div', { class: 'cart-item-main' },
          item.name ? h('a', { href: itemHref(item), class: 'cart-item-name' }, label) : h('span', { class: 'cart-item-name' }, label),
          h('span', { class: 'chip' }, itemWord(item.item_type)),
          includedGoods(item),
          item.name ? h('span', { class: 'muted cart-unit' }, t('amount-each', { amount: formatMoney(item.unit_price_cents, currency) })) : null),
        h('div', { class: 'cart-item-side' }, qty,
          item.name ? h('span', { class: 'cart-line-total' }, formatMoney(item.unit_price_cents * item.quantity, currency)) : null,
          h('button', {
            type: 'button', class: 'btn btn-link btn-danger', 'aria-label': t('remove-label', { label }),
            on: { click: () => { removeGuestLine(item.item_type, item.item_id); announce(t('label-was-removed-from-your-cart', { label })); draw('cart-heading'); } },
          }, t('remove'))));
    });
    replace(host, h('div', { class: 'cart-layout' },
      h('section', { 'aria-labelledby': 'cart-heading' },
        h('h2', { id: 'cart-heading', class: 'visually-hidden', tabindex: '-1' }, t('items')),
        h('ul', { class: 'cart-items' }, rows)),
      h('aside', { class: 'panel cart-summary', 'aria-labelledby': 'summary-h' },
        h('h2', { id: 'summary-h' }, t('summary')),
        h('dl', { class: 'totals' }, h('dt', { class: 'total' }, t('subtotal')), h('dd', { class: 'total' }, formatMoney(subtotal, currency))),
        h('p', {}, h('a', { href: '/login?next=%2Fcheckout', class: 'btn btn-primary btn-block' }, t('log-in-to-check-out'))),
        h('p', {}, h('a', { href: '/register?next=%2Fcheckout', class: 'btn btn-secondary btn-block' }, t('create-an-account'))),
        h('p', { class: 'muted small' }, t('your-cart-is-kept-in-this')))));
    const el = focus && (host.querySelector(`#${focus}`) || host.querySelector('h2'));
    if (el) el.focus();
  }
  await draw();
  return {
    title: t('your-cart'),
    node: h('section', { class: 'page container' }, h('div', { class: 'page-head' }, h('h1', {}, t('your-cart'))), host),
  };
}

export async function cartPage(ctx) {
  if (!isSignedIn()) return guestCartPage(ctx);
  const host = h('div');
  const flash = takeFlash();
  const status = h('div', { 'aria-live': 'polite' }, flash && flash.message ? notice(flash.message) : null);

  async function reload(focusKey) {
    let cart;
    try {
      cart = await get('/cart', null, { signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') return;
      replace(host, errorBox(err, { retry: () => reload() }));
      return;
    }
    draw(cart);
    if (focusKey) {
      const el = host.querySelector(`[data-key="${focusKey}"]`) || host.querySelector('h2');
      if (el) el.focus();
    }
  }

  function rowError(row, err) {
    const slot = row.querySelector('.row-error');
    replace(slot, err ? err.userMessage || String(err) : '');
    slot.hidden = !err;
  }

  async function setQuantity(item, input, row) {
    const quantity = Number(input.value);
    if (!Number.isInteger(quantity) || quantity < 1) {
      rowError(row, { userMessage: t('enter-a-whole-number-of-at') });
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    if (quantity === Number(item.quantity) || input.dataset.pending === String(quantity)) return;
    input.dataset.pending = String(quantity);
    input.disabled = true;
    try {
      await patch(`/cart/${encodeURIComponent(item.id)}`, { quantity });
      announce(t('quantity-of-name-set-to-quantity', { name: item.name, quantity }));
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      await reload(`qty-${item.id}`);
    } catch (err) {
      delete input.dataset.pending;
      input.disabled = false;
      input.setAttribute('aria-invalid', 'true');
      rowError(row, err);
      input.focus();
    }
  }

  async function remove(item, button, row) {
    button.disabled = true;
    try {
      await del(`/cart/${encodeURIComponent(item.id)}`);
      announce(t('name-was-removed-from-your-cart', { name: item.name }));
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      await reload('cart-heading');
    } catch (err) {
      button.disabled = false;
      rowError(row, err);
    }
  }

  function draw(cart) {
    const items = cart.items || [];
    const currency = cart.currency;
    if (!items.length) {
      replace(host, emptyState(t('your-cart-is-empty'), t('courses-and-products-you-add-appear'),
        h('a', { href: '/courses', class: 'btn btn-primary' }, t('browse-the-catalogue'))));
      return;
    }
    const rows = items.map((item) => {
      const row = h('li', { class: ['cart-item', item.available === false ? 'cart-item-unavailable' : ''] });
      const qtyId = `qty-${item.id}`;
      const qty = item.item_type !== 'product'
        ? h('span', { class: 'muted' }, t('qty-1'))
        : h('div', { class: 'qty' },
          h('label', { for: qtyId }, t('quantity')),
          h('input', {
            id: qtyId, type: 'number', min: '1', step: '1', inputmode: 'numeric', value: String(item.quantity),
            dataset: { key: qtyId },
            'aria-describedby': `${qtyId}-err`,
            // 'change' fires on blur and on Enter.
            on: { change: (e) => setQuantity(item, e.currentTarget, row) },
          }));
      replace(row,
        h('div', { class: 'cart-item-main' },
          h('a', { href: itemHref(item), class: 'cart-item-name' }, item.name),
          h('span', { class: 'chip' }, itemWord(item.item_type)),
          includedGoods(item),
          item.available === false ? h('span', { class: 'chip chip-warn' }, t('no-longer-available')) : null,
          h('span', { class: 'muted cart-unit' }, t('amount-each', { amount: formatMoney(item.unit_price_cents, currency) }))),
        h('div', { class: 'cart-item-side' },
          qty,
          h('span', { class: 'cart-line-total' }, formatMoney(item.line_total_cents, currency)),
          h('button', {
            type: 'button', class: 'btn btn-link btn-danger', 'aria-label': t('remove-name', { name: item.name }),
            on: { click: (e) => remove(item, e.currentTarget, row) },
          }, t('remove'))),
        h('p', { class: 'row-error field-error', id: `${qtyId}-err`, hidden: true }));
      return row;
    });
    const line = (label, cents, extra = {}) => [h('dt', extra, label), h('dd', extra, formatMoney(cents, currency))];
    const warnings = Array.isArray(cart.warnings) ? cart.warnings : [];
    replace(host,
      h('div', { class: 'cart-layout' },
        h('section', { 'aria-labelledby': 'cart-heading' },
          h('h2', { id: 'cart-heading', class: 'visually-hidden', tabindex: '-1', dataset: { key: 'cart-heading' } }, t('items')),
          warnings.length ? h('div', { class: 'alert alert-warn', role: 'status' },
            h('ul', {}, warnings.map((w) => h('li', {}, typeof w === 'string' ? w : w.message || w.detail || JSON.stringify(w))))) : null,
          h('ul', { class: 'cart-items' }, rows)),
        h('aside', { class: 'panel cart-summary', 'aria-labelledby': 'summary-h' },
          h('h2', { id: 'summary-h' }, t('summary')),
          h('dl', { class: 'totals' },
            line(t('subtotal'), cart.subtotal_cents),
            Number(cart.discount_cents) ? line(t('discount'), -Math.abs(Number(cart.discount_cents))) : null,
            line(cart.prices_include_tax ? t('includes-tax') : t('tax'), cart.tax_cents),
            Number(cart.shipping_cents) ? line(t('shipping'), cart.shipping_cents) : null,
            line(t('total'), cart.total_cents, { class: 'total' })),
          h('p', {}, h('a', { href: '/checkout', class: 'btn btn-primary btn-block' }, t('go-to-checkout'))),
          h('p', { class: 'muted small' }, t('tax-and-shipping-are-final-at')))));
  }

  replace(host, loading(t('loading-your-cart')));
  await reload();
  return {
    title: t('your-cart'),
    node: h('section', { class: 'page container' }, h('div', { class: 'page-head' }, h('h1', {}, t('your-cart'))), status, host),
  };
}
