// @ts-check
// Helpers shared by the admin pages: page heads, tables, status chips,
// money fields, list loading with paging, feature detection and dialogs.

import { api, get, ApiError } from '../api.js';
import { DEFAULT_CURRENCY } from '../money.js';
import {
  h, replace, loading, emptyState, errorBox, pagination, uid,
} from '../ui.js';
import { statusWords } from '../status.js';
import { t } from '../i18n.js';

/** The page heading block: title, optional lead text and actions on the right. */
export function pageHead(title, lead, ...actions) {
  return h('div', { class: 'page-head page-head-row' },
    h('div', {}, h('h1', {}, title), lead ? h('p', { class: 'lead' }, lead) : null),
    actions.length ? h('div', { class: 'head-actions' }, actions) : null);
}

/** A back link shown above a detail page's heading. */
export function backLink(href, text) {
  return h('p', { class: 'back-link' }, h('a', { href }, h('span', { 'aria-hidden': 'true' }, '← '), text));
}

const STATUS_TONE = {
  published: 'on', active: 'on', paid: 'on', fulfilled: 'on', delivered: 'on', completed: 'on', processed: 'on', graded: 'on', approved: 'on',
  shipped: 'info', submitted: 'warn', pending: 'warn', requested: 'warn', return_requested: 'warn', return_received: 'info', draft: 'muted',
  archived: 'muted', cancelled: 'off', refunded: 'off', partially_refunded: 'warn', rejected: 'off', failed: 'off', revoked: 'off',
};

export const statusLabel = statusWords;

/** A coloured status pill, e.g. "Published", "Shipped". */
export function statusChip(status) {
  const tone = STATUS_TONE[status] || 'muted';
  return h('span', { class: ['pill', `pill-${tone}`] }, statusLabel(status));
}

/** A scrollable, labelled table. `columns`: header labels (string or node); `rows`: <tr> nodes. */
export function table(label, columns, rows) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label },
    h('table', { class: 'table' },
      h('caption', { class: 'visually-hidden' }, label),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows)));
}

// Money fields read and write through the one money module (minor units per currency).
export { parseMoney, moneyInput } from '../money.js';
// Amounts in the reader's language, each currency with its own minor units.
export { formatMoney as money } from '../i18n.js';

let storeCurrencyLoad = null;

/**
 * The store's currency (GET /api/settings), fetched once: new products, courses and coupons
 * are priced in it, so their money fields must use its minor units, not a guess.
 * @returns {Promise<string>}
 */
export function storeCurrency() {
  storeCurrencyLoad = storeCurrencyLoad || get('/settings')
    .then((st) => (st && st.currency) || DEFAULT_CURRENCY)
    .catch(() => {
      storeCurrencyLoad = null;
      return DEFAULT_CURRENCY;
    });
  return storeCurrencyLoad;
}

/** An <input type=number>/text value as an integer, or null when empty. */
export function intOrNull(text) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  return Number(t);
}

const probes = new Map();

/**
 * Whether an endpoint exists on this server: false only when the route is
 * unknown (404) or forbidden for this role (403). Cached per path.
 */
export function probe(path, query) {
  const key = path + JSON.stringify(query || {});
  if (!probes.has(key)) {
    probes.set(key, api(path, { query: { per_page: 1, ...query } })
      .then(() => true)
      .catch((err) => !(err instanceof ApiError && (err.status === 404 || err.status === 403 || err.status === 405))));
  }
  return probes.get(key);
}

/**
 * A list area that loads pages of `path` into a table: handles the loading,
 * empty and error states, the result count and paging links.
 * opts: path, query() -> object, perPage, render(items, body) -> node,
 * empty: [title, text, action] (or a function giving them), noun (nouns when not noun + 's'), hrefFor(page), signal.
 */
