// @ts-check
// Checkout: address and shipping for physical goods, coupon, billing country
// and totals exactly as the API prices them (GET /api/cart with the same
// options), then POST /api/orders and on to the payment step.

import { get, post, ApiError } from '../api.js';
import {
  h, replace, field, formatMoney, emptyState, errorBox, loading, announce,
  showFormErrors, clearFormErrors, validateForm, formValues, busy,
} from '../ui.js';
import { requireLogin } from './common.js';

const regionNames = (() => {
  try {
    return new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    return null;
  }
})();

/** "DE" -> "Germany" (or '' when unknown). */
export function countryName(code) {
  const c = String(code || '').toUpperCase();
  if (!/^[A-Z]{2}$/.test(c) || !regionNames) return '';
  try {
    const name = regionNames.of(c);
    return name && name !== c ? name : '';
  } catch {
    return '';
  }
}

let countryList = null;

/** Every country the API accepts (ISO 3166-1), named in the reader's language, by name. */
export function countries(signal) {
  if (!countryList) {
    countryList = get('/countries', null, { signal })
      .then((list) => list.map((c) => ({ code: c.code, name: countryName(c.code) || c.name }))
        .sort((a, b) => a.name.localeCompare(b.name)))
      .catch((err) => {
        countryList = null;
        throw err;
      });
  }
  return countryList;
}

/** A country picked by name from the ISO 3166 list (the value sent is its code). */
/**
 * @param {{ label: string, name: string, value?: string, required?: boolean, autocomplete?: string, list: any[] }} opts
 */
function countryField({ label, name, value, required, autocomplete, list }) {
  return field({
    label, name, value, required, autocomplete, type: 'select',
    options: [{ value: '', label: required ? 'Choose a country' : 'Not given (default tax rate)' },
      ...list.map((c) => ({ value: c.code, label: c.name }))],
  });
}

/** Totals list in the order the API applies them. */
export function totalsList(t, currency) {
  const line = (label, cents, extra = {}) => [h('dt', extra, label), h('dd', extra, formatMoney(cents, currency))];
  return h('dl', { class: 'totals' },
    line('Subtotal', t.subtotal_cents),
    Number(t.discount_cents) ? line(t.coupon_code ? `Discount (${t.coupon_code})` : 'Discount', -Math.abs(Number(t.discount_cents))) : null,
    line(t.prices_include_tax ? 'Includes tax' : 'Tax', t.tax_cents),
    Number(t.shipping_cents) || t.shipping_method ? line('Shipping', t.shipping_cents) : null,
    line('Total', t.total_cents, { class: 'total' }));
}

/** Which cart lines are physical products (the cart does not say; the product does). */
async function physicalLines(items, signal) {
  const products = items.filter((i) => i.item_type === 'product');
  const kinds = await Promise.all(products.map((i) => get(`/products/${encodeURIComponent(i.item_id)}`, null, { signal })
    .then((p) => p.kind)
    .catch(() => 'physical'))); // unknown: ask for an address rather than fail at the order
  return products.filter((_, n) => kinds[n] === 'physical');
}

