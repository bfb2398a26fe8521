// @ts-check
// Admin > Courses > Content: sections and lessons of a course, with add,
// rename, delete and keyboard-accessible move up / move down buttons.

import { get, post, put, del } from '../api.js';
import {
  h, replace, announce, loading, errorBox, emptyState, formatDuration, uid, showFormErrors, clearFormErrors, busy,
} from '../ui.js';
import { loadCourse, courseFrame } from './courses.js';

const TYPE_LABEL = { video: 'Video', reading: 'Reading', quiz: 'Quiz', assignment: 'Assignment' };

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
      type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': `Move ${kind} “${name}” up`, disabled: index === 0,
      dataset: { move: `${key}:up` },
    }, h('span', { 'aria-hidden': 'true' }, '↑'));
    const down = h('button', {
      type: 'button', class: 'btn btn-secondary btn-icon', 'aria-label': `Move ${kind} “${name}” down`, disabled: index === count - 1,
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
        announce(`“${lesson.title}” moved ${delta < 0 ? 'up' : 'down'} to position ${index + delta + 1}.`);
      }
    };
    const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': `Delete lesson “${lesson.title}”` }, 'Delete');
    remove.addEventListener('click', async () => {
      // eslint-disable-next-line no-alert
      if (!window.confirm(`Delete the lesson “${lesson.title}”? Learners' progress on it is lost.`)) return;
      const ok = await act(remove, () => del(`/courses/${cid}/lessons/${lid}`), null, `[data-section="${section.id}"] .add-lesson`);
      if (ok) announce(`Lesson “${lesson.title}” deleted.`);
    });
    const flags = [
      lesson.is_preview ? h('span', { class: 'chip chip-accent' }, 'Free preview') : null,
      lesson.required === false ? h('span', { class: 'chip' }, 'Optional') : null,
      lesson.available_after_days ? h('span', { class: 'chip chip-warn' }, `Opens day ${lesson.available_after_days}`) : null,
    ];
    return h('li', { class: 'lesson-row', dataset: { lesson: lesson.id } },
      h('span', { class: ['type-icon', `type-${lesson.content_type}`], 'aria-hidden': 'true' }),
      h('div', { class: 'lesson-row-main' },
        h('a', { href: `/admin/courses/${cid}/lessons/${lid}`, class: 'lesson-row-title' }, lesson.title),
        h('span', { class: 'lesson-row-meta muted small' }, TYPE_LABEL[lesson.content_type] || lesson.content_type,
          lesson.duration_seconds ? ` · ${formatDuration(lesson.duration_seconds)}` : ''),
        h('span', { class: 'tag-list' }, flags)),
      h('div', { class: 'row-actions' },
        moveButtons('lesson', lesson.title, index, section.lessons.length, onMove, `l-${lesson.id}`),
        h('a', { href: `/learn/${cid}/${lid}`, class: 'btn btn-secondary btn-small', target: '_blank', rel: 'noopener', 'aria-label': `Preview lesson “${lesson.title}” as a learner (opens in a new tab)` }, 'Preview'),
        remove));
  }

  function sectionCard(section, index) {
    const sid = encodeURIComponent(section.id);
    const titleId = uid('sec');
    const heading = h('h2', { id: titleId, class: 'section-title' },
      h('span', { class: 'muted section-num' }, `Section ${index + 1}: `), section.title);
    const renameBtn = h('button', { type: 'button', class: 'btn btn-secondary btn-small', 'aria-label': `Rename section “${section.title}”` }, 'Rename');
    const renameForm = h('form', { class: 'inline-form', hidden: true, 'aria-label': `Rename section ${section.title}` });
    const renameId = uid('rename');
    renameForm.append(
      h('div', { class: 'field' }, h('label', { for: renameId }, 'Section title'),
        h('input', { id: renameId, name: 'title', value: section.title, required: true, maxlength: 200 }),
        h('p', { class: 'field-error', hidden: true })),
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Save'),
      h('button', { type: 'button', class: 'btn btn-secondary btn-small', on: { click: () => { renameForm.hidden = true; renameBtn.focus(); } } }, 'Cancel'));
    renameBtn.addEventListener('click', () => {
      renameForm.hidden = false;
      renameForm.elements.title.focus();
      renameForm.elements.title.select();
    });
    renameForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      const title = renameForm.elements.title.value.trim();
      const done = busy(renameForm.querySelector('[type=submit]'), 'Saving…');
      try {
        await put(`/courses/${cid}/sections/${sid}`, { title });
        done();
        await act(null, async () => null, `[data-section="${section.id}"] .section-title`);
        announce('Section renamed.');
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
        announce(`Section “${section.title}” moved ${delta < 0 ? 'up' : 'down'} to position ${index + delta + 1}.`);
      }
    };
    const remove = h('button', { type: 'button', class: 'btn btn-danger-outline btn-small', 'aria-label': `Delete section “${section.title}”` }, 'Delete');
    remove.addEventListener('click', async () => {
      const n = section.lessons.length;
      // eslint-disable-next-line no-alert
      if (!window.confirm(n ? `Delete the section “${section.title}” and its ${n} lesson(s)?` : `Delete the section “${section.title}”?`)) return;
      const ok = await act(remove, () => del(`/courses/${cid}/sections/${sid}`), null, '#new-section-title');
      if (ok) announce(`Section “${section.title}” deleted.`);
    });
    const lessons = section.lessons.length
      ? h('ol', { class: 'lesson-rows', 'aria-labelledby': titleId }, section.lessons.map((l, i) => lessonRow(section, l, i)))
      : h('p', { class: 'muted section-empty' }, 'No lessons in this section yet.');
    return h('li', { class: 'section-card', dataset: { section: section.id } },
      h('div', { class: 'section-head' }, heading,
        h('div', { class: 'row-actions' }, moveButtons('section', section.title, index, sections.length, onMove, `s-${section.id}`), renameBtn, remove)),
      renameForm,
      lessons,
      h('div', { class: 'section-foot' },
        h('a', { href: `/admin/courses/${cid}/lessons/new?section=${sid}`, class: 'btn btn-secondary btn-small add-lesson' },
          '+ Add lesson', h('span', { class: 'visually-hidden' }, ` to section “${section.title}”`))));
  }

  const addForm = h('form', { class: 'inline-form add-section', 'aria-label': 'Add a section' },
    h('div', { class: 'field' }, h('label', { for: 'new-section-title' }, 'New section title'),
      h('input', { id: 'new-section-title', name: 'title', required: true, maxlength: 200, placeholder: 'e.g. Getting started' }),
      h('p', { class: 'field-error', hidden: true })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Add section'));
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearFormErrors(addForm);
    const input = addForm.elements.title;
    const title = input.value.trim();
    if (!title) {
      showFormErrors(addForm, { userMessage: 'Give the section a title.', errors: [{ field: 'title', message: 'is required' }] });
      return;
    }
    const done = busy(addForm.querySelector('[type=submit]'), 'Adding…');
    try {
      const created = await post(`/courses/${cid}/sections`, { title });
      input.value = '';
      done();
      await act(null, async () => null, `[data-section="${created.id}"] .add-lesson`);
      announce(`Section “${title}” added.`);
    } catch (err) {
      done();
      showFormErrors(addForm, err);
    }
  });

  function draw() {
    replace(area,
      sections.length
        ? h('ol', { class: 'section-list' }, sections.map(sectionCard))
        : emptyState('This course has no sections yet.', 'Add a section, then add lessons to it: videos, readings, quizzes or assignments.'),
      h('div', { class: 'panel add-section-panel' }, addForm));
  }

  replace(area, loading('Loading the course outline…'));
  try {
    await reload();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    replace(area, errorBox(err, { retry: () => reload().catch(showError) }));
  }
  return { title: `${course.title} · Content`, node: courseFrame(ctx, course, '', msg, area) };
}
