// @ts-check
// Admin > Refunds: the queue of refund requests with the eligibility answer
// (each reason a request is not eligible), approve or reject with a note,
// and "return received" for physical goods.

import { post } from '../api.js';
import {
  h, replace, formatDate, announce, uid, showFormErrors, busy,
} from '../ui.js';
import {
  pageHead, statusChip, statusLabel, money, listArea, filterBar, hrefWith,
} from './common.js';
import { t } from '../i18n.js';

const STATUSES = ['requested', 'return_requested', 'return_received', 'approved', 'processed', 'rejected', 'failed'];
const OPEN = new Set(['requested', 'return_requested', 'return_received', 'failed']);

function eligibilityBlock(el) {
  if (!el || typeof el !== 'object') return null;
  const reasons = Array.isArray(el.reasons) ? el.reasons : [];
  return h('div', { class: ['eligibility', el.eligible ? 'eligible' : 'not-eligible'] },
    h('p', { class: 'eligibility-verdict' }, el.eligible ? t('eligible-under-the-refund-policy') : t('not-eligible-under-the-refund-policy')),
    reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, typeof r === 'string' ? r : (r.message || r.code)))) : null,
    el.return_required ? h('p', { class: 'small' }, t('the-goods-must-be-returned-before')) : null);
}

/** A request the policy refused carries its reasons as the note as well: show them once. */
function noteRepeatsReasons(r) {
  const reasons = (r.eligibility && Array.isArray(r.eligibility.reasons)) ? r.eligibility.reasons : [];
  return reasons.length > 0 && reasons.every((x) => r.decision_note.includes(typeof x === 'string' ? x : (x.message || x.code)));
}

function decisionForm(refund, reload) {
  const noteId = uid('note');
  const form = h('form', { class: 'decision', 'aria-label': t('decide-refund-for-order-value', { value: refund.order_number || refund.order_id }) },
    h('div', { class: 'field' }, h('label', { for: noteId }, t('note')),
      h('input', { id: noteId, name: 'note', maxlength: 1000, 'aria-describedby': `${noteId}-hint` }),
      h('p', { class: 'hint', id: `${noteId}-hint` }, t('required-to-reject-the-customer-sees')),
      h('p', { class: 'field-error', hidden: true })));
  const actions = h('div', { class: 'form-actions' });
  const act = async (button, path, needNote, verb) => {
    const note = form.elements.note.value.trim();
    if (needNote && !note) {
      showFormErrors(form, { userMessage: t('say-why-the-refund-is-rejected'), errors: [{ field: 'note', message: t('is-required-to-reject') }] });
      return;
    }
    const done = busy(button, t('saving'));
    try {
      const updated = await post(`/admin/refunds/${encodeURIComponent(refund.id)}/${path}`, note || !needNote ? { note: note || null } : {});
      done();
      announce(t('refund-now-status', { status: statusLabel(updated.status) }));
      reload();
    } catch (err) {
      done();
      showFormErrors(form, err);
    }
  };
  if (refund.status === 'return_requested') {
    const rr = h('button', { type: 'button', class: 'btn btn-secondary' }, t('return-received'));
    rr.addEventListener('click', async () => {
      const done = busy(rr, t('saving'));
      try {
        await post(`/admin/refunds/${encodeURIComponent(refund.id)}/return-received`, {});
        done();
        announce(t('return-recorded-the-goods-are-back'));
        reload();
      } catch (err) {
        done();
        showFormErrors(form, err);
      }
    });
    actions.append(rr);
  }
  const approve = h('button', { type: 'button', class: 'btn btn-primary' }, refund.status === 'failed' ? t('retry-refund') : t('approve-and-refund'));
  approve.addEventListener('click', () => {
    // Money sent back cannot be recalled: ask once, naming the amount.
    const what = t('amount-for-order', { amount: money(refund.amount_cents, refund.currency), number: refund.order_number || refund.order_id });
    if (!window.confirm(refund.status === 'failed' ? t('send-the-refund-of-what-again', { what }) : t('approve-and-pay-back-what-this', { what }))) return;
    act(approve, 'approve', false, 'approved');
  });
  actions.append(approve);
  if (refund.status !== 'failed') {
    const reject = h('button', { type: 'button', class: 'btn btn-danger-outline' }, t('reject'));
    reject.addEventListener('click', () => act(reject, 'reject', true, 'rejected'));
    actions.append(reject);
  }
  form.append(actions);
  form.addEventListener('submit', (e) => e.preventDefault());
  return form;
}

// The queue opens on what waits for staff: new requests, returns on their way or back, and
// payouts to retry; `status` narrows to one state, `all` shows everything.
const NEEDS_ACTION = 'needs_action';

/** The list query for the chosen view. */
function listQuery(view) {
  if (view === NEEDS_ACTION) return { needs_action: true };
  return view && view !== 'all' ? { status: view } : {};
}

export async function refundsPage(ctx) {
  let view = ctx.query.get('status') || NEEDS_ACTION;
  const list = listArea({
    path: '/admin/refunds',
    noun: 'refund-request',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => listQuery(view),
    hrefFor: (p) => hrefWith('/admin/refunds', { status: view === NEEDS_ACTION ? null : view, page: p > 1 ? p : null }),
    empty: () => (view === NEEDS_ACTION
      ? [t('nothing-needs-you'), t('new-requests-returns-to-receive-and')]
      : [t('no-refund-requests-here'), null]),
    render: (items) => h('ul', { class: 'refund-list' }, items.map((r) => h('li', { class: 'panel refund' },
      h('div', { class: 'refund-head' },
        h('h2', {}, money(r.amount_cents, r.currency), ` ${t('for-order')} `,
          h('a', { href: `/admin/orders/${encodeURIComponent(r.order_id)}` }, r.order_number || `${r.order_id.slice(0, 8)}…`)),
        statusChip(r.status),
        h('span', { class: 'muted small' }, t('requested-date', { date: formatDate(r.created_at, { dateStyle: 'medium', timeStyle: 'short' }) }))),
      h('p', {}, h('strong', {}, `${t('reason')} `), r.reason || '—'),
      eligibilityBlock(r.eligibility),
      r.decision_note && !noteRepeatsReasons(r) ? h('p', { class: 'small' }, h('strong', {}, `${t('decision-note')} `), r.decision_note) : null,
      r.failure_message ? h('p', { class: 'error-text small' }, r.failure_message) : null,
      OPEN.has(r.status) ? decisionForm(r, () => list.load({ focusSelector: '.refund h2 a, .empty' })) : null))),
  });
  const filters = filterBar(t('filter-refunds'), [
    { name: 'status', label: t('status'), type: 'select', options: [[NEEDS_ACTION, t('needs-action')], ['all', t('any-status')], ...STATUSES.map((s) => [s, statusLabel(s)])] },
  ], { status: view }, (v) => {
    view = v.status || NEEDS_ACTION;
    ctx.router.navigate(hrefWith('/admin/refunds', { status: view === NEEDS_ACTION ? null : view }), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: t('refunds'),
    node: h('section', { class: 'page' },
      pageHead(t('refunds'), t('decide-refund-requests-the-policy-check')),
      filters, list.status, list.results),
  };
}

export { replace };
