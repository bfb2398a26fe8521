// @ts-check
// The API's field names and messages as sentences people read: "max_price: must not be
// below min_price" becomes "Max price must not be below min price."

/** "max_price" -> "Max price"; "shipping_address.postal_code" -> "Postal code". */
export function fieldLabel(field) {
  const last = (String(field || '').split('.').pop() || '').replace(/\[\d+\]/g, '');
  return last.replace(/_+/g, ' ').trim().replace(/^./, (c) => c.toUpperCase());
}

// A message that goes on from the field's name ("must be positive") rather than one that
// stands alone ("an account with this email already exists").
const CONTINUES_A_NAME = /^(must|is|are|cannot|can|should|was|were|has|have|may|needs?|does|do|contains?|exceeds?|too|not|only)\b/;

/** snake_case names inside a message read as words: "below min_price" -> "below min price". */
function plainNames(text) {
  return text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, (name) => name.replace(/_/g, ' '));
}

/** One sentence from a field's label and the API's message about it. */
export function fieldSentence(label, message) {
  let text = plainNames(String(message || '').trim());
  if (label && CONTINUES_A_NAME.test(text)) text = `${label} ${text}`;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return !text || /[.!?)]$/.test(text) ? text : `${text}.`;
}

/** The API's one-line `detail` ("max_price: must not be below min_price") as a sentence. */
export function problemSentence(detail) {
  const named = /^([a-z][\w.[\]]*): (.+)$/s.exec(String(detail || '').trim());
  return named ? fieldSentence(fieldLabel(named[1]), named[2]) : fieldSentence('', detail);
}
