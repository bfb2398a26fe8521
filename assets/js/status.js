// @ts-check
// One vocabulary of statuses for learners and staff alike: an order awaiting payment reads
// "Awaiting payment" on the buyer's order page and in the admin's order list.

const WORDS = {
  // orders and payments
  pending: 'Awaiting payment',
  paid: 'Paid',
  fulfilled: 'Fulfilled',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
  refunded: 'Refunded',
  partially_refunded: 'Partly refunded',
  completed: 'Completed',
  failed: 'Failed',
  // refund requests
  requested: 'Waiting for review',
  return_requested: 'Waiting for the return',
  return_received: 'Return received',
  approved: 'Approved',
  processed: 'Paid back',
  rejected: 'Declined',
  // learning
  active: 'Active',
  revoked: 'Access ended',
  submitted: 'Waiting for a grade',
  graded: 'Graded',
  // catalogue
  draft: 'Draft',
  published: 'Published',
  archived: 'Archived',
};

/** A status as people read it ("return_requested" -> "Waiting for the return"). */
export function statusWords(status) {
  if (WORDS[status]) return WORDS[status];
  const text = String(status || '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
