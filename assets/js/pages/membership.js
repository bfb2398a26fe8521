// @ts-check
// Membership plans (/membership): what each plan costs per period, its trial, the courses it
// opens, payment plans as "3 × 40.00"; choosing one collects a card with Stripe.js (a
// PaymentMethod, as Stripe Billing wants) and starts the subscription on the server.

import { get, post, isSignedIn, ApiError } from '../api.js';
import { h, replace, formatMoney, loading, errorBox, emptyState, announce, busy } from '../ui.js';
import { loadStripeJs, paymentConfig, mountCardForm } from './checkout.js';
import { t } from '../i18n.js';

/** Statuses in which a membership still holds its plan (a second one is refused). */
export const LIVE = ['trialing', 'active', 'past_due', 'paused'];

/** Whether `plan` opens `course` ({id, category_id}). */
export function covers(plan, course) {
  if (plan.scope === 'all') return true;
  if (plan.scope === 'category') return Boolean(course.category_id) && plan.category_id === course.category_id;
  return (plan.course_ids || []).includes(course.id);
}

/** "€19.00 a month" / "3 × €40.00, monthly". */
export function planPrice(plan) {
  const amount = formatMoney(plan.price_cents, plan.currency);
  if (plan.cycles) return t('membership-instalments', { count: plan.cycles, amount, interval: plan.interval });
  return t('membership-price-per', { amount, interval: plan.interval });
}

/** The words for a membership state (trialing, past_due ...). */
export function membershipStatus(status) {
  return t(`membership-status-${String(status).replace(/_/g, '-')}`);
}

/** The caller's memberships (none when signed out or on error). */
export function myMemberships(signal) {
  if (!isSignedIn()) return Promise.resolve([]);
  return get('/memberships', null, { signal }).catch((err) => {
    if (err.name === 'AbortError') throw err;
    return [];
  });
}

/** Titles of the courses plans name, by id (a course no longer readable is left out). */
async function courseTitles(plans, signal) {
  const ids = [...new Set(plans.flatMap((p) => p.course_ids || []))];
  const found = await Promise.all(ids.map((id) => get(`/courses/${encodeURIComponent(id)}`, null, { signal }).catch(() => null)));
  return new Map(found.filter(Boolean).map((c) => [c.id, c]));
}

function coverage(plan, courses, categories) {
  if (plan.scope === 'all') return h('p', {}, t('membership-covers-all'));
  if (plan.scope === 'category') {
    const cat = categories.find((c) => c.id === plan.category_id);
    return h('p', {}, t('membership-covers-category', { category: cat ? cat.name : '' }));
  }
  const listed = (plan.course_ids || []).map((id) => courses.get(id)).filter(Boolean);
  const lead = plan.bundle_id
    ? t('membership-plan-owns-bundle', { bundle: plan.bundle_name || '' })
    : plan.cycles ? t('membership-plan-owns') : t('membership-covers-courses', { count: listed.length });
  return h('div', {},
    h('p', {}, lead),
    h('ul', { class: 'plain-list' }, listed.map((c) => h('li', {}, h('a', { href: `/courses/${encodeURIComponent(c.slug || c.id)}` }, c.title)))));
}

