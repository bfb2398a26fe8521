// @ts-check
// Admin > Memberships: the report (MRR, members, churn, recovery, with CSV), the plans on sale,
// the members filtered by state with their actions (record a manual period paid, cancel now),
// giving a membership (comp or manual), and the form for a new plan or payment plan.

import { get, post, download } from '../api.js';
import { h, replace, field, onSubmit, fieldErrors, announce, notice, errorBox, formatDate } from '../ui.js';
import {
  pageHead, backLink, table, money, parseMoney, moneyInput, listArea, filterBar, storeCurrency, isoDay, pick, hrefWith, intOrNull,
} from './common.js';
import { t } from '../i18n.js';

const STATES = ['trialing', 'active', 'past_due', 'paused', 'cancelled', 'expired'];
const LIVE = ['trialing', 'active', 'past_due', 'paused'];
const TONE = { trialing: 'info', active: 'on', past_due: 'warn', paused: 'warn', cancelled: 'off', expired: 'muted' };

function stateChip(status) {
  return h('span', { class: ['pill', `pill-${TONE[status] || 'muted'}`] }, t(`membership-status-${status.replace(/_/g, '-')}`));
}

/** "€19.00 a month" / "3 × €40.00, monthly". */
function price(plan) {
  const amount = money(plan.price_cents, plan.currency);
  return plan.cycles
    ? t('membership-instalments', { count: plan.cycles, amount, interval: plan.interval })
    : t('membership-price-per', { amount, interval: plan.interval });
}

function scopeText(plan, categories, courses) {
  if (plan.scope === 'all') return t('membership-covers-all');
  if (plan.scope === 'category') {
    const c = categories.find((x) => x.id === plan.category_id);
    return t('membership-covers-category', { category: c ? c.name : '' });
  }
  if (plan.bundle_id) return t('membership-plan-bundle-name', { bundle: plan.bundle_name || plan.bundle_id });
  return plan.course_ids.map((id) => (courses.find((c) => c.id === id) || { title: id }).title).join(', ');
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, label), h('p', { class: 'stat-value' }, value));
}

async function reportSection(ctx, values) {
  const range = { from: values.from, to: values.to };
  const form = filterBar(t('membership-report-period'), [
    { name: 'from', label: t('membership-from'), type: 'date' },
    { name: 'to', label: t('membership-to'), type: 'date' },
  ], values, (v) => ctx.router.navigate(hrefWith('/admin/memberships', { ...pick(ctx.query, ['status']), ...v })));
  let body;
  try {
    const r = await get('/admin/memberships/report', range, { signal: ctx.signal });
    const csv = h('button', { type: 'button', class: 'btn btn-secondary' }, t('download-csv'));
    csv.addEventListener('click', () => download(`/admin/memberships/report?${new URLSearchParams({ ...range, format: 'csv' })}`, 'memberships.csv'));
    body = [h('div', { class: 'stats' },
      stat(t('membership-mrr'), money(r.mrr_cents, r.currency)),
      stat(t('membership-active-members'), String(r.active_members)),
      stat(t('membership-new-members'), String(r.new_members)),
      stat(t('membership-churned-members'), String(r.churned_members)),
      stat(t('membership-recovery'), t('membership-recovered-of', { recovered: r.recovered_payments, failed: r.failed_payments }))),
    h('p', {}, csv)];
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    body = errorBox(err);
  }
  return h('section', { class: 'stack', 'aria-labelledby': 'm-report-h' }, h('h2', { id: 'm-report-h' }, t('membership-report')), form, body);
}

function plansSection(plans, categories, courses) {
  return h('section', { class: 'stack', 'aria-labelledby': 'm-plans-h' },
    h('h2', { id: 'm-plans-h' }, t('membership-plans')),
    plans.length
      ? table(t('membership-plans'), [t('name'), t('price'), t('membership-trial'), t('membership-covers')], plans.map((p) => h('tr', {},
        h('th', { scope: 'row' }, p.name),
        h('td', { class: 'num' }, price(p)),
        h('td', {}, p.trial_days ? t('membership-trial-days', { count: p.trial_days }) : '—'),
        h('td', {}, scopeText(p, categories, courses)))))
      : h('p', { class: 'muted' }, t('membership-no-plans')));
}

function memberActions(m, reload) {
  const msg = h('span', { class: 'row-msg', 'aria-live': 'polite' });
  const who = m.member_email || m.user_id;
  const run = async (button, path, confirmText, doneText) => {
    // eslint-disable-next-line no-alert
    if (!window.confirm(confirmText)) return;
    button.disabled = true;
    try {
      await post(`/admin/memberships/${encodeURIComponent(m.id)}/${path}`, {});
      announce(doneText);
      reload();
    } catch (err) {
      button.disabled = false;
      replace(msg, h('span', { class: 'error-text' }, err.userMessage || err.message));
    }
  };
  const buttons = [];
  if (m.gateway === 'manual' && LIVE.includes(m.status)) {
    const paid = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': t('membership-record-period-for', { email: who }) }, t('membership-record-period'));
    paid.addEventListener('click', () => run(paid, 'periods', t('membership-record-period-confirm', { email: who, price: price(m.plan) }), t('membership-period-recorded')));
    buttons.push(paid);
  }
  if (LIVE.includes(m.status)) {
    const cancel = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('membership-cancel-for', { email: who }) }, t('membership-cancel-now'));
    cancel.addEventListener('click', () => run(cancel, 'cancel', t('membership-cancel-now-confirm', { email: who }), t('membership-cancelled-by-staff')));
    buttons.push(cancel);
  }
  return h('td', {}, buttons, msg);
}

