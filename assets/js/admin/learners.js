// @ts-check
// Admin > Courses > Learners (progress per student) and Grading (the queue of
// assignment submissions waiting for a score).

import { get, put } from '../api.js';
import {
  h, replace, formatDate, formatDuration, announce, uid, showFormErrors, busy, errorBox,
} from '../ui.js';
import { table, statusChip, listArea } from './common.js';
import { loadCourse, courseFrame } from './courses.js';
import { t } from '../i18n.js';

export async function courseStudentsPage(ctx) {
  const loaded = await loadCourse(ctx);
  if (loaded.page) return loaded.page;
  const { course } = loaded;
  const cid = encodeURIComponent(course.id);
  const list = listArea({
    path: `/courses/${cid}/students`,
    noun: 'learner',
    signal: ctx.signal,
    perPage: 50,
    empty: [t('no-learners-yet'), course.status === 'published' ? t('learners-appear-here-when-they-enrol') : t('publish-the-course-so-learners-can')],
    render: (items) => table(t('learners-and-their-progress'), [t('learner'), t('progress'), t('status'), t('time-spent'), t('quizzes'), t('enrolled')],
      items.map((s) => h('tr', {},
        h('th', { scope: 'row' }, h('span', { class: 'cell-name' }, s.name || '—'), h('span', { class: 'cell-sub' }, s.email)),
        h('td', {}, h('div', { class: 'progress-cell' },
          h('progress', { max: 100, value: s.percent, 'aria-label': t('value-percent-complete', { value: s.name || s.email, percent: s.percent }) }),
          h('span', {}, `${s.percent}%`))),
        h('td', {}, statusChip(s.status), s.completed_at ? h('span', { class: 'cell-sub' }, formatDate(s.completed_at)) : null),
        h('td', {}, formatDuration(s.time_spent_seconds) || '—'),
        h('td', {}, (s.quiz_scores || []).length
          ? h('ul', { class: 'plain-list' }, s.quiz_scores.map((q) => h('li', {},
            t('quiz-best-attempts', { best: q.best_score_percent ?? '—', count: q.attempts }),
            q.passed ? h('span', { class: 'pill pill-on' }, t('passed')) : null)))
          : '—'),
        h('td', {}, formatDate(s.enrolled_at))))),
  });
  await list.load();
  return { title: t('title-learners', { title: course.title }), node: courseFrame(ctx, course, '/students', list.status, list.results) };
}

