// @ts-check
// Admin > Tax: the tax report per country, scheme and rate for a period, and the quarterly
// EU OSS return, each downloadable as CSV (/api/admin/tax/*).

import { get, download } from '../api.js';
import { h, errorBox, emptyState } from '../ui.js';
import { pageHead, table, money, isoDay, hrefWith, pick } from './common.js';
import { t, formatNumber } from '../i18n.js';

const SCHEMES = () => ({
  domestic: t('domestic'), oss: t('oss-other-member-state'), reverse_charge: t('reverse-charge'), outside_eu: t('outside-the-eu'),
});

/** A rate in basis points as a percentage in the page's language ("20%", "25.5%"; "20 %" in French). */
function rate(bps) {
  return formatNumber(Number(bps) / 10000, { style: 'percent', maximumFractionDigits: 2 });
}

/** The quarter holding today, e.g. "2026-Q4": a value the API reads, the same in every language. */
function thisQuarter() {
  const now = new Date();
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

function reportTable(report) {
  const c = report.currency;
  const rows = report.rows.map((r) => h('tr', {},
    h('td', {}, r.country || '—'), h('td', {}, SCHEMES()[r.scheme] || r.scheme), h('td', {}, t('tax-row-kind', { kind: r.kind })),
    h('td', { class: 'num' }, rate(r.rate_bps)),
    h('td', { class: 'num' }, money(r.sales_cents, c)), h('td', { class: 'num' }, money(r.sales_tax_cents, c)),
    h('td', { class: 'num' }, money(r.refunds_cents, c)), h('td', { class: 'num' }, money(r.refunds_tax_cents, c)),
    h('td', { class: 'num' }, money(r.net_taxable_cents, c)), h('td', { class: 'num' }, money(r.tax_due_cents, c))));
  const sum = report.totals;
  rows.push(h('tr', { class: 'total-row' }, h('th', { scope: 'row', colspan: '4' }, t('total')),
    h('td', { class: 'num' }, money(sum.sales_cents, c)), h('td', { class: 'num' }, money(sum.sales_tax_cents, c)),
    h('td', { class: 'num' }, money(sum.refunds_cents, c)), h('td', { class: 'num' }, money(sum.refunds_tax_cents, c)),
    h('td', { class: 'num' }, money(sum.net_cents - sum.tax_due_cents, c)), h('td', { class: 'num' }, money(sum.tax_due_cents, c))));
  return table(t('tax-per-country-scheme-and-rate'),
    [t('country'), t('scheme'), t('kind'), t('rate'), t('sales'), t('tax-on-sales'), t('refunds'), t('tax-refunded'), t('net-taxable'), t('tax-due')], rows);
}

function ossTable(oss) {
  const c = oss.currency;
  const rows = oss.lines.map((l) => h('tr', {},
    h('td', {}, l.country), h('td', { class: 'num' }, rate(l.rate_bps)),
    h('td', { class: 'num' }, money(l.taxable_cents, c)), h('td', { class: 'num' }, money(l.vat_cents, c))));
  rows.push(h('tr', { class: 'total-row' }, h('th', { scope: 'row', colspan: '2' }, t('total')),
    h('td', { class: 'num' }, money(oss.taxable_cents, c)), h('td', { class: 'num' }, money(oss.vat_cents, c))));
  return table(t('oss-return-quarter', { quarter: oss.quarter }), [t('member-state-of-consumption'), t('rate'), t('taxable-amount'), t('vat')], rows);
}

async function part(promise, render) {
  try {
    return render(await promise);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return errorBox(err);
  }
}

export async function taxPage(ctx) {
  const values = { from: isoDay(-29), to: isoDay(0), quarter: thisQuarter(), ...pick(ctx.query, ['from', 'to', 'quarter']) };
  const form = h('form', { class: 'toolbar', 'aria-label': t('report-period') },
    h('div', { class: 'field field-date' }, h('label', { for: 'tax-from' }, t('from')), h('input', { id: 'tax-from', name: 'from', type: 'date', value: values.from })),
    h('div', { class: 'field field-date' }, h('label', { for: 'tax-to' }, t('to')), h('input', { id: 'tax-to', name: 'to', type: 'date', value: values.to })),
    h('div', { class: 'field' }, h('label', { for: 'tax-quarter' }, t('oss-quarter')),
      h('input', { id: 'tax-quarter', name: 'quarter', value: values.quarter, pattern: '\\d{4}-Q[1-4]', placeholder: '2026-Q1' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('show')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.router.navigate(hrefWith('/admin/tax', Object.fromEntries(new FormData(form))));
  });
  const range = `from=${encodeURIComponent(values.from)}&to=${encodeURIComponent(values.to)}`;
  const quarter = `quarter=${encodeURIComponent(values.quarter)}`;
  const csvButton = (label, path, name) => h('button', {
    type: 'button', class: 'btn btn-secondary', on: { click: () => download(path, name) },
  }, label);
  const [report, oss] = await Promise.all([
    part(get('/admin/tax/report', { from: values.from, to: values.to }, { signal: ctx.signal }), (body) => (body.rows.length
      ? reportTable(body) : emptyState(t('no-sales-in-this-period'), t('paid-orders-and-processed-refunds-appear')))),
    part(get('/admin/tax/oss', { quarter: values.quarter }, { signal: ctx.signal }), (body) => (body.lines.length
      ? ossTable(body) : emptyState(t('nothing-to-declare-through-oss-this'), t('sales-to-consumers-in-other-member')))),
  ]);
  return {
    title: t('tax'),
    node: h('section', { class: 'page' },
      pageHead(t('tax'), t('sales-refunds-and-tax-due-per')),
      form,
      h('section', { class: 'panel', 'aria-labelledby': 'tax-report-h' },
        h('h2', { id: 'tax-report-h' }, t('tax-report')),
        h('p', {}, csvButton(t('download-csv'), `/admin/tax/report?${range}&format=csv`, 'tax-report.csv')),
        report),
      h('section', { class: 'panel', 'aria-labelledby': 'tax-oss-h' },
        h('h2', { id: 'tax-oss-h' }, t('oss-return-quarter', { quarter: values.quarter })),
        h('p', {}, csvButton(t('download-oss-csv'), `/admin/tax/oss?${quarter}&format=csv`, `oss-${values.quarter}.csv`)),
        oss)),
  };
}