function membersSection(ctx, values) {
  const list = listArea({
    path: '/admin/memberships',
    noun: 'member',
    signal: ctx.signal,
    perPage: 25,
    query: () => (values.status ? { status: values.status } : {}),
    hrefFor: (page) => hrefWith('/admin/memberships', { ...values, page }),
    empty: [t('membership-no-members')],
    render: (items) => table(t('membership-members'), [t('membership-member'), t('membership-plan'), t('status'), t('membership-period-end'), t('membership-gateway'), h('span', { class: 'visually-hidden' }, t('actions'))],
      items.map((m) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'cell-name' }, m.member_name || m.member_email), h('span', { class: 'cell-sub' }, m.member_email)),
        h('td', {}, m.plan.name, h('span', { class: 'cell-sub' }, price(m.plan))),
        h('td', {}, stateChip(m.status), m.cancel_at_period_end ? h('span', { class: 'cell-sub' }, t('membership-ends-at-period-end')) : null),
        h('td', {}, m.current_period_end ? formatDate(m.current_period_end) : '—'),
        h('td', {}, t(`membership-gateway-${m.gateway}`)),
        memberActions(m, () => list.load()))),
    ),
  });
  const filter = filterBar(t('membership-filter'), [{
    name: 'status', label: t('status'), type: 'select',
    options: [['', t('membership-all-states')], ...STATES.map((s) => [s, t(`membership-status-${s.replace(/_/g, '-')}`)])],
  }], values, (v) => ctx.router.navigate(hrefWith('/admin/memberships', { ...pick(ctx.query, ['from', 'to']), ...v })));
  return { list, node: h('section', { class: 'stack', 'aria-labelledby': 'm-members-h' }, h('h2', { id: 'm-members-h' }, t('membership-members')), filter, list.status, list.results) };
}

function giveSection(plans, reload) {
  const done = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'stack form-card', 'aria-labelledby': 'm-give-h' },
    h('h2', { id: 'm-give-h' }, t('membership-give')),
    h('div', { class: 'form-grid' },
      field({ label: t('membership-member-email'), name: 'email', type: 'email', required: true, autocomplete: 'off' }),
      field({ label: t('membership-plan'), name: 'plan_id', type: 'select', required: true, options: plans.map((p) => ({ value: p.id, label: p.name })) }),
      field({ label: t('membership-gateway'), name: 'gateway', type: 'select', options: [{ value: 'comp', label: t('membership-gateway-comp') }, { value: 'manual', label: t('membership-gateway-manual') }] })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('membership-give-button'))), done);
  onSubmit(form, async (v) => {
    replace(done);
    const found = await get('/admin/users', { q: v.email, per_page: 10 });
    const user = (found.items || []).find((u) => u.email.toLowerCase() === v.email.toLowerCase());
    if (!user) throw fieldErrors(t('please-correct-the-highlighted-field'), [{ field: 'email', message: t('membership-no-such-user') }]);
    await post('/admin/memberships', { user_id: user.id, plan_id: v.plan_id, gateway: v.gateway });
    replace(done, notice(t('membership-given', { email: user.email })));
    announce(t('membership-given', { email: user.email }));
    reload();
  }, { busyLabel: t('saving') });
  return form;
}

export async function membershipsPage(ctx) {
  const values = { from: isoDay(-29), to: isoDay(0), ...pick(ctx.query, ['from', 'to', 'status']) };
  const [plans, categories, courses] = await Promise.all([
    get('/membership-plans', null, { signal: ctx.signal }),
    get('/categories', { per_page: 100 }, { signal: ctx.signal }).then((b) => (Array.isArray(b) ? b : b.items || [])).catch(() => []),
    get('/courses', { per_page: 100 }, { signal: ctx.signal }).then((b) => b.items || []).catch(() => []),
  ]);
  const members = membersSection(ctx, values);
  const [report] = await Promise.all([reportSection(ctx, values), members.list.load()]);
  return {
    title: t('memberships'),
    node: h('section', { class: 'page stack' },
      pageHead(t('memberships'), t('membership-admin-lead'), h('a', { href: '/admin/memberships/plans/new', class: 'btn btn-primary' }, t('membership-new-plan'))),
      report, plansSection(plans, categories, courses), members.node,
      plans.length ? giveSection(plans, () => members.list.load()) : null),
  };
}

