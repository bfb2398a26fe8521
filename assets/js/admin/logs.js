// @ts-check
// Admin > Audit log and Error log: read-only, filterable lists
// (GET /api/admin/audit?actor=&action=&target=&from=&to=, GET /api/admin/errors).

import { h, formatDate } from '../ui.js';
import { pageHead, table, listArea, filterBar, hrefWith, pick } from './common.js';
import { t } from '../i18n.js';

const when = (t) => formatDate(t, { dateStyle: 'medium', timeStyle: 'medium' });

function text(v) {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** A detail value: an object as one "key: value" line per member, so long values wrap. */
function summary(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v).filter(([, x]) => x !== null && x !== undefined && x !== '');
    if (!entries.length) return null;
    return h('ul', { class: 'detail-list' }, entries.map(([k, x]) => h('li', {}, h('span', { class: 'muted' }, `${k}: `), text(x))));
  }
  return text(v);
}

function logPage({ ctx, path, base, title, lead, noun, fields, keys, columns, row }) {
  const values = pick(ctx.query, keys);
  const list = listArea({
    path,
    noun,
    signal: ctx.signal,
    perPage: 50,
    page: ctx.query.get('page'),
    query: () => values,
    hrefFor: (p) => hrefWith(base, { ...values, page: p > 1 ? p : null }),
    onPage: (p) => ctx.router.navigate(hrefWith(base, { ...values, page: p > 1 ? p : null }), { silent: true }),
    empty: Object.keys(values).length ? [t(`logs-no-match-${noun}`), t('try-other-filters')] : [t(`logs-none-${noun}`)],
    render: (items) => table(title, columns, items.map(row)),
  });
  const filters = filterBar(t(`logs-filter-${noun}`), fields, values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith(base, values), { silent: true });
    list.load({ to: 1 });
  });
  return list.load().then(() => ({
    title,
    node: h('section', { class: 'page' }, pageHead(title, lead), filters, list.status, list.results),
  }));
}

export function auditPage(ctx) {
  return logPage({
    ctx,
    path: '/admin/audit',
    base: '/admin/audit',
    title: t('audit-log'),
    lead: t('audit-log-lead'),
    noun: 'entry',
    keys: ['actor', 'action', 'target_type', 'target', 'from', 'to'],
    fields: [
      { name: 'actor', label: t('actor'), type: 'search', placeholder: t('user-id') },
      { name: 'action', label: t('action'), type: 'search', placeholder: t('login-failed-or-order') },
      { name: 'target_type', label: t('target-type'), type: 'search', placeholder: t('e-g-order-refund-user') },
      { name: 'target', label: t('target'), type: 'search', placeholder: t('id') },
      { name: 'from', label: t('from'), type: 'date' },
      { name: 'to', label: t('to'), type: 'date' },
    ],
    columns: [t('time'), t('actor'), t('action'), t('target'), t('ip'), t('details')],
    row: (e) => h('tr', {},
      h('td', { class: 'nowrap' }, when(e.at || e.created_at || e.time)),
      h('td', { class: 'wrap-any' }, e.actor_email || e.actor_name || e.actor_id || e.actor || 'system'),
      h('th', { scope: 'row' }, h('code', {}, e.action)),
      h('td', { class: 'wrap-any' }, [e.target_type, e.target_id].filter(Boolean).join(' ') || summary(e.target) || '—'),
      h('td', { class: 'mono small' }, e.ip || '—'),
      h('td', { class: 'small details-cell' }, summary(e.summary ?? e.details ?? e.after ?? e.detail) || '—')),
  });
}

export function errorsPage(ctx) {
  return logPage({
    ctx,
    path: '/admin/errors',
    base: '/admin/errors',
    title: t('error-log'),
    lead: t('error-log-lead'),
    noun: 'error',
    keys: ['q', 'kind', 'from', 'to'],
    fields: [
      { name: 'kind', label: t('source'), type: 'select', options: [['', t('any-source')], ['request', t('requests')], ['job', t('background-jobs')]] },
      { name: 'from', label: t('from'), type: 'date' },
      { name: 'to', label: t('to'), type: 'date' },
    ],
    columns: [t('time'), t('source'), t('message'), t('request-id')],
    row: (e) => h('tr', {},
      h('td', { class: 'nowrap' }, when(e.at || e.created_at || e.time)),
      h('td', {}, e.kind || e.source || e.job || (e.method ? `${e.method} ${e.path || ''}` : '—')),
      h('th', { scope: 'row', class: 'details-cell' }, e.message || e.error || e.detail || '—', e.status ? h('span', { class: 'cell-sub' }, t('http-status', { status: e.status })) : null),
      h('td', { class: 'mono small' }, e.request_id || '—')),
  });
}