export async function membershipPlansPage(ctx) {
  const [plans, mine, config, categories] = await Promise.all([
    get('/membership-plans', null, { signal: ctx.signal }),
    myMemberships(ctx.signal),
    paymentConfig(ctx.signal),
    get('/categories', { per_page: 100 }, { signal: ctx.signal }).then((b) => (Array.isArray(b) ? b : b.items || [])).catch(() => []),
  ]);
  const courses = await courseTitles(plans, ctx.signal);
  const title = t('membership-plans');
  const checkout = h('div', { id: 'membership-checkout' });
  const cards = plans.length === 0 ? [] : plans.map((plan) => {
    const held = mine.find((m) => m.plan_id === plan.id && LIVE.includes(m.status));
    const choose = h('button', { type: 'button', class: 'btn btn-primary btn-block' }, t('membership-choose-plan', { name: plan.name }));
    choose.addEventListener('click', () => {
      if (!isSignedIn()) {
        ctx.router.navigate(`/login?next=${encodeURIComponent(`/membership?plan=${plan.id}`)}`);
        return;
      }
      subscribeStep(ctx, plan, config, checkout);
    });
    const headId = `plan-${plan.id}`;
    return h('li', { class: 'card plan-card' },
      h('div', { class: 'card-body stack' },
        h('h2', { class: 'card-title', id: headId }, plan.name),
        h('p', { class: 'plan-price' }, planPrice(plan)),
        plan.trial_days > 0 ? h('p', { class: 'chip chip-accent' }, t('membership-trial-days', { count: plan.trial_days })) : null,
        coverage(plan, courses, categories),
        held
          ? h('p', { class: 'enrolled' }, t('membership-you-have-this-plan'), ' ', h('a', { href: '/account/membership' }, t('my-membership')))
          : choose));
  });
  const node = h('section', { class: 'page container' },
    h('h1', {}, title),
    h('p', { class: 'lead' }, t('membership-plans-lead')),
    cards.length
      ? h('ul', { class: 'card-grid plan-grid', 'aria-label': title }, cards)
      : emptyState(t('membership-no-plans'), t('none-are-for-sale-yet')),
    checkout);
  // Back from signing in with a plan chosen: straight to its card step.
  const wanted = ctx.query.get('plan');
  const afterRender = () => {
    const plan = plans.find((p) => p.id === wanted);
    if (plan && isSignedIn() && !mine.some((m) => m.plan_id === plan.id && LIVE.includes(m.status))) subscribeStep(ctx, plan, config, checkout);
  };
  return { title, node, afterRender };
}

/** What the first charge will be: today, or after the trial. */
function chargeSummary(plan) {
  const amount = formatMoney(plan.price_cents, plan.currency);
  if (plan.trial_days > 0) return t('membership-charge-after-trial', { count: plan.trial_days, amount, interval: plan.interval });
  if (plan.cycles) return t('membership-charge-instalments', { count: plan.cycles, amount, interval: plan.interval });
  return t('membership-charge-now', { amount, interval: plan.interval });
}

/** The card step for `plan`, drawn into `host`. */
async function subscribeStep(ctx, plan, config, host) {
  const headId = 'membership-checkout-h';
  const frame = (...children) => replace(host, h('section', { class: 'panel stack', 'aria-labelledby': headId },
    h('h2', { id: headId, tabindex: '-1' }, t('membership-subscribe-to', { name: plan.name })), ...children));
  const jsUrl = config.stripe && config.stripe.js_url;
  const key = config.stripe && config.stripe.publishable_key;
  if (!(config.gateways || []).includes('stripe') || !jsUrl || !key) {
    frame(errorBox(new Error(t('membership-cards-off'))));
    return;
  }
  frame(loading(t('loading-the-card-form')));
  let stripe;
  try {
    stripe = (await loadStripeJs(jsUrl))(key);
  } catch (err) {
    frame(errorBox(err, { retry: () => subscribeStep(ctx, plan, config, host) }));
    return;
  }
  const cardHost = h('div', { class: 'card-element', id: 'card-element' });
  const cardError = h('p', { class: 'field-error', id: 'card-error', role: 'alert', hidden: true });
  const pay = h('button', { type: 'submit', class: 'btn btn-primary' }, t('membership-subscribe'));
  const form = h('form', { class: 'stack card-form' },
    h('p', {}, chargeSummary(plan)),
    h('div', { class: 'field' }, h('label', { for: 'card-element' }, t('card')), cardHost, cardError),
    h('p', { class: 'muted small' }, t('membership-cancel-any-time')),
    h('div', { class: 'form-actions' }, pay));
  frame(form);
  const heading = host.querySelector('h2');
  if (heading instanceof HTMLElement) heading.focus();
  const paymentMethod = mountCardForm(stripe, cardHost);
  const showError = (message) => {
    cardError.textContent = message;
    cardError.hidden = false;
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    cardError.hidden = true;
    const done = busy(pay, t('membership-subscribing'));
    const made = await paymentMethod();
    if (made.error) {
      done();
      showError(made.error);
      return;
    }
    try {
      const membership = await post('/memberships', { plan_id: plan.id, payment_method: made.id });
      announce(t('membership-started'));
      replace(host, h('div', { class: 'alert alert-success', role: 'status' },
        h('p', {}, membership.status === 'trialing' ? t('membership-welcome-trial') : t('membership-welcome')),
        h('p', {}, h('a', { href: '/account/membership' }, t('my-membership')), ' · ', h('a', { href: '/courses' }, t('browse-courses')))));
    } catch (err) {
      done();
      if (err instanceof ApiError && err.status === 402) showError(t('membership-declined'));
      else showError(err.userMessage || err.message);
    }
  });
}
