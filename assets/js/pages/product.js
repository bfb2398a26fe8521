// @ts-check
// Product page: details, images, stock and "add to cart".

import { get, post, isSignedIn, ApiError } from '../api.js';
import { h, replace, markdown, priceLabel, imageUrl, onSubmit, field, announce } from '../ui.js';
import { notFoundResult } from './common.js';
import { addAsGuest } from '../guest-cart.js';
import { t } from '../i18n.js';

function imageList(p) {
  const imgs = Array.isArray(p.images) ? p.images : [];
  return imgs.map((img) => imageUrl({ images: [img] })).filter(Boolean);
}

function gallery(p) {
  const urls = imageList(p);
  if (!urls.length) return null;
  const main = h('img', { class: 'detail-media', src: urls[0], alt: p.name });
  if (urls.length === 1) return main;
  const thumbs = urls.map((url, i) => h('button', {
    type: 'button',
    class: 'thumb',
    'aria-pressed': i === 0 ? 'true' : 'false',
    'aria-label': t('show-image-value-of-length', { value: i + 1, length: urls.length }),
    on: {
      click: (e) => {
        main.src = url;
        e.currentTarget.parentElement.querySelectorAll('.thumb').forEach((b) => b.setAttribute('aria-pressed', 'false'));
        e.currentTarget.setAttribute('aria-pressed', 'true');
      },
    },
  }, h('img', { src: url, alt: '' })));
  return h('div', { class: 'gallery' }, main, h('div', { class: 'thumbs' }, thumbs));
}

export async function productPage(ctx) {
  let p;
  try {
    p = await get(`/products/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFoundResult(t('product-not-found'), t('this-product-does-not-exist-or'), '/products', t('browse-products'));
    throw err;
  }
  const physical = p.kind === 'physical';
  const stock = p.stock_quantity === null || p.stock_quantity === undefined ? null : Number(p.stock_quantity);
  const soldOut = physical && stock !== null && stock <= 0;
  const result = h('div', { 'aria-live': 'polite' });

  let buy;
  if (soldOut) {
    buy = h('p', { class: 'stock stock-out' }, t('out-of-stock'));
  } else {
    buy = h('form', { class: 'buy-form' },
      physical
        ? field({ label: t('quantity'), name: 'quantity', type: 'number', value: '1', required: true, attrs: { min: '1', max: stock !== null ? String(stock) : '99', step: '1', inputmode: 'numeric' } })
        : null,
      h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('add-to-cart')));
    onSubmit(buy, async (values) => {
      replace(result);
      const quantity = physical ? Number(values.quantity) : 1;
      if (!isSignedIn()) {
        // A visitor's cart waits in this browser until they sign in.
        if (!addAsGuest('product', p.id, quantity)) {
          ctx.router.navigate(`/login?next=${encodeURIComponent(ctx.path)}`);
          return;
        }
      } else {
        await post('/cart', { item_type: 'product', item_id: p.id, quantity });
      }
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      announce(t('name-was-added-to-your-cart', { name: p.name }));
      replace(result, h('div', { class: 'alert alert-success', role: 'status' },
        h('p', {}, t('added-to-your-cart')), h('p', {}, h('a', { href: '/cart' }, t('view-cart')))));
    }, { busyLabel: t('adding') });
  }

  const facts = /** @type {[string, string][]} */ ([
    [t('type'), physical ? t('physical-item-shipped') : t('digital-download')],
    physical && stock !== null ? [t('in-stock'), String(Math.max(0, stock))] : null,
    p.sku ? ['SKU', p.sku] : null,
  ].filter(Boolean));

  const node = h('article', { class: 'page container' },
    h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/products' }, t('products'))), h('li', { 'aria-current': 'page' }, p.name))),
    h('div', { class: 'detail-layout' },
      h('div', { class: 'detail-main' },
        h('h1', {}, p.name),
        Array.isArray(p.tags) && p.tags.length ? h('p', { class: 'tag-list' }, p.tags.map((t) => h('span', { class: 'chip' }, typeof t === 'string' ? t : t.name))) : null,
        gallery(p),
        h('section', { 'aria-labelledby': 'desc-h' }, h('h2', { id: 'desc-h' }, t('description')), markdown(p.description || ''))),
      h('aside', { class: 'buy-box', 'aria-label': t('purchase') },
        h('p', { class: 'buy-box-price' }, priceLabel(p.price_cents, p.currency)),
        buy, result,
        h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])))));
  return { title: p.name, node };
}
