// @ts-check
// Orders: history, detail with the status timeline, cancel, refund request.

import { get, post, del, download, ApiError } from '../api.js';
import {
  h, replace, formatMoney, formatDate, emptyState, errorBox, field, onSubmit, notice, announce, pagination, busy,
} from '../ui.js';
import { requireLogin, notFoundResult } from './common.js';
import { statusWords } from '../status.js';
import { totalsList, countryName } from './checkout.js';
import { t, historyNote } from '../i18n.js';

export const statusLabel = statusWords;

export function statusChip(status) {
  const tone = { pending: 'chip-warn', cancelled: '', refunded: '', partially_refunded: '' }[status];
  return h('span', { class: ['chip', 'status-chip', `status-${status}`, tone ?? 'chip-accent'] }, statusLabel(status));
}

const when = (iso) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });

export async function ordersPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const body = await get('/orders', { page, per_page: 20 }, { signal: ctx.signal });
  const items = body.items || [];
  const title = t('your-orders');
  const list = items.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table orders-table' },
      h('caption', { class: 'visually-hidden' }, t('your-orders-newest-first')),
      h('thead', {}, h('tr', {}, [t('order'), t('placed'), t('status'), t('total')].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, items.map((o) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `/orders/${encodeURIComponent(o.id)}` }, o.number)),
        h('td', {}, formatDate(o.created_at)),
        h('td', {}, statusChip(o.status)),
        h('td', { class: 'num' }, formatMoney(o.total_cents, o.currency)))))))
    : emptyState(t('no-orders-yet'), t('orders-you-place-appear-here'), h('a', { href: '/courses', class: 'btn btn-primary' }, t('browse-the-catalogue')));
  return {
    title,
    node: h('section', { class: 'page container' },
      h('div', { class: 'page-head' }, h('h1', {}, title)),
      list,
      pagination(body, (p) => `/orders?page=${p}`, { label: t('order-pages') })),
  };
}

function timeline(events) {
  if (!events || !events.length) return null;
  return h('ol', { class: 'timeline' }, events.map((e) => h('li', { class: `timeline-item status-${e.to}` },
    h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
    h('p', {}, h('strong', {}, statusLabel(e.to)), ' · ', h('time', { datetime: e.at }, when(e.at))),
    e.note ? h('p', { class: 'muted small' }, historyNote(e.note)) : null)));
}

const REFUND_WORDS = () => ({
  requested: t('your-refund-request-was-received-and'),
  approved: t('your-refund-was-approved-and-is'),
  processed: t('your-refund-was-processed-the-money'),
  rejected: t('your-refund-request-was-not-approved'),
  return_requested: t('please-send-the-items-back-the'),
  return_received: t('the-school-received-your-return-the'),
  failed: t('the-refund-could-not-be-paid'),
});
// Requests still on their way: while one covers every item, there is nothing more to ask for.
const OPEN_REFUNDS = new Set(['requested', 'approved', 'return_requested', 'return_received', 'failed']);

/** A refund's status as a sentence for the buyer. */
const refundWords = (status) => REFUND_WORDS()[status] || t('your-refund-request-is-being-handled');

/** The order's refund requests, each with its status in words and what happens next. */
function refundsPanel(order, returnInstructions) {
  const refunds = order.refunds || [];
  if (!refunds.length) return null;
  const names = new Map((order.items || []).map((i) => [i.id, i.name]));
  return h('section', { class: 'panel', 'aria-labelledby': 'refunds-h' },
    h('h2', { id: 'refunds-h' }, refunds.length > 1 ? t('refunds') : t('refund')),
    h('ul', { class: 'refund-list' }, refunds.map((r) => {
      const covered = (r.item_ids || []).map((id) => names.get(id)).filter(Boolean);
      return h('li', { class: 'refund-entry' },
        h('p', {}, h('strong', {}, formatMoney(r.amount_cents, order.currency)),
          covered.length ? ` ${t('for-value', { value: covered.join(', ') })}` : '', h('span', { class: 'muted' }, ` ${t('asked-value', { value: when(r.created_at) })}`)),
        h('p', {}, refundWords(r.status)),
        r.status === 'return_requested'
          ? h('div', { class: 'return-instructions' },
            returnInstructions
              ? [h('p', {}, t('where-to-send-them')), h('p', { class: 'pre-line' }, returnInstructions)]
              : h('p', {}, t('reply-to-the-mail-about-this')))
          : null,
        r.status === 'processed' && r.processed_at ? h('p', { class: 'muted small' }, t('paid-back-value-banks-take-a', { value: when(r.processed_at) })) : null,
        r.decision_note && r.status === 'rejected' ? h('p', {}, `${t('note-from-the-school')} `, r.decision_note) : null);
    })));
}

