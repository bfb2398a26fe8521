// @ts-check
// Checkout: address and shipping for physical goods, coupon, billing country
// and totals exactly as the API prices them (GET /api/cart with the same
// options), then POST /api/orders and on to the payment step.

import { get, post, ApiError } from '../api.js';
import {
  h, replace, field, formatMoney, formatDate, emptyState, errorBox, loading, announce,
  showFormErrors, clearFormErrors, validateForm, formValues, busy,
} from '../ui.js';
import { requireLogin } from './common.js';
import { t } from '../i18n.js';

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
    options: [{ value: '', label: required ? t('choose-a-country') : t('not-given-default-tax-rate') },
      ...list.map((c) => ({ value: c.code, label: c.name }))],
  });
}

/** Totals list in the order the API applies them. */
export function totalsList(totals, currency) {
  const line = (label, cents, extra = {}) => [h('dt', extra, label), h('dd', extra, formatMoney(cents, currency))];
  return h('dl', { class: 'totals' },
    line(t('subtotal'), totals.subtotal_cents),
    Number(totals.discount_cents) ? line(totals.coupon_code ? t('discount-coupon-code', { coupon_code: totals.coupon_code }) : t('discount'), -Math.abs(Number(totals.discount_cents))) : null,
    line(totals.prices_include_tax ? t('includes-tax') : t('tax'), totals.tax_cents),
    Number(totals.shipping_cents) || totals.shipping_method ? line(t('shipping'), totals.shipping_cents) : null,
    line(t('total'), totals.total_cents, { class: 'total' }));
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
  const title = t('checkout');
  if (!items.length) {
    return {
      title,
      node: h('section', { class: 'page container narrow' }, h('h1', {}, title),
        emptyState(t('your-cart-is-empty'), t('add-courses-or-products-before-checking'),
          h('a', { href: '/courses', class: 'btn btn-primary' }, t('browse-the-catalogue')))),
    };
  }
  const [physical, list, euVat] = await Promise.all([physicalLines(items, ctx.signal), countries(ctx.signal),
    get('/settings', null, { signal: ctx.signal }).then((st) => Boolean(st && st.eu_vat)).catch(() => false)]);
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
    h('legend', {}, t('shipping-address')),
    h('p', { class: 'muted small' }, t('needed-for-value', { value: physical.map((p) => p.name).join(', ') })),
    field({ label: t('full-name'), name: 'ship_name', required: true, autocomplete: 'shipping name', attrs: { maxlength: '200' } }),
    field({ label: t('address-line-1'), name: 'ship_line1', required: true, autocomplete: 'shipping address-line1', attrs: { maxlength: '200' } }),
    field({ label: t('address-line-2'), name: 'ship_line2', autocomplete: 'shipping address-line2', attrs: { maxlength: '200' } }),
    h('div', { class: 'field-row' },
      field({ label: t('city'), name: 'ship_city', required: true, autocomplete: 'shipping address-level2', attrs: { maxlength: '100' } }),
      field({ label: t('postal-code'), name: 'ship_postal_code', required: true, autocomplete: 'shipping postal-code', attrs: { maxlength: '20' } })),
    countryField({ label: t('country'), name: 'ship_country', required: true, autocomplete: 'shipping country', list }),
    field({ label: t('shipping-method'), name: 'shipping_method', type: 'select', options: methodOptions(), value: cart.shipping_method || '' })) : null;

  const form = h('form', { class: 'stack checkout-form', 'aria-labelledby': 'checkout-h' },
    shippingFieldset,
    h('fieldset', { class: 'panel stack' },
      h('legend', {}, t('billing')),
      countryField({ label: t('billing-country'), name: 'billing_country', autocomplete: 'billing country', list, required: euVat }),
      euVat
        ? field({ label: t('vat-number-businesses-optional'), name: 'vat_number', autocomplete: 'off', attrs: { maxlength: '40', spellcheck: 'false', placeholder: 'FR12345678901' } })
        : null,
      h('p', { class: 'muted small' }, euVat
        ? t('eu-vat-is-charged-at-the')
        : t('tax-depends-on-the-country-leave'))),
    h('fieldset', { class: 'panel stack' },
      h('legend', {}, t('coupon')),
      h('div', { class: 'field-inline' },
        field({ label: t('coupon-code'), name: 'coupon_code', autocomplete: 'off', attrs: { maxlength: '64', spellcheck: 'false' } }),
        h('button', { type: 'button', class: 'btn btn-secondary', on: { click: () => recompute({ announceCoupon: true }) } }, t('apply-coupon'))),
      couponStatus),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('place-order')),
      h('a', { href: '/cart' }, t('back-to-cart'))));

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
        h('span', {}, i.name, i.quantity > 1 ? h('span', { class: 'muted' }, ` × ${i.quantity}`) : null,
          (i.includes || []).length ? h('span', { class: 'cell-sub' }, t('bundle-includes-products', { names: i.includes.map((p) => p.name).join(', ') })) : null),
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
          ? t('coupon-value-applied-amount', { value: cart.coupon_code || opts.coupon_code.toUpperCase(), amount: formatMoney(-cart.discount_cents, cart.currency) })
          : t('coupon-value-is-valid', { value: opts.coupon_code.toUpperCase() });
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
        setCouponError(t('coupon-code-error', { message: e.message }));
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
      vat_number: euVat && v.vat_number ? v.vat_number : undefined,
    };
    if (needsShipping) {
      body.shipping_address = {
        name: v.ship_name, line1: v.ship_line1, line2: v.ship_line2 || undefined,
        city: v.ship_city, postal_code: v.ship_postal_code, country: v.ship_country.toUpperCase(),
      };
      body.shipping_method = v.shipping_method || undefined;
    }
    const done = busy(form.querySelector('button[type="submit"]'), t('placing-order'));
    try {
      const order = await post('/orders', body);
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      announce(t('order-number-placed', { number: order.number }));
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
        h('h2', { id: 'order-summary-h' }, t('order-summary')), summary,
        h('p', { class: 'muted small' }, t('totals-are-computed-by-the-shop')))));
  return { title, node, afterRender: () => recompute() };
}

