// @ts-check
// Admin > Invoices: every invoice and credit note (filter by kind and issue days), each
// PDF as archived, and the ZIP of a period for the accountant.

import { download } from '../api.js';
import { h, replace, formatDate, announce, errorBox, busy } from '../ui.js';
import { pageHead, table, money, listArea, filterBar, hrefWith, pick, isoDay } from './common.js';

const KINDS = [['', 'Invoices and credit notes'], ['invoice', 'Invoices'], ['credit_note', 'Credit notes']];

export async function invoicesPage(ctx) {
  let values = pick(ctx.query, ['kind', 'from', 'to']);
  const flash = h('div', { 'aria-live': 'polite' });

  async function fetchFile(path, fallback, button) {
    const done = busy(button, 'Downloading…');
    replace(flash);
    try {
      const name = await download(path, fallback);
      announce(`${name} downloaded.`);
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
    empty: ['No invoices here.', 'Every paid order gets an invoice, every refund a credit note.'],
    render: (items) => table('Invoices and credit notes', ['Number', 'Kind', 'Issued', 'Order', 'Total', h('span', { class: 'visually-hidden' }, 'PDF')],
      items.map((d) => {
        const btn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Download ${d.number}` }, 'PDF');
        btn.addEventListener('click', () => fetchFile(`/admin/invoices/${encodeURIComponent(d.id)}/pdf`, `${d.number}.pdf`, btn));
        return h('tr', {},
          h('th', { scope: 'row', class: 'mono' }, d.number),
          h('td', {}, d.kind === 'invoice' ? 'Invoice' : 'Credit note'),
          h('td', {}, formatDate(d.issued_at, { dateStyle: 'medium', timeStyle: 'short' })),
          h('td', {}, h('a', { href: `/admin/orders/${encodeURIComponent(d.order_id)}` }, d.order_number)),
          h('td', { class: 'num' }, money(d.total_cents, d.currency)),
          h('td', {}, btn));
      })),
  });

  const filters = filterBar('Filter invoices', [
    { name: 'kind', label: 'Kind', type: 'select', options: KINDS },
    { name: 'from', label: 'Issued from', type: 'date' },
    { name: 'to', label: 'Issued to', type: 'date' },
  ], values, (v) => {
    values = v;
    ctx.router.navigate(hrefWith('/admin/invoices', values), { silent: true });
    list.load({ to: 1 });
  });

  const zip = h('button', { type: 'button', class: 'btn btn-primary' }, 'Download period (ZIP)');
  zip.addEventListener('click', () => {
    const from = values.from || isoDay(-30);
    const to = values.to || isoDay(0);
    fetchFile(hrefWith('/admin/invoices/archive', { from, to }), `invoices-${from}-${to}.zip`, zip);
  });

  await list.load();
  return {
    title: 'Invoices',
    node: h('section', { class: 'page' },
      pageHead('Invoices', 'Issued documents never change: a correction is a credit note. The ZIP holds every document issued between the dates chosen (the last 30 days when none).', zip),
      filters, flash, list.status, list.results),
  };
}
