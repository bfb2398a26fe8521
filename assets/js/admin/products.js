// @ts-check
// Admin > Products: the vendor's (or, for admins, every) product list and the
// product form: kind, price, stock, images (uploaded media, reorderable) and
// the file buyers of a digital product download.

import { get, post, put, del, getUser, hasRole } from '../api.js';
import {
  h, replace, field, onSubmit, fieldErrors, announce, formatDate, priceLabel, notice, errorBox,
} from '../ui.js';
import {
  pageHead, backLink, statusChip, table, parseMoney, moneyInput, listArea, filterBar, hrefWith, pick, intOrNull, storeCurrency,
} from './common.js';
import { taxonomyFields, tagIds } from './courses.js';
import { uploadMedia } from './lesson.js';
import { t } from '../i18n.js';

const STATUSES = () => ([['', t('any-status')], ['draft', t('draft')], ['published', t('published')], ['archived', t('archived')]]);

function stockLabel(p) {
  if (p.kind === 'digital') return t('unlimited');
  const n = Number(p.stock_quantity ?? 0);
  return n === 0 ? h('span', { class: 'pill pill-off' }, t('out-of-stock')) : String(n);
}

export async function productsPage(ctx) {
  const me = getUser();
  const admin = hasRole('admin');
  const values = pick(ctx.query, ['q', 'status', 'kind']);
  const list = listArea({
    path: '/products',
    noun: 'product',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => ({ ...values, vendor_id: admin ? null : me.id }),
    hrefFor: (p) => hrefWith('/admin/products', { ...values, page: p > 1 ? p : null }),
    onPage: (p) => ctx.router.navigate(hrefWith('/admin/products', { ...values, page: p > 1 ? p : null }), { silent: true }),
    empty: Object.keys(values).length
      ? [t('no-products-match'), t('try-other-words-or-filters')]
      : [t('no-products-yet'), t('add-your-first-product-a-physical'), h('a', { href: '/admin/products/new', class: 'btn btn-primary' }, t('new-product'))],
    render: (items) => table(t('products'), [t('product'), t('kind'), t('status'), t('price'), t('stock'), t('sold'), t('updated')],
      items.map((p) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: `/admin/products/${encodeURIComponent(p.id)}`, class: 'cell-name' }, p.name),
          p.sku ? h('span', { class: 'cell-sub' }, t('sku-sku', { sku: p.sku })) : null),
        h('td', {}, p.kind === 'digital' ? t('digital') : t('physical')),
        h('td', {}, statusChip(p.status)),
        h('td', {}, priceLabel(p.price_cents, p.currency)),
        h('td', {}, stockLabel(p)),
        h('td', {}, String(p.sales_count ?? 0)),
        h('td', {}, formatDate(p.updated_at))))),
  });
  const filters = filterBar(t('filter-products'), [
    { name: 'q', label: t('search'), type: 'search', placeholder: t('name-or-description') },
    { name: 'kind', label: t('kind'), type: 'select', options: [['', t('any-kind')], ['physical', t('physical')], ['digital', t('digital')]] },
    { name: 'status', label: t('status'), type: 'select', options: STATUSES() },
  ], values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith('/admin/products', values), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: admin ? t('products') : t('my-products'),
    node: h('section', { class: 'page' },
      pageHead(admin ? t('products') : t('my-products'), t('goods-in-the-shop-stock-prices'),
        h('a', { href: '/admin/products/new', class: 'btn btn-primary' }, t('new-product'))),
      filters, list.status, list.results),
  };
}

