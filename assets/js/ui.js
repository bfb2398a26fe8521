// @ts-check
// Small DOM helpers shared by the storefront and the admin area.
// Everything is built with DOM APIs (textContent, setAttribute), never by
// interpolating data into HTML strings, so API data cannot inject markup.

import { fieldLabel, fieldSentence } from './words.js';
import { t, formatMoney } from './i18n.js';

let fieldSeq = 0;

/**
 * Create an element. `props` keys:
 *   class: string | array; text: string; dataset: object;
 *   on: { event: handler }; any other key -> attribute (true -> "", false/null -> omitted);
 *   value / checked / selected / disabled are set as properties.
 * Children: nodes, strings, numbers, arrays (flattened), null/false (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  if (props === null || typeof props !== 'object' || props instanceof Node || Array.isArray(props)) {
    children.unshift(props);
    props = {};
  }
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'value' || key === 'checked' || key === 'selected' || key === 'disabled' || key === 'indeterminate') {
      el[key] = value;
      if (key === 'disabled' && value) el.setAttribute('disabled', '');
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Remove all children of `el` and append `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function uid(prefix = 'f') {
  fieldSeq += 1;
  return `${prefix}-${fieldSeq}`;
}

// -------------------------------------------------------------- formatting --

/**
 * An Error with per-field messages, shown on the form by onSubmit like an API 422's `errors`.
 * @param {string} message
 * @param {{ field: string, message: string }[]} errors
 */
export function fieldErrors(message, errors) {
  return Object.assign(new Error(message), { errors });
}

// Money has its own module (minor units per currency); re-exported for the pages.
export { currencyDigits } from './money.js';

/** Price label for a catalogue item: "Free" for zero. */
export function priceLabel(cents, currency) {
  return Number(cents) === 0 ? t('free') : formatMoney(cents, currency);
}

// Dates and money in the reader's language (i18n.js), re-exported for the pages.
export { formatDate, formatMoney } from './i18n.js';

/** 3725 -> "1 h 2 min"; 300 -> "5 min". */
export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(Number(seconds) || 0));
  if (s === 0) return '';
  const hours = Math.floor(s / 3600);
  const minutes = Math.round((s % 3600) / 60);
  if (hours && minutes) return t('hours-h-minutes-min', { hours, minutes });
  if (hours) return t('hours-h', { hours });
  return t('value-min', { value: Math.max(1, minutes) });
}

// ------------------------------------------------------------------ states --

