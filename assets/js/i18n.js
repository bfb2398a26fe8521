// @ts-check
// The UI's language: which catalogue (assets/locales/<code>/ui.ftl, Project Fluent) the pages
// read their words from, `t(key, args)` to read them, and numbers, dates and money formatted
// with Intl for that language. The server says which locale a request gets (GET /api/i18n:
// profile, then the schoolhouse_locale cookie, then Accept-Language, then the school's
// default); the two pseudo-locales en-XA and ar-XB are built here from the English catalogue
// so tests can see truncation and unmirrored layout without a translator.

import { FluentBundle, FluentResource } from '../vendor/fluent-bundle-0.19.1/index.js';
import { formatMoney as moneyIn } from './money.js';

export const COOKIE = 'schoolhouse_locale';
export const FALLBACK_LOCALE = 'en';

/** Languages the UI ships without asking the server, and the pseudo-locales built from English. */
export const BUILT_IN = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
];
export const PSEUDO = {
  'en-XA': { base: 'en', dir: 'ltr', name: 'English (pseudo, accented)' },
  'ar-XB': { base: 'en', dir: 'rtl', name: 'English (pseudo, right-to-left)' },
};

const ACCENTS = {
  a: 'á', b: 'ƀ', c: 'ç', d: 'ð', e: 'é', f: 'ƒ', g: 'ĝ', h: 'ĥ', i: 'í', j: 'ĵ', k: 'ķ', l: 'ļ', m: 'ɱ',
  n: 'ñ', o: 'ó', p: 'þ', q: 'ǫ', r: 'ŕ', s: 'š', t: 'ţ', u: 'ú', v: 'ṽ', w: 'ŵ', x: 'ẋ', y: 'ý', z: 'ž',
  A: 'Á', B: 'Ɓ', C: 'Ç', D: 'Ð', E: 'É', F: 'Ƒ', G: 'Ĝ', H: 'Ĥ', I: 'Í', J: 'Ĵ', K: 'Ķ', L: 'Ļ', M: 'Ṁ',
  N: 'Ñ', O: 'Ó', P: 'Þ', Q: 'Ǫ', R: 'Ŕ', S: 'Š', T: 'Ţ', U: 'Ú', V: 'Ṽ', W: 'Ŵ', X: 'Ẋ', Y: 'Ý', Z: 'Ž',
};

/**
 * en-XA: every letter accented, and vowels, "n", "s" and "y" doubled, so the words grow by about
 * 40% (the room French or German text takes) and stay readable. Only the words of a pattern
 * are changed, never the values placed into it.
 * @param {string} text
 */
export function accented(text) {
  return text.replace(/[A-Za-z]/g, (c) => (/[aeiounsyAEIOUNSY]/.test(c) ? ACCENTS[c] + ACCENTS[c.toLowerCase()] : ACCENTS[c]));
}

/**
 * ar-XB: each word shown right-to-left (RIGHT-TO-LEFT OVERRIDE ... POP DIRECTIONAL FORMATTING),
 * the way an Arabic catalogue reads, while the page runs dir=rtl.
 * @param {string} text
 */
