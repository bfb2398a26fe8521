// @ts-check
// Catalogue: courses and products with search, filters, sort and pagination.
// The URL carries the same parameters the API takes (q, category, tag,
// min_price, max_price in cents, free, kind, sort, page), so a filtered list
// can be bookmarked and shared.

import { get } from '../api.js';
import {
  h, replace, loading, emptyState, errorBox, pagination, priceLabel, formatDuration,
  ratingLabel, imageUrl, uid,
} from '../ui.js';
import { moneyInput, parseMoney } from '../money.js';
import { t, languages, serverSpeaksLanguages } from '../i18n.js';

const LEVEL_WORDS = () => ({ all: t('all-levels'), beginner: t('beginner'), intermediate: t('intermediate'), advanced: t('advanced') });

const PER_PAGE = 12;
const FILTER_KEYS = ['q', 'category', 'tag', 'min_price', 'max_price', 'free', 'kind', 'sort', 'language'];

let taxonomy = null; // { categories, tags } fetched once per page load
let storeCurrency = null;

function listOf(body) {
  if (Array.isArray(body)) return body;
  return (body && body.items) || [];
}

async function loadTaxonomy() {
  if (taxonomy) return taxonomy;
  const [categories, tags] = await Promise.all([
    get('/categories', { per_page: 100 }).then(listOf).catch(() => []),
    get('/tags', { per_page: 100 }).then(listOf).catch(() => []),
  ]);
  taxonomy = { categories, tags };
  return taxonomy;
}

/** Categories in tree order with their depth, from a flat list with parent_id. */
function categoryOptions(categories) {
  const byParent = new Map();
  for (const c of categories) {
    const key = c.parent_id || null;
    if (!byParent.has(key)) byParent.set(key, []);
    byParent.get(key).push(c);
  }
  const ids = new Set(categories.map((c) => c.id));
  const out = [];
  const walk = (parent, depth) => {
    const kids = (byParent.get(parent) || []).slice().sort((a, b) => String(a.name).localeCompare(String(b.name)));
    for (const c of kids) {
      out.push({ value: c.id, label: `${'\u2003'.repeat(depth)}${c.name}` });
      if (depth < 6) walk(c.id, depth + 1);
    }
  };
  walk(null, 0);
  // Orphans whose parent is missing from the list still appear.
  for (const c of categories) if (c.parent_id && !ids.has(c.parent_id)) out.push({ value: c.id, label: c.name });
  return out;
}

const SORTS = () => ({
  courses: [
    ['', t('best-match')], ['-created_at', t('newest')], ['popularity', t('most-popular')], ['rating', t('top-rated')],
    ['price', t('price-low-to-high')], ['-price', t('price-high-to-low')], ['title', t('title-a-z')],
  ],
  products: [
    ['', t('best-match')], ['-created_at', t('newest')], ['popularity', t('most-popular')],
    ['price', t('price-low-to-high')], ['-price', t('price-high-to-low')], ['title', t('name-a-z')],
  ],
});

function courseCard(c) {
  const img = imageUrl(c);
  const meta = [
    c.level ? h('span', { class: 'chip' }, LEVEL_WORDS()[c.level] || c.level) : null,
    c.lesson_count ? h('span', {}, t('count-lesson', { count: Number(c.lesson_count) })) : null,
    c.total_duration_seconds || c.duration_seconds ? h('span', {}, formatDuration(c.total_duration_seconds || c.duration_seconds)) : null,
  ].filter(Boolean);
  return h('li', { class: 'card' },
    img ? h('img', { class: 'card-media', src: img, alt: '', loading: 'lazy' }) : h('div', { class: 'card-media card-media-blank', 'aria-hidden': 'true' }, (c.title || '?').slice(0, 1)),
    h('div', { class: 'card-body' },
      h('h3', { class: 'card-title' }, h('a', { href: `/courses/${encodeURIComponent(c.id)}`, class: 'stretched' }, c.title)),
      meta.length ? h('p', { class: 'card-meta' }, meta) : null,
      ratingLabel(c.rating_average, c.rating_count),
      h('p', { class: 'card-price' }, priceLabel(c.price_cents, c.currency))));
}