/** Order items no refund request still on its way covers. */
function itemsOpenForRefund(order) {
  const taken = new Set((order.refunds || []).filter((r) => OPEN_REFUNDS.has(r.status) || r.status === 'processed').flatMap((r) => r.item_ids || []));
  return (order.items || []).filter((i) => !taken.has(i.id));
}

/** The refund answer: status and, when not eligible, each reason. */
/** A policy reason as a sentence, with the order's course and product ids replaced by their names. */
function reasonText(reason, names) {
  let text = typeof reason === 'string' ? reason : reason.message || reason.code || '';
  for (const [id, name] of names) text = text.split(`course ${id}`).join(`“${name}”`).split(`product ${id}`).join(`“${name}”`).split(id).join(`“${name}”`);
  return text;
}

export function refundResult(refund, items = []) {
  const names = new Map(items.filter((i) => i.item_id && i.name).map((i) => [i.item_id, i.name]));
  const elig = refund.eligibility || {};
  const reasons = Array.isArray(elig.reasons) ? elig.reasons : [];
  // A request the policy refuses carries its reasons as the note too: say them once.
  const note = refund.decision_note ? reasonText(refund.decision_note, names) : '';
  const noteRepeatsReasons = reasons.length > 0 && reasons.every((r) => note.includes(reasonText(r, names)));
  const ok = refund.status !== 'rejected' && refund.status !== 'failed';
  return h('div', { class: `alert ${ok ? 'alert-success' : 'alert-error'} refund-result`, role: 'status' },
    h('p', {}, refundWords(refund.status)),
    refund.amount_cents ? h('p', {}, `${t('amount')} `, formatMoney(refund.amount_cents, refund.currency)) : null,
    reasons.length ? [h('p', {}, elig.eligible === false ? t('why-it-is-not-eligible') : t('notes')),
      h('ul', { class: 'refund-reasons' }, reasons.map((r) => h('li', {}, reasonText(r, names))))] : null,
    note && !noteRepeatsReasons ? h('p', {}, `${t('note-from-the-school')} `, note) : null);
}

/** The order's invoice and credit notes, each downloadable as its archived PDF. */
function documentsPanel(docs) {
  if (!docs.length) return null;
  const message = h('div', { 'aria-live': 'polite' });
  async function fetchPdf(doc, button) {
    const done = busy(button, t('downloading'));
    replace(message);
    try {
      const name = await download(doc.pdf_url.replace(/^\/api/, ''), `${doc.number}.pdf`);
      announce(t('name-downloaded', { name }));
    } catch (err) {
      replace(message, errorBox(err));
    } finally {
      done();
    }
  }
  return h('section', { class: 'panel', 'aria-labelledby': 'docs-h' },
    h('h2', { id: 'docs-h' }, t('invoice-and-credit-notes')),
    h('ul', { class: 'document-list' }, docs.map((d) => h('li', {},
      h('span', {}, t('document-kind', { kind: d.kind }), ' ', h('strong', {}, d.number),
        h('span', { class: 'muted' }, ` · ${formatDate(d.issued_at)} · ${formatMoney(d.total_cents, d.currency)}`)),
      ' ',
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'data-document': d.number, on: { click: (e) => fetchPdf(d, e.currentTarget) } }, t('download-pdf'))))),
    message);
}

