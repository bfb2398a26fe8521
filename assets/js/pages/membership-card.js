// @ts-check
// The card step of My membership (/account/membership): Stripe.js's Card Element makes a
// PaymentMethod, the server attaches it to the member's Stripe customer and, when the
// membership is past due, pays the open invoice with it at once.

import { post, ApiError } from '../api.js';
import { h, replace, formatMoney, loading, errorBox, announce, busy } from '../ui.js';
import { loadStripeJs, paymentConfig, mountCardForm } from './checkout.js';
import { t } from '../i18n.js';

/** What the overdue payment is: the last failed invoice, else one period of the plan. */
function overdueAmount(m) {
  const failed = (m.invoices || []).find((i) => i.status === 'failed');
  return failed ? formatMoney(failed.amount_cents, failed.currency) : formatMoney(m.plan.price_cents, m.plan.currency);
}

/**
 * Draws the card form for membership `m` into `host`; `done(next, text)` gets the updated
 * membership and the sentence to show; `closed()` runs when the member keeps the old card.
 */
export async function cardStep(m, host, done, closed) {
  const headId = `membership-card-${m.id}`;
  const frame = (...children) => replace(host, h('section', { class: 'panel stack membership-card', 'aria-labelledby': headId },
    h('h3', { id: headId, tabindex: '-1' }, t('membership-card-title', { name: m.plan.name })), ...children));
  frame(loading(t('loading-the-card-form')));
  let stripe;
  try {
    const config = await paymentConfig();
    const jsUrl = config.stripe && config.stripe.js_url;
    const key = config.stripe && config.stripe.publishable_key;
    if (!(config.gateways || []).includes('stripe') || !jsUrl || !key) throw new Error(t('membership-cards-off'));
    stripe = (await loadStripeJs(jsUrl))(key);
  } catch (err) {
    frame(errorBox(err, { retry: () => cardStep(m, host, done, closed) }));
    return;
  }
  const overdue = m.status === 'past_due';
  const elementId = `card-element-${m.id}`;
  const cardHost = h('div', { class: 'card-element', id: elementId });
  const cardError = h('p', { class: 'field-error', id: `card-error-${m.id}`, role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, overdue ? t('membership-card-pay', { amount: overdueAmount(m) }) : t('membership-card-save'));
  const keep = h('button', { type: 'button', class: 'btn btn-secondary' }, t('membership-card-keep'));
  keep.addEventListener('click', () => { replace(host); closed(); });
  const form = h('form', { class: 'stack card-form' },
    h('p', {}, overdue ? t('membership-card-lead-overdue', { amount: overdueAmount(m) }) : t('membership-card-lead')),
    h('div', { class: 'field' }, h('label', { for: elementId }, t('card')), cardHost, cardError),
    h('div', { class: 'form-actions' }, save, keep));
  frame(form);
  const heading = host.querySelector('h3');
  if (heading instanceof HTMLElement) heading.focus();
  const paymentMethod = mountCardForm(stripe, cardHost);
  const showError = (message) => {
    cardError.textContent = message;
    cardError.hidden = false;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    cardError.hidden = true;
    const release = busy(save, t('membership-card-saving'));
    const made = await paymentMethod();
    if (made.error) {
      release();
      showError(made.error);
      return;
    }
    try {
      const next = await post(`/memberships/${encodeURIComponent(m.id)}/payment-method`, { payment_method: made.id });
      const text = overdue && next.status !== 'past_due' ? t('membership-card-paid') : t('membership-card-saved');
      announce(text);
      done(next, text);
    } catch (err) {
      release();
      // The server's own sentence: declined, not usable, or the membership has ended.
      showError(err instanceof ApiError ? err.userMessage : err.message);
    }
  });
}
