// @ts-check
// Admin > Courses: the instructor's (or, for admins, every) course list, the
// course details form (create and edit, publish), and the course tabs.

import { get, post, put, getUser, hasRole } from '../api.js';
import {
  h, replace, field, onSubmit, fieldErrors, announce, formatDate, formatDuration, priceLabel, notice, errorBox, loading,
} from '../ui.js';
import {
  pageHead, backLink, statusChip, table, parseMoney, moneyInput, listArea, filterBar, hrefWith, pick, storeCurrency,
} from './common.js';
import { uploadMedia } from './lesson.js';
import { uncaptionedVideos } from './captions.js';
import { t, intlLocale } from '../i18n.js';

const STATUSES = () => ([['', t('any-status')], ['draft', t('draft')], ['published', t('published')], ['archived', t('archived')]]);
const LEVELS = () => ([['all', t('all-levels')], ['beginner', t('beginner')], ['intermediate', t('intermediate')], ['advanced', t('advanced')]]);

export async function coursesPage(ctx) {
  const me = getUser();
  const values = pick(ctx.query, ['q', 'status']);
  const admin = hasRole('admin');
  const list = listArea({
    path: '/courses',
    noun: 'course',
    signal: ctx.signal,
    page: ctx.query.get('page'),
    query: () => ({ ...values, instructor_id: admin ? null : me.id, sort: values.q ? null : '-created_at' }),
    hrefFor: (p) => hrefWith('/admin/courses', { ...values, page: p > 1 ? p : null }),
    onPage: (p) => ctx.router.navigate(hrefWith('/admin/courses', { ...values, page: p > 1 ? p : null }), { silent: true }),
    empty: values.q || values.status
      ? [t('no-courses-match'), t('try-other-words-or-another-status')]
      : [t('no-courses-yet'), t('create-your-first-course-then-add'), h('a', { href: '/admin/courses/new', class: 'btn btn-primary' }, t('new-course'))],
    render: (items) => table(t('courses'), [t('course'), t('status'), t('price'), t('lessons'), t('learners'), t('updated')],
      items.map((c) => h('tr', {},
        h('th', { scope: 'row' },
          h('a', { href: `/admin/courses/${encodeURIComponent(c.id)}`, class: 'cell-name' }, c.title),
          admin && c.instructor ? h('span', { class: 'cell-sub' }, t('by-name', { name: c.instructor.name })) : null),
        h('td', {}, statusChip(c.status)),
        h('td', {}, priceLabel(c.price_cents, c.currency)),
        h('td', {}, String(c.lesson_count ?? 0)),
        h('td', {}, String(c.enrollment_count ?? 0)),
        h('td', {}, formatDate(c.updated_at))))),
  });
  const filters = filterBar(t('filter-courses'), [
    { name: 'q', label: t('search'), type: 'search', placeholder: t('title-or-description') },
    { name: 'status', label: t('status'), type: 'select', options: STATUSES() },
  ], values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith('/admin/courses', values), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: admin ? t('courses') : t('my-courses'),
    node: h('section', { class: 'page' },
      pageHead(admin ? t('courses') : t('my-courses'), admin ? t('every-course-in-the-school') : t('courses-you-teach-build-their-lessons'),
        h('a', { href: '/admin/courses/new', class: 'btn btn-primary' }, t('new-course'))),
      filters, list.status, list.results),
  };
}

// ------------------------------------------------------------ details form --

async function loadTaxonomy(signal) {
  const [cats, tags] = await Promise.all([
    get('/categories', { per_page: 100 }, { signal }).catch(() => ({ items: [] })),
    get('/tags', { per_page: 100 }, { signal }).catch(() => ({ items: [] })),
  ]);
  return { categories: cats.items || [], tags: tags.items || [] };
}

/** Category select + tag checkboxes, shared by the course and product forms. */
export function taxonomyFields({ categories, tags }, item) {
  const chosen = new Set((item && item.tags ? item.tags : []).map((t) => t.id));
  const nodes = [];
  if (categories.length) {
    nodes.push(field({
      label: t('category'), name: 'category_id', type: 'select', value: item ? item.category_id || '' : '',
      options: [{ value: '', label: t('no-category') }, ...categories.map((c) => ({ value: c.id, label: c.name }))],
    }));
  }
  if (tags.length) {
    nodes.push(h('fieldset', { class: 'field tag-choices' }, h('legend', {}, t('tags')),
      h('div', { class: 'check-grid' }, tags.map((tag) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'tag', value: tag.id, checked: chosen.has(tag.id) }), tag.name)))));
  }
  return nodes;
}

export function tagIds(form) {
  return [...form.querySelectorAll('input[name="tag"]:checked')].map((i) => i.value);
}

