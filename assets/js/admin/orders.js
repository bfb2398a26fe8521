// @ts-check
// Admin > Orders: filters (status, dates, number or email), the order detail
// with items, addresses and the status history, and status changes (ship with
// a tracking number, mark delivered, cancel).

import { get, put, post, hasRole } from '../api.js';
import {
  h, replace, formatDate, announce, uid, showFormErrors, busy, errorBox, notice,
} from '../ui.js';
import {
  pageHead, backLink, statusChip, statusLabel, table, money, listArea, filterBar, hrefWith, pick,
} from './common.js';

const STATUSES = ['pending', 'paid', 'fulfilled', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded'];

/**
 * The moves staff can make from a status. Refunds go through the refund flow, and an order
 * becomes paid only by a recorded payment (see "Confirm payment" in the payments block), never
 * by a status edit.
 */
function nextStatuses(order) {
  const physical = (order.items || []).some((i) => i.item_kind === 'physical_product');
  const vendor = !hasRole('admin');
  switch (order.status) {
    case 'pending': return vendor ? [] : ['cancelled'];
    case 'paid': return vendor ? ['shipped'] : [physical ? 'shipped' : 'fulfilled', 'cancelled'];
    case 'shipped': return ['delivered'];
    default: return [];
  }
}

const ACTION_LABEL = { shipped: 'Mark as shipped', delivered: 'Mark as delivered', fulfilled: 'Mark as fulfilled', cancelled: 'Cancel order' };

export async function ordersPage(ctx) {
  const values = pick(ctx.query, ['q', 'status', 'from', 'to']);
  const list = listArea({
    path: '/orders',
    noun: 'order',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => values,
    hrefFor: (p) => hrefWith('/admin/orders', { ...values, page: p > 1 ? p : null }),
    onPage: (p) => ctx.router.navigate(hrefWith('/admin/orders', { ...values, page: p > 1 ? p : null }), { silent: true }),
    empty: Object.keys(values).length ? ['No orders match.', 'Try other filters.'] : ['No orders yet.'],
    render: (items) => table('Orders', ['Order', 'Customer', 'Status', 'Total', 'Placed'],
      items.map((o) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `/admin/orders/${encodeURIComponent(o.id)}`, class: 'cell-name mono' }, o.number),
          o.tracking_number ? h('span', { class: 'cell-sub' }, `Tracking ${o.tracking_number}`) : null),
        h('td', {}, o.email),
        h('td', {}, statusChip(o.status)),
        h('td', { class: 'num' }, money(o.total_cents, o.currency)),
        h('td', {}, formatDate(o.created_at, { dateStyle: 'medium', timeStyle: 'short' }))))),
  });
  const filters = filterBar('Filter orders', [
    { name: 'q', label: 'Number or email', type: 'search', placeholder: 'SH-000123 or name@example.com' },
    { name: 'status', label: 'Status', type: 'select', options: [['', 'Any status'], ...STATUSES.map((s) => [s, statusLabel(s)])] },
    { name: 'from', label: 'From', type: 'date' },
    { name: 'to', label: 'To', type: 'date' },
  ], values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith('/admin/orders', values), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: 'Orders',
    node: h('section', { class: 'page' },
      pageHead('Orders', hasRole('admin') ? 'Every order in the shop.' : 'Orders that hold your products.'),
      filters, list.status, list.results),
  };
}

function addressBlock(a) {
  if (!a) return null;
  return h('address', { class: 'address' },
    [a.name, a.line1, a.line2, `${a.postal_code || ''} ${a.city || ''}`.trim(), a.country].filter(Boolean).map((line) => h('span', {}, line)));
}

const GATEWAY_NAMES = { stripe: 'Card (Stripe)', paypal: 'PayPal', manual: 'Manual' };

/**
 * Staff recording money paid at the office or by bank transfer for a pending order: "Confirm
 * payment" for the manual payment the buyer chose, or "Record payment received" when they
 * chose nothing online. Either pays the order and grants what it bought.
 */
