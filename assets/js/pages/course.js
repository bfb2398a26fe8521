// @ts-check
// Course page: details, outline, reviews, and the enrol / buy button.

import { get, post, isSignedIn, ApiError } from '../api.js';
import {
  h, replace, markdown, priceLabel, formatDuration, formatDate, ratingLabel, imageUrl,
  errorBox, emptyState, loading, announce, busy,
} from '../ui.js';
import { notFoundResult } from './common.js';
import { addAsGuest } from '../guest-cart.js';
import { membershipOffer } from './membership-course.js';
import { t } from '../i18n.js';

const LEVELS = () => ({ beginner: t('beginner'), intermediate: t('intermediate'), advanced: t('advanced'), all: t('all-levels') });
const capitalize = (s) => String(s).charAt(0).toUpperCase() + String(s).slice(1);

const TYPE_LABELS = () => ({ video: t('video'), reading: t('reading'), quiz: t('quiz'), assignment: t('assignment') });

/** Normalise the outline answer into [{title, lessons: [...]}]. */
export function outlineSections(body) {
  if (!body) return [];
  if (Array.isArray(body.sections)) {
    return body.sections.map((s) => ({ title: s.title, lessons: s.lessons || [] }));
  }
  const lessons = Array.isArray(body) ? body : body.items || body.lessons || [];
  const groups = new Map();
  for (const l of lessons) {
    const key = l.section_id || l.section_title || '';
    if (!groups.has(key)) groups.set(key, { title: l.section_title || '', lessons: [] });
    groups.get(key).lessons.push(l);
  }
  return [...groups.values()];
}

/** The outline; lessons the reader may open (free previews, or all open lessons once enrolled) are links. */
function outlineView(sections, courseId, enrolled) {
  const total = sections.reduce((n, s) => n + s.lessons.length, 0);
  if (!total) return emptyState(t('no-lessons-yet'), t('the-outline-appears-here-once-lessons'));
  const opens = (l) => !l.locked && (enrolled || l.is_preview);
  return h('ol', { class: 'outline' }, sections.map((s, i) => h('li', { class: 'outline-section' },
    h('h3', {}, s.title || t('section-value-2', { value: i + 1 })),
    h('ol', { class: 'outline-lessons' }, s.lessons.map((l) => h('li', { class: 'outline-lesson' },
      h('span', { class: 'lesson-type' },
        h('span', { class: `type-icon type-${l.content_type || 'reading'}`, 'aria-hidden': 'true' }),
        h('span', { class: 'visually-hidden' }, `${TYPE_LABELS()[l.content_type] || l.content_type || t('lesson')}: `)),
      opens(l)
        ? h('a', { class: 'lesson-title', href: `/learn/${encodeURIComponent(courseId)}/${encodeURIComponent(l.id)}` }, l.title)
        : h('span', { class: 'lesson-title' }, l.title),
      h('span', { class: 'lesson-meta' },
        l.is_preview ? h('span', { class: 'chip chip-accent' }, t('preview')) : null,
        l.locked ? h('span', { class: 'chip' }, t('locked')) : null,
        l.duration_seconds ? h('span', { class: 'muted' }, formatDuration(l.duration_seconds)) : null)))))));
}

function reviewAuthor(r) {
  return r.reviewer_name || t('a-learner-2');
}

function reviewItem(r) {
  const rating = Math.max(0, Math.min(5, Number(r.rating) || 0));
  return h('li', { class: 'review' },
    h('p', { class: 'review-head' },
      h('span', { class: 'stars', 'aria-hidden': 'true' }, '★'.repeat(rating) + '☆'.repeat(5 - rating)),
      h('span', { class: 'visually-hidden' }, t('rating-out-of-5-stars', { rating })),
      h('strong', {}, reviewAuthor(r)),
      r.created_at ? h('span', { class: 'muted' }, formatDate(r.created_at)) : null),
    r.comment ? h('p', { class: 'review-body' }, r.comment) : null);
}