/** The cover image: upload, preview and remove. Returns { node, changes() } for the save body. */
function coverField(course) {
  let mediaId = (course && course.cover_media_id) || null;
  let changed = false;
  const url = course && course.cover_url;
  const preview = h('img', { class: 'cover-preview', alt: t('current-cover-image'), src: url || null, hidden: !url, width: 240 });
  const input = h('input', { id: 'course-cover', type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif', 'aria-describedby': 'course-cover-hint' });
  const status = h('p', { class: 'small', role: 'status' });
  const remove = h('button', { type: 'button', class: 'btn btn-secondary btn-small', hidden: !mediaId }, t('remove-cover'));
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    status.textContent = t('uploading-name', { name: file.name });
    try {
      const media = await uploadMedia(file);
      mediaId = media.id;
      changed = true;
      preview.src = media.url;
      preview.hidden = false;
      remove.hidden = false;
      status.textContent = t('name-uploaded-save-the-details-to', { name: file.name });
    } catch (err) {
      status.textContent = err.userMessage || t('the-upload-failed');
    } finally {
      input.value = '';
    }
  });
  remove.addEventListener('click', () => {
    mediaId = null;
    changed = true;
    preview.hidden = true;
    remove.hidden = true;
    status.textContent = t('the-cover-is-removed-when-you');
    input.focus();
  });
  return {
    node: h('div', { class: 'field cover-field' },
      h('label', { for: 'course-cover' }, t('cover-image')),
      preview, input,
      h('p', { class: 'hint', id: 'course-cover-hint' }, t('shown-on-the-course-card-and')),
      remove, status),
    changes: () => (changed ? { cover_media_id: mediaId } : {}),
  };
}

function courseForm(course, taxonomy, storeCur, onSaved) {
  const currency = (course && course.currency) || storeCur;
  const cover = coverField(course);
  const form = h('form', { class: 'stack form-card', 'aria-label': t('course-details') },
    field({ label: t('title'), name: 'title', required: true, value: course ? course.title : '', attrs: { maxlength: 200 } }),
    field({ label: t('description'), name: 'description', type: 'textarea', value: course ? course.description : '', hint: t('markdown-bold-italic-lists-links'), attrs: { rows: 6 } }),
    h('div', { class: 'form-grid' },
      field({ label: t('price-currency', { currency }), name: 'price_cents', value: course ? moneyInput(course.price_cents, currency) : '0.00', hint: t('zero-makes-the-course-free'), attrs: { inputmode: 'decimal' } }),
      field({ label: t('level'), name: 'level', type: 'select', value: course ? course.level : 'all', options: LEVELS().map(([value, label]) => ({ value, label })) }),
      course ? field({ label: t('slug'), name: 'slug', value: course.slug, hint: t('the-address-of-the-course-page') }) : null),
    cover.node,
    taxonomyFields(taxonomy, course),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, course ? t('save-details') : t('create-course'))));
  onSubmit(form, async (v) => {
    const price = parseMoney(v.price_cents, currency);
    if (Number.isNaN(price)) {
      throw fieldErrors(t('check-the-price'), [{ field: 'price_cents', message: t('must-be-an-amount-such-as', { amount: moneyInput(1999, currency) }) }]);
    }
    const body = {
      title: v.title, description: v.description, price_cents: price ?? 0, level: v.level || 'all', tag_ids: tagIds(form),
    };
    if ('category_id' in v) body.category_id = v.category_id || null;
    if (course && v.slug) body.slug = v.slug;
    Object.assign(body, cover.changes());
    const saved = course ? await put(`/courses/${encodeURIComponent(course.id)}`, body) : await post('/courses', body);
    await onSaved(saved);
  }, { busyLabel: t('saving') });
  return form;
}

export async function newCoursePage(ctx) {
  const [taxonomy, storeCur] = await Promise.all([loadTaxonomy(ctx.signal), storeCurrency()]);
  return {
    title: t('new-course'),
    node: h('section', { class: 'page narrow-page' },
      backLink('/admin/courses', t('courses')),
      pageHead(t('new-course'), t('start-with-a-title-add-sections')),
      courseForm(null, taxonomy, storeCur, async (course) => {
        announce(t('course-title-created', { title: course.title }));
        ctx.router.navigate(`/admin/courses/${encodeURIComponent(course.id)}`);
      })),
  };
}

// ---------------------------------------------------------- course frame --

const TABS = () => ([
  ['', t('content')],
  ['/details', t('details')],
  ['/students', t('learners')],
  ['/grading', t('grading-2')],
]);

