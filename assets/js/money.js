// @ts-check
// Money in the UI, in one place: the API sends and takes integer minor units
// (cents) of an ISO 4217 currency; these functions turn them into text for a
// reader and turn what an admin types back into minor units. How many minor
// units a currency has comes from Intl (JPY 0, EUR 2, KWD 3), never from a
// hard-coded 100. No DOM here, so node's test runner checks it
// (tests/ui/unit/money.test.mjs).

export const DEFAULT_CURRENCY = 'USD';

/** @type {Map<string, Intl.NumberFormat>} */
const formats = new Map();

/**
 * The currency formatter for `currency` in `locale` (the reader's when undefined), cached.
 * An unknown code falls back to the default currency rather than throwing in a page.
 * @param {string | null | undefined} currency
 * @param {string | undefined} locale
 * @returns {Intl.NumberFormat}
 */
function formatter(currency, locale) {
  const code = (currency || DEFAULT_CURRENCY).toUpperCase();
  const key = `${locale || ''}|${code}`;
  let fmt = formats.get(key);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
    } catch {
      fmt = new Intl.NumberFormat(locale, { style: 'currency', currency: DEFAULT_CURRENCY });
    }
    formats.set(key, fmt);
  }
  return fmt;
}

/**
 * Number of minor-unit digits of a currency: 0 for JPY, 2 for EUR, 3 for KWD.
 * @param {string | null} [currency]
 * @returns {number}
 */
export function currencyDigits(currency = DEFAULT_CURRENCY) {
  return formatter(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Integer minor units as a plain number of major units (1250 EUR -> 12.5, 1200 JPY -> 1200).
 * @param {number | string} cents
 * @param {string | null | undefined} currency
 */
function toMajor(cents, currency) {
  return Number(cents) / 10 ** currencyDigits(currency);
}

/**
 * Integer minor units of `currency` as text for a reader: formatMoney(1250, 'EUR', 'en') is
 * "€12.50", formatMoney(1200, 'JPY', 'en') "¥1,200", formatMoney(-500, 'USD', 'en') "-$5.00"
 * (refunds). Empty text for a missing or non-numeric amount.
 * @param {number | string | null | undefined} cents
 * @param {string | null} [currency]
 * @param {string} [locale] the reader's locale when not given
 * @returns {string}
 */
export function formatMoney(cents, currency = DEFAULT_CURRENCY, locale = undefined) {
  if (cents === null || cents === undefined || cents === '' || Number.isNaN(Number(cents))) return '';
  return formatter(currency, locale).format(toMajor(Number(cents) || 0, currency)); // no "-$0.00"
}

/**
 * A short amount for chart axes: 1234567 USD cents -> "$12K" (at most one decimal).
 * @param {number | string} cents
 * @param {string | null} [currency]
 * @param {string} [locale]
 * @returns {string}
 */
export function formatMoneyShort(cents, currency = DEFAULT_CURRENCY, locale = undefined) {
  const code = formatter(currency, locale).resolvedOptions().currency;
  return new Intl.NumberFormat(locale, {
    style: 'currency', currency: code, notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1,
  })
    .format(toMajor(Number(cents) || 0, code)); // `|| 0`: -0 would read "-$0"
}

/**
 * What an admin typed into a price field, as integer minor units of `currency`:
 * "12.50" EUR -> 1250, "12,5" EUR -> 1250, "1200" JPY -> 1200, "1,200" JPY -> 1200,
 * "1,234.56" USD -> 123456, "0.125" KWD -> 125. Returns null for an empty field and NaN
 * for anything else: a negative amount, letters, or more decimals than the currency has
 * ("12.505" EUR, "12.5" JPY).
 *
 * Both "." and "," are accepted as the decimal point. A lone separator followed by exactly
 * three digits is a thousands separator for a currency without decimals ("1,200" JPY), the
 * decimal point for one with three ("1,200" KWD is 1.2 dinars), and refused for the others
 * ("1,200" USD could be 1200 or 1.20 dollars: guessing wrong would misprice by 1000 times).
 * @param {string | number | null | undefined} text
 * @param {string | null} [currency]
 * @returns {number | null}
 */
export function parseMoney(text, currency = DEFAULT_CURRENCY) {
  const t = String(text ?? '').replace(/[\s\u00a0\u202f']/g, '');
  if (t === '') return null;
  if (!/^[\d.,]+$/.test(t) || !/\d/.test(t)) return Number.NaN;
  const digits = currencyDigits(currency);
  const seps = t.match(/[.,]/g) || [];
  const lastSep = Math.max(t.lastIndexOf('.'), t.lastIndexOf(','));
  let decimalAt = -1;
  if (seps.length > 0) {
    const mixed = seps.some((s) => s !== seps[0]);
    const after = t.length - lastSep - 1;
    if (mixed) decimalAt = lastSep; // "1.234,56" / "1,234.56": the last one is the decimal point
    else if (seps.length > 1) decimalAt = -1; // "1,234,567": grouping only
    else if (after !== 3 || digits === 3) decimalAt = lastSep; // "12,5" / "0.125" KWD
    else if (digits === 0) decimalAt = -1; // "1,200" JPY: yen have no decimals, so grouping
    else return Number.NaN; // "1,200" USD: $1,200 or $1.20? Ask rather than guess.
  }
  const intPart = decimalAt === -1 ? t : t.slice(0, decimalAt);
  const frac = decimalAt === -1 ? '' : t.slice(decimalAt + 1);
  const groups = intPart.split(/[.,]/);
  if (groups.length > 1 && (groups[0] === '' || groups.slice(1).some((g) => g.length !== 3))) return Number.NaN;
  const whole = groups.join('');
  if (frac.length > digits) return Number.NaN;
  const cents = Number(whole || '0') * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(cents) ? cents : Number.NaN;
}

/**
 * Integer minor units as the text a money input starts with: 1250 EUR -> "12.50",
 * 1200 JPY -> "1200", 125 KWD -> "0.125"; empty for a missing amount.
 * @param {number | string | null | undefined} cents
 * @param {string | null} [currency]
 * @returns {string}
 */
export function moneyInput(cents, currency = DEFAULT_CURRENCY) {
  if (cents === null || cents === undefined || cents === '' || Number.isNaN(Number(cents))) return '';
  const digits = currencyDigits(currency);
  return toMajor(cents, currency).toFixed(digits);
}
