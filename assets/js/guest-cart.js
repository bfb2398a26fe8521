// @ts-check
// A visitor's cart, kept in this browser until they sign in: then every line goes into their
// account's cart (POST /api/cart, the same checks as any add) and the browser copy is gone.
// It holds only item ids and quantities, never a token or anything personal.

import { post, ApiError } from './api.js';

const KEY = 'sh_guest_cart';

/** The lines [{item_type, item_id, quantity}], oldest first. */
export function guestLines() {
  try {
    const lines = JSON.parse(window.localStorage.getItem(KEY) || '[]');
    return Array.isArray(lines) ? lines.filter((l) => l && l.item_id && (l.item_type === 'course' || l.item_type === 'product')) : [];
  } catch {
    return [];
  }
}

function save(lines) {
  try {
    if (lines.length) window.localStorage.setItem(KEY, JSON.stringify(lines));
    else window.localStorage.removeItem(KEY);
  } catch {
    // Storage turned off: the visitor is asked to sign in instead (see addAsGuest).
  }
  window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
}

/** Adds a line (a course once; a product's quantities add up); false when storage is off. */
export function addAsGuest(itemType, itemId, quantity = 1) {
  const lines = guestLines();
  const same = lines.find((l) => l.item_type === itemType && l.item_id === itemId);
  if (same) same.quantity = itemType === 'course' ? 1 : Math.min(1000, same.quantity + quantity);
  else lines.push({ item_type: itemType, item_id: itemId, quantity: itemType === 'course' ? 1 : quantity });
  save(lines);
  return guestLines().length > 0;
}

export function setGuestQuantity(itemType, itemId, quantity) {
  save(guestLines().map((l) => (l.item_type === itemType && l.item_id === itemId ? { ...l, quantity } : l)));
}

export function removeGuestLine(itemType, itemId) {
  save(guestLines().filter((l) => !(l.item_type === itemType && l.item_id === itemId)));
}

/** Units in the visitor's cart, for the header's count. */
export function guestCount() {
  return guestLines().reduce((n, l) => n + (Number(l.quantity) || 0), 0);
}

/**
 * After signing in: moves every line into the account's cart. A line the server refuses (a
 * course already owned, an item no longer for sale, too little stock) is left out and named
 * in the returned messages; the browser copy is removed either way.
 */
export async function mergeGuestCart() {
  const lines = guestLines();
  if (!lines.length) return [];
  const refused = [];
  for (const line of lines) {
    try {
      await post('/cart', line);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      refused.push(err.userMessage);
    }
  }
  save([]);
  return refused;
}