function confirmManual(order, onPaid) {
  const pending = (order.payments || []).find((p) => p.gateway === 'manual' && p.status === 'pending');
  if (order.status !== 'pending' || !hasRole('admin')) return null;
  // Either the buyer chose to pay at the office (staff confirm that payment), or they paid
  // there without choosing anything online (staff record one for the order).
  const way = pending
    ? {
      label: 'Confirm payment', tone: 'btn-primary', path: `/admin/payments/${encodeURIComponent(pending.id)}/confirm`,
      ask: `Record that ${money(pending.amount_cents, pending.currency || order.currency)} was received for order ${order.number}?`,
      text: 'The buyer chose to pay at the office or by bank transfer. Once the money has arrived, record it: the order is paid and the buyer gets access.',
    }
    : {
      label: 'Record payment received', tone: 'btn-secondary', path: `/admin/orders/${encodeURIComponent(order.id)}/record-payment`,
      ask: `Record that ${money(order.total_cents, order.currency)} for order ${order.number} was paid at the office or by bank transfer?`,
      text: 'The buyer has not chosen how to pay online. If they paid at the office or by bank transfer, record it here: the order is paid and the buyer gets access.',
    };
  const button = h('button', { type: 'button', class: ['btn', way.tone] }, way.label);
  const error = h('div', { 'aria-live': 'polite' });
  button.addEventListener('click', async () => {
    // eslint-disable-next-line no-alert
    if (!window.confirm(way.ask)) return;
    const done = busy(button, 'Recording…');
    try {
      await post(way.path, {});
      const updated = await get(`/orders/${encodeURIComponent(order.id)}`);
      done();
      onPaid(updated, 'paid');
    } catch (err) {
      done();
      replace(error, errorBox(err));
    }
  });
  return h('div', { class: 'stack' }, h('p', { class: 'small' }, way.text), h('div', { class: 'form-actions' }, button), error);
}

/** The order's payments (admin order view `payments`), when the server sends them. */
function paymentsBlock(order, onPaid) {
  if (!Array.isArray(order.payments)) return null;
  return h('section', { class: 'panel', 'aria-labelledby': 'payments-h' },
    h('h2', { id: 'payments-h' }, 'Payments'),
    confirmManual(order, onPaid),
    order.payments.length
      ? h('ul', { class: 'payment-list' }, order.payments.map((p) => {
        const c = p.currency || order.currency;
        return h('li', { class: 'payment-row' },
          h('p', {}, h('strong', {}, money(p.amount_cents, c)), ' · ', GATEWAY_NAMES[p.gateway] || p.gateway || 'Payment', ' ', statusChip(p.status)),
          Number(p.refunded_cents) ? h('p', { class: 'small' }, `Refunded ${money(p.refunded_cents, c)}`) : null,
          p.transaction_id ? h('p', { class: 'muted small' }, p.gateway === 'paypal' ? 'PayPal order ' : 'Reference ', h('span', { class: 'mono' }, p.transaction_id)) : null,
          p.capture_id ? h('p', { class: 'muted small' }, 'PayPal capture ', h('span', { class: 'mono' }, p.capture_id)) : null,
          p.failure_message ? h('p', { class: 'error-text small' }, p.failure_message) : null,
          p.created_at ? h('p', { class: 'muted small' }, `Started ${formatDate(p.created_at, { dateStyle: 'medium', timeStyle: 'short' })}`,
            p.completed_at ? ` · completed ${formatDate(p.completed_at, { dateStyle: 'medium', timeStyle: 'short' })}` : '') : null);
      }))
      : h('p', { class: 'muted' }, 'No payment has been started for this order.'));
}

function statusForm(order, onChanged) {
  const moves = nextStatuses(order);
  if (!moves.length) return null;
  const selId = uid('status');
  const trackId = uid('tracking');
  const noteId = uid('note');
  const form = h('form', { class: 'stack', 'aria-label': 'Change the order status' },
    h('div', { class: 'field' }, h('label', { for: selId }, 'New status'),
      h('select', { id: selId, name: 'status' }, moves.map((s) => h('option', { value: s }, statusLabel(s)))),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field tracking-field' }, h('label', { for: trackId }, 'Tracking number'),
      h('input', { id: trackId, name: 'tracking_number', autocomplete: 'off', maxlength: 200, 'aria-describedby': `${trackId}-hint` }),
      h('p', { class: 'hint', id: `${trackId}-hint` }, 'Sent to the customer in the shipping mail.'),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field' }, h('label', { for: noteId }, 'Note (optional)'),
      h('input', { id: noteId, name: 'note', maxlength: 500 }), h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, ACTION_LABEL[moves[0]] || 'Change status')));
  const select = form.elements.status;
  const button = form.querySelector('[type=submit]');
  const tracking = form.querySelector('.tracking-field');
  const sync = () => {
    tracking.hidden = select.value !== 'shipped';
    button.textContent = ACTION_LABEL[select.value] || 'Change status';
    button.classList.toggle('btn-danger-outline', select.value === 'cancelled');
    button.classList.toggle('btn-primary', select.value !== 'cancelled');
  };
  select.addEventListener('change', sync);
  sync();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const status = select.value;
    const body = { status };
    const tn = form.elements.tracking_number.value.trim();
    if (status === 'shipped' && tn) body.tracking_number = tn;
    const note = form.elements.note.value.trim();
    if (note) body.note = note;
    // eslint-disable-next-line no-alert
    if (status === 'cancelled' && !window.confirm(`Cancel order ${order.number}? A paid order is refunded.`)) return;
    const done = busy(button, 'Saving…');
    try {
      const updated = await put(`/orders/${encodeURIComponent(order.id)}/status`, body);
      done();
      onChanged(updated, status);
    } catch (err) {
      done();
      showFormErrors(form, err);
    }
  });
  return form;
}

