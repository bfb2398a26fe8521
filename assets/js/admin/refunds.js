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

const STATUSES = ['requested', 'return_requested', 'return_received', 'approved', 'processed', 'rejected', 'failed'];
const OPEN = new Set(['requested', 'return_requested', 'return_received', 'failed']);

function eligibilityBlock(el) {
  if (!el || typeof el !== 'object') return null;
  const reasons = Array.isArray(el.reasons) ? el.reasons : [];
  return h('div', { class: ['eligibility', el.eligible ? 'eligible' : 'not-eligible'] },
    h('p', { class: 'eligibility-verdict' }, el.eligible ? '✓ Eligible under the refund policy' : '✗ Not eligible under the refund policy'),
    reasons.length ? h('ul', {}, reasons.map((r) => h('li', {}, typeof r === 'string' ? r : (r.message || r.code)))) : null,
    el.return_required ? h('p', { class: 'small' }, 'The goods must be returned before the money is.') : null);
}

/** A request the policy refused carries its reasons as the note as well: show them once. */
function noteRepeatsReasons(r) {
  const reasons = (r.eligibility && Array.isArray(r.eligibility.reasons)) ? r.eligibility.reasons : [];
  return reasons.length > 0 && reasons.every((x) => r.decision_note.includes(typeof x === 'string' ? x : (x.message || x.code)));
}

function decisionForm(refund, reload) {
  const noteId = uid('note');
  const form = h('form', { class: 'decision', 'aria-label': `Decide refund for order ${refund.order_number || refund.order_id}` },
    h('div', { class: 'field' }, h('label', { for: noteId }, 'Note'),
      h('input', { id: noteId, name: 'note', maxlength: 1000, 'aria-describedby': `${noteId}-hint` }),
      h('p', { class: 'hint', id: `${noteId}-hint` }, 'Required to reject; the customer sees it.'),
      h('p', { class: 'field-error', hidden: true })));
  const actions = h('div', { class: 'form-actions' });
  const act = async (button, path, needNote, verb) => {
    const note = form.elements.note.value.trim();
    if (needNote && !note) {
      showFormErrors(form, { userMessage: 'Say why the refund is rejected.', errors: [{ field: 'note', message: 'is required to reject' }] });
      return;
    }
    const done = busy(button, 'Saving…');
    try {
      const updated = await post(`/admin/refunds/${encodeURIComponent(refund.id)}/${path}`, note || !needNote ? { note: note || null } : {});
      done();
      announce(`Refund ${verb}: now ${statusLabel(updated.status).toLowerCase()}.`);
      reload();
    } catch (err) {
      done();
      showFormErrors(form, err);
    }
  };
  if (refund.status === 'return_requested') {
    const rr = h('button', { type: 'button', class: 'btn btn-secondary' }, 'Return received');
    rr.addEventListener('click', async () => {
      const done = busy(rr, 'Saving…');
      try {
        await post(`/admin/refunds/${encodeURIComponent(refund.id)}/return-received`, {});
        done();
        announce('Return recorded; the goods are back in stock.');
        reload();
      } catch (err) {
        done();
        showFormErrors(form, err);
      }
    });
    actions.append(rr);
  }
  const approve = h('button', { type: 'button', class: 'btn btn-primary' }, refund.status === 'failed' ? 'Retry refund' : 'Approve and refund');
  approve.addEventListener('click', () => {
    // Money sent back cannot be recalled: ask once, naming the amount.
    const what = `${money(refund.amount_cents, refund.currency)} for order ${refund.order_number || refund.order_id}`;
    if (!window.confirm(refund.status === 'failed' ? `Send the refund of ${what} again?` : `Approve and pay back ${what}? This cannot be undone.`)) return;
    act(approve, 'approve', false, 'approved');
  });
  actions.append(approve);
  if (refund.status !== 'failed') {
    const reject = h('button', { type: 'button', class: 'btn btn-danger-outline' }, 'Reject');
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
    noun: 'refund request',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => listQuery(view),
    hrefFor: (p) => hrefWith('/admin/refunds', { status: view === NEEDS_ACTION ? null : view, page: p > 1 ? p : null }),
    empty: () => (view === NEEDS_ACTION
      ? ['Nothing needs you.', 'New requests, returns to receive and payouts to retry appear here.']
      : ['No refund requests here.', null]),
    render: (items) => h('ul', { class: 'refund-list' }, items.map((r) => h('li', { class: 'panel refund' },
      h('div', { class: 'refund-head' },
        h('h2', {}, money(r.amount_cents, r.currency), ' for order ',
          h('a', { href: `/admin/orders/${encodeURIComponent(r.order_id)}` }, r.order_number || `${r.order_id.slice(0, 8)}…`)),
        statusChip(r.status),
        h('span', { class: 'muted small' }, `Requested ${formatDate(r.created_at, { dateStyle: 'medium', timeStyle: 'short' })}`)),
      h('p', {}, h('strong', {}, 'Reason: '), r.reason || '—'),
      eligibilityBlock(r.eligibility),
      r.decision_note && !noteRepeatsReasons(r) ? h('p', { class: 'small' }, h('strong', {}, 'Decision note: '), r.decision_note) : null,
      r.failure_message ? h('p', { class: 'error-text small' }, r.failure_message) : null,
      OPEN.has(r.status) ? decisionForm(r, () => list.load({ focusSelector: '.refund h2 a, .empty' })) : null))),
  });
  const filters = filterBar('Filter refunds', [
    { name: 'status', label: 'Status', type: 'select', options: [[NEEDS_ACTION, 'Needs action'], ['all', 'Any status'], ...STATUSES.map((s) => [s, statusLabel(s)])] },
  ], { status: view }, (v) => {
    view = v.status || NEEDS_ACTION;
    ctx.router.navigate(hrefWith('/admin/refunds', { status: view === NEEDS_ACTION ? null : view }), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: 'Refunds',
    node: h('section', { class: 'page' },
      pageHead('Refunds', 'Decide refund requests. The policy check is shown with each one; you may still approve by hand.'),
      filters, list.status, list.results),
  };
}

export { replace };
