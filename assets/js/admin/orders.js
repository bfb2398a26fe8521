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
import { t, historyNote } from '../i18n.js';

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

const ACTION_LABEL = () => ({ shipped: t('mark-as-shipped'), delivered: t('mark-as-delivered'), fulfilled: t('mark-as-fulfilled'), cancelled: t('cancel-order') });

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
    empty: Object.keys(values).length ? [t('no-orders-match'), t('try-other-filters')] : [t('no-orders-yet')],
    render: (items) => table(t('orders'), [t('order'), t('customer'), t('status'), t('total'), t('placed')],
      items.map((o) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `/admin/orders/${encodeURIComponent(o.id)}`, class: 'cell-name mono' }, o.number),
          o.tracking_number ? h('span', { class: 'cell-sub' }, t('tracking-tracking-number', { tracking_number: o.tracking_number })) : null),
        h('td', {}, o.email),
        h('td', {}, statusChip(o.status)),
        h('td', { class: 'num' }, money(o.total_cents, o.currency)),
        h('td', {}, formatDate(o.created_at, { dateStyle: 'medium', timeStyle: 'short' }))))),
  });
  const filters = filterBar(t('filter-orders'), [
    { name: 'q', label: t('number-or-email'), type: 'search', placeholder: t('sh-000123-or-name-example-com') },
    { name: 'status', label: t('status'), type: 'select', options: [['', t('any-status')], ...STATUSES.map((s) => [s, statusLabel(s)])] },
    { name: 'from', label: t('from'), type: 'date' },
    { name: 'to', label: t('to'), type: 'date' },
  ], values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith('/admin/orders', values), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: t('orders'),
    node: h('section', { class: 'page' },
      pageHead(t('orders'), hasRole('admin') ? t('every-order-in-the-shop') : t('orders-that-hold-your-products')),
      filters, list.status, list.results),
  };
}

function addressBlock(a) {
  if (!a) return null;
  return h('address', { class: 'address' },
    [a.name, a.line1, a.line2, `${a.postal_code || ''} ${a.city || ''}`.trim(), a.country].filter(Boolean).map((line) => h('span', {}, line)));
}

const GATEWAY_NAMES = () => ({ stripe: t('card-stripe'), paypal: t('paypal'), manual: t('manual') });

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
      label: t('confirm-payment'), tone: 'btn-primary', path: `/admin/payments/${encodeURIComponent(pending.id)}/confirm`,
      ask: t('record-payment-received-ask', { amount: money(pending.amount_cents, pending.currency || order.currency), number: order.number }),
      text: t('the-buyer-chose-to-pay-at'),
    }
    : {
      label: t('record-payment-received'), tone: 'btn-secondary', path: `/admin/orders/${encodeURIComponent(order.id)}/record-payment`,
      ask: t('record-payment-office-ask', { amount: money(order.total_cents, order.currency), number: order.number }),
      text: t('the-buyer-has-not-chosen-how'),
    };
  const button = h('button', { type: 'button', class: ['btn', way.tone] }, way.label);
  const error = h('div', { 'aria-live': 'polite' });
  button.addEventListener('click', async () => {
    // eslint-disable-next-line no-alert
    if (!window.confirm(way.ask)) return;
    const done = busy(button, t('recording'));
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
    h('h2', { id: 'payments-h' }, t('payments')),
    confirmManual(order, onPaid),
    order.payments.length
      ? h('ul', { class: 'payment-list' }, order.payments.map((p) => {
        const c = p.currency || order.currency;
        return h('li', { class: 'payment-row' },
          h('p', {}, h('strong', {}, money(p.amount_cents, c)), ' · ', GATEWAY_NAMES()[p.gateway] || p.gateway || t('payment'), ' ', statusChip(p.status)),
          Number(p.refunded_cents) ? h('p', { class: 'small' }, t('refunded-amount', { amount: money(p.refunded_cents, c) })) : null,
          p.transaction_id ? h('p', { class: 'muted small' }, p.gateway === 'paypal' ? `${t('paypal-order')} ` : `${t('reference')} `, h('span', { class: 'mono' }, p.transaction_id)) : null,
          p.capture_id ? h('p', { class: 'muted small' }, `${t('paypal-capture')} `, h('span', { class: 'mono' }, p.capture_id)) : null,
          p.failure_message ? h('p', { class: 'error-text small' }, p.failure_message) : null,
          p.created_at ? h('p', { class: 'muted small' }, t('started-date', { date: formatDate(p.created_at, { dateStyle: 'medium', timeStyle: 'short' }) }),
            p.completed_at ? ` ${t('completed-date', { date: formatDate(p.completed_at, { dateStyle: 'medium', timeStyle: 'short' }) })}` : '') : null);
      }))
      : h('p', { class: 'muted' }, t('no-payment-has-been-started-for')));
}