export async function checkoutPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  let cart = await get('/cart', null, { signal: ctx.signal });
  const items = cart.items || [];
  const title = 'Checkout';
  if (!items.length) {
    return {
      title,
      node: h('section', { class: 'page container narrow' }, h('h1', {}, title),
        emptyState('Your cart is empty.', 'Add courses or products before checking out.',
          h('a', { href: '/courses', class: 'btn btn-primary' }, 'Browse the catalogue'))),
    };
  }
  const [physical, list] = await Promise.all([physicalLines(items, ctx.signal), countries(ctx.signal)]);
  const needsShipping = physical.length > 0;
  // Methods the server knows about: those it names (a future `shipping_methods`
  // member of the cart), else the one it chose.
  const methodOptions = () => {
    const listed = Array.isArray(cart.shipping_methods) ? cart.shipping_methods : [];
    const opts = listed.map((m) => (typeof m === 'string' ? { value: m, label: m } : { value: m.id, label: m.name || m.id }));
    if (cart.shipping_method && !opts.some((o) => o.value === cart.shipping_method)) {
      opts.push({ value: cart.shipping_method, label: cart.shipping_method.charAt(0).toUpperCase() + cart.shipping_method.slice(1) });
    }
    return opts;
  };

  const summary = h('div', { 'aria-live': 'polite', 'aria-atomic': 'true' });
  const couponStatus = h('p', { class: 'hint', 'aria-live': 'polite' });

  const shippingFieldset = needsShipping ? h('fieldset', { class: 'panel stack' },
    h('legend', {}, 'Shipping address'),
    h('p', { class: 'muted small' }, `Needed for ${physical.map((p) => p.name).join(', ')}.`),
    field({ label: 'Full name', name: 'ship_name', required: true, autocomplete: 'shipping name', attrs: { maxlength: '200' } }),
    field({ label: 'Address line 1', name: 'ship_line1', required: true, autocomplete: 'shipping address-line1', attrs: { maxlength: '200' } }),
    field({ label: 'Address line 2', name: 'ship_line2', autocomplete: 'shipping address-line2', attrs: { maxlength: '200' } }),
    h('div', { class: 'field-row' },
      field({ label: 'City', name: 'ship_city', required: true, autocomplete: 'shipping address-level2', attrs: { maxlength: '100' } }),
      field({ label: 'Postal code', name: 'ship_postal_code', required: true, autocomplete: 'shipping postal-code', attrs: { maxlength: '20' } })),
    countryField({ label: 'Country', name: 'ship_country', required: true, autocomplete: 'shipping country', list }),
    field({ label: 'Shipping method', name: 'shipping_method', type: 'select', options: methodOptions(), value: cart.shipping_method || '' })) : null;

  const form = h('form', { class: 'stack checkout-form', 'aria-labelledby': 'checkout-h' },
    shippingFieldset,
    h('fieldset', { class: 'panel stack' },
      h('legend', {}, 'Billing'),
      countryField({ label: 'Billing country', name: 'billing_country', autocomplete: 'billing country', list }),
      h('p', { class: 'muted small' }, 'Tax depends on the country; leave it empty to use the default rate.')),
    h('fieldset', { class: 'panel stack' },
      h('legend', {}, 'Coupon'),
      h('div', { class: 'field-inline' },
        field({ label: 'Coupon code', name: 'coupon_code', autocomplete: 'off', attrs: { maxlength: '64', spellcheck: 'false' } }),
        h('button', { type: 'button', class: 'btn btn-secondary', on: { click: () => recompute({ announceCoupon: true }) } }, 'Apply coupon')),
      couponStatus),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Place order'),
      h('a', { href: '/cart' }, 'Back to cart')));

  // The query GET /api/cart prices with: the same options the order will use.
  function options() {
    const v = formValues(form);
    const country = (needsShipping ? v.ship_country : '') || v.billing_country || '';
    return {
      coupon_code: v.coupon_code || undefined,
      country: /^[A-Z]{2}$/i.test(country) ? country.toUpperCase() : undefined,
      shipping_method: needsShipping ? v.shipping_method || undefined : undefined,
    };
  }

  function drawSummary() {
    replace(summary,
      h('ul', { class: 'checkout-lines' }, (cart.items || []).map((i) => h('li', {},
        h('span', {}, i.name, i.quantity > 1 ? h('span', { class: 'muted' }, ` × ${i.quantity}`) : null),
        h('span', {}, formatMoney(i.line_total_cents, cart.currency))))),
      totalsList(cart, cart.currency),
      (cart.warnings || []).length ? h('div', { class: 'alert alert-warn', role: 'status' },
        h('ul', {}, cart.warnings.map((w) => h('li', {}, typeof w === 'string' ? w : w.message || w.detail || JSON.stringify(w))))) : null);
  }

  let seq = 0;
  async function recompute({ announceCoupon = false } = {}) {
    const mine = ++seq;
    const opts = options();
    const couponInput = form.elements.namedItem('coupon_code');
    try {
      const next = await get('/cart', opts, { signal: ctx.signal });
      if (mine !== seq) return;
      cart = next;
      clearCouponError();
      if (opts.coupon_code && announceCoupon) {
        couponStatus.textContent = Number(cart.discount_cents)
          ? `Coupon ${cart.coupon_code || opts.coupon_code.toUpperCase()} applied: ${formatMoney(-cart.discount_cents, cart.currency)}.`
          : `Coupon ${opts.coupon_code.toUpperCase()} is valid.`;
      } else if (!opts.coupon_code) {
        couponStatus.textContent = '';
      }
      const select = form.elements.namedItem('shipping_method');
      if (select && select.options.length === 0 && cart.shipping_method) {
        methodOptions().forEach((o) => select.append(h('option', { value: o.value }, o.label)));
      }
      drawSummary();
    } catch (err) {
      if (err.name === 'AbortError' || mine !== seq) return;
      if (err instanceof ApiError && err.status === 422 && (err.errors || []).some((e) => e.field === 'coupon_code')) {
        const e = err.errors.find((x) => x.field === 'coupon_code');
        couponStatus.textContent = '';
        setCouponError(`Coupon code: ${e.message}.`);
        if (announceCoupon) couponInput.focus();
        // Price the rest without the coupon so the totals stay truthful.
        try {
          cart = await get('/cart', { ...opts, coupon_code: undefined }, { signal: ctx.signal });
          drawSummary();
        } catch { /* keep the previous totals */ }
        return;
      }
      replace(summary, errorBox(err, { retry: () => recompute() }));
    }
  }

  function setCouponError(message) {
    const input = form.elements.namedItem('coupon_code');
    const slot = input.closest('.field').querySelector('.field-error');
    slot.textContent = message;
    slot.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  }
  function clearCouponError() {
    const input = form.elements.namedItem('coupon_code');
    const slot = input.closest('.field').querySelector('.field-error');
    slot.textContent = '';
    slot.hidden = true;
    input.removeAttribute('aria-invalid');
  }

  form.noValidate = true;
  form.addEventListener('change', (e) => {
    if (e.target && e.target.name !== 'coupon_code') recompute();
  });
  form.elements.namedItem('coupon_code').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      recompute({ announceCoupon: true });
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validateForm(form)) return;
    const v = formValues(form);
    const body = {
      coupon_code: v.coupon_code || undefined,
      billing_country: v.billing_country ? v.billing_country.toUpperCase() : undefined,
    };
    if (needsShipping) {
      body.shipping_address = {
        name: v.ship_name, line1: v.ship_line1, line2: v.ship_line2 || undefined,
        city: v.ship_city, postal_code: v.ship_postal_code, country: v.ship_country.toUpperCase(),
      };
      body.shipping_method = v.shipping_method || undefined;
    }
    const done = busy(form.querySelector('button[type="submit"]'), 'Placing order…');
    try {
      const order = await post('/orders', body);
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      announce(`Order ${order.number} placed.`);
      ctx.router.navigate(order.status === 'pending' ? `/orders/${encodeURIComponent(order.id)}/pay` : `/orders/${encodeURIComponent(order.id)}`);
    } catch (err) {
      done();
      // Field names from the API are dotted paths into the body: map them to ours.
      if (err instanceof ApiError) {
        err.errors = (err.errors || []).map((e) => ({ ...e, field: String(e.field || '').replace(/^shipping_address\.?/, 'ship_').replace(/^ship_$/, 'ship_line1') }));
      }
      showFormErrors(form, err);
    }
  });
  clearFormErrors(form);
  drawSummary();

  const node = h('section', { class: 'page container' },
    h('div', { class: 'page-head' }, h('h1', { id: 'checkout-h' }, title)),
    h('div', { class: 'cart-layout' },
      form,
      h('aside', { class: 'panel cart-summary', 'aria-labelledby': 'order-summary-h' },
        h('h2', { id: 'order-summary-h' }, 'Order summary'), summary,
        h('p', { class: 'muted small' }, 'Totals are computed by the shop and update as you fill in the form.'))));
  return { title, node, afterRender: () => recompute() };
}

