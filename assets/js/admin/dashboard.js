// @ts-check
// Admin > Dashboard: revenue over time (net of refunds) as a hand-drawn SVG
// bar chart, headline figures, top courses and products, active users.
// Everything comes from the analytics API (/api/admin/analytics/*).

import { get } from '../api.js';
import { h, loading, errorBox, emptyState, formatDate } from '../ui.js';
import { formatMoneyShort } from '../money.js';
import { intlLocale } from '../i18n.js';
import { pageHead, table, money, isoDay, hrefWith, pick } from './common.js';
import { t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** The rows of a report, whatever the list's name. */
function rowsOf(body) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  return body.periods || body.items || body.series || body.rows || body.data || [];
}

const num = (v) => Number(v) || 0;

function periodLabel(p, interval) {
  const d = new Date(p.length === 10 ? `${p}T00:00:00Z` : p);
  if (Number.isNaN(d.getTime())) return String(p);
  if (interval === 'month') return formatDate(d, { month: 'short', year: '2-digit', timeZone: 'UTC' });
  return formatDate(d, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/**
 * A bar chart of net revenue per period, with refunds drawn below the axis.
 * role=img with a text summary; the exact numbers are in the table after it.
 */
export function revenueChart(periods, { currency, interval, titleText }) {
  const W = 720;
  const H = 280;
  const pad = { l: 64, r: 12, t: 16, b: 40 };
  const iw = W - pad.l - pad.r;
  const ih = H - pad.t - pad.b;
  const nets = periods.map((p) => num(p.net_cents));
  const refunds = periods.map((p) => num(p.refunds_cents));
  const rawMax = Math.max(1, ...nets);
  const rawMin = Math.min(0, ...nets, ...refunds.map((r) => -r));
  // Round the scale to a "nice" step (1, 2 or 5 times a power of ten) in major units.
  const rough = (rawMax - rawMin) / 4;
  const pow = 10 ** Math.floor(Math.log10(Math.max(rough, 1)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= rough) || rough;
  const minV = Math.floor(rawMin / step) * step;
  const maxV = Math.ceil(rawMax / step) * step;
  const span = maxV - minV || 1;
  const y = (v) => pad.t + ih - ((v - minV) / span) * ih;
  const n = Math.max(1, periods.length);
  const slot = iw / n;
  const barW = Math.max(2, Math.min(42, slot * 0.64));
  const total = nets.reduce((a, b) => a + b, 0);
  const best = periods.reduce((b, p) => (num(p.net_cents) > num(b && b.net_cents) ? p : b), null);
  const summary = t('net-revenue-over-periods', { amount: money(total, currency), count: periods.length, interval })
    + (best && num(best.net_cents) > 0 ? t('highest-amount-on-value', { amount: money(best.net_cents, currency), value: periodLabel(best.period, interval) }) : t('no-sales-in-this-range'));

  const titleId = `chart-title-${Math.random().toString(36).slice(2, 8)}`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMidYMid meet' },
    s('title', { id: titleId }, `${titleText}. ${summary}`));
  // Grid lines and axis labels: 4 steps.
  for (let v = minV; v <= maxV + step / 2; v += step) {
    const yy = y(v);
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: yy, y2: yy, class: 'chart-grid' }),
      // formatMoneyShort reads the -0 of an empty range as 0, so the axis never says "-$0".
      s('text', { x: pad.l - 8, y: yy + 4, class: 'chart-axis', 'text-anchor': 'end' }, formatMoneyShort(v, currency, intlLocale())));
  }
  svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0), class: 'chart-zero' }));
  const every = Math.ceil(n / 12);
  periods.forEach((p, i) => {
    const cx = pad.l + slot * i + slot / 2;
    const net = num(p.net_cents);
    const top = y(Math.max(0, net));
    const height = Math.abs(y(net) - y(0));
    const label = periodLabel(p.period, interval);
    const g = s('g', { class: 'chart-period' },
      s('rect', {
        x: cx - barW / 2, y: top, width: barW, height: Math.max(0, height), rx: 3,
        class: net >= 0 ? 'chart-bar' : 'chart-bar chart-bar-neg', 'data-period': p.period, 'data-net': net,
      }, s('title', {}, t('chart-bar-title', { label, net: money(net, currency), gross: money(p.gross_cents, currency), refunds: money(p.refunds_cents, currency), count: num(p.orders) }))));
    const r = num(p.refunds_cents);
    if (r > 0) {
      g.append(s('rect', { x: cx - barW / 4, y: y(0), width: barW / 2, height: Math.max(1, y(-r) - y(0)), rx: 2, class: 'chart-refund' },
        s('title', {}, t('chart-refund-title', { label, refunds: money(r, currency) }))));
    }
    if (i % every === 0) g.append(s('text', { x: cx, y: H - pad.b + 18, class: 'chart-axis', 'text-anchor': 'middle' }, label));
    svg.append(g);
  });
  return h('figure', { class: 'chart-figure' }, svg,
    h('figcaption', { class: 'chart-legend' },
      h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch swatch-net', 'aria-hidden': 'true' }), t('net-revenue-gross-refunds')),
      h('span', { class: 'legend-item' }, h('span', { class: 'legend-swatch swatch-refund', 'aria-hidden': 'true' }), t('refunds'))));
}