export async function orderPage(ctx) {
  let order;
  try {
    order = await get(`/orders/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return { title: 'Order', node: h('section', { class: 'page' }, backLink('/admin/orders', 'Orders'), h('h1', {}, err.status === 404 ? 'Order not found' : 'Could not load the order'), errorBox(err)) };
  }
  const root = h('div', {});
  const flash = h('div', { 'aria-live': 'polite' });
  const methods = await get('/settings', null, { signal: ctx.signal }).then((st) => st.shipping_methods || []).catch(() => []);
  const methodName = (id) => (methods.find((m) => m.id === id) || {}).name || id;

  function draw() {
    const c = order.currency;
    const totals = [
      ['Subtotal', order.subtotal_cents], ['Discount', order.discount_cents ? -order.discount_cents : 0],
      ['Tax', order.tax_cents], ['Shipping', order.shipping_cents],
    ];
    const changed = (updated, status) => {
      order = updated;
      draw();
      replace(flash, notice(`Order ${order.number} is now ${statusLabel(order.status).toLowerCase()}.`));
      announce(`Order ${status}.`);
      const heading = root.querySelector('.status-line');
      if (heading) heading.focus();
    };
    const form = statusForm(order, changed);
    replace(root,
      h('div', { class: 'detail-grid' },
        h('div', { class: 'stack' },
          h('section', { class: 'panel', 'aria-labelledby': 'items-h' },
            h('h2', { id: 'items-h' }, 'Items'),
            table('Order items', ['Item', 'Kind', 'Qty', 'Unit price', 'Total'],
              (order.items || []).map((i) => h('tr', {},
                h('th', { scope: 'row' }, i.name),
                h('td', {}, i.item_kind === 'physical_product' ? 'Physical' : i.item_kind === 'digital_product' ? 'Digital' : 'Course'),
                h('td', { class: 'num' }, String(i.quantity)),
                h('td', { class: 'num' }, money(i.unit_price_cents, c)),
                h('td', { class: 'num' }, money(i.total_cents, c))))),
            h('dl', { class: 'totals' },
              totals.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, money(v, c))]),
              h('dt', { class: 'total' }, 'Total'), h('dd', { class: 'total' }, money(order.total_cents, c)))),
          h('section', { class: 'panel', 'aria-labelledby': 'history-h' },
            h('h2', { id: 'history-h' }, 'History'),
            (order.events || []).length
              ? h('ol', { class: 'timeline' }, order.events.map((ev) => h('li', {},
                h('span', { class: 'timeline-when' }, formatDate(ev.at, { dateStyle: 'medium', timeStyle: 'short' })),
                h('span', {}, ev.from ? `${statusLabel(ev.from)} → ` : '', h('strong', {}, statusLabel(ev.to))),
                ev.note ? h('span', { class: 'muted small' }, ev.note) : null)))
              : h('p', { class: 'muted' }, 'No status changes yet.'))),
        h('div', { class: 'stack' },
          h('section', { class: 'panel', 'aria-labelledby': 'status-h' },
            h('h2', { id: 'status-h' }, 'Status'),
            h('p', { class: 'status-line', tabindex: '-1' }, statusChip(order.status)),
            order.tracking_number ? h('p', {}, 'Tracking number: ', h('strong', { class: 'mono tracking' }, order.tracking_number)) : null,
            order.paid_at ? h('p', { class: 'muted small' }, `Paid ${formatDate(order.paid_at, { dateStyle: 'medium', timeStyle: 'short' })}`) : null,
            form || h('p', { class: 'muted small' }, 'No status change is possible from here.')),
          paymentsBlock(order, changed),
          h('section', { class: 'panel', 'aria-labelledby': 'cust-h' },
            h('h2', { id: 'cust-h' }, 'Customer'),
            h('p', {}, h('a', { href: `mailto:${order.email}` }, order.email)),
            order.shipping_address ? [h('h3', {}, 'Ship to'), addressBlock(order.shipping_address)] : null,
            order.shipping_method ? h('p', { class: 'muted small' }, `Shipping method: ${methodName(order.shipping_method)}`) : null,
            order.coupon_code ? h('p', { class: 'muted small' }, `Coupon: ${order.coupon_code}`) : null))));
  }
  draw();
  return {
    title: `Order ${order.number}`,
    node: h('section', { class: 'page' }, backLink('/admin/orders', 'Orders'),
      pageHead(`Order ${order.number}`, `Placed ${formatDate(order.created_at, { dateStyle: 'long', timeStyle: 'short' })}`),
      flash, root),
  };
}