/** A loading indicator announced to screen readers. */
export function loading(label = t('loading')) {
  return h('div', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', {}, label));
}

/** An empty state: title, optional text and optional action node. */
export function emptyState(title, text, action) {
  return h('div', { class: 'empty' }, h('p', { class: 'empty-title' }, title), text ? h('p', {}, text) : null, action || null);
}

/**
 * An error message box (role=alert) for an ApiError or any Error.
 * @param {any} err
 * @param {{ retry?: () => void }} [opts] a "Try again" button runs `retry`
 */
export function errorBox(err, { retry } = {}) {
  const message = err && err.userMessage ? err.userMessage : (err && err.message) || String(err);
  return h('div', { class: 'alert alert-error', role: 'alert' },
    h('p', {}, message),
    retry ? h('button', { type: 'button', class: 'btn btn-secondary btn-small', on: { click: retry } }, t('try-again')) : null);
}

/** A success/info message box. */
export function notice(message, kind = 'success') {
  return h('div', { class: `alert alert-${kind}`, role: 'status' }, h('p', {}, message));
}

const live = () => document.getElementById('live-region');

/** Announce a message politely to assistive technology and show it as a toast. */
export function announce(message) {
  const region = live();
  if (region) {
    region.textContent = '';
    // A separate tick makes screen readers read repeated messages too.
    setTimeout(() => {
      region.textContent = message;
    }, 50);
  }
  const host = document.getElementById('toasts');
  if (host) {
    const toast = h('div', { class: 'toast', 'aria-hidden': 'true' }, message);
    host.append(toast);
    setTimeout(() => toast.classList.add('toast-out'), 3500);
    setTimeout(() => toast.remove(), 4000);
  }
}

// ------------------------------------------------------------------- forms --

/**
 * A labelled form field with a hint and an error slot wired up with
 * aria-describedby. `opts`: label, name, type ('text', 'email', 'password',
 * 'number', 'select', 'textarea', 'checkbox', ...), value, required,
 * autocomplete, hint, options ([{value,label}] for selects), attrs.
 */
export function field(opts) {
  const { label, name, type = 'text', value, required, autocomplete, hint, options, attrs = {} } = opts;
  const id = opts.id || uid(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (type === 'select') {
    control = h('select', { id, name, required, 'aria-describedby': describedBy, ...attrs },
      (options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(value ?? '') }, o.label)));
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, required, 'aria-describedby': describedBy, ...attrs });
    control.value = value ?? '';
  } else if (type === 'checkbox') {
    control = h('input', { id, name, type, checked: Boolean(value), 'aria-describedby': describedBy, ...attrs });
    return h('div', { class: 'field field-check' },
      control, h('label', { for: id }, label),
      hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
      h('p', { class: 'field-error', id: errorId, hidden: true }));
  } else {
    control = h('input', { id, name, type, required, autocomplete, 'aria-describedby': describedBy, ...attrs });
    if (value !== undefined && value !== null) control.value = value;
  }
  return h('div', { class: 'field' },
    h('label', { for: id }, label, required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Remove error messages and aria-invalid from a form. */
export function clearFormErrors(form) {
  form.querySelectorAll('.field-error').forEach((p) => {
    p.textContent = '';
    p.hidden = true;
  });
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-invalid').forEach((el) => el.classList.remove('field-invalid'));
  const summary = form.querySelector('.form-summary');
  if (summary) summary.remove();
}

/** "is incorrect" -> "Current password is incorrect."; full sentences are kept. */
const sentence = fieldSentence;

function labelText(control) {
  const label = control.labels && control.labels[0];
  if (label) {
    const copy = label.cloneNode(true);
    copy.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    return copy.textContent.trim();
  }
  return control.getAttribute('aria-label') || '';
}

const humanize = fieldLabel;

function setFieldError(form, name, message) {
  if (!name) return null;
  const control = form.elements.namedItem(name);
  if (!control || !(control instanceof Element)) return null;
  const wrapper = control.closest('.field');
  const slot = wrapper && /** @type {HTMLElement | null} */ (wrapper.querySelector('.field-error'));
  if (!slot) return null;
  message = sentence(labelText(control), message);
  slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
  slot.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  wrapper.classList.add('field-invalid');
  return control;
}

/**
 * Show an ApiError on a form: the problem `detail` in a summary at the top,
 * each `errors[]` entry next to the field of the same name (the last segment
 * of a dotted path is tried too). Focus moves to the first invalid field, or
 * to the summary.
 */
export function showFormErrors(form, err) {
  clearFormErrors(form);
  const unmatched = [];
  let first = null;
  for (const e of (err && err.errors) || []) {
    const name = e.field || '';
    const control = setFieldError(form, name, e.message) || setFieldError(form, name.split('.').pop(), e.message);
    if (control) first = first || control;
    else unmatched.push(sentence(e.field ? humanize(e.field) : '', e.message));
  }
  let headline = err && err.userMessage ? err.userMessage : String((err && err.message) || err);
  // The API's summary of a validation failure ("email: is invalid", "2 fields
  // are invalid") repeats what the fields already say; say it for people.
  const matched = ((err && err.errors) || []).length - unmatched.length;
  if (matched > 0 && unmatched.length === 0 && /^([\w.]+: |\d+ fields are invalid)/.test(headline)) {
    headline = matched === 1 ? t('please-correct-the-highlighted-field') : t('please-correct-the-highlighted-fields');
  }
  const summary = h('div', { class: 'alert alert-error form-summary', role: 'alert', tabindex: '-1' },
    h('p', {}, headline),
    unmatched.length ? h('ul', {}, unmatched.map((m) => h('li', {}, m))) : null);
  form.prepend(summary);
  (first || summary).focus();
}

/**
 * Check a form with the browser's constraint validation and show messages in
 * our own error slots (forms use `novalidate` for consistent presentation).
 * Returns true when valid.
 */
export function validateForm(form) {
  clearFormErrors(form);
  let first = null;
  for (const control of form.elements) {
    if (!control.willValidate || control.checkValidity()) continue;
    setFieldError(form, control.name, control.validationMessage);
    first = first || control;
  }
  if (first) first.focus();
  return first === null;
}

/** Object of trimmed string values from a form (checkboxes -> booleans). */
export function formValues(form) {
  const out = {};
  for (const control of form.elements) {
    // Fieldsets have no value; controls inside a disabled fieldset are disabled too.
    if (!control.name || control.disabled || typeof control.value !== 'string' || control.matches(':disabled')) continue;
    if (control.type === 'checkbox') out[control.name] = control.checked;
    else if (control.type === 'password') out[control.name] = control.value;
    else out[control.name] = control.value.trim();
  }
  return out;
}

/** Mark a submit button busy (disabled, aria-busy, label swapped) until done() is called. */
export function busy(button, label = t('please-wait')) {
  const original = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  return () => {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = original;
  };
}

/**
 * Wire a form: validation, busy state, problem display. `handler(values, form)`
 * may return a promise; an ApiError it throws is shown on the form.
 * @param {HTMLFormElement} form
 * @param {(values: Record<string, any>, form: HTMLFormElement) => any} handler
 * @param {{ busyLabel?: string }} [opts] the submit button's text while it runs
 */
export function onSubmit(form, handler, { busyLabel } = {}) {
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!validateForm(form)) return;
    const button = form.querySelector('button[type="submit"]');
    const done = button ? busy(button, busyLabel) : () => {};
    try {
      await handler(formValues(form), form);
    } catch (err) {
      if (form.isConnected) showFormErrors(form, err);
      else console.error(err);
    } finally {
      done();
    }
  });
  return form;
}