function statusForm(order, onChanged) {
  const moves = nextStatuses(order);
  if (!moves.length) return null;
  const selId = uid('status');
  const trackId = uid('tracking');
  const noteId = uid('note');
  const form = h('form', { class: 'stack', 'aria-label': t('change-the-order-status') },
    h('div', { class: 'field' }, h('label', { for: selId }, t('new-status')),
      h('select', { id: selId, name: 'status' }, moves.map((s) => h('option', { value: s }, statusLabel(s)))),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field tracking-field' }, h('label', { for: trackId }, t('tracking-number')),
      h('input', { id: trackId, name: 'tracking_number', autocomplete: 'off', maxlength: 200, 'aria-describedby': `${trackId}-hint` }),
      h('p', { class: 'hint', id: `${trackId}-hint` }, t('sent-to-the-customer-in-the')),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field' }, h('label', { for: noteId }, t('note-optional')),
      h('input', { id: noteId, name: 'note', maxlength: 500 }), h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, ACTION_LABEL()[moves[0]] || t('change-status'))));
  const select = form.elements.status;
  const button = form.querySelector('[type=submit]');
  const tracking = form.querySelector('.tracking-field');
  const sync = () => {
    tracking.hidden = select.value !== 'shipped';
    button.textContent = ACTION_LABEL()[select.value] || t('change-status');
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
    if (status === 'cancelled' && !window.confirm(t('cancel-order-number-a-paid-order', { number: order.number }))) return;
    const done = busy(button, t('saving'));
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
    return { title: t('order'), node: h('section', { class: 'page' }, backLink('/admin/orders', t('orders')), h('h1', {}, err.status === 404 ? t('order-not-found') : t('could-not-load-the-order')), errorBox(err)) };
  }
  const root = h('div', {});
  const flash = h('div', { 'aria-live': 'polite' });
  const methods = await get('/settings', null, { signal: ctx.signal }).then((st) => st.shipping_methods || []).catch(() => []);
  const methodName = (id) => (methods.find((m) => m.id === id) || {}).name || id;

  function draw() {
    const c = order.currency;
    const totals = [
      [t('subtotal'), order.subtotal_cents], [t('discount'), order.discount_cents ? -order.discount_cents : 0],
      [t('tax'), order.tax_cents], [t('shipping'), order.shipping_cents],
    ];
    const changed = (updated, status) => {
      order = updated;
      draw();
      replace(flash, notice(t('order-number-is-now-value', { number: order.number, value: statusLabel(order.status).toLowerCase() })));
      announce(t('order-status', { status }));
      const heading = root.querySelector('.status-line');
      if (heading) heading.focus();
    };
    const form = statusForm(order, changed);
    replace(root,
      h('div', { class: 'detail-grid' },
        h('div', { class: 'stack' },
          h('section', { class: 'panel', 'aria-labelledby': 'items-h' },
            h('h2', { id: 'items-h' }, t('items')),
            table(t('order-items'), [t('item'), t('kind'), t('qty'), t('unit-price'), t('total')],
              (order.items || []).map((i) => h('tr', {},
                h('th', { scope: 'row' }, i.name),
                h('td', {}, i.item_kind === 'physical_product' ? t('physical') : i.item_kind === 'digital_product' ? t('digital') : t('course')),
                h('td', { class: 'num' }, String(i.quantity)),
                h('td', { class: 'num' }, money(i.unit_price_cents, c)),
                h('td', { class: 'num' }, money(i.total_cents, c))))),
            h('dl', { class: 'totals' },
              totals.filter(([, v]) => v).map(([k, v]) => [h('dt', {}, k), h('dd', {}, money(v, c))]),
              h('dt', { class: 'total' }, t('total')), h('dd', { class: 'total' }, money(order.total_cents, c)))),
          h('section', { class: 'panel', 'aria-labelledby': 'history-h' },
            h('h2', { id: 'history-h' }, t('history')),
            (order.events || []).length
              ? h('ol', { class: 'timeline' }, order.events.map((ev) => h('li', {},
                h('span', { class: 'timeline-when' }, formatDate(ev.at, { dateStyle: 'medium', timeStyle: 'short' })),
                h('span', {}, ev.from ? `${statusLabel(ev.from)} → ` : '', h('strong', {}, statusLabel(ev.to))),
                ev.note ? h('span', { class: 'muted small' }, historyNote(ev.note)) : null)))
              : h('p', { class: 'muted' }, t('no-status-changes-yet')))),
        h('div', { class: 'stack' },
          h('section', { class: 'panel', 'aria-labelledby': 'status-h' },
            h('h2', { id: 'status-h' }, t('status')),
            h('p', { class: 'status-line', tabindex: '-1' }, statusChip(order.status)),
            order.tracking_number ? h('p', {}, `${t('tracking-number-2')} `, h('strong', { class: 'mono tracking' }, order.tracking_number)) : null,
            order.paid_at ? h('p', { class: 'muted small' }, t('paid-date', { date: formatDate(order.paid_at, { dateStyle: 'medium', timeStyle: 'short' }) })) : null,
            form || h('p', { class: 'muted small' }, t('no-status-change-is-possible-from'))),
          paymentsBlock(order, changed),
          h('section', { class: 'panel', 'aria-labelledby': 'cust-h' },
            h('h2', { id: 'cust-h' }, t('customer')),
            h('p', {}, h('a', { href: `mailto:${order.email}` }, order.email)),
            order.shipping_address ? [h('h3', {}, t('ship-to')), addressBlock(order.shipping_address)] : null,
            order.shipping_method ? h('p', { class: 'muted small' }, t('shipping-method-value', { value: methodName(order.shipping_method) })) : null,
            order.coupon_code ? h('p', { class: 'muted small' }, t('coupon-coupon-code', { coupon_code: order.coupon_code })) : null))));
  }
  draw();
  return {
    title: t('order-number', { number: order.number }),
    node: h('section', { class: 'page' }, backLink('/admin/orders', t('orders')),
      pageHead(t('order-number', { number: order.number }), t('placed-date', { date: formatDate(order.created_at, { dateStyle: 'long', timeStyle: 'short' }) })),
      flash, root),
  };
}
