// Cart page: items, quantities, removal, and the totals as the API computes them.

import { get, patch, del } from '../api.js';
import { h, replace, formatMoney, emptyState, errorBox, announce, loading } from '../ui.js';
import { requireLogin } from './common.js';

function itemHref(item) {
  return item.item_type === 'course' ? `/courses/${encodeURIComponent(item.item_id)}` : `/products/${encodeURIComponent(item.item_id)}`;
}

export async function cartPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const host = h('div');
  const status = h('div', { 'aria-live': 'polite' });

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
      rowError(row, { userMessage: 'Enter a whole number of at least 1.' });
      input.setAttribute('aria-invalid', 'true');
      return;
    }
    if (quantity === Number(item.quantity) || input.dataset.pending === String(quantity)) return;
    input.dataset.pending = String(quantity);
    input.disabled = true;
    try {
      await patch(`/cart/${encodeURIComponent(item.id)}`, { quantity });
      announce(`Quantity of ${item.name} set to ${quantity}.`);
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
      announce(`${item.name} was removed from your cart.`);
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
      replace(host, emptyState('Your cart is empty.', 'Courses and products you add appear here.',
        h('a', { href: '/courses', class: 'btn btn-primary' }, 'Browse the catalogue')));
      return;
    }
    const rows = items.map((item) => {
      const row = h('li', { class: ['cart-item', item.available === false ? 'cart-item-unavailable' : ''] });
      const qtyId = `qty-${item.id}`;
      const qty = item.item_type === 'course'
        ? h('span', { class: 'muted' }, 'Qty 1')
        : h('div', { class: 'qty' },
          h('label', { for: qtyId }, 'Quantity'),
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
          h('span', { class: 'chip' }, item.item_type === 'course' ? 'Course' : 'Product'),
          item.available === false ? h('span', { class: 'chip chip-warn' }, 'No longer available') : null,
          h('span', { class: 'muted cart-unit' }, `${formatMoney(item.unit_price_cents, currency)} each`)),
        h('div', { class: 'cart-item-side' },
          qty,
          h('span', { class: 'cart-line-total' }, formatMoney(item.line_total_cents, currency)),
          h('button', {
            type: 'button', class: 'btn btn-link btn-danger', 'aria-label': `Remove ${item.name}`,
            on: { click: (e) => remove(item, e.currentTarget, row) },
          }, 'Remove')),
        h('p', { class: 'row-error field-error', id: `${qtyId}-err`, hidden: true }));
      return row;
    });
    const line = (label, cents, extra = {}) => [h('dt', extra, label), h('dd', extra, formatMoney(cents, currency))];
    const warnings = Array.isArray(cart.warnings) ? cart.warnings : [];
    replace(host,
      h('div', { class: 'cart-layout' },
        h('section', { 'aria-labelledby': 'cart-heading' },
          h('h2', { id: 'cart-heading', class: 'visually-hidden', tabindex: '-1', dataset: { key: 'cart-heading' } }, 'Items'),
          warnings.length ? h('div', { class: 'alert alert-warn', role: 'status' },
            h('ul', {}, warnings.map((w) => h('li', {}, typeof w === 'string' ? w : w.message || w.detail || JSON.stringify(w))))) : null,
          h('ul', { class: 'cart-items' }, rows)),
        h('aside', { class: 'panel cart-summary', 'aria-labelledby': 'summary-h' },
          h('h2', { id: 'summary-h' }, 'Summary'),
          h('dl', { class: 'totals' },
            line('Subtotal', cart.subtotal_cents),
            Number(cart.discount_cents) ? line('Discount', -Math.abs(Number(cart.discount_cents))) : null,
            line(cart.prices_include_tax ? 'Includes tax' : 'Tax', cart.tax_cents),
            Number(cart.shipping_cents) ? line('Shipping', cart.shipping_cents) : null,
            line('Total', cart.total_cents, { class: 'total' })),
          h('p', {}, h('a', { href: '/checkout', class: 'btn btn-primary btn-block' }, 'Go to checkout')),
          h('p', { class: 'muted small' }, 'Tax and shipping are final at checkout, once your address is known.'))));
  }

  replace(host, loading('Loading your cart…'));
  await reload();
  return {
    title: 'Your cart',
    node: h('section', { class: 'page container' }, h('div', { class: 'page-head' }, h('h1', {}, 'Your cart')), status, host),
  };
}