function productCard(p) {
  const img = imageUrl(p);
  const out = p.kind === 'physical' && p.stock_quantity !== null && p.stock_quantity !== undefined && Number(p.stock_quantity) <= 0;
  return h('li', { class: 'card' },
    img ? h('img', { class: 'card-media', src: img, alt: '', loading: 'lazy' }) : h('div', { class: 'card-media card-media-blank', 'aria-hidden': 'true' }, (p.name || '?').slice(0, 1)),
    h('div', { class: 'card-body' },
      h('h3', { class: 'card-title' }, h('a', { href: `/products/${encodeURIComponent(p.id)}`, class: 'stretched' }, p.name)),
      h('p', { class: 'card-meta' },
        p.kind ? h('span', { class: 'chip' }, p.kind === 'digital' ? t('digital') : t('physical')) : null,
        out ? h('span', { class: 'chip chip-warn' }, t('out-of-stock')) : null),
      h('p', { class: 'card-price' }, priceLabel(p.price_cents, p.currency))));
}

// The price filter's fields are in major units; the API's min_price/max_price in minor units.
const toMajor = (cents) => moneyInput(cents, storeCurrency);

function toMinor(value) {
  const cents = parseMoney(value, storeCurrency);
  return cents === null || Number.isNaN(cents) ? '' : String(cents);
}