function stat(label, value, sub) {
  return h('div', { class: 'stat' }, h('p', { class: 'stat-label' }, label), h('p', { class: 'stat-value' }, value), sub ? h('p', { class: 'stat-sub muted small' }, sub) : null);
}

async function section(promise, render) {
  try {
    return render(await promise);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    if (err.status === 404) return h('p', { class: 'muted' }, t('this-report-is-not-available-on'));
    return errorBox(err);
  }
}

export async function dashboardPage(ctx) {
  const values = { from: isoDay(-29), to: isoDay(0), interval: 'day', ...pick(ctx.query, ['from', 'to', 'interval']) };
  const range = { from: values.from, to: values.to };
  const form = h('form', { class: 'toolbar', 'aria-label': t('report-period') },
    h('div', { class: 'field field-date' }, h('label', { for: 'dash-from' }, t('from')), h('input', { id: 'dash-from', name: 'from', type: 'date', value: values.from })),
    h('div', { class: 'field field-date' }, h('label', { for: 'dash-to' }, t('to')), h('input', { id: 'dash-to', name: 'to', type: 'date', value: values.to })),
    h('div', { class: 'field' }, h('label', { for: 'dash-interval' }, t('group-by')),
      h('select', { id: 'dash-interval', name: 'interval' }, [['day', t('day')], ['week', t('week')], ['month', t('month')]].map(([v, l]) => h('option', { value: v, selected: values.interval === v }, l)))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('show')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    ctx.router.navigate(hrefWith('/admin/dashboard', data));
  });

  const [salesNode, productsNode, coursesNode, usersNode] = await Promise.all([
    section(get('/admin/analytics/sales', values, { signal: ctx.signal }), (body) => {
      const periods = rowsOf(body);
      const totals = body.totals || {};
      const currency = body.currency || totals.currency || 'USD';
      const sum = (k) => (totals[k] !== undefined ? num(totals[k]) : periods.reduce((a, p) => a + num(p[k]), 0));
      const orders = sum('orders');
      return h('div', { class: 'stack' },
        h('div', { class: 'stats' },
          stat(t('net-revenue'), money(sum('net_cents'), currency), t('gross-minus-refunds')),
          stat(t('gross-sales'), money(sum('gross_cents'), currency)),
          stat(t('refunds'), money(sum('refunds_cents'), currency)),
          stat(t('orders'), String(orders), orders ? t('average-amount', { amount: money(totals.average_order_cents ?? Math.round(sum('gross_cents') / orders), currency) }) : null)),
        periods.length
          ? h('div', { class: 'panel chart-panel' }, h('h2', {}, t('revenue-over-time')),
            revenueChart(periods, { currency, interval: values.interval, titleText: t('net-revenue-per-interval', { interval: values.interval }) }),
            h('details', { class: 'chart-data' }, h('summary', {}, t('show-the-figures-as-a-table')),
              table(t('revenue-per-period'), [t('period'), t('gross'), t('refunds'), t('net'), t('orders')],
                periods.map((p) => h('tr', {}, h('th', { scope: 'row' }, periodLabel(p.period, values.interval)),
                  h('td', { class: 'num' }, money(p.gross_cents, currency)), h('td', { class: 'num' }, money(p.refunds_cents, currency)),
                  h('td', { class: 'num' }, money(p.net_cents, currency)), h('td', { class: 'num' }, String(num(p.orders))))))))
          : emptyState(t('no-sales-in-this-period')));
    }),
    section(get('/admin/analytics/top-products', { ...range, limit: 5 }, { signal: ctx.signal }), (body) => {
      const rows = rowsOf(body);
      return rows.length ? table(t('top-products'), [t('product'), t('units'), t('revenue')], rows.map((r) => h('tr', {},
        h('th', { scope: 'row' }, r.name || r.title || r.product_name || r.product_id),
        h('td', { class: 'num' }, String(num(r.units ?? r.quantity))),
        h('td', { class: 'num' }, money(r.revenue_cents ?? r.revenue, r.currency))))) : h('p', { class: 'muted' }, t('no-products-sold-in-this-period'));
    }),
    section(get('/admin/analytics/top-courses', { ...range, limit: 5 }, { signal: ctx.signal }), (body) => {
      const rows = rowsOf(body);
      const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(num(v) <= 1 && !Number.isInteger(v) ? num(v) * 100 : num(v))}%`);
      return rows.length ? table(t('top-courses'), [t('course'), t('enrolments'), t('revenue'), t('completion'), t('rating')], rows.map((r) => h('tr', {},
        h('th', { scope: 'row' }, r.title || r.name || r.course_title || r.course_id),
        h('td', { class: 'num' }, String(num(r.enrollments ?? r.enrolments))),
        h('td', { class: 'num' }, money(r.revenue_cents ?? r.revenue, r.currency)),
        h('td', { class: 'num' }, pct(r.completion_rate ?? r.completion_percent)),
        h('td', { class: 'num' }, r.rating ?? r.rating_average ?? '—')))) : h('p', { class: 'muted' }, t('no-enrolments-in-this-period'));
    }),
    section(get('/admin/analytics/users', range, { signal: ctx.signal }), (body) => {
      const active = body.active_users || body.active || body;
      const roles = body.users_by_role || body.by_role || {};
      const roleRows = Array.isArray(roles) ? roles.map((r) => [r.role, r.count ?? r.users]) : Object.entries(roles);
      return h('div', { class: 'stack' },
        h('div', { class: 'stats' },
          stat(t('active-today'), String(num(active.dau))),
          stat(t('active-this-week'), String(num(active.wau))),
          stat(t('active-this-month'), String(num(active.mau)))),
        roleRows.length ? h('p', { class: 'muted small' }, `${t('accounts')} `, roleRows.map(([r, c]) => t('accounts-of-role', { role: r, count: num(c) })).join(', ')) : null);
    }),
  ]);

  return {
    title: t('dashboard'),
    node: h('section', { class: 'page' },
      pageHead(t('dashboard'), t('sales-and-learning-from-date-to', { date: formatDate(values.from), date2: formatDate(values.to) })),
      form,
      h('div', { class: 'dash-sales' }, salesNode),
      h('div', { class: 'dash-grid' },
        h('section', { class: 'panel', 'aria-labelledby': 'top-courses-h' }, h('h2', { id: 'top-courses-h' }, t('top-courses')), coursesNode),
        h('section', { class: 'panel', 'aria-labelledby': 'top-products-h' }, h('h2', { id: 'top-products-h' }, t('top-products')), productsNode)),
      h('section', { class: 'panel', 'aria-labelledby': 'users-h' }, h('h2', { id: 'users-h' }, t('active-users')), usersNode)),
  };
}

export { loading };