/** The image list editor: upload, reorder, remove. Returns { node, ids() }. */
function imagesEditor(initial) {
  const images = initial.map((i) => ({ id: i.media_id, url: i.url, name: '' }));
  const list = h('ul', { class: 'image-list' });
  const status = h('p', { class: 'hint', 'aria-live': 'polite' });
  const input = h('input', { id: 'product-images', type: 'file', accept: 'image/*', multiple: true });

  function draw(focus) {
    replace(list, images.map((img, i) => {
      const label = img.name || t('image-value', { value: i + 1 });
      return h('li', { class: 'image-item' },
        img.url ? h('img', { src: img.url, alt: '', width: 96, height: 96 }) : h('span', { class: 'image-blank' }),
        h('span', { class: 'small' }, i === 0 ? t('label-main-image', { label }) : label),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-secondary btn-icon', disabled: i === 0, dataset: { act: `up-${i}` }, 'aria-label': t('move-label-earlier', { label }),
            on: { click: () => { images.splice(i - 1, 0, images.splice(i, 1)[0]); draw(`[data-act="up-${i - 1}"]`); } } }, h('span', { 'aria-hidden': 'true' }, '←')),
          h('button', { type: 'button', class: 'btn btn-secondary btn-icon', disabled: i === images.length - 1, dataset: { act: `down-${i}` }, 'aria-label': t('move-label-later', { label }),
            on: { click: () => { images.splice(i + 1, 0, images.splice(i, 1)[0]); draw(`[data-act="down-${i + 1}"]`); } } }, h('span', { 'aria-hidden': 'true' }, '→')),
          h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('remove-label', { label }),
            on: { click: () => { images.splice(i, 1); draw(); input.focus(); } } }, t('remove'))));
    }));
    if (focus) {
      const el = list.querySelector(focus);
      if (el && !el.disabled) el.focus();
    }
  }
  input.addEventListener('change', async () => {
    const files = [...(input.files || [])];
    for (const file of files) {
      status.textContent = t('uploading-name', { name: file.name });
      try {
        const media = await uploadMedia(file);
        images.push({ id: media.id, url: media.url, name: media.original_name || file.name });
        draw();
      } catch (err) {
        replace(status, h('span', { class: 'error-text' }, `${file.name}: ${err.userMessage || err.message}`));
        return;
      }
    }
    status.textContent = files.length ? t('upload-finished') : '';
    input.value = '';
  });
  draw();
  return {
    node: h('fieldset', { class: 'field images-field', name: 'image_ids' }, h('legend', {}, t('images')),
      list,
      h('label', { for: 'product-images', class: 'small' }, t('add-images-jpeg-png-webp')), input, status,
      h('p', { class: 'field-error', hidden: true })),
    ids: () => images.map((i) => i.id),
  };
}