// ------------------------------------------------------------- payment --

let stripeLoading = null;

/** Load Stripe.js from the configured URL, once, only when the card step needs it. */
export function loadStripeJs(url) {
  if (window.Stripe) return Promise.resolve(window.Stripe);
  if (!stripeLoading) {
    stripeLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url;
      script.async = true;
      script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error(t('stripe-js-did-not-load'))));
      script.onerror = () => {
        stripeLoading = null;
        script.remove();
        reject(new Error(t('the-card-form-could-not-be')));
      };
      document.head.append(script);
    });
  }
  return stripeLoading;
}

/** The payment options from GET /api/settings: {gateways, stripe?, manual_instructions?}. */
export async function paymentConfig(signal) {
  const settings = await get('/settings', null, { signal });
  const payments = settings.payments || { gateways: ['manual'] };
  return {
    gateways: payments.gateways,
    stripe: payments.stripe || null,
    manual_instructions: payments.manual_instructions,
    manual_reservation_days: payments.manual_reservation_days || 7,
  };
}

const GATEWAY_LABELS = () => ({
  stripe: [t('card'), t('pay-now-by-credit-or-debit')],
  paypal: [t('pay-with-paypal'), t('you-approve-the-payment-on-paypal')],
  manual: [t('pay-at-the-office-or-by'), t('your-order-is-confirmed-when-the')],
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * What the school promises a buyer paying by hand, exactly as the server's expiry job keeps
 * it: the order is held `days` days from when the manual payment was started.
 */
function manualHold(payment, days) {
  const started = Date.parse(payment.created_at);
  const until = Number.isNaN(started) ? null : new Date(started + days * 24 * 60 * 60 * 1000);
  const hold = until
    ? t('manual-hold-until', { days, until: formatDate(until, { dateStyle: 'long', timeStyle: 'short' }) })
    : t('manual-hold', { days });
  return `${hold} ${t('manual-hold-then')}`;
}

export async function paymentPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const id = ctx.params.id;
  const [order, config] = await Promise.all([
    get(`/orders/${encodeURIComponent(id)}`, null, { signal: ctx.signal }),
    paymentConfig(ctx.signal),
  ]);
  const title = t('pay-for-order-number', { number: order.number });
  const orderHref = `/orders/${encodeURIComponent(order.id)}`;
  const host = h('div', { class: 'payment-step' });
  const outcome = h('div', { 'aria-live': 'assertive' });
  const head = h('div', { class: 'page-head' },
    h('h1', {}, title),
    h('p', { class: 'lead' }, `${t('amount-due')} `, h('strong', {}, formatMoney(order.total_cents, order.currency))));

  if (order.status !== 'pending') {
    replace(host, h('div', { class: 'alert alert-info', role: 'status' },
      h('p', {}, t('this-order-is-value-there-is', { value: order.status.replace(/_/g, ' ') })),
      h('p', {}, h('a', { href: orderHref }, t('see-the-order')))));
    return { title, node: h('section', { class: 'page container narrow' }, head, host) };
  }

  const gateways = (config.gateways || []).filter((g) => GATEWAY_LABELS()[g] || g);
  let stopped = false;
  ctx.signal.addEventListener('abort', () => {
    stopped = true;
  });

  function showOutcome(payment) {
    if (payment.status === 'completed') {
      replace(host);
      replace(outcome, h('div', { class: 'alert alert-success', role: 'status' },
        h('p', {}, t('payment-received-thank-you')),
        h('p', {}, `${t('order-number-is-paid', { number: order.number })} `,
          order.items.some((i) => i.item_type === 'course' || i.item_type === 'bundle') ? [h('a', { href: '/my-courses' }, t('go-to-my-courses')), ' · '] : null,
          h('a', { href: orderHref }, t('see-the-order')))));
      announce(t('payment-received'));
      return true;
    }
    if (payment.status === 'failed') {
      replace(outcome, h('div', { class: 'alert alert-error', role: 'alert' },
        h('p', {}, t('your-payment-did-not-go-through')),
        h('p', {}, payment.failure_message ? sentence(payment.failure_message) : t('the-card-was-declined')),
        h('p', {}, t('no-money-was-taken-you-can')),
        h('button', { type: 'button', class: 'btn btn-primary', on: { click: () => { replace(outcome); choose(); } } }, t('try-again'))));
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
    replace(host, loading(t('preparing-your-payment')));
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
        h('h2', {}, t('how-to-pay')),
        h('p', { class: 'payment-instructions' }, payment.instructions || t('pay-at-the-school-office-or')),
        h('p', {}, `${t('quote-your-order-number')} `, h('strong', {}, order.number), ` ${t('and-the-amount')} `,
          h('strong', {}, formatMoney(payment.amount_cents ?? order.total_cents, payment.currency || order.currency)), '.'),
        h('p', { class: 'muted manual-hold' }, manualHold(payment, config.manual_reservation_days)),
        h('p', {}, h('a', { href: orderHref, class: 'btn btn-secondary' }, t('see-the-order')))));
      announce(t('payment-instructions-shown'));
      return;
    }
    if (payment.gateway === 'paypal') {
      if (!payment.approve_url) {
        replace(host, errorBox(new Error(t('paypal-did-not-give-a-page')), { retry: () => start(gateway) }));
        return;
      }
      replace(host, h('div', { class: 'panel' },
        h('p', {}, t('taking-you-to-paypal-to-approve')),
        h('p', {}, h('a', { class: 'btn btn-primary', href: payment.approve_url, id: 'paypal-continue' }, t('continue-to-paypal')))));
      window.location.assign(payment.approve_url);
      return;
    }
    await cardStep(payment);
  }

  async function cardStep(payment) {
    const jsUrl = config.stripe && config.stripe.js_url;
    const key = payment.publishable_key || (config.stripe && config.stripe.publishable_key);
    if (!jsUrl || !key || !payment.client_secret) {
      replace(host, errorBox(new Error(t('card-payments-are-not-available-right')),
        { retry: () => choose() }));
      return;
    }
    replace(host, loading(t('loading-the-card-form')));
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
    const pay = h('button', { type: 'submit', class: 'btn btn-primary' }, t('pay-amount', { amount: formatMoney(payment.amount_cents, payment.currency) }));
    const waiting = h('p', { class: 'muted', 'aria-live': 'polite' });
    const form = h('form', { class: 'panel stack card-form' },
      h('h2', {}, t('card-details')),
      h('div', { class: 'field' }, h('label', { for: 'card-element' }, t('card')), cardHost, cardError),
      h('div', { class: 'form-actions' }, pay, h('button', { type: 'button', class: 'btn btn-link', on: { click: () => choose() } }, t('choose-another-way-to-pay'))),
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
      const done = busy(pay, t('paying'));
      cardError.hidden = true;
      let result;
      try {
        result = await stripe.confirmCardPayment(payment.client_secret, { payment_method: { card } });
      } catch (err) {
        result = { error: { message: err.message || t('the-card-could-not-be-charged') } };
      }
      if (result && result.error) {
        done();
        cardError.textContent = declineMessage(result.error);
        cardError.hidden = false;
        return;
      }
      waiting.textContent = t('confirming-your-payment');
      const p = await poll(payment, { maxMs: 60000 });
      done();
      if (p) showOutcome(p);
      else waiting.textContent = t('your-payment-is-still-being-confirmed');
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
        h('legend', {}, t('how-would-you-like-to-pay')),
        gateways.map((g, n) => {
          const [label, hint] = GATEWAY_LABELS()[g] || [g, ''];
          const rid = `gateway-${g}`;
          return h('div', { class: 'field field-check' },
            h('input', { type: 'radio', name: 'gateway', id: rid, value: g, checked: n === 0 }),
            h('label', { for: rid }, label, hint ? h('span', { class: 'hint' }, ` — ${hint}`) : null));
        })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('continue'))));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = form.querySelector('input[name="gateway"]:checked');
      start(v ? v.value : gateways[0]);
    });
    replace(host, form);
  }

  if (!gateways.length) replace(host, errorBox(new Error(t('no-way-to-pay-is-set'))));
  else choose();
  return {
    title,
    node: h('section', { class: 'page container narrow' }, head, outcome, host,
      h('p', {}, h('a', { href: orderHref }, t('order-number', { number: order.number })))),
  };
}

function sentence(t) {
  const s = String(t).trim();
  const c = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(c) ? c : `${c}.`;
}

/**
 * Mounts Stripe's Card Element in `cardHost` and returns a function that turns what was
 * typed into a PaymentMethod: `{ id }`, or `{ error }` with a sentence for the buyer.
 * The membership pages (subscribe, update card) share it.
 */
export function mountCardForm(stripe, cardHost) {
  const card = stripe.elements().create('card', { hidePostalCode: true });
  card.mount(cardHost);
  return async () => {
    let made;
    try {
      made = await stripe.createPaymentMethod({ type: 'card', card });
    } catch (err) {
      made = { error: { message: err.message } };
    }
    if (!made || made.error || !made.paymentMethod) {
      return { error: made && made.error ? declineMessage(made.error) : t('the-card-could-not-be-charged') };
    }
    return { id: made.paymentMethod.id };
  };
}

/** A clear sentence for a Stripe.js error. */
export function declineMessage(error) {
  if (error.code === 'card_declined' || error.decline_code) {
    return error.decline_code === 'insufficient_funds' ? t('your-card-was-declined-funds') : t('your-card-was-declined');
  }
  return sentence(error.message || t('the-card-could-not-be-charged'));
}