/** Load a course the caller manages; returns the course or a page result for errors. */
export async function loadCourse(ctx) {
  try {
    return { course: await get(`/courses/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal }) };
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return {
      page: {
        title: t('course'),
        node: h('section', { class: 'page' }, backLink('/admin/courses', t('courses')),
          h('h1', {}, err.status === 404 ? t('course-not-found') : t('could-not-load-the-course')), errorBox(err)),
      },
    };
  }
}

/**
 * What a course lacks before it is published: `blockers` (nothing to learn yet) stop it,
 * `warnings` (no description, no cover) are asked about.
 */
export function publishGaps(course, sections = []) {
  const blockers = [];
  const warnings = [];
  if (!Number(course.lesson_count)) blockers.push(t('it-has-no-lessons'));
  if (!String(course.description || '').trim()) warnings.push(t('missing-description'));
  if (!course.cover_url) warnings.push(t('missing-cover-image'));
  const uncaptioned = uncaptionedVideos(sections).length;
  if (uncaptioned) warnings.push(t('caption-videos-without', { count: uncaptioned }));
  return { blockers, warnings };
}

/** The heading, status and publish control, and tabs of a course page. */
export function courseFrame(ctx, course, current, ...body) {
  const base = `/admin/courses/${encodeURIComponent(course.id)}`;
  const statusSlot = h('span', { class: 'status-slot' }, statusChip(course.status));
  const msg = h('div', { class: 'frame-msg', 'aria-live': 'polite' });
  const publish = h('button', { type: 'button', class: ['btn', course.status === 'published' ? 'btn-secondary' : 'btn-primary'] },
    course.status === 'published' ? t('unpublish') : t('publish'));
  publish.addEventListener('click', async () => {
    const next = course.status === 'published' ? 'draft' : 'published';
    publish.disabled = true;
    replace(msg);
    try {
      if (next === 'published') {
        // Lessons may have been added since the page loaded: check the course as it is now.
        const cid = encodeURIComponent(course.id);
        const [now, outline] = await Promise.all([get(`/courses/${cid}`), get(`/courses/${cid}/lessons`)]);
        const gaps = publishGaps(now, outline.sections);
        if (gaps.blockers.length) {
          replace(msg, h('div', { class: 'alert alert-error', role: 'alert' },
            h('p', {}, t('this-course-cannot-be-published-yet')), h('ul', {}, gaps.blockers.map((b) => h('li', {}, b)))));
          return;
        }
        if (gaps.warnings.length && !window.confirm(t('this-course-has-value-learners-decide', { value: new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(gaps.warnings) }))) return;
      }
      const saved = await put(`/courses/${encodeURIComponent(course.id)}`, { status: next });
      Object.assign(course, saved);
      replace(statusSlot, statusChip(course.status));
      publish.textContent = course.status === 'published' ? t('unpublish') : t('publish');
      publish.className = ['btn', course.status === 'published' ? 'btn-secondary' : 'btn-primary'].join(' ');
      announce(course.status === 'published' ? t('the-course-is-published-it-is') : t('the-course-is-a-draft-again'));
    } catch (err) {
      replace(msg, errorBox(err));
    } finally {
      publish.disabled = false;
      publish.focus();
    }
  });
  const tabs = h('nav', { class: 'tabs', 'aria-label': t('course-sections') },
    TABS().map(([suffix, label]) => h('a', { href: base + suffix, 'aria-current': suffix === current ? 'page' : null }, label)));
  return h('section', { class: 'page' },
    backLink('/admin/courses', hasRole('admin') ? t('courses') : t('my-courses')),
    pageHead(course.title, null,
      statusSlot,
      h('a', { href: `/courses/${encodeURIComponent(course.id)}`, class: 'btn btn-secondary', target: '_blank', rel: 'noopener' },
        t('preview'), h('span', { class: 'visually-hidden' }, ` ${t('the-course-page-opens-in-a')}`)),
      publish),
    h('p', { class: 'muted small course-facts' },
      `${priceLabel(course.price_cents, course.currency)} · ${t('count-lesson', { count: course.lesson_count || 0 })}`,
      course.total_duration_seconds ? ` · ${formatDuration(course.total_duration_seconds)}` : '',
      ` · ${t('count-learner', { count: course.enrollment_count || 0 })}`),
    msg, tabs, body);
}

export async function courseDetailsPage(ctx) {
  const loaded = await loadCourse(ctx);
  if (loaded.page) return loaded.page;
  const { course } = loaded;
  const [taxonomy, storeCur] = await Promise.all([loadTaxonomy(ctx.signal), storeCurrency()]);
  const saved = h('div', { 'aria-live': 'polite' });
  const form = courseForm(course, taxonomy, storeCur, async (updated) => {
    Object.assign(course, updated);
    replace(saved, notice(t('the-course-details-were-saved')));
    announce(t('saved'));
  });
  return { title: t('title-details', { title: course.title }), node: courseFrame(ctx, course, '/details', saved, form) };
}

export { loading };