export async function productPage(ctx) {
  const isNew = !ctx.params.id;
  let product = null;
  if (!isNew) {
    try {
      product = await get(`/products/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal });
    } catch (err) {
      if (err.name === 'AbortError') throw err;
      return { title: t('product'), node: h('section', { class: 'page' }, backLink('/admin/products', t('products')), h('h1', {}, t('product-not-found')), errorBox(err)) };
    }
  }
  const [cats, tags, storeCur] = await Promise.all([
    get('/categories', { per_page: 100 }, { signal: ctx.signal }).catch(() => ({ items: [] })),
    get('/tags', { per_page: 100 }, { signal: ctx.signal }).catch(() => ({ items: [] })),
    storeCurrency(),
  ]);
  const currency = (product && product.currency) || storeCur;
  const images = imagesEditor(product ? product.images || [] : []);
  const saved = h('div', { 'aria-live': 'polite' });

  const downloadId = h('input', { type: 'hidden', name: 'download_media_id', value: (product && product.download_media_id) || '' });
  const dlStatus = h('p', { class: 'hint', id: 'download-status', 'aria-live': 'polite' },
    product && product.has_download ? t('a-download-file-is-attached') : t('no-file-attached-yet'));
  const dlInput = h('input', { id: 'download-file', type: 'file', 'aria-describedby': 'download-status' });
  dlInput.addEventListener('change', async () => {
    const file = dlInput.files && dlInput.files[0];
    if (!file) return;
    dlStatus.textContent = t('uploading-name', { name: file.name });
    try {
      const media = await uploadMedia(file);
      downloadId.value = media.id;
      dlStatus.textContent = t('attached-value-save-to-keep-it', { value: media.original_name || file.name });
    } catch (err) {
      replace(dlStatus, h('span', { class: 'error-text' }, err.userMessage || err.message));
    }
  });
  const digitalPart = h('div', { class: 'field', dataset: { kind: 'digital' } },
    h('label', { for: 'download-file' }, t('file-buyers-download')), dlInput, dlStatus, downloadId,
    h('p', { class: 'field-error', hidden: true }));
  const stockPart = h('div', { dataset: { kind: 'physical' } },
    field({ label: t('stock'), name: 'stock_quantity', type: 'number', value: product ? product.stock_quantity ?? 0 : 0, hint: t('units-you-can-ship-now'), attrs: { min: 0 } }));

  const form = h('form', { class: 'stack form-card', 'aria-label': t('product') },
    field({ label: t('name'), name: 'name', required: true, value: product ? product.name : '', attrs: { maxlength: 200 } }),
    h('div', { class: 'form-grid' },
      field({ label: t('kind'), name: 'kind', type: 'select', value: product ? product.kind : 'physical', options: [{ value: 'physical', label: t('physical-shipped') }, { value: 'digital', label: t('digital-downloaded') }] }),
      field({ label: t('price-currency', { currency }), name: 'price_cents', required: true, value: product ? moneyInput(product.price_cents, currency) : '', attrs: { inputmode: 'decimal' } }),
      field({ label: t('sku'), name: 'sku', value: product ? product.sku || '' : '' }),
      field({ label: t('status'), name: 'status', type: 'select', value: product ? product.status : 'draft', options: STATUSES().slice(1).map(([value, label]) => ({ value, label })) })),
    stockPart,
    digitalPart,
    field({ label: t('description'), name: 'description', type: 'textarea', value: product ? product.description : '', hint: t('markdown'), attrs: { rows: 6 } }),
    images.node,
    taxonomyFields({ categories: cats.items || [], tags: tags.items || [] }, product),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, isNew ? t('create-product') : t('save-product')),
      product ? h('a', { href: `/products/${encodeURIComponent(product.id)}`, target: '_blank', rel: 'noopener' }, t('view-in-the-shop'), h('span', { class: 'visually-hidden' }, ` ${t('opens-in-a-new-tab')}`)) : null));

  const kind = form.elements.kind;
  const showKind = () => {
    stockPart.hidden = kind.value !== 'physical';
    form.elements.stock_quantity.disabled = kind.value !== 'physical';
    digitalPart.hidden = kind.value !== 'digital';
  };
  kind.addEventListener('change', showKind);
  showKind();

  onSubmit(form, async (v) => {
    const price = parseMoney(v.price_cents, currency);
    if (price === null || Number.isNaN(price)) {
      throw fieldErrors(t('check-the-price'), [{ field: 'price_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(1999, currency) }) }]);
    }
    const body = {
      name: v.name, kind: v.kind, price_cents: price, sku: v.sku || null, status: v.status,
      description: v.description, image_ids: images.ids(), tag_ids: tagIds(form),
      stock_quantity: v.kind === 'physical' ? intOrNull(v.stock_quantity) ?? 0 : null,
    };
    if ('category_id' in v) body.category_id = v.category_id || null;
    if (v.kind === 'digital' && downloadId.value) body.download_media_id = downloadId.value;
    if (isNew) {
      const created = await post('/products', body);
      announce(t('product-name-created', { name: created.name }));
      ctx.router.navigate(`/admin/products/${encodeURIComponent(created.id)}`, { replace: true });
    } else {
      const updated = await put(`/products/${encodeURIComponent(product.id)}`, body);
      Object.assign(product, updated);
      replace(saved, notice(t('the-product-was-saved')));
      announce(t('saved'));
    }
  }, { busyLabel: t('saving') });

  const actions = [];
  if (product && hasRole('admin')) {
    const remove = h('button', { type: 'button', class: 'btn btn-danger-outline' }, t('delete'));
    remove.addEventListener('click', async () => {
      // eslint-disable-next-line no-alert
      if (!window.confirm(t('delete-name-a-product-that-is', { name: product.name }))) return;
      try {
        await del(`/products/${encodeURIComponent(product.id)}`);
        announce(t('product-deleted-or-archived'));
        ctx.router.navigate('/admin/products');
      } catch (err) {
        replace(saved, errorBox(err));
      }
    });
    actions.push(remove);
  }
  const title = isNew ? t('new-product') : product.name;
  return {
    title,
    node: h('section', { class: 'page narrow-page' },
      backLink('/admin/products', hasRole('admin') ? t('products') : t('my-products')),
      pageHead(title, product ? null : t('new-products-start-as-drafts-unless'), product ? statusChip(product.status) : null, ...actions),
      saved, form),
  };
}