export async function cataloguePage(ctx, kind) {
  const isCourses = kind === 'courses';
  const basePath = isCourses ? (ctx.path === '/' ? '/' : '/courses') : '/products';
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const v = ctx.query.get(key);
    if (v) params.set(key, v);
  }
  let page = Math.max(1, Number(ctx.query.get('page')) || 1);

  const { categories, tags } = await loadTaxonomy();

  // ---- filters form
  const searchId = uid('q');
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('search-items', { kind }) });
  const searchRow = h('div', { class: 'search-row' },
    h('label', { for: searchId, class: 'visually-hidden' }, t('search-items', { kind })),
    h('input', { id: searchId, name: 'q', type: 'search', placeholder: t('search-items', { kind }), value: params.get('q') || '', autocomplete: 'off' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('search')));

  const select = (name, label, options, value) => {
    const id = uid(name);
    return h('div', { class: 'field' },
      h('label', { for: id }, label),
      h('select', { id, name }, options.map(([v, l]) => h('option', { value: v, selected: String(v) === String(value || '') }, l))));
  };
  const catOpts = categoryOptions(categories);
  const minId = uid('min');
  const maxId = uid('max');
  const freeId = uid('free');
  const filterFields = h('div', { class: 'filter-fields' },
    select('sort', t('sort-by'), SORTS()[kind], params.get('sort')),
    catOpts.length ? select('category', t('category'), [['', t('all-categories')], ...catOpts.map((o) => [o.value, o.label])], params.get('category')) : null,
    tags.length ? select('tag', t('tag'), [['', t('all-tags')], ...tags.map((t) => [t.id, t.name])], params.get('tag')) : null,
    isCourses ? null : select('kind', t('type'), [['', t('all-types')], ['digital', t('digital')], ['physical', t('physical')]], params.get('kind')),
    h('fieldset', { class: 'price-range' },
      h('legend', {}, t('price')),
      h('div', { class: 'price-inputs' },
        h('div', { class: 'field' }, h('label', { for: minId }, t('min')),
          h('input', { id: minId, name: 'min_price', type: 'number', min: '0', step: 'any', inputmode: 'decimal', value: toMajor(params.get('min_price')) })),
        h('div', { class: 'field' }, h('label', { for: maxId }, t('max')),
          h('input', { id: maxId, name: 'max_price', type: 'number', min: '0', step: 'any', inputmode: 'decimal', value: toMajor(params.get('max_price')) })))),
    // Courses have a teaching language once the server knows languages (GET /api/i18n answers).
    isCourses && serverSpeaksLanguages()
      ? select('language', t('course-language'), [['', t('all-languages')], ...languages().map((l) => [l.code, l.name])], params.get('language'))
      : null,
    isCourses ? h('div', { class: 'field field-check' },
      h('input', { id: freeId, name: 'free', type: 'checkbox', checked: params.get('free') === 'true' }),
      h('label', { for: freeId }, t('free-courses-only'))) : null,
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-secondary' }, t('apply-filters')),
      h('a', { href: basePath, class: 'btn btn-link' }, t('clear-all'))));
  const details = h('details', { class: 'filter-panel' }, h('summary', {}, t('filters-and-sorting')), filterFields);
  if (window.matchMedia('(min-width: 860px)').matches) details.open = true;
  form.append(searchRow, details);

  // ---- results
  const resultsHeadingId = uid('results');
  const status = h('p', { class: 'results-status', role: 'status', 'aria-live': 'polite' });
  const resultsHeading = h('h2', { id: resultsHeadingId, class: 'visually-hidden', tabindex: '-1' }, t('items-results', { kind }));
  const results = h('div', { class: 'results' });
  const section = h('section', { class: 'results-section', 'aria-labelledby': resultsHeadingId }, resultsHeading, status, results);

  const hrefFor = (p) => {
    const q = new URLSearchParams(params);
    if (p > 1) q.set('page', String(p));
    const s = q.toString();
    return s ? `${basePath}?${s}` : basePath;
  };

  let loadSeq = 0;
  async function load({ focusResults = false } = {}) {
    const mine = ++loadSeq;
    results.setAttribute('aria-busy', 'true');
    replace(results, loading(t('loading-items', { kind })));
    const query = { page, per_page: PER_PAGE };
    for (const [k, v] of params) query[k] = v;
    try {
      const body = await get(isCourses ? '/courses' : '/products', query, { signal: ctx.signal });
      if (mine !== loadSeq) return;
      const items = listOf(body);
      if (!storeCurrency && items[0] && items[0].currency) storeCurrency = items[0].currency;
      const total = Number(body.total ?? items.length);
      status.textContent = total ? t('items-found', { kind, count: total }) : '';
      const filtered = [...params.keys()].some((k) => k !== 'sort');
      if (!items.length) {
        replace(results, filtered
          ? emptyState(t('no-items-match-your-search', { kind }), t('try-other-words-or-remove-some'), h('a', { href: basePath, class: 'btn btn-secondary' }, t('clear-filters')))
          : emptyState(t('no-items-yet', { kind }), isCourses ? t('published-courses-will-appear-here') : t('products-for-sale-will-appear-here')));
      } else {
        replace(results,
          h('ul', { class: 'card-grid' }, items.map(isCourses ? courseCard : productCard)),
          pagination({ total, page: body.page || page, per_page: body.per_page || PER_PAGE }, hrefFor, { label: t('items-pages', { kind }) }));
      }
    } catch (err) {
      if (err.name === 'AbortError' || mine !== loadSeq) return;
      status.textContent = '';
      replace(results, errorBox(err, { retry: () => load() }));
    } finally {
      if (mine === loadSeq) results.removeAttribute('aria-busy');
    }
    if (focusResults) resultsHeading.focus();
  }

  function apply() {
    const data = new FormData(form);
    for (const key of FILTER_KEYS) params.delete(key);
    for (const [key, raw] of data) {
      let value = String(raw).trim();
      if (key === 'min_price' || key === 'max_price') value = toMinor(value);
      if (key === 'free') value = 'true';
      if (value) params.set(key, value);
    }
    page = 1;
    ctx.router.navigate(hrefFor(1), { silent: true });
    load();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    apply();
  });
  // Selects and the checkbox apply at once; results update in place and the
  // count is announced, focus stays on the control.
  form.addEventListener('change', (e) => {
    if (e.target instanceof HTMLSelectElement || (e.target instanceof HTMLInputElement && e.target.type === 'checkbox')) apply();
  });
  // Pagination updates the list in place and moves focus to the results.
  results.addEventListener('click', (e) => {
    const a = e.target instanceof Element ? e.target.closest('.pagination a[href]') : null;
    if (!a || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    const next = new URL(a.href).searchParams.get('page');
    page = Math.max(1, Number(next) || 1);
    ctx.router.navigate(hrefFor(page), { silent: true });
    window.scrollTo(0, 0);
    load({ focusResults: true });
  });

  await load();

  const tabs = h('nav', { class: 'tabs', 'aria-label': t('catalogue') },
    h('a', { href: '/courses', 'aria-current': isCourses ? 'page' : null }, t('courses')),
    h('a', { href: '/products', 'aria-current': isCourses ? null : 'page' }, t('products')));

  const node = h('div', { class: 'page container' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('catalogue')),
      h('p', { class: 'lead' }, isCourses ? t('courses-to-learn-at-your-own') : t('books-kits-and-downloads-from-our'))),
    tabs,
    h('div', { class: 'catalogue-layout' }, form, section));
  return { title: isCourses ? t('courses') : t('products'), node };
}
