// @ts-check
// Bundles: several courses at one price. The list (with search) and one bundle's page with
// its courses and "add to cart" (signed-in buyers: the cart names bundles on the server).

import { get, post, isSignedIn, ApiError } from '../api.js';
import { h, replace, markdown, priceLabel, onSubmit, announce, emptyState } from '../ui.js';
import { notFoundResult } from './common.js';
import { t } from '../i18n.js';

function card(b) {
  return h('li', { class: 'card' },
    h('div', { class: 'card-media card-media-blank', 'aria-hidden': 'true' }, String(b.courses.length)),
    h('div', { class: 'card-body' },
      h('h3', { class: 'card-title' }, h('a', { href: `/bundles/${encodeURIComponent(b.slug)}`, class: 'stretched' }, b.name)),
      h('p', { class: 'card-meta' }, t('count-course', { count: b.courses.length })),
      h('p', { class: 'card-price' }, priceLabel(b.price_cents, b.currency),
        b.savings_cents > 0 ? h('span', { class: 'cell-sub' }, ` ${t('save-amount', { amount: priceLabel(b.savings_cents, b.currency) })}`) : null)));
}

export async function bundlesPage(ctx) {
  const q = ctx.query ? ctx.query.get('q') || '' : '';
  const body = await get('/bundles', { per_page: 50, ...(q ? { q } : {}) }, { signal: ctx.signal });
  const items = body.items || [];
  const search = h('form', { class: 'toolbar', role: 'search', 'aria-label': t('search-bundles'), action: '/bundles' },
    h('label', { for: 'bundle-q', class: 'visually-hidden' }, t('search-bundles')),
    h('input', { id: 'bundle-q', name: 'q', type: 'search', value: q, placeholder: t('search-bundles') }),
    h('button', { type: 'submit', class: 'btn' }, t('search')));
  return {
    title: t('bundles'),
    node: h('section', { class: 'page container' },
      h('h1', {}, t('bundles')),
      h('p', { class: 'lead' }, t('several-courses-together-for-less-than')),
      search,
      items.length
        ? h('ul', { class: 'card-grid', 'aria-label': t('bundles') }, items.map(card))
        : emptyState(t('no-bundles-found'), q ? t('try-other-words') : t('none-are-for-sale-yet'))),
  };
}

export async function bundlePage(ctx) {
  let b;
  try {
    b = await get(`/bundles/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFoundResult(t('bundle-not-found'), t('this-bundle-does-not-exist-or'), '/bundles', t('browse-bundles'));
    throw err;
  }
  const result = h('div', { 'aria-live': 'polite' });
  const buy = h('form', { class: 'buy-form' }, h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('add-to-cart')));
  onSubmit(buy, async () => {
    replace(result);
    if (!isSignedIn()) {
      ctx.router.navigate(`/login?next=${encodeURIComponent(ctx.path)}`);
      return;
    }
    await post('/cart', { item_type: 'bundle', item_id: b.id });
    window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
    announce(t('name-was-added-to-your-cart', { name: b.name }));
    replace(result, h('div', { class: 'alert alert-success', role: 'status' },
      h('p', {}, t('added-to-your-cart')), h('p', {}, h('a', { href: '/cart' }, t('view-cart')))));
  }, { busyLabel: t('adding') });
  const node = h('article', { class: 'page container' },
    h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/bundles' }, t('bundles'))), h('li', { 'aria-current': 'page' }, b.name))),
    h('div', { class: 'detail-layout' },
      h('div', { class: 'detail-main' },
        h('h1', {}, b.name),
        h('section', { 'aria-labelledby': 'bundle-courses-h' },
          h('h2', { id: 'bundle-courses-h' }, t('courses-included')),
          h('ul', {}, b.courses.map((c) => h('li', {},
            h('a', { href: `/courses/${encodeURIComponent(c.slug)}` }, c.title), ' ',
            h('span', { class: 'cell-sub' }, priceLabel(c.price_cents, b.currency)))))),
        (b.products || []).length ? h('section', { 'aria-labelledby': 'bundle-products-h' },
          h('h2', { id: 'bundle-products-h' }, t('bundle-products-included')),
          h('ul', {}, b.products.map((p) => h('li', {},
            h('a', { href: `/products/${encodeURIComponent(p.id)}` }, p.name), ' ',
            h('span', { class: 'cell-sub' }, `${p.kind === 'physical' ? t('bundle-product-shipped') : t('bundle-product-download')} · ${priceLabel(p.price_cents, b.currency)}`))))) : null,
        b.description ? h('section', { 'aria-labelledby': 'desc-h' }, h('h2', { id: 'desc-h' }, t('description')), markdown(b.description)) : null),
      h('aside', { class: 'buy-box', 'aria-label': t('purchase') },
        h('p', { class: 'buy-box-price' }, priceLabel(b.price_cents, b.currency)),
        b.savings_cents > 0 ? h('p', {}, t('amount-less-than-the-courses-one-by-one', { amount: priceLabel(b.savings_cents, b.currency) })) : null,
        buy, result)));
  return { title: b.name, node };
}
