// @ts-check
// One vocabulary of statuses for learners and staff alike: an order awaiting payment reads
// "Awaiting payment" on the buyer's order page and in the admin's order list. The words are
// the catalogue's `status-*` messages (status-pending, status-return-requested ...).

import { t } from './i18n.js';

const KNOWN = new Set([
  'pending',
  'paid',
  'fulfilled',
  'shipped',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
  'completed',
  'failed',
  'requested',
  'return_requested',
  'return_received',
  'approved',
  'processed',
  'rejected',
  'active',
  'revoked',
  'submitted',
  'graded',
  'draft',
  'published',
  'archived',
]);

/** A status as people read it ("return_requested" -> "Waiting for the return"). */
export function statusWords(status) {
  if (KNOWN.has(status)) return t(`status-${String(status).replace(/_/g, '-')}`);
  const text = String(status || '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