function reviewsSection(courseId, signal) {
  const list = h('ul', { class: 'reviews' });
  const more = h('div', { class: 'reviews-more' });
  const container = h('div', {}, loading(t('loading-reviews')));
  let page = 1;
  let shown = 0;
  async function loadPage() {
    const body = await get(`/courses/${encodeURIComponent(courseId)}/reviews`, { page, per_page: 10 }, { signal });
    const items = (body && body.items) || (Array.isArray(body) ? body : []);
    items.forEach((r) => list.append(reviewItem(r)));
    shown += items.length;
    const total = Number((body && body.total) ?? shown);
    replace(more, shown < total
      ? h('button', {
        type: 'button',
        class: 'btn btn-secondary',
        on: {
          click: async (e) => {
            const done = busy(e.currentTarget, t('loading'));
            page += 1;
            const firstNew = list.children.length;
            try {
              await loadPage();
              const target = list.children[firstNew];
              if (target) {
                target.setAttribute('tabindex', '-1');
                target.focus();
              }
            } catch (err) {
              more.append(errorBox(err));
            } finally {
              done();
            }
          },
        },
      }, t('show-more-reviews'))
      : null);
    return shown;
  }
  loadPage()
    .then((n) => replace(container, n ? [list, more] : emptyState(t('no-reviews-yet'), t('learners-who-take-this-course-can'))))
    .catch((err) => {
      if (err.name !== 'AbortError') replace(container, errorBox(err));
    });
  return container;
}