// ------------------------------------------------------------- payment --

let stripeLoading = null;

/** Load Stripe.js from the configured URL, once, only when the card step needs it. */
function loadStripeJs(url) {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  if (!stripeLoading) {
    stripeLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js did not load.')));
      script.onerror = () => {
        stripeLoading = null;
        script.remove();
        reject(new Error('The card form could not be loaded. Check your connection and try again.'));
      };
      document.head.append(script);
    });
  }
  return stripeLoading;
}

/** The payment options from GET /api/settings: {gateways, stripe?, manual_instructions?}. */
async function paymentConfig(signal) {
  const settings = await get('/settings', null, { signal });
  const payments = settings.payments || { gateways: ['manual'] };
  return {
    gateways: payments.gateways,
    stripe: payments.stripe || null,
    manual_instructions: payments.manual_instructions,
    manual_reservation_days: payments.manual_reservation_days || 7,
  };
}

const GATEWAY_LABELS = {
  stripe: ['Card', 'Pay now by credit or debit card.'],
  paypal: ['Pay with PayPal', 'You approve the payment on PayPal and come back here.'],
  manual: ['Pay at the office or by bank transfer', 'Your order is confirmed when the school records your payment.'],
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * What the school promises a buyer paying by hand, exactly as the server's expiry job keeps
 * it: the order is held `days` days from when the manual payment was started.
 */
function manualHold(payment, days) {
  const started = Date.parse(payment.created_at);
  const until = Number.isNaN(started) ? null : new Date(started + days * 24 * 60 * 60 * 1000);
  const when = until ? ` (until ${until.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })})` : '';
  return `We hold your order for ${days} day${days === 1 ? '' : 's'}${when} while your payment is on its way. `
    + 'The school confirms it when the money arrives and we email you then; if no payment has been recorded by then, the order is cancelled.';
}

export async function paymentPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const id = ctx.params.id;
  const [order, config] = await Promise.all([
    get(`/orders/${encodeURIComponent(id)}`, null, { signal: ctx.signal }),
    paymentConfig(ctx.signal),
  ]);
  const title = `Pay for order ${order.number}`;
  const orderHref = `/orders/${encodeURIComponent(order.id)}`;
  const host = h('div', { class: 'payment-step' });
  const outcome = h('div', { 'aria-live': 'assertive' });
  const head = h('div', { class: 'page-head' },
    h('h1', {}, title),
    h('p', { class: 'lead' }, 'Amount due: ', h('strong', {}, formatMoney(order.total_cents, order.currency))));

  if (order.status !== 'pending') {
    replace(host, h('div', { class: 'alert alert-info', role: 'status' },
      h('p', {}, `This order is ${order.status.replace(/_/g, ' ')}; there is nothing to pay.`),
      h('p', {}, h('a', { href: orderHref }, 'See the order'))));
    return { title, node: h('section', { class: 'page container narrow' }, head, host) };
  }

  const gateways = (config.gateways || []).filter((g) => GATEWAY_LABELS[g] || g);
  let stopped = false;
  ctx.signal.addEventListener('abort', () => {
    stopped = true;
  });

  function showOutcome(payment) {
    if (payment.status === 'completed') {
      replace(host);
      replace(outcome, h('div', { class: 'alert alert-success', role: 'status' },
        h('p', {}, 'Payment received. Thank you!'),
        h('p', {}, `Order ${order.number} is paid. `,
          order.items.some((i) => i.item_type === 'course' || i.item_type === 'bundle') ? [h('a', { href: '/my-courses' }, 'Go to My courses'), ' · '] : null,
          h('a', { href: orderHref }, 'See the order'))));
      announce('Payment received.');
      return true;
    }
    if (payment.status === 'failed') {
      replace(outcome, h('div', { class: 'alert alert-error', role: 'alert' },
        h('p', {}, 'Your payment did not go through.'),
        h('p', {}, payment.failure_message ? sentence(payment.failure_message) : 'The card was declined.'),
        h('p', {}, 'No money was taken. You can try again with another card.'),
        h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => { replace(outcome); choose(); } } }, 'Try again')));
      const btn = outcome.querySelector('button');
      if (btn) btn.focus();
      return true;
    }
    return false;
  }

  /** Poll GET /api/payments/:id until it settles (the server re-checks Stripe itself). */
  async function poll(payment, { maxMs = 120000 } = {}) {
    const start = Date.now();
    let delay = 1000;
    while (!stopped && Date.now() - start < maxMs) {
      let p;
      try {
        p = await get(`/payments/${encodeURIComponent(payment.id)}`, null, { signal: ctx.signal });
      } catch (err) {
        if (err.name === 'AbortError') return null;
        p = null;
      }
      if (p && p.status !== 'pending') return p;
      await sleep(delay);
      delay = Math.min(3000, delay + 500);
    }
    return null;
  }

  async function start(gateway) {
    replace(host, loading('Preparing your payment…'));
    let payment;
    try {
      payment = await post('/payments', { order_id: order.id, gateway });
    } catch (err) {
      replace(host, errorBox(err, { retry: () => start(gateway) }));
      return;
    }
    if (showOutcome(payment)) return;
    if (payment.gateway === 'manual' || gateway === 'manual') {
      replace(host, h('div', { class: 'panel' },
        h('h2', {}, 'How to pay'),
        h('p', { class: 'payment-instructions' }, payment.instructions || 'Pay at the school office or by bank transfer.'),
        h('p', {}, 'Quote your order number ', h('strong', {}, order.number), ' and the amount ',
          h('strong', {}, formatMoney(payment.amount_cents ?? order.total_cents, payment.currency || order.currency)), '.'),
        h('p', { class: 'muted manual-hold' }, manualHold(payment, config.manual_reservation_days)),
        h('p', {}, h('a', { href: orderHref, class: 'btn btn-secondary' }, 'See the order'))));
      announce('Payment instructions shown.');
      return;
    }
    if (payment.gateway === 'paypal') {
      if (!payment.approve_url) {
        replace(host, errorBox(new Error('PayPal did not give a page to approve the payment on. Please try again.'), { retry: () => start(gateway) }));
        return;
      }
      replace(host, h('div', { class: 'panel' },
        h('p', {}, 'Taking you to PayPal to approve the payment…'),
        h('p', {}, h('a', { class: 'btn btn-primary', href: payment.approve_url, id: 'paypal-continue' }, 'Continue to PayPal'))));
      window.location.assign(payment.approve_url);
      return;
    }
    await cardStep(payment);
  }

  async function cardStep(payment) {
    const jsUrl = config.stripe && config.stripe.js_url;
    const key = payment.publishable_key || (config.stripe && config.stripe.publishable_key);
    if (!jsUrl || !key || !payment.client_secret) {
      replace(host, errorBox(new Error('Card payments are not available right now. Please choose another way to pay.'),
        { retry: () => choose() }));
      return;
    }
    replace(host, loading('Loading the card form…'));
    let stripe;
    try {
      const Stripe = await loadStripeJs(jsUrl);
      stripe = Stripe(key);
    } catch (err) {
      replace(host, errorBox(err, { retry: () => cardStep(payment) }));
      return;
    }
    const cardHost = h('div', { class: 'card-element', id: 'card-element' });
    const cardError = h('p', { class: 'field-error', id: 'card-error', role: 'alert', hidden: true });
    const pay = h('button', { type: 'submit', class: 'btn btn-primary' }, `Pay ${formatMoney(payment.amount_cents, payment.currency)}`);
    const waiting = h('p', { class: 'muted', 'aria-live': 'polite' });
    const form = h('form', { class: 'panel stack card-form' },
      h('h2', {}, 'Card details'),
      h('div', { class: 'field' }, h('label', { for: 'card-element' }, 'Card'), cardHost, cardError),
      h('div', { class: 'form-actions' }, pay, h('button', { type: 'button', class: 'btn btn-link', on: { click: () => choose() } }, 'Choose another way to pay')),
      waiting);
    replace(host, form);
    const elements = stripe.elements();
    const card = elements.create('card', { hidePostalCode: true });
    card.mount(cardHost);
    if (typeof card.on === 'function') {
      card.on('change', (e) => {
        cardError.hidden = !(e && e.error);
        cardError.textContent = e && e.error ? e.error.message : '';
      });
    }
    // The outcome may also arrive another way (webhook, another tab): keep asking.
    const watch = poll(payment).then((p) => {
      if (p) showOutcome(p);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const done = busy(pay, 'Paying…');
      cardError.hidden = true;
      let result;
      try {
        result = await stripe.confirmCardPayment(payment.client_secret, { payment_method: { card } });
      } catch (err) {
        result = { error: { message: err.message || 'The card could not be charged.' } };
      }
      if (result && result.error) {
        done();
        cardError.textContent = declineMessage(result.error);
        cardError.hidden = false;
        return;
      }
      waiting.textContent = 'Confirming your payment…';
      const p = await poll(payment, { maxMs: 60000 });
      done();
      if (p) showOutcome(p);
      else waiting.textContent = 'Your payment is still being confirmed. This page updates when it is; you can also check the order later.';
    });
    return watch;
  }

  function choose() {
    if (gateways.length === 1) {
      start(gateways[0]);
      return;
    }
    const form = h('form', { class: 'panel stack' },
      h('fieldset', { class: 'stack' },
        h('legend', {}, 'How would you like to pay?'),
        gateways.map((g, n) => {
          const [label, hint] = GATEWAY_LABELS[g] || [g, ''];
          const rid = `gateway-${g}`;
          return h('div', { class: 'field field-check' },
            h('input', { type: 'radio', name: 'gateway', id: rid, value: g, checked: n === 0 }),
            h('label', { for: rid }, label, hint ? h('span', { class: 'hint' }, ` — ${hint}`) : null));
        })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, 'Continue')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = form.querySelector('input[name="gateway"]:checked');
      start(v ? v.value : gateways[0]);
    });
    replace(host, form);
  }

  if (!gateways.length) replace(host, errorBox(new Error('No way to pay is set up on this shop yet. Please contact the school.')));
  else choose();
  return {
    title,
    node: h('section', { class: 'page container narrow' }, head, outcome, host,
      h('p', {}, h('a', { href: orderHref }, `Order ${order.number}`))),
  };
}

function sentence(t) {
  const s = String(t).trim();
  const c = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
}

/** A clear sentence for a Stripe.js error. */
function declineMessage(error) {
  if (error.code === 'card_declined' || error.decline_code) {
    return `Your card was declined${error.decline_code === 'insufficient_funds' ? ' (insufficient funds)' : ''}. Try another card.`;
  }
  return sentence(error.message || 'The card could not be charged.');
}
