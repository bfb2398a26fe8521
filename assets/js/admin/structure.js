// @ts-check
// Admin > Courses > Content: sections and lessons of a course, with add,
// rename, delete and keyboard-accessible move up / move down buttons.

import { get, post, put, del } from '../api.js';
import {
  h, replace, announce, loading, errorBox, emptyState, formatDuration, uid, showFormErrors, clearFormErrors, busy,
} from '../ui.js';
import { loadCourse, courseFrame } from './courses.js';
import { lacksCaptions, uncaptionedVideos } from './captions.js';
import { t } from '../i18n.js';

const TYPE_LABEL = () => ({ video: t('video'), reading: t('reading'), quiz: t('quiz'), assignment: t('assignment') });

function moveIds(ids, index, delta) {
  const out = ids.slice();
  const [id] = out.splice(index, 1);
  out.splice(index + delta, 0, id);
  return out;
}

export async function courseContentPage(ctx) {
  const loaded = await loadCourse(ctx);
  if (loaded.page) return loaded.page;
  const { course } = loaded;
  const cid = encodeURIComponent(course.id);
  const area = h('div', { class: 'structure' });
  const msg = h('div', { 'aria-live': 'polite' });
  let sections = [];

  function showError(err) {
    replace(msg, errorBox(err));
  }

  async function reload() {
    const outline = await get(`/courses/${cid}/lessons`, null, { signal: ctx.signal });
    sections = outline.sections || [];
    draw();
  }

  /** Run an action, redraw, then focus the element found by `focusSel` (or a fallback). */
  async function act(button, fn, focusSel, fallbackSel) {
    replace(msg);
    if (button) button.disabled = true;
    try {
      const result = await fn();
      if (Array.isArray(result)) {
        sections = result;
        draw();
      } else {
        await reload();
      }
      const target = (focusSel && area.querySelector(focusSel)) || (fallbackSel && area.querySelector(fallbackSel));
      if (target) target.focus();
      return true;
    } catch (err) {
      if (button && button.isConnected) button.disabled = false;
      showError(err);
      return false;
    }
  }

  function moveButtons(kind, name, index, count, onMove, key) {
    const up = h('button', {
      type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': t('move-kind-name-up', { kind, name }), disabled: index === 0,
      dataset: { move: `${key}:up` },
    }, h('span', { 'aria-hidden': 'true' }, '↑'));
    const down = h('button', {
      type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': t('move-kind-name-down', { kind, name }), disabled: index === count - 1,
      dataset: { move: `${key}:down` },
    }, h('span', { 'aria-hidden': 'true' }, '↓'));
    up.addEventListener('click', () => onMove(-1, up));
    down.addEventListener('click', () => onMove(1, down));
    return [up, down];
  }

  function afterMoveFocus(key, delta) {
    // Keep focus on the same button of the moved item; at an edge, the other one.
    const dir = delta < 0 ? 'up' : 'down';
    const other = delta < 0 ? 'down' : 'up';
    const same = area.querySelector(`[data-move="${key}:${dir}"]`);
    if (same && !same.disabled) return same;
    return area.querySelector(`[data-move="${key}:${other}"]`);
  }

  function lessonRow(section, lesson, index) {
    const lid = encodeURIComponent(lesson.id);
    const onMove = async (delta, btn) => {
      const ids = moveIds(section.lessons.map((l) => l.id), index, delta);
      const ok = await act(btn, () => post(`/courses/${cid}/lessons/reorder`, { section_id: section.id, lesson_ids: ids }));
      if (ok) {
        const target = afterMoveFocus(`l-${lesson.id}`, delta);
        if (target) target.focus();
        announce(t('lesson-moved', { title: lesson.title, direction: delta < 0 ? 'up' : 'down', position: index + delta + 1 }));
      }
    };
    const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('delete-lesson-title', { title: lesson.title }) }, t('delete'));
    remove.addEventListener('click', async () => {
      // eslint-disable-next-line no-alert
      if (!window.confirm(t('delete-the-lesson-title-learners-progres', { title: lesson.title }))) return;
      const ok = await act(remove, () => del(`/courses/${cid}/lessons/${lid}`), null, `[data-section="${section.id}"] .add-lesson`);
      if (ok) announce(t('lesson-title-deleted', { title: lesson.title }));
    });
    const flags = [
      lesson.is_preview ? h('span', { class: 'chip chip-accent' }, t('free-preview')) : null,
      lesson.required === false ? h('span', { class: 'chip' }, t('optional-2')) : null,
      lesson.available_after_days ? h('span', { class: 'chip chip-warn' }, t('opens-day-available-after-days', { available_after_days: lesson.available_after_days })) : null,
      lacksCaptions(lesson) ? h('span', { class: 'chip chip-warn no-captions' }, t('caption-missing-chip')) : null,
    ];
    return h('li', { class: 'lesson-row', dataset: { lesson: lesson.id } },
      h('span', { class: ['type-icon', `type-${lesson.content_type}`], 'aria-hidden': 'true' }),
      h('div', { class: 'lesson-row-main' },
        h('a', { href: `/admin/courses/${cid}/lessons/${lid}`, class: 'lesson-row-title' }, lesson.title),
        h('span', { class: 'lesson-row-meta muted small' }, TYPE_LABEL()[lesson.content_type] || lesson.content_type,
          lesson.duration_seconds ? ` · ${formatDuration(lesson.duration_seconds)}` : ''),
        h('span', { class: 'tag-list' }, flags)),
      h('div', { class: 'row-actions' },
        moveButtons('lesson', lesson.title, index, section.lessons.length, onMove, `l-${lesson.id}`),
        h('a', { href: `/learn/${cid}/${lid}`, class: 'btn btn-secondary btn-small', target: '_blank', rel: 'noopener', 'aria-label': t('preview-lesson-title-as-a-learner', { title: lesson.title }) }, t('preview')),
        remove));
  }

  function sectionCard(section, index) {
    const sid = encodeURIComponent(section.id);
    const titleId = uid('sec');
    const heading = h('h2', { id: titleId, class: 'section-title' },
      h('span', { class: 'muted section-num' }, `${t('section-value', { value: index + 1 })} `), section.title);
    const renameBtn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': t('rename-section-title', { title: section.title }) }, t('rename'));
    const renameForm = h('form', { class: 'inline-form', hidden: true, 'aria-label': t('rename-section-title-2', { title: section.title }) });
    const renameId = uid('rename');
    renameForm.append(
      h('div', { class: 'field' }, h('label', { for: renameId }, t('section-title')),
        h('input', { id: renameId, name: 'title', value: section.title, required: true, maxlength: 200 }),
        h('p', { class: 'field-error', hidden: true })),
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, t('save')),
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', on: { click: () => { renameForm.hidden = true; renameBtn.focus(); } } }, t('cancel')));
    renameBtn.addEventListener('click', () => {
      renameForm.hidden = false;
      renameForm.elements.title.focus();
      renameForm.elements.title.select();
    });
    renameForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const title = renameForm.elements.title.value.trim();
      const done = busy(renameForm.querySelector('[type=submit]'), t('saving'));
      try {
        await put(`/courses/${cid}/sections/${sid}`, { title });
        done();
        await act(null, async () => null, `[data-section="${section.id}"] .section-title`);
        announce(t('section-renamed'));
      } catch (err) {
        done();
        showFormErrors(renameForm, err);
      }
    });
    const onMove = async (delta, btn) => {
      const ids = moveIds(sections.map((s) => s.id), index, delta);
      const ok = await act(btn, () => post(`/courses/${cid}/sections/reorder`, { section_ids: ids }));
      if (ok) {
        const target = afterMoveFocus(`s-${section.id}`, delta);
        if (target) target.focus();
        announce(t('section-moved', { title: section.title, direction: delta < 0 ? 'up' : 'down', position: index + delta + 1 }));
      }
    };
    const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': t('delete-section-title', { title: section.title }) }, t('delete'));
    remove.addEventListener('click', async () => {
      const n = section.lessons.length;
      // eslint-disable-next-line no-alert
      if (!window.confirm(n ? t('delete-the-section-title-and-its', { title: section.title, n }) : t('delete-the-section-title', { title: section.title }))) return;
      const ok = await act(remove, () => del(`/courses/${cid}/sections/${sid}`), null, '#new-section-title');
      if (ok) announce(t('section-title-deleted', { title: section.title }));
    });
    const lessons = section.lessons.length
      ? h('ol', { class: 'lesson-rows', 'aria-labelledby': titleId }, section.lessons.map((l, i) => lessonRow(section, l, i)))
      : h('p', { class: 'muted section-empty' }, t('no-lessons-in-this-section-yet'));
    return h('li', { class: 'section-card', dataset: { section: section.id } },
      h('div', { class: 'section-head' }, heading,
        h('div', { class: 'row-actions' }, moveButtons('section', section.title, index, sections.length, onMove, `s-${section.id}`), renameBtn, remove)),
      renameForm,
      lessons,
      h('div', { class: 'section-foot' },
        h('a', { href: `/admin/courses/${cid}/lessons/new?section=${sid}`, class: 'btn btn-secondary btn-small add-lesson' },
          t('add-lesson'), h('span', { class: 'visually-hidden' }, ` ${t('to-section-title', { title: section.title })}`))));
  }

  const addForm = h('form', { class: 'inline-form add-section', 'aria-label': t('add-a-section') },
    h('div', { class: 'field' }, h('label', { for: 'new-section-title' }, t('new-section-title')),
      h('input', { id: 'new-section-title', name: 'title', required: true, maxlength: 200, placeholder: t('e-g-getting-started') }),
      h('p', { class: 'field-error', hidden: true })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('add-section')));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(addForm);
    const input = addForm.elements.title;
    const title = input.value.trim();
    if (!title) {
      showFormErrors(addForm, { userMessage: t('give-the-section-a-title'), errors: [{ field: 'title', message: t('is-required') }] });
      return;
    }
    const done = busy(addForm.querySelector('[type=submit]'), t('adding'));
    try {
      const created = await post(`/courses/${cid}/sections`, { title });
      input.value = '';
      done();
      await act(null, async () => null, `[data-section="${created.id}"] .add-lesson`);
      announce(t('section-title-added', { title }));
    } catch (err) {
      done();
      showFormErrors(addForm, err);
    }
  });

  function draw() {
    const uncaptioned = uncaptionedVideos(sections);
    replace(area,
      course.status === 'published' && uncaptioned.length
        ? h('div', { class: 'alert alert-warn captions-warning', role: 'status' },
          h('p', {}, t('caption-published-videos-without', { count: uncaptioned.length })),
          h('ul', {}, uncaptioned.map((l) => h('li', {}, h('a', { href: `/admin/courses/${cid}/lessons/${encodeURIComponent(l.id)}` }, l.title)))))
        : null,
      sections.length
        ? h('ol', { class: 'section-list' }, sections.map(sectionCard))
        : emptyState(t('this-course-has-no-sections-yet'), t('add-a-section-then-add-lessons')),
      h('div', { class: 'panel add-section-panel' }, addForm));
  }

  replace(area, loading(t('loading-the-course-outline')));
  try {
    await reload();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    replace(area, errorBox(err, { retry: () => reload().catch(showError) }));
  }
  return { title: t('title-content', { title: course.title }), node: courseFrame(ctx, course, '', msg, area) };
}
