// The pages PayPal sends the buyer back to: /paypal/return (approved: capture it) and
// /paypal/cancel (cancelled at PayPal), each with ?payment=<our payment id>.

import { get, post } from '../api.js';
import { h, replace, errorBox, loading, announce } from '../ui.js';
import { requireLogin } from './common.js';
import { t } from '../i18n.js';

function payAgain(orderId) {
  return h('p', {},
    h('a', { class: 'btn btn-primary', href: `/orders/${encodeURIComponent(orderId)}/pay` }, t('try-again-or-choose-another-way')),
    ' ',
    h('a', { class: 'btn btn-secondary', href: `/orders/${encodeURIComponent(orderId)}` }, t('see-the-order')));
}

async function back(ctx, action) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const id = ctx.query.get('payment') || '';
  const title = action === 'return' ? t('completing-your-paypal-payment') : t('paypal-payment-cancelled');
  const host = h('div', { 'aria-live': 'assertive' }, loading(t('asking-paypal')));
  const node = h('section', { class: 'page container narrow paypal-back' }, h('div', { class: 'page-head' }, h('h1', {}, title)), host);
  (async () => {
    let payment;
    try {
      payment = await post(`/payments/${encodeURIComponent(id)}/paypal/${action}`, {});
    } catch (err) {
      replace(host, errorBox(err, { retry: () => window.location.reload() }));
      return;
    }
    let order = null;
    try {
      order = await get(`/orders/${encodeURIComponent(payment.order_id)}`);
    } catch {
      order = null;
    }
    if (payment.status === 'completed') {
      const courses = order && order.items.some((i) => i.item_type === 'course');
      replace(host, h('div', { class: 'alert alert-success', role: 'status' },
        h('p', {}, t('payment-received-through-paypal-thank-yo')),
        h('p', {}, order ? `${t('order-number-is-paid', { number: order.number })} ` : '',
          courses ? [h('a', { href: '/my-courses' }, t('go-to-my-courses')), ' · '] : null,
          h('a', { href: `/orders/${encodeURIComponent(payment.order_id)}` }, t('see-the-order')))));
      announce(t('payment-received'));
    } else if (payment.status === 'failed') {
      const cancelled = action === 'cancel';
      replace(host, h('div', { class: 'alert alert-error', role: 'alert' },
        h('p', {}, cancelled ? t('you-cancelled-the-payment-at-paypal') : t('paypal-did-not-complete-the-payment')),
        cancelled ? null : h('p', {}, payment.failure_message || t('the-payment-was-declined')),
        h('p', {}, t('no-money-was-taken-your-order')),
        payAgain(payment.order_id)));
      announce(cancelled ? t('payment-cancelled') : t('payment-declined'));
    } else {
      replace(host, h('div', { class: 'alert alert-info', role: 'status' },
        h('p', {}, t('paypal-has-not-confirmed-the-payment')),
        h('p', {}, h('a', { href: `/orders/${encodeURIComponent(payment.order_id)}` }, t('see-the-order')))));
    }
  })();
  return { title, node };
}

export function paypalReturnPage(ctx) {
  return back(ctx, 'return');
}

export function paypalCancelPage(ctx) {
  return back(ctx, 'cancel');
}
