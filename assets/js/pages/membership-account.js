// @ts-check
// My membership (/account/membership): each of the member's plans with its state, next charge
// and invoices; cancel at the end of the period, resume before it ends, switch monthly/yearly,
// update the card (at once when a payment failed).

import { get, post } from '../api.js';
import { h, replace, formatMoney, formatDate, emptyState, errorBox, announce, busy } from '../ui.js';
import { requireLogin } from './common.js';
import { LIVE, planPrice, membershipStatus } from './membership.js';
import { cardStep } from './membership-card.js';
import { t } from '../i18n.js';

const TONE = { trialing: 'chip-accent', active: 'chip-accent', past_due: 'chip-warn', paused: 'chip-warn' };

function statusChip(status) {
  return h('span', { class: ['chip', 'status-chip', `status-${status}`, TONE[status] || null] }, membershipStatus(status));
}

const day = (iso) => formatDate(iso, { dateStyle: 'long' });

/** The one sentence that says what happens next to this membership. */
function nextStep(m) {
  if (m.status === 'cancelled' || m.status === 'expired') {
    return m.plan.cycles && m.cycles_paid >= m.plan.cycles ? t('membership-paid-off') : t('membership-ended-on', { date: day(m.ended_at || m.updated_at) });
  }
  if (m.cancel_at_period_end && m.current_period_end) return t('membership-ends-on', { date: day(m.current_period_end) });
  if (m.next_charge) {
    return t('membership-next-charge', { amount: formatMoney(m.next_charge.amount_cents, m.next_charge.currency), date: day(m.next_charge.at) });
  }
  if (m.gateway === 'comp') return t('membership-comp');
  if (m.gateway === 'manual' && m.current_period_end) return t('membership-manual-until', { date: day(m.current_period_end) });
  return null;
}

function invoices(m) {
  if (!m.invoices.length) return h('p', { class: 'muted' }, t('membership-no-invoices'));
  const label = t('membership-invoices-of', { name: m.plan.name });
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h('table', { class: 'table' },
      h('caption', { class: 'visually-hidden' }, label),
      h('thead', {}, h('tr', {}, [t('membership-date'), t('membership-amount'), t('status')].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, m.invoices.map((i) => h('tr', {},
        h('td', {}, day(i.at)),
        h('td', { class: 'num' }, formatMoney(i.amount_cents, i.currency)),
        h('td', {}, i.status === 'paid' ? t('membership-invoice-paid') : t('membership-invoice-failed')))))));
}

