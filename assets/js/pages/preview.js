// @ts-check
// Free preview lessons: anyone may open them from the course page, signed in or not,
// with the way to enrol or buy next to the lesson.

import { h, replace, markdown, trustedHtml } from '../ui.js';
import { t } from '../i18n.js';
import { videoLessonBody } from './player.js';


function previewBody(lesson) {
  const content = lesson.content || {};
  if (lesson.content_type === 'video') return videoLessonBody(content).nodes;
  if (lesson.content_type === 'reading') return content.body_html ? trustedHtml(content.body_html) : markdown(content.body_markdown || '');
  return h('div', { class: 'alert alert-info', role: 'status' },
    h('p', {}, t('lesson-is-part-of-the-course', { type: lesson.content_type || 'other' })));
}

/**
 * The preview of `lessonId` of `course` (outline `sections` as course.js reads them), or null
 * when that lesson is not a free preview.
 */
export function previewResult(course, sections, lessonId) {
  const previews = sections.flatMap((s) => s.lessons).filter((l) => l.is_preview);
  const lesson = previews.find((l) => l.id === lessonId);
  if (!lesson) return null;
  const cid = encodeURIComponent(course.id);
  const others = previews.filter((l) => l.id !== lesson.id);
  const body = h('div', { class: 'lesson-main' });
  replace(body, previewBody(lesson));
  return {
    title: `${lesson.title} · ${course.title}`,
    node: h('article', { class: 'page container preview' },
      h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
        h('ol', {},
          h('li', {}, h('a', { href: '/courses' }, t('courses'))),
          h('li', {}, h('a', { href: `/courses/${cid}` }, course.title)),
          h('li', { 'aria-current': 'page' }, lesson.title))),
      h('p', {}, h('span', { class: 'chip chip-accent' }, t('free-preview'))),
      h('h1', {}, lesson.title),
      body,
      h('aside', { class: 'panel preview-next', 'aria-label': t('continue-with-the-course') },
        h('p', {}, t('liked-it-the-whole-course-is')),
        h('p', { class: 'form-actions' },
          h('a', { href: `/courses/${cid}?intent=enrol`, class: 'btn btn-primary' }, Number(course.price_cents) === 0 ? t('enrol-for-free') : t('buy-this-course')),
          h('a', { href: `/courses/${cid}`, class: 'btn btn-secondary' }, t('back-to-the-course-page'))),
        others.length ? [h('h2', {}, t('more-free-previews')),
          h('ul', {}, others.map((l) => h('li', {}, h('a', { href: `/learn/${cid}/${encodeURIComponent(l.id)}` }, l.title))))] : null)),
  };
}