export async function membershipPlanPage(ctx) {
  const [currency, categories, courses, plans, bundles] = await Promise.all([
    storeCurrency(),
    get('/categories', { per_page: 100 }, { signal: ctx.signal }).then((b) => (Array.isArray(b) ? b : b.items || [])).catch(() => []),
    get('/courses', { status: 'published', per_page: 100 }, { signal: ctx.signal }).then((b) => b.items || []),
    get('/membership-plans', null, { signal: ctx.signal }).catch(() => []),
    get('/bundles', { status: 'published', per_page: 100 }, { signal: ctx.signal }).then((b) => b.items || []).catch(() => []),
  ]);
  const picks = h('fieldset', { class: 'stack', id: 'plan-courses' },
    h('legend', {}, t('membership-plan-courses')),
    courses.map((c) => h('label', { class: 'field-check' }, h('input', { type: 'checkbox', 'data-course': c.id }), ` ${c.title} (${money(c.price_cents, c.currency)})`)),
    h('p', { class: 'field-error', 'data-field': 'course_ids', hidden: true }));
  const form = h('form', { class: 'stack form-card', 'aria-label': t('membership-new-plan') },
    field({ label: t('name'), name: 'name', required: true, attrs: { maxlength: 200 } }),
    h('div', { class: 'form-grid' },
      field({ label: t('price-currency', { currency }), name: 'price_cents', required: true, attrs: { inputmode: 'decimal' }, hint: t('membership-price-hint') }),
      field({ label: t('membership-interval'), name: 'interval', type: 'select', options: [{ value: 'month', label: t('membership-monthly') }, { value: 'year', label: t('membership-yearly') }] }),
      field({ label: t('membership-trial-label'), name: 'trial_days', type: 'number', value: '0', attrs: { min: 0, max: 365 } }),
      field({ label: t('membership-cycles-label'), name: 'cycles', type: 'number', hint: t('membership-cycles-hint'), attrs: { min: 2, max: 60 } })),
    field({
      label: t('membership-plan-sells'), name: 'sells', type: 'select', hint: t('membership-plan-sells-hint'),
      options: [{ value: '', label: t('membership-plan-sells-course') }, ...bundles.map((b) => ({ value: b.id, label: t('membership-plan-sells-bundle', { bundle: b.name }) }))],
    }),
    field({
      label: t('membership-covers'), name: 'scope', type: 'select',
      options: [{ value: 'all', label: t('membership-covers-all') }, { value: 'category', label: t('membership-scope-category') }, { value: 'courses', label: t('membership-scope-courses') }],
    }),
    field({ label: t('membership-category'), name: 'category_id', type: 'select', options: [{ value: '', label: '—' }, ...categories.map((c) => ({ value: c.id, label: c.name }))] }),
    picks,
    field({ label: t('membership-switch-plan'), name: 'switch_plan_id', type: 'select', hint: t('membership-switch-plan-hint'), options: [{ value: '', label: '—' }, ...plans.filter((p) => !p.cycles).map((p) => ({ value: p.id, label: p.name }))] }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('membership-create-plan')), h('a', { href: '/admin/memberships' }, t('cancel'))));
  // A bundle is sold only in instalments; choosing one replaces the coverage fields.
  const sync = () => {
    const instalments = Boolean(form.elements.cycles.value);
    const bundle = instalments && form.elements.sells.value !== '';
    form.elements.sells.closest('.field').hidden = !instalments;
    form.elements.scope.closest('.field').hidden = bundle;
    form.elements.category_id.closest('.field').hidden = bundle;
    picks.hidden = bundle;
  };
  form.elements.cycles.addEventListener('input', sync);
  form.elements.sells.addEventListener('change', sync);
  sync();
  onSubmit(form, async (v) => {
    const bundleId = v.cycles && v.sells ? v.sells : null;
    const cents = parseMoney(v.price_cents, currency);
    if (cents === null || Number.isNaN(cents)) {
      throw fieldErrors(t('please-correct-the-highlighted-fields'), [{ field: 'price_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(1900, currency) }) }]);
    }
    const ids = [...picks.querySelectorAll('input[data-course]')].filter((i) => /** @type {HTMLInputElement} */ (i).checked).map((i) => i.getAttribute('data-course'));
    const created = await post('/admin/membership-plans', {
      name: v.name, interval: v.interval, price_cents: cents, trial_days: intOrNull(v.trial_days) ?? 0, scope: bundleId ? 'courses' : v.scope,
      category_id: !bundleId && v.scope === 'category' ? v.category_id || null : null,
      course_ids: !bundleId && v.scope === 'courses' ? ids : [],
      cycles: intOrNull(v.cycles), switch_plan_id: v.switch_plan_id || null, bundle_id: bundleId,
    });
    announce(t('membership-plan-created', { name: created.name }));
    ctx.router.navigate('/admin/memberships');
  }, { busyLabel: t('saving') });
  const title = t('membership-new-plan');
  return { title, node: h('section', { class: 'page narrow-page' }, backLink('/admin/memberships', t('memberships')), pageHead(title, null), form) };
}