// ---------------------------------------------------------------- markdown --

const SAFE_URL = /^(https?:\/\/|\/(?!\/)|#|mailto:)/i;

function inline(text) {
  // Tokens: `code`, **bold**, *em* / _em_, [text](url)
  const out = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    if (m[1]) out.push(h('code', {}, tok.slice(1, -1)));
    else if (m[2]) out.push(h('strong', {}, inline(tok.slice(2, -2))));
    else if (m[3]) out.push(h('em', {}, inline(tok.slice(1, -1))));
    else {
      const close = tok.indexOf('](');
      const label = tok.slice(1, close);
      const href = tok.slice(close + 2, -1);
      out.push(SAFE_URL.test(href) ? h('a', { href, rel: 'noopener noreferrer' }, label) : label);
    }
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/**
 * Render a small, safe subset of Markdown (headings, paragraphs, lists,
 * emphasis, code, links) to DOM nodes. Raw HTML is shown as text.
 */
export function markdown(src) {
  const root = h('div', { class: 'prose' });
  const lines = String(src || '').replace(/\r\n?/g, '\n').split('\n');
  let para = [];
  let list = null;
  const flush = () => {
    if (para.length) root.append(h('p', {}, inline(para.join(' '))));
    para = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (!line.trim()) {
      flush();
      list = null;
    } else if (heading) {
      flush();
      list = null;
      // Headings inside content start at h3 so the page outline stays correct.
      root.append(h(`h${Math.min(6, heading[1].length + 2)}`, {}, inline(heading[2])));
    } else if (bullet || numbered) {
      flush();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = h(tag);
        root.append(list);
      }
      list.append(h('li', {}, inline(/** @type {RegExpMatchArray} */ (bullet || numbered)[1])));
    } else {
      list = null;
      para.push(line.trim());
    }
  }
  flush();
  return root;
}

// ------------------------------------------------------------------- misc --

/** Pagination controls for a list response {total, page, per_page}. */
export function pagination({ total, page, per_page: perPage }, hrefFor, { label = t('pages') } = {}) {
  const pages = Math.max(1, Math.ceil((Number(total) || 0) / (Number(perPage) || 1)));
  if (pages <= 1) return null;
  const current = Number(page) || 1;
  const link = (p, text, rel) => (p < 1 || p > pages
    ? h('span', { class: 'btn btn-secondary btn-small', 'aria-disabled': 'true' }, text)
    : h('a', { class: 'btn btn-secondary btn-small', href: hrefFor(p), rel }, text));
  return h('nav', { class: 'pagination', 'aria-label': label },
    link(current - 1, t('previous-page'), 'prev'),
    h('span', { class: 'pagination-status' }, t('page-current-of-pages', { current, pages })),
    link(current + 1, t('next-page'), 'next'));
}

/** Star rating text such as "★ 4.6 (12 reviews)", or null when unrated. */
export function ratingLabel(average, count) {
  const n = Number(count) || 0;
  if (!n) return null;
  const avg = Number(average) || 0;
  return h('span', { class: 'rating', title: t('rated-value-out-of-5', { value: avg.toFixed(1) }) },
    h('span', { 'aria-hidden': 'true' }, '★ '),
    h('span', { class: 'visually-hidden' }, `${t('rated')} `),
    avg.toFixed(1),
    h('span', { class: 'visually-hidden' }, ` ${t('out-of-5')}`),
    h('span', { class: 'muted' }, ` (${t('count-review', { count: n })})`));
}

/** A local path from `next`, or the fallback (prevents open redirects). */
export function safeNext(next, fallback = '/') {
  if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
  // Parse as the browser would (it drops tabs and newlines, reads "\\" as "/"), so
  // "/%09/evil.example" cannot become "//evil.example"; only this origin's paths pass.
  try {
    const url = new URL(next, window.location.origin);
    if (url.origin !== window.location.origin) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** The URL of the first image of an item, accepting strings or {url} objects. */
export function imageUrl(item) {
  if (!item) return null;
  const direct = item.cover_image_url || item.cover_url || item.image_url || item.cover_image;
  // Only same-origin images: the UI never makes the browser contact another host.
  const pick = (v) => {
    const url = (typeof v === 'string' ? v : v && (v.url || v.src)) || null;
    if (!url) return null;
    try {
      return new URL(url, window.location.origin).origin === window.location.origin ? url : null;
    } catch {
      return null;
    }
  };
  if (direct) return pick(direct);
  if (Array.isArray(item.images) && item.images.length) return pick(item.images[0]);
  return null;
}

/** Insert server-sanitised HTML: parsed inertly in a <template>, scrubbed again, then attached. */
export function trustedHtml(html) {
  const tpl = document.createElement('template');
  tpl.innerHTML = String(html || '');
  const frag = tpl.content;
  // Defence in depth: nothing executable or able to load from elsewhere.
  frag.querySelectorAll('script, style, iframe, object, embed, link, meta, base, form').forEach((n) => n.remove());
  frag.querySelectorAll('*').forEach((el) => {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on') || name === 'style' || name === 'srcdoc') el.removeAttribute(attr.name);
      else if ((name === 'href' || name === 'src' || name === 'xlink:href') && /^\s*(javascript|vbscript|data):/i.test(attr.value)) el.removeAttribute(attr.name);
    }
    if (el.tagName === 'A') el.setAttribute('rel', 'noopener noreferrer');
  });
  // Headings inside a lesson start below the lesson's own h1.
  frag.querySelectorAll('h1, h2').forEach((el) => {
    const n = el.tagName === 'H1' ? 'h2' : 'h3';
    const repl = document.createElement(n);
    repl.append(...el.childNodes);
    el.replaceWith(repl);
  });
  const root = h('div', { class: 'prose lesson-body' });
  root.append(frag);
  return root;
}
