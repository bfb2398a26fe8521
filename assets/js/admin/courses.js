// @ts-check
// Admin > Courses: the instructor's (or, for admins, every) course list, the
// course details form (create and edit, publish), and the course tabs.

import { get, post, put, getUser, hasRole } from '../api.js';
import {
  h, replace, field, onSubmit, fieldErrors, announce, formatDate, formatDuration, priceLabel, notice, errorBox, loading, plural,
} from '../ui.js';
import {
  pageHead, backLink, statusChip, table, parseMoney, moneyInput, listArea, filterBar, hrefWith, pick, storeCurrency,
} from './common.js';
import { uploadMedia } from './lesson.js';

const STATUSES = [['', 'Any status'], ['draft', 'Draft'], ['published', 'Published'], ['archived', 'Archived']];
const LEVELS = [['all', 'All levels'], ['beginner', 'Beginner'], ['intermediate', 'Intermediate'], ['advanced', 'Advanced']];

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
      ? ['No courses match.', 'Try other words or another status.']
      : ['No courses yet.', 'Create your first course, then add sections and lessons.', h('a', { href: '/admin/courses/new', class: 'btn btn-primary' }, 'New course')],
    render: (items) => table('Courses', ['Course', 'Status', 'Price', 'Lessons', 'Learners', 'Updated'],
      items.map((c) => h('tr', {},
        h('th', { scope: 'row' },
          h('a', { href: `/admin/courses/${encodeURIComponent(c.id)}`, class: 'cell-name' }, c.title),
          admin && c.instructor ? h('span', { class: 'cell-sub' }, `by ${c.instructor.name}`) : null),
        h('td', {}, statusChip(c.status)),
        h('td', {}, priceLabel(c.price_cents, c.currency)),
        h('td', {}, String(c.lesson_count ?? 0)),
        h('td', {}, String(c.enrollment_count ?? 0)),
        h('td', {}, formatDate(c.updated_at))))),
  });
  const filters = filterBar('Filter courses', [
    { name: 'q', label: 'Search', type: 'search', placeholder: 'Title or description' },
    { name: 'status', label: 'Status', type: 'select', options: STATUSES },
  ], values, (v) => {
    for (const k of Object.keys(values)) delete values[k];
    Object.assign(values, v);
    ctx.router.navigate(hrefWith('/admin/courses', values), { silent: true });
    list.load({ to: 1 });
  });
  await list.load();
  return {
    title: admin ? 'Courses' : 'My courses',
    node: h('section', { class: 'page' },
      pageHead(admin ? 'Courses' : 'My courses', admin ? 'Every course in the school.' : 'Courses you teach: build their lessons, follow your learners, grade assignments.',
        h('a', { href: '/admin/courses/new', class: 'btn btn-primary' }, 'New course')),
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
      label: 'Category', name: 'category_id', type: 'select', value: item ? item.category_id || '' : '',
      options: [{ value: '', label: 'No category' }, ...categories.map((c) => ({ value: c.id, label: c.name }))],
    }));
  }
  if (tags.length) {
    nodes.push(h('fieldset', { class: 'field tag-choices' }, h('legend', {}, 'Tags'),
      h('div', { class: 'check-grid' }, tags.map((t) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', name: 'tag', value: t.id, checked: chosen.has(t.id) }), t.name)))));
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
  const preview = h('img', { class: 'cover-preview', alt: 'Current cover image', src: url || null, hidden: !url, width: 240 });
  const input = h('input', { id: 'course-cover', type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif', 'aria-describedby': 'course-cover-hint' });
  const status = h('p', { class: 'small', role: 'status' });
  const remove = h('button', { type: 'button', class: 'btn btn-secondary btn-small', hidden: !mediaId }, 'Remove cover');
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    status.textContent = `Uploading ${file.name}…`;
    try {
      const media = await uploadMedia(file);
      mediaId = media.id;
      changed = true;
      preview.src = media.url;
      preview.hidden = false;
      remove.hidden = false;
      status.textContent = `${file.name} uploaded. Save the details to use it.`;
    } catch (err) {
      status.textContent = err.userMessage || 'The upload failed.';
    } finally {
      input.value = '';
    }
  });
  remove.addEventListener('click', () => {
    mediaId = null;
    changed = true;
    preview.hidden = true;
    remove.hidden = true;
    status.textContent = 'The cover is removed when you save the details.';
    input.focus();
  });
  return {
    node: h('div', { class: 'field cover-field' },
      h('label', { for: 'course-cover' }, 'Cover image'),
      preview, input,
      h('p', { class: 'hint', id: 'course-cover-hint' }, 'Shown on the course card and page. JPEG, PNG, WebP or GIF; a wide picture (16:9) looks best.'),
      remove, status),
    changes: () => (changed ? { cover_media_id: mediaId } : {}),
  };
}

function courseForm(course, taxonomy, storeCur, onSaved) {
  const currency = (course && course.currency) || storeCur;
  const cover = coverField(course);
  const form = h('form', { class: 'stack form-card', 'aria-label': 'Course details' },
    field({ label: 'Title', name: 'title', required: true, value: course ? course.title : '', attrs: { maxlength: 200 } }),
    field({ label: 'Description', name: 'description', type: 'textarea', value: course ? course.description : '', hint: 'Markdown: **bold**, *italic*, lists, links.', attrs: { rows: 6 } }),
    h('div', { class: 'form-grid' },
      field({ label: `Price (${currency})`, name: 'price_cents', value: course ? moneyInput(course.price_cents, currency) : '0.00', hint: '0 makes the course free.', attrs: { inputmode: 'decimal' } }),
      field({ label: 'Level', name: 'level', type: 'select', value: course ? course.level : 'all', options: LEVELS.map(([value, label]) => ({ value, label })) }),
      course ? field({ label: 'Slug', name: 'slug', value: course.slug, hint: 'The address of the course page.' }) : null),
    cover.node,
    taxonomyFields(taxonomy, course),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, course ? 'Save details' : 'Create course')));
  onSubmit(form, async (v) => {
    const price = parseMoney(v.price_cents, currency);
    if (Number.isNaN(price)) {
      throw fieldErrors('Check the price.', [{ field: 'price_cents', message: `must be an amount such as ${moneyInput(1999, currency)}` }]);
    }
    const body = {
      title: v.title, description: v.description, price_cents: price ?? 0, level: v.level || 'all', tag_ids: tagIds(form),
    };
    if ('category_id' in v) body.category_id = v.category_id || null;
    if (course && v.slug) body.slug = v.slug;
    Object.assign(body, cover.changes());
    const saved = course ? await put(`/courses/${encodeURIComponent(course.id)}`, body) : await post('/courses', body);
    await onSaved(saved);
  }, { busyLabel: 'Saving…' });
  return form;
}

export async function newCoursePage(ctx) {
  const [taxonomy, storeCur] = await Promise.all([loadTaxonomy(ctx.signal), storeCurrency()]);
  return {
    title: 'New course',
    node: h('section', { class: 'page narrow-page' },
      backLink('/admin/courses', 'Courses'),
      pageHead('New course', 'Start with a title; add sections and lessons next. New courses are drafts until you publish them.'),
      courseForm(null, taxonomy, storeCur, async (course) => {
        announce(`Course “${course.title}” created.`);
        ctx.router.navigate(`/admin/courses/${encodeURIComponent(course.id)}`);
      })),
  };
}

// ---------------------------------------------------------- course frame --

const TABS = [
  ['', 'Content'],
  ['/details', 'Details'],
  ['/students', 'Learners'],
  ['/grading', 'Grading'],
];

/** Load a course the caller manages; returns the course or a page result for errors. */
export async function loadCourse(ctx) {
  try {
    return { course: await get(`/courses/${encodeURIComponent(ctx.params.id)}`, null, { signal: ctx.signal }) };
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    return {
      page: {
        title: 'Course',
        node: h('section', { class: 'page' }, backLink('/admin/courses', 'Courses'),
          h('h1', {}, err.status === 404 ? 'Course not found' : 'Could not load the course'), errorBox(err)),
      },
    };
  }
}

/**
 * What a course lacks before it is published: `blockers` (nothing to learn yet) stop it,
 * `warnings` (no description, no cover) are asked about.
 */
export function publishGaps(course) {
  const blockers = [];
  const warnings = [];
  if (!Number(course.lesson_count)) blockers.push('It has no lessons: add at least one under Content.');
  if (!String(course.description || '').trim()) warnings.push('no description');
  if (!course.cover_url) warnings.push('no cover image');
  return { blockers, warnings };
}

/** The heading, status and publish control, and tabs of a course page. */
export function courseFrame(ctx, course, current, ...body) {
  const base = `/admin/courses/${encodeURIComponent(course.id)}`;
  const statusSlot = h('span', { class: 'status-slot' }, statusChip(course.status));
  const msg = h('div', { class: 'frame-msg', 'aria-live': 'polite' });
  const publish = h('button', { type: 'button', class: ['btn', course.status === 'published' ? 'btn-secondary' : 'btn-primary'] },
    course.status === 'published' ? 'Unpublish' : 'Publish');
  publish.addEventListener('click', async () => {
    const next = course.status === 'published' ? 'draft' : 'published';
    publish.disabled = true;
    replace(msg);
    try {
      if (next === 'published') {
        // Lessons may have been added since the page loaded: check the course as it is now.
        const gaps = publishGaps(await get(`/courses/${encodeURIComponent(course.id)}`));
        if (gaps.blockers.length) {
          replace(msg, h('div', { class: 'alert alert-error', role: 'alert' },
            h('p', {}, 'This course cannot be published yet.'), h('ul', {}, gaps.blockers.map((b) => h('li', {}, b)))));
          return;
        }
        if (gaps.warnings.length && !window.confirm(`This course has ${gaps.warnings.join(' and ')}. Learners decide from the course page: publish it anyway?`)) return;
      }
      const saved = await put(`/courses/${encodeURIComponent(course.id)}`, { status: next });
      Object.assign(course, saved);
      replace(statusSlot, statusChip(course.status));
      publish.textContent = course.status === 'published' ? 'Unpublish' : 'Publish';
      publish.className = ['btn', course.status === 'published' ? 'btn-secondary' : 'btn-primary'].join(' ');
      announce(course.status === 'published' ? 'The course is published: it is listed in the catalogue.' : 'The course is a draft again: it is no longer listed.');
    } catch (err) {
      replace(msg, errorBox(err));
    } finally {
      publish.disabled = false;
      publish.focus();
    }
  });
  const tabs = h('nav', { class: 'tabs', 'aria-label': 'Course sections' },
    TABS.map(([suffix, label]) => h('a', { href: base + suffix, 'aria-current': suffix === current ? 'page' : null }, label)));
  return h('section', { class: 'page' },
    backLink('/admin/courses', hasRole('admin') ? 'Courses' : 'My courses'),
    pageHead(course.title, null,
      statusSlot,
      h('a', { href: `/courses/${encodeURIComponent(course.id)}`, class: 'btn btn-secondary', target: '_blank', rel: 'noopener' },
        'Preview', h('span', { class: 'visually-hidden' }, ' the course page (opens in a new tab)')),
      publish),
    h('p', { class: 'muted small course-facts' },
      `${priceLabel(course.price_cents, course.currency)} · ${plural(course.lesson_count || 0, 'lesson')}`,
      course.total_duration_seconds ? ` · ${formatDuration(course.total_duration_seconds)}` : '',
      ` · ${plural(course.enrollment_count || 0, 'learner')}`),
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
    replace(saved, notice('The course details were saved.'));
    announce('Saved.');
  });
  return { title: `${course.title} · Details`, node: courseFrame(ctx, course, '/details', saved, form) };
}

export { loading };