export async function courseGradingPage(ctx) {
  const loaded = await loadCourse(ctx);
  if (loaded.page) return loaded.page;
  const { course } = loaded;
  const cid = encodeURIComponent(course.id);
  const status = ctx.query.get('status') === 'graded' ? 'graded' : 'submitted';
  // Lesson titles and score limits for the submissions.
  const lessons = new Map();
  try {
    const outline = await get(`/courses/${cid}/lessons`, null, { signal: ctx.signal });
    for (const s of outline.sections || []) for (const l of s.lessons) lessons.set(l.id, l);
  } catch (err) {
    if (err.name === 'AbortError') throw err;
  }
  const maxScore = async (lessonId) => {
    const l = lessons.get(lessonId);
    if (l && l.content && l.content.max_score) return l.content.max_score;
    try {
      const full = await get(`/courses/${cid}/lessons/${encodeURIComponent(lessonId)}`);
      lessons.set(lessonId, full);
      return full.content && full.content.max_score;
    } catch {
      return null;
    }
  };

  function gradeForm(sub, max) {
    const scoreId = uid('score');
    const fbId = uid('fb');
    const form = h('form', { class: 'grade-form', 'aria-label': sub.learner_name ? t('grade-learner-name-s-submission-for', { learner_name: sub.learner_name, value: sub.lesson_title || t('the-assignment') }) : t('grade-submission-id', { id: sub.id }) },
      h('div', { class: 'field' }, h('label', { for: scoreId }, max ? t('score-0-max', { max }) : t('score')),
        h('input', { id: scoreId, name: 'score', type: 'number', min: 0, max: max || null, required: true, value: sub.score ?? '' }),
        h('p', { class: 'field-error', hidden: true })),
      h('div', { class: 'field' }, h('label', { for: fbId }, t('feedback')),
        h('textarea', { id: fbId, name: 'feedback', rows: 3 }), h('p', { class: 'field-error', hidden: true })),
      h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, sub.status === 'graded' ? t('update-grade') : t('save-grade')));
    form.elements.feedback.value = sub.feedback || '';
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const raw = form.elements.score.value.trim();
      if (raw === '') {
        showFormErrors(form, { userMessage: t('enter-a-score'), errors: [{ field: 'score', message: t('is-required') }] });
        return;
      }
      const done = busy(form.querySelector('[type=submit]'), t('saving'));
      try {
        const graded = await put(`/submissions/${encodeURIComponent(sub.id)}/grade`, { score: Number(raw), feedback: form.elements.feedback.value.trim() });
        done();
        const card = form.closest('.submission');
        announce(t('graded-score', { score: graded.score, passed: graded.passed === true ? 'yes' : graded.passed === false ? 'no' : 'unknown' }));
        if (status === 'submitted' && card) {
          // Reload so the count drops with the card; focus goes on to the next score to give
          // (each grade form arrives a moment after the list, once its lesson's maximum is known).
          await list.load();
          await new Promise((resolve) => { setTimeout(resolve, 0); });
          const next = list.results.querySelector('.submission input[name="score"]') || list.results.querySelector('.empty');
          if (next) {
            if (!next.matches('input')) next.setAttribute('tabindex', '-1');
            next.focus();
          }
        } else {
          Object.assign(sub, graded);
          list.load();
        }
      } catch (err) {
        done();
        showFormErrors(form, err);
      }
    });
    return form;
  }

  const list = listArea({
    path: `/courses/${cid}/submissions`,
    noun: 'submission',
    signal: ctx.signal,
    perPage: 20,
    query: () => ({ status }),
    empty: status === 'submitted' ? [t('nothing-to-grade'), t('new-assignment-submissions-appear-here')] : [t('no-graded-submissions-yet')],
    render: (items) => {
      const ul = h('ul', { class: 'submissions' });
      for (const sub of items) {
        // The queue names the lesson and the learner (lesson_title, learner_name, learner_email).
        const lesson = lessons.get(sub.lesson_id);
        const lessonTitle = sub.lesson_title || (lesson && lesson.title) || t('assignment');
        const learner = sub.learner_name || sub.learner_email || t('a-learner');
        const li = h('li', { class: 'submission panel' },
          h('div', { class: 'submission-head' },
            h('h3', {}, lessonTitle),
            statusChip(sub.status),
            h('span', { class: 'muted small' }, `${t('submitted-date-by', { date: formatDate(sub.submitted_at, { dateStyle: 'medium', timeStyle: 'short' }) })} `,
              h('strong', { class: 'learner-name' }, learner),
              sub.learner_name && sub.learner_email ? ` (${sub.learner_email})` : null)),
          sub.text ? h('blockquote', { class: 'submission-text' }, sub.text) : null,
          sub.url && /^https?:\/\//i.test(sub.url) ? h('p', {}, h('a', { href: sub.url, rel: 'noopener noreferrer', target: '_blank' }, sub.url)) : null,
          sub.media_id ? h('p', { class: 'muted small' }, t('a-file-is-attached-to-this')) : null,
          sub.status === 'graded' ? h('p', {}, t('score-passed', { score: sub.score, passed: sub.passed ? 'yes' : 'no' })) : null);
        const slot = h('div', {});
        li.append(slot);
        maxScore(sub.lesson_id).then((max) => replace(slot, gradeForm(sub, max))).catch((err) => replace(slot, errorBox(err)));
        ul.append(li);
      }
      return ul;
    },
  });
  await list.load();
  const base = `/admin/courses/${cid}/grading`;
  const switcher = h('nav', { class: 'segmented', 'aria-label': t('submissions') },
    h('a', { href: base, 'aria-current': status === 'submitted' ? 'page' : null }, t('to-grade')),
    h('a', { href: `${base}?status=graded`, 'aria-current': status === 'graded' ? 'page' : null }, t('graded')));
  return { title: t('title-grading', { title: course.title }), node: courseFrame(ctx, course, '/grading', switcher, list.status, list.results) };
}
