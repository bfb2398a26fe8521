// The pages PayPal sends the buyer back to: /paypal/return (approved: capture it) and
// /paypal/cancel (cancelled at PayPal), each with ?payment=<our payment id>.

import { get, post } from '../api.js';
import { h, replace, errorBox, loading, announce } from '../ui.js';
import { requireLogin } from './common.js';

function payAgain(orderId) {
  return h('p', {},
    h('a', { class: 'btn btn-primary', href: `/orders/${encodeURIComponent(orderId)}/pay` }, 'Try again or choose another way to pay'),
    ' ',
    h('a', { class: 'btn btn-secondary', href: `/orders/${encodeURIComponent(orderId)}` }, 'See the order'));
}

async function back(ctx, action) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const id = ctx.query.get('payment') || '';
  const title = action === 'return' ? 'Completing your PayPal payment' : 'PayPal payment cancelled';
  const host = h('div', { 'aria-live': 'assertive' }, loading('Asking PayPal…'));
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
        h('p', {}, 'Payment received through PayPal. Thank you!'),
        h('p', {}, order ? `Order ${order.number} is paid. ` : '',
          courses ? [h('a', { href: '/my-courses' }, 'Go to My courses'), ' · '] : null,
          h('a', { href: `/orders/${encodeURIComponent(payment.order_id)}` }, 'See the order'))));
      announce('Payment received.');
    } else if (payment.status === 'failed') {
      const cancelled = action === 'cancel';
      replace(host, h('div', { class: 'alert alert-error', role: 'alert' },
        h('p', {}, cancelled ? 'You cancelled the payment at PayPal.' : 'PayPal did not complete the payment.'),
        cancelled ? null : h('p', {}, payment.failure_message || 'The payment was declined.'),
        h('p', {}, 'No money was taken. Your order is kept for you.'),
        payAgain(payment.order_id)));
      announce(cancelled ? 'Payment cancelled.' : 'Payment declined.');
    } else {
      replace(host, h('div', { class: 'alert alert-info', role: 'status' },
        h('p', {}, 'PayPal has not confirmed the payment yet. We will update your order as soon as it does; there is no need to pay again.'),
        h('p', {}, h('a', { href: `/orders/${encodeURIComponent(payment.order_id)}` }, 'See the order'))));
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
