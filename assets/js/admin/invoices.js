// @ts-check
// Admin > Invoices: every invoice and credit note (filter by kind and issue days), each
// PDF as archived, and the ZIP of a period for the accountant.

import { download } from '../api.js';
import { h, replace, formatDate, announce, errorBox, busy } from '../ui.js';
import { pageHead, table, money, listArea, filterBar, hrefWith, pick, isoDay } from './common.js';
import { t } from '../i18n.js';

const KINDS = () => ([['', t('invoices-and-credit-notes')], ['invoice', t('invoices')], ['credit_note', t('credit-notes')]]);

export async function invoicesPage(ctx) {
  let values = pick(ctx.query, ['kind', 'from', 'to']);
  const flash = h('div', { 'aria-live': 'polite' });

  async function fetchFile(path, fallback, button) {
    const done = busy(button, t('downloading'));
    replace(flash);
    try {
      const name = await download(path, fallback);
      announce(t('name-downloaded', { name }));
    } catch (err) {
      replace(flash, errorBox(err));
    } finally {
      done();
    }
  }

  const list = listArea({
    path: '/admin/invoices',
    noun: 'document',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => values,
    hrefFor: (p) => hrefWith('/admin/invoices', { ...values, page: p > 1 ? p : null }),
    empty: [t('no-invoices-here'), t('every-paid-order-gets-an-invoice')],
    render: (items) => table(t('invoices-and-credit-notes'), [t('number'), t('kind'), t('issued'), t('order'), t('total'), h('span', { class: 'visually-hidden' }, t('pdf'))],
      items.map((d) => {
        const btn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': t('download-number', { number: d.number }) }, t('pdf'));
        btn.addEventListener('click', () => fetchFile(`/admin/invoices/${encodeURIComponent(d.id)}/pdf`, `${d.number}.pdf`, btn));
        return h('tr', {},
          h('th', { scope: 'row', class: 'mono' }, d.number),
          h('td', {}, t('document-kind', { kind: d.kind })),
          h('td', {}, formatDate(d.issued_at, { dateStyle: 'medium', timeStyle: 'short' })),
          h('td', {}, h('a', { href: `/admin/orders/${encodeURIComponent(d.order_id)}` }, d.order_number)),
          h('td', { class: 'num' }, money(d.total_cents, d.currency)),
          h('td', {}, btn));
      })),
  });

  const filters = filterBar(t('filter-invoices'), [
    { name: 'kind', label: t('kind'), type: 'select', options: KINDS() },
    { name: 'from', label: t('issued-from'), type: 'date' },
    { name: 'to', label: t('issued-to'), type: 'date' },
  ], values, (v) => {
    values = v;
    ctx.router.navigate(hrefWith('/admin/invoices', values), { silent: true });
    list.load({ to: 1 });
  });

  const zip = h('button', { type: 'button', class: 'btn btn-primary' }, t('download-period-zip'));
  zip.addEventListener('click', () => {
    const from = values.from || isoDay(-30);
    const to = values.to || isoDay(0);
    fetchFile(hrefWith('/admin/invoices/archive', { from, to }), `invoices-${from}-${to}.zip`, zip);
  });

  await list.load();
  return {
    title: t('invoices'),
    node: h('section', { class: 'page' },
      pageHead(t('invoices'), t('issued-documents-never-change'), zip),
      filters, flash, list.status, list.results),
  };
}