export function listArea(opts) {
  const status = h('p', { class: 'results-status', role: 'status' });
  const results = h('div', { class: 'results' });
  let page = Math.max(1, Number(opts.page) || 1);
  let seq = 0;

  /** @param {{ focusSelector?: string, to?: number }} [opts] where focus goes after loading; the page to load */
  async function load({ focusSelector, to } = {}) {
    if (to) page = to;
    const mine = ++seq;
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) replace(results, loading(t(`list-loading-${opts.noun}`)));
    try {
      const query = { page, per_page: opts.perPage || 25, ...(opts.query ? opts.query() : {}) };
      const body = await api(opts.path, { query, signal: opts.signal });
      if (mine !== seq) return;
      const items = Array.isArray(body) ? body : (body.items || []);
      const total = Number(body.total ?? items.length);
      status.textContent = t(`list-count-${opts.noun}`, { count: total });
      if (!items.length) {
        const empty = typeof opts.empty === 'function' ? opts.empty() : opts.empty;
        const [title, text, action] = empty || [t(`list-empty-${opts.noun}`)];
        replace(results, emptyState(title, text, action));
      } else {
        replace(results, opts.render(items, body),
          opts.hrefFor ? pagination({ total, page: body.page || page, per_page: body.per_page || opts.perPage || 25 }, opts.hrefFor, { label: t(`list-pages-${opts.noun}`) }) : null);
      }
      if (focusSelector) {
        const el = results.querySelector(focusSelector);
        if (el) el.focus();
      }
    } catch (err) {
      if (err.name === 'AbortError' || mine !== seq) return;
      status.textContent = '';
      replace(results, errorBox(err, { retry: () => load() }));
    } finally {
      if (mine === seq) results.removeAttribute('aria-busy');
    }
  }

  results.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('.pagination a[href]') : null;
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    page = Math.max(1, Number(new URL(a.href).searchParams.get('page')) || 1);
    if (opts.onPage) opts.onPage(page);
    load({ focusSelector: '.table-wrap, .empty' });
  });

  return { status, results, load, get page() { return page; } };
}

/** A filter toolbar from field descriptors; calls onApply(values) on submit or select change. */
export function filterBar(label, fields, values, onApply) {
  const form = h('form', { class: 'toolbar', role: 'search', 'aria-label': label });
  for (const f of fields) {
    const id = uid(f.name);
    let control;
    if (f.type === 'select') {
      control = h('select', { id, name: f.name },
        f.options.map(([v, l]) => h('option', { value: v, selected: (values[f.name] || '') === v }, l)));
    } else {
      control = h('input', { id, name: f.name, type: f.type || 'text', placeholder: f.placeholder || null, autocomplete: 'off', value: values[f.name] || '' });
    }
    form.append(h('div', { class: ['field', f.type === 'date' ? 'field-date' : null] }, h('label', { for: id }, f.label), control));
  }
  form.append(h('button', { type: 'submit', class: 'btn btn-primary' }, t('apply')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const out = {};
    for (const [k, v] of new FormData(form)) {
      const s = String(v).trim();
      if (s) out[k] = s;
    }
    onApply(out);
  });
  form.addEventListener('change', (e) => {
    if (e.target instanceof HTMLSelectElement) form.requestSubmit();
  });
  return form;
}

/** Build a URL for `base` from an object of query values (empty ones dropped). */
export function hrefWith(base, values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

/** Query parameters of ctx as a plain object limited to `keys`. */
export function pick(query, keys) {
  const out = {};
  for (const k of keys) if (query.get(k)) out[k] = query.get(k);
  return out;
}

/**
 * A modal dialog (native <dialog>, so focus is trapped and Escape closes it).
 * Resolves with the value passed to close(), or null when dismissed.
 * build(close) returns the dialog's content.
 */
export function openDialog(title, build) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = uid('dlg');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
    let result = null;
    const close = (value = null) => {
      result = value;
      dialog.close();
    };
    dialog.append(h('h2', { id: titleId, class: 'dialog-title' }, title), build(close));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Date (YYYY-MM-DD) for inputs, `days` from today. */
export function isoDay(offsetDays = 0, from = new Date()) {
  const d = new Date(from.getTime() + offsetDays * 86400000);
  return d.toISOString().slice(0, 10);
}