export function mirrored(text) {
  return text.replace(/[A-Za-z][A-Za-z'’]*/g, (word) => `\u202e${word}\u202c`);
}

/**
 * A pseudo-locale's catalogue from the English one: the same messages with their text parts
 * transformed (placeables, variable names and selector keys untouched).
 * @param {string} source Fluent source of the English catalogue
 * @param {string} code 'en-XA' or 'ar-XB'
 * @returns {FluentResource}
 */
export function pseudoResource(source, code) {
  const transform = code === 'ar-XB' ? mirrored : accented;
  const resource = new FluentResource(source);
  /** @param {any} pattern */
  const walk = (pattern) => {
    if (typeof pattern === 'string') return transform(pattern);
    if (!Array.isArray(pattern)) return pattern;
    return pattern.map((el) => {
      if (typeof el === 'string') return transform(el);
      if (el && el.type === 'select') el.variants.forEach((v) => { v.value = walk(v.value); });
      return el;
    });
  };
  for (const entry of resource.body) {
    if (entry.value !== null) entry.value = walk(entry.value);
    for (const name of Object.keys(entry.attributes)) entry.attributes[name] = walk(entry.attributes[name]);
  }
  return resource;
}

/**
 * A bundle for `code` from Fluent source. Isolation marks are kept off: placeables are names,
 * prices and counts, and the marks would show up in copied text and text comparisons.
 * @param {string} code
 * @param {string} source
 * @returns {{ bundle: FluentBundle, errors: Error[] }}
 */
export function makeBundle(code, source) {
  const resource = PSEUDO[code] ? pseudoResource(source, code) : new FluentResource(source);
  const bundle = new FluentBundle(PSEUDO[code] ? PSEUDO[code].base : code, { useIsolating: false });
  const errors = bundle.addResource(resource);
  return { bundle, errors };
}

// ----------------------------------------------------------------- state --

let current = FALLBACK_LOCALE;
let direction = 'ltr';
/** @type {{ code: string, name: string, dir: string }[]} */
let available = BUILT_IN.slice();
let defaultLocale = FALLBACK_LOCALE;
let serverInfo = false;
/** @type {FluentBundle | null} */
let bundle = null;
/** @type {FluentBundle | null} */
let english = null;
/** @type {Set<(code: string) => void>} */
const listeners = new Set();

/** The locale the pages are in ('en', 'fr', 'ar-XB' ...). */
export function locale() {
  return current;
}

/** 'ltr' or 'rtl'. */
export function dir() {
  return direction;
}

/** The languages a reader may pick (the server's list, or the built-in ones). */
export function languages() {
  return available.slice();
}

/** True when the server negotiates languages itself (GET /api/i18n answered): courses then have a language. */
export function serverSpeaksLanguages() {
  return serverInfo;
}

/** The locale Intl formats numbers and dates for (a pseudo-locale formats like its base). */
export function intlLocale() {
  return PSEUDO[current] ? PSEUDO[current].base : current;
}

/**
 * The text of `key` in the current language, with `args` placed (plural forms through
 * Fluent's NUMBER selectors). A key missing from the catalogue reads as the English text,
 * then as the key itself, so a gap shows rather than breaking the page.
 * @param {string} key message id, or "id.attribute"
 * @param {Record<string, string | number | Date | null | undefined>} [args]
 * @returns {string}
 */
export function t(key, args) {
  const [id, attr] = key.split('.');
  for (const b of [bundle, english]) {
    const message = b && b.getMessage(id);
    if (!message) continue;
    const pattern = attr ? message.attributes[attr] : message.value;
    if (!pattern) continue;
    /** @type {Record<string, any>} */
    const clean = {};
    for (const [k, v] of Object.entries(args || {})) clean[k] = v === null || v === undefined ? '' : v;
    return b.formatPattern(pattern, clean, []);
  }
  return key;
}

/**
 * A note on an order's history: the system's are message names (`@payment-received`,
 * `@hold-lapsed?minutes=30`, see commerce::history_note), said in the reader's language;
 * a note staff typed is shown as typed.
 * @param {string} note
 */
export function historyNote(note) {
  const m = /^@([a-z-]+)(?:\?([a-z]+)=(-?\d+))?$/.exec(note || '');
  if (!m) return note;
  return t(`order-note-${m[1]}`, m[2] ? { [m[2]]: Number(m[3]) } : {});
}

/**
 * A number for a reader of the current language ("1 234,5" in French).
 * @param {number | string} n
 * @param {Intl.NumberFormatOptions} [opts]
 */
export function formatNumber(n, opts) {
  return new Intl.NumberFormat(intlLocale(), opts).format(Number(n) || 0);
}

/**
 * A date (RFC 3339 text or Date) for a reader of the current language; empty for none.
 * @param {string | Date | null | undefined} iso
 * @param {Intl.DateTimeFormatOptions} [opts]
 */
export function formatDate(iso, opts = { dateStyle: 'medium' }) {
  if (!iso) return '';
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale(), opts).format(d);
}

/**
 * Integer minor units of `currency` for a reader of the current language (money.js keeps
 * each currency's own minor units: 1200 JPY is ¥1,200, 1250 EUR is 12,50 € in French).
 * @param {number | string | null | undefined} cents
 * @param {string | null} [currency]
 */
export function formatMoney(cents, currency) {
  return moneyIn(cents, currency, intlLocale());
}

/** Run `fn(code)` after every change of language (pages re-render their words). */
export function onLocaleChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** @param {string} name */
function readCookie(name) {
  const hit = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${name}=`));
  return hit ? decodeURIComponent(hit.slice(name.length + 1)) : null;
}

/** The visitor's choice, kept for a year on every path (the server reads it too). */
export function rememberLocale(code) {
  document.cookie = `${COOKIE}=${encodeURIComponent(code)}; path=/; max-age=31536000; samesite=lax`;
}

/** @param {string} code */
async function catalogueSource(code) {
  const res = await fetch(`/locales/${encodeURIComponent(code)}/ui.ftl`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`catalogue ${code}: HTTP ${res.status}`);
  return res.text();
}

/**
 * The best of `wanted` (most preferred first) among `codes`: an exact match, then the same
 * language ("fr-CA" -> "fr").
 * @param {readonly string[]} wanted
 * @param {string[]} codes
 */
export function pickLocale(wanted, codes) {
  for (const w of wanted) {
    if (!w) continue;
    const exact = codes.find((c) => c.toLowerCase() === w.toLowerCase());
    if (exact) return exact;
    const lang = w.split('-')[0].toLowerCase();
    const same = codes.find((c) => c.split('-')[0].toLowerCase() === lang && !PSEUDO[c]);
    if (same) return same;
  }
  return null;
}

/**
 * Which locale this page starts in: the server's answer (GET /api/i18n); when the server has
 * no such endpoint (404), the cookie, then the browser's languages, then English.
 */
async function negotiate() {
  const cookie = readCookie(COOKIE);
  try {
    const res = await fetch('/api/i18n', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (res.ok) {
      const info = await res.json();
      serverInfo = true;
      if (Array.isArray(info.available) && info.available.length) available = info.available;
      defaultLocale = info.default_locale || FALLBACK_LOCALE;
      // Pseudo-locales are built here, so the cookie may name one the server does not list.
      if (cookie && PSEUDO[cookie]) return cookie;
      return info.locale || defaultLocale;
    }
  } catch {
    // Offline or no server: the browser's own preference below.
  }
  const codes = [...available.map((l) => l.code), ...Object.keys(PSEUDO)];
  return pickLocale([cookie || '', ...(navigator.languages || [navigator.language])], codes) || defaultLocale;
}

/**
 * Switch the pages to `code`: fetch its catalogue, set <html lang dir>, translate the
 * static page (data-i18n) and tell listeners. English stays loaded as the fallback.
 * @param {string} code
 */
export async function setLocale(code) {
  const base = PSEUDO[code] ? PSEUDO[code].base : code;
  let source;
  try {
    source = await catalogueSource(base);
  } catch (err) {
    console.error(err);
    code = FALLBACK_LOCALE;
    source = await catalogueSource(FALLBACK_LOCALE);
  }
  if (!english) english = code === FALLBACK_LOCALE ? makeBundle('en', source).bundle : makeBundle('en', await catalogueSource('en')).bundle;
  const made = makeBundle(code, source);
  made.errors.forEach((e) => console.error(e));
  bundle = made.bundle;
  current = code;
  const known = available.find((l) => l.code === code);
  direction = PSEUDO[code] ? PSEUDO[code].dir : (known && known.dir) || 'ltr';
  document.documentElement.lang = code;
  document.documentElement.dir = direction;
  translateDocument(document);
  listeners.forEach((fn) => fn(code));
}

/**
 * Fill the page's static words: `data-i18n="key"` sets the text, `data-i18n-attr="aria-label:key
 * title:key"` sets attributes (index.html keeps English text for a browser without scripts).
 * @param {ParentNode} root
 */
export function translateDocument(root) {
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n || '');
  });
  root.querySelectorAll('[data-i18n-attr]').forEach((el) => {
    for (const pair of (/** @type {HTMLElement} */ (el).dataset.i18nAttr || '').split(/\s+/).filter(Boolean)) {
      const [attr, key] = pair.split(':');
      el.setAttribute(attr, t(key));
    }
  });
  const title = root.querySelector('title[data-i18n]');
  if (title) document.title = title.textContent || document.title;
}

/**
 * A signed-in user's own choice (profile `locale`) wins over the cookie and the browser: switch
 * to it when it differs and the school offers it.
 * @param {{ locale?: string | null } | null} user
 */
export async function followProfileLocale(user) {
  const wanted = user && user.locale;
  // A pseudo-locale is a tester's explicit choice (cookie) and stays.
  if (!wanted || wanted === current || PSEUDO[current] || !available.some((l) => l.code === wanted)) return;
  await setLocale(wanted);
}

/** Load the negotiated language before the first page renders. */
export async function initI18n() {
  await setLocale(await negotiate());
}