/** One membership's panel; `redraw(m)` replaces it after a change. */
function membershipPanel(m, plans, redraw) {
  const headId = `membership-${m.id}`;
  const result = h('div', { 'aria-live': 'polite' });
  const live = LIVE.includes(m.status);
  const card = m.gateway === 'stripe';
  const sibling = m.plan.switch_plan_id ? plans.find((p) => p.id === m.plan.switch_plan_id) : null;

  async function act(button, path, confirmText, doneText, body = {}) {
    // eslint-disable-next-line no-alert
    if (!window.confirm(confirmText)) return;
    const done = busy(button, t('please-wait'));
    replace(result);
    try {
      const next = await post(`/memberships/${encodeURIComponent(m.id)}/${path}`, body);
      const text = doneText(next);
      redraw(next, text);
      announce(text);
    } catch (err) {
      done();
      replace(result, errorBox(err));
    }
  }

  const actions = [];
  if (live && card && !m.plan.cycles && !m.cancel_at_period_end) {
    const cancel = h('button', { type: 'button', class: 'btn btn-danger-outline' }, t('membership-cancel'));
    cancel.addEventListener('click', () => act(cancel, 'cancel',
      t('membership-cancel-confirm', { date: day(m.current_period_end || new Date().toISOString()) }),
      (next) => t('membership-cancelled-notice', { date: day(next.current_period_end || next.updated_at) })));
    actions.push(cancel);
  }
  if (live && card && m.cancel_at_period_end) {
    const resume = h('button', { type: 'button', class: 'btn btn-primary' }, t('membership-resume'));
    resume.addEventListener('click', () => act(resume, 'resume', t('membership-resume-confirm'), () => t('membership-resumed-notice')));
    actions.push(resume);
  }
  if (live && card && sibling && !m.cancel_at_period_end) {
    const change = h('button', { type: 'button', class: 'btn btn-secondary' }, t('membership-switch-to', { name: sibling.name, price: planPrice(sibling) }));
    change.addEventListener('click', () => act(change, 'switch', t('membership-switch-confirm', { name: sibling.name, price: planPrice(sibling) }),
      // Naming the plan meant: a page left open after a switch elsewhere gets the server's 409
      // ("already on that plan") instead of switching back.
      (next) => t('membership-switched-notice', { name: next.plan.name }), { plan_id: sibling.id }));
    actions.push(change);
  }
  const cardHost = h('div', {});
  let update = null;
  if (live && card) {
    const overdue = m.status === 'past_due';
    update = h('button', { type: 'button', class: overdue ? 'btn btn-primary' : 'btn btn-secondary' }, t('membership-update-card'));
    update.addEventListener('click', () => {
      update.hidden = true;
      replace(result);
      cardStep(m, cardHost, (next, text) => redraw(next, text), () => {
        update.hidden = false;
        update.focus();
      });
    });
    if (!overdue) actions.push(update);
  }
  const next = nextStep(m);
  const overdueCard = m.status === 'past_due' && live && card;
  return h('section', { class: 'panel stack membership', 'aria-labelledby': headId },
    h('div', { class: 'membership-head' },
      h('h2', { id: headId }, m.plan.name), statusChip(m.status)),
    h('p', { class: 'plan-price' }, planPrice(m.plan)),
    m.plan.cycles ? h('p', {}, t('membership-instalments-paid', { paid: m.cycles_paid, count: m.plan.cycles })) : null,
    next ? h('p', { class: 'membership-next' }, next) : null,
    overdueCard ? h('div', { class: 'alert alert-warn stack', role: 'status' },
      h('p', {}, h('strong', {}, t('membership-past-due-card'))),
      h('p', {}, t('membership-past-due-since', { date: day(m.past_due_since || m.updated_at) })),
      update) : null,
    m.status === 'past_due' && !overdueCard ? h('div', { class: 'alert alert-warn', role: 'status' }, h('p', {}, t('membership-past-due', { date: day(m.past_due_since || m.updated_at) }))) : null,
    m.status === 'paused' ? h('div', { class: 'alert alert-warn', role: 'status' }, h('p', {}, t('membership-paused'))) : null,
    sibling && live && card ? h('p', { class: 'muted small' }, t('membership-switch-prorates')) : null,
    actions.length ? h('div', { class: 'form-actions' }, actions) : null,
    cardHost,
    result,
    h('h3', {}, t('membership-invoices')),
    invoices(m));
}

export async function myMembershipPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const [mine, plans] = await Promise.all([
    get('/memberships', null, { signal: ctx.signal }),
    get('/membership-plans', null, { signal: ctx.signal }).catch(() => []),
  ]);
  const title = t('my-membership');
  const list = h('div', {});
  const draw = (m, text) => {
    const host = h('div', {});
    const redraw = (next, notice) => {
      const fresh = draw(next, notice);
      host.replaceWith(fresh);
      const heading = fresh.querySelector('h2');
      if (heading) heading.setAttribute('tabindex', '-1');
      if (heading instanceof HTMLElement) heading.focus();
    };
    replace(host,
      text ? h('div', { class: 'alert alert-success', role: 'status' }, h('p', {}, text)) : null,
      membershipPanel(m, plans, redraw));
    return host;
  };
  replace(list, mine.length
    ? mine.map((m) => draw(m))
    : emptyState(t('membership-none'), t('membership-none-text'), h('a', { href: '/membership', class: 'btn btn-primary' }, t('membership-see-plans'))));
  const node = h('section', { class: 'page container narrow' },
    h('div', { class: 'page-head' },
      h('h1', {}, title),
      h('p', { class: 'lead' }, h('a', { href: '/membership' }, t('membership-see-plans')), ' · ', h('a', { href: '/account' }, t('your-account')))),
    list);
  return { title, node };
}