export async function coursePage(ctx) {
  const id = ctx.params.id;
  let course;
  try {
    course = await get(`/courses/${encodeURIComponent(id)}`, null, { signal: ctx.signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFoundResult(t('course-not-found'), t('this-course-does-not-exist-or'), '/courses', t('browse-courses'));
    throw err;
  }
  const outlinePromise = get(`/courses/${encodeURIComponent(id)}/lessons`, null, { signal: ctx.signal }).then(outlineSections);
  // The caller's enrolment in this course, if any: a list of zero or one, so a learner who
  // is not enrolled costs no failing request.
  const progressPromise = isSignedIn()
    ? get('/users/me/courses', { course_id: id }, { signal: ctx.signal })
      .then((body) => (body && body.items && body.items[0]) || null).catch(() => null)
    : Promise.resolve(null);
  const offerPromise = membershipOffer(ctx, course);

  const free = Number(course.price_cents) === 0;
  const action = h('div', { class: 'buy-box-action' });
  const message = h('div', { class: 'buy-box-message', 'aria-live': 'polite' });

  let enrolled = false;
  function enrolledView(progress) {
    enrolled = true;
    const percent = Math.max(0, Math.min(100, Number(progress && progress.percent) || 0));
    const completed = progress && progress.status === 'completed';
    replace(action,
      h('p', { class: 'enrolled' }, h('span', { class: 'check', 'aria-hidden': 'true' }, '✓ '),
        completed ? t('you-completed-this-course') : t('you-are-enrolled-in-this-course')),
      progress ? h('div', { class: 'progress-line' },
        h('label', { for: 'course-progress' }, t('percent-complete', { percent })),
        h('progress', { id: 'course-progress', max: '100', value: String(percent) }, `${percent}%`)) : null,
      // The player opens the last lesson visited, else the first one not done.
      h('a', { href: `/learn/${encodeURIComponent(id)}`, class: 'btn btn-primary btn-block' },
        completed ? t('review-the-course') : percent > 0 ? t('continue-learning') : t('start-the-course')));
  }

  async function enrol(e) {
    if (!isSignedIn() && !free && addAsGuest('course', course.id)) {
      announce(t('title-was-added-to-your-cart', { title: course.title }));
      ctx.router.navigate('/cart');
      return;
    }
    if (!isSignedIn()) {
      // Back here after signing in (or signing up), where the intent is carried out.
      ctx.router.navigate(`/login?next=${encodeURIComponent(`${ctx.path}?intent=enrol`)}`);
      return;
    }
    replace(message);
    const done = busy(e.currentTarget, free ? t('enrolling') : t('adding'));
    if (free) {
      try {
        const enrolment = await post(`/courses/${encodeURIComponent(id)}/enroll`, {});
        enrolledView(enrolment && typeof enrolment.percent === 'number' ? enrolment : null);
        announce(t('you-are-enrolled-in-this-course'));
        // Lessons were locked for a visitor: ask again now that they are open.
        get(`/courses/${encodeURIComponent(id)}/lessons`)
          .then((body) => replace(outlineHost, outlineView(outlineSections(body), id, true)))
          .catch((err) => replace(outlineHost, errorBox(err)));
      } catch (err) {
        replace(message, errorBox(err));
      } finally {
        done();
      }
      return;
    }
    // A paid course not bought yet goes to the cart.
    try {
      await post('/cart', { item_type: 'course', item_id: course.id, quantity: 1 });
      window.dispatchEvent(new CustomEvent('schoolhouse:cart'));
      announce(t('title-was-added-to-your-cart', { title: course.title }));
      ctx.router.navigate('/cart');
    } catch (err) {
      done();
      replace(message, errorBox(err), err.status === 409 ? h('p', {}, h('a', { href: '/cart' }, t('go-to-your-cart'))) : null);
    }
  }

  const buyButton = h('button', { type: 'button', class: 'btn btn-primary btn-block', on: { click: enrol } },
    free ? t('enrol-for-free') : t('buy-this-course'));
  replace(action, buyButton);

  const progress = await progressPromise;
  if (progress && progress.status !== 'revoked') enrolledView(progress);
  const offer = await offerPromise;
  if (offer.member && !enrolled) replace(action, offer.start);

  const img = imageUrl(course);
  const facts = /** @type {[string, string][]} */ ([
    course.level ? [t('level'), LEVELS()[course.level] || capitalize(course.level)] : null,
    course.lesson_count ? [t('lessons'), String(course.lesson_count)] : null,
    course.total_duration_seconds || course.duration_seconds ? [t('length'), formatDuration(course.total_duration_seconds || course.duration_seconds)] : null,
    course.instructor_name || (course.instructor && course.instructor.name) ? [t('instructor'), course.instructor_name || course.instructor.name] : null,
    course.updated_at ? [t('updated'), formatDate(course.updated_at)] : null,
  ].filter(Boolean));

  const outlineHost = h('div', {}, loading(t('loading-outline')));
  outlinePromise
    .then((sections) => replace(outlineHost, outlineView(sections, id, enrolled)))
    .catch((err) => {
      if (err.name !== 'AbortError') replace(outlineHost, errorBox(err));
    });

  const tagChips = Array.isArray(course.tags) && course.tags.length
    ? h('p', { class: 'tag-list' }, course.tags.map((t) => h('span', { class: 'chip' }, typeof t === 'string' ? t : t.name)))
    : null;

  const node = h('article', { class: 'page container' },
    h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/courses' }, t('courses'))), h('li', { 'aria-current': 'page' }, course.title))),
    h('div', { class: 'detail-layout' },
      h('div', { class: 'detail-main' },
        h('h1', {}, course.title),
        h('p', { class: 'detail-sub' }, ratingLabel(course.rating_average, course.rating_count) || h('span', { class: 'muted' }, t('no-ratings-yet'))),
        tagChips,
        img ? h('img', { class: 'detail-media', src: img, alt: '' }) : null,
        h('section', { 'aria-labelledby': 'about-h' }, h('h2', { id: 'about-h' }, t('about-this-course')), markdown(course.description || '')),
        h('section', { 'aria-labelledby': 'outline-h' }, h('h2', { id: 'outline-h' }, t('course-outline')), outlineHost),
        h('section', { 'aria-labelledby': 'reviews-h' },
          h('h2', { id: 'reviews-h' }, t('reviews'), course.rating_count ? h('span', { class: 'muted' }, ` (${t('count-review', { count: Number(course.rating_count) })})`) : null),
          reviewsSection(id, ctx.signal))),
      h('aside', { class: 'buy-box', 'aria-label': t('enrolment') },
        h('p', { class: 'buy-box-price' }, priceLabel(course.price_cents, course.currency)),
        offer.note, action, message,
        facts.length ? h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null)));
  // "Enrol" or "Buy" chosen elsewhere (a preview, or before signing in): carry it out now,
  // once; a visitor is first asked to sign in and comes back here to finish it.
  if (ctx.query.get('intent') === 'enrol' && !enrolled) {
    window.history.replaceState(window.history.state, '', ctx.path);
    setTimeout(() => buyButton.click(), 0);
  }
  return { title: course.title, node };
}