export async function orderPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const id = ctx.params.id;
  let order;
  try {
    order = await get(`/orders/${encodeURIComponent(id)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFoundResult(t('order-not-found'), t('there-is-no-such-order-in'), '/orders', t('your-orders'));
    throw err;
  }
  const title = t('order-number', { number: order.number });
  const actions = h('div', { class: 'stack' });
  const message = h('div', { 'aria-live': 'polite' });

  function drawActions() {
    const parts = [];
    if (order.status === 'pending') {
      parts.push(h('a', { href: `/orders/${encodeURIComponent(order.id)}/pay`, class: 'btn btn-primary btn-block' }, t('pay-now')));
    }
    if (['pending', 'paid', 'fulfilled'].includes(order.status)) {
      parts.push(h('button', { type: 'button', class: 'btn btn-danger-outline btn-block', on: { click: cancel } }, t('cancel-order')));
    }
    if (['paid', 'fulfilled', 'shipped', 'delivered', 'partially_refunded'].includes(order.status)) {
      // A second request for items already being refunded could only be refused.
      parts.push(itemsOpenForRefund(order).length ? refundForm() : h('p', { class: 'muted' }, t('every-item-of-this-order-is')));
    }
    replace(actions, parts.length ? parts : h('p', { class: 'muted' }, t('nothing-to-do-for-this-order')));
  }

  async function cancel(e) {
    const button = e.currentTarget;
    if (!window.confirm(t('cancel-order-number', { number: order.number }))) return;
    const done = busy(button, t('cancelling'));
    replace(message);
    try {
      await del(`/orders/${encodeURIComponent(order.id)}`);
      announce(t('order-number-was-cancelled', { number: order.number }));
      ctx.router.render();
    } catch (err) {
      done();
      const parts = [errorBox(err)];
      if (err instanceof ApiError && err.status === 409 && /refund/i.test(`${err.detail} ${err.body && err.body.code} ${err.type}`)) {
        parts.push(h('p', {}, t('this-order-is-paid-ask-for')));
      }
      replace(message, parts);
      const box = message.querySelector('[role="alert"]');
      if (box) {
        box.setAttribute('tabindex', '-1');
        box.focus();
      }
    }
  }

  function refundForm() {
    const result = h('div', { 'aria-live': 'polite' });
    const form = h('form', { class: 'stack refund-form' },
      h('h3', {}, t('ask-for-a-refund')),
      field({ label: t('reason-2'), name: 'reason', type: 'textarea', required: true, hint: t('tell-the-school-why-it-helps'), attrs: { rows: '3', maxlength: '2000' } }),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, t('request-refund'))),
      result);
    onSubmit(form, async (values) => {
      replace(result);
      const refund = await post('/refunds', { order_id: order.id, reason: values.reason });
      replace(result, refundResult({ currency: order.currency, ...refund }, order.items || []));
      form.elements.namedItem('reason').value = '';
      announce(refundWords(refund.status));
      // The request now shows under Refund, with what happens next.
      const fresh = await get(`/orders/${encodeURIComponent(order.id)}`).catch(() => null);
      if (fresh) {
        order = fresh;
        replace(refundsHost, refundsPanel(order, returnInstructions));
        if (!itemsOpenForRefund(order).length) form.replaceWith(h('p', { class: 'muted' }, t('every-item-of-this-order-is')), result);
      }
    }, { busyLabel: t('sending') });
    return form;
  }

  // Where goods go back (for a return asked now or earlier) and shipping methods' names.
  const settings = await get('/settings', null, { signal: ctx.signal }).catch(() => ({}));
  const returnInstructions = settings.return_instructions || '';
  const method = (settings.shipping_methods || []).find((m) => m.id === order.shipping_method);
  const refundsHost = h('div', {}, refundsPanel(order, returnInstructions));
  const docs = await get(`/orders/${encodeURIComponent(order.id)}/invoices`, null, { signal: ctx.signal }).catch(() => []);
  drawActions();
  const addr = order.shipping_address;
  const node = h('section', { class: 'page container' },
    h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/orders' }, t('orders'))), h('li', { 'aria-current': 'page' }, order.number))),
    h('div', { class: 'page-head' },
      h('h1', {}, title),
      h('p', { class: 'lead' }, statusChip(order.status), ' placed ', formatDate(order.created_at))),
    h('div', { class: 'cart-layout' },
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'items-h' },
          h('h2', { id: 'items-h' }, t('items')),
          h('ul', { class: 'checkout-lines' }, (order.items || []).map((i) => h('li', {},
            h('span', {}, i.item_type === 'course' ? h('a', { href: `/courses/${encodeURIComponent(i.item_id)}` }, i.name) : i.name,
              i.quantity > 1 ? h('span', { class: 'muted' }, ` × ${i.quantity}`) : null),
            h('span', {}, formatMoney(i.total_cents, order.currency))))),
          totalsList(order, order.currency)),
        addr ? h('section', { class: 'panel', 'aria-labelledby': 'ship-h' },
          h('h2', { id: 'ship-h' }, t('shipping')),
          h('address', {}, [addr.name, addr.line1, addr.line2, `${addr.postal_code} ${addr.city}`, countryName(addr.country) || addr.country]
            .filter(Boolean).map((l, n) => [n ? h('br') : null, l])),
          order.shipping_method ? h('p', { class: 'muted' }, t('shipping-method-value', { value: method ? method.name : order.shipping_method })) : null,
          order.tracking_number ? h('p', {}, `${t('tracking-number-2')} `, h('strong', {}, order.tracking_number)) : null) : null,
        refundsHost,
        documentsPanel(docs),
        h('section', { class: 'panel', 'aria-labelledby': 'history-h' },
          h('h2', { id: 'history-h' }, t('history')), timeline(order.events) || h('p', { class: 'muted' }, t('no-history-yet')))),
      h('aside', { class: 'panel', 'aria-labelledby': 'actions-h' },
        h('h2', { id: 'actions-h' }, t('actions')), message, actions)));
  return { title, node };
}

export { notice };
