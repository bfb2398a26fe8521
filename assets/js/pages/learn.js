// @ts-check
// The classroom: "My courses" and the lesson player (outline with locks and
// ticks, video with heartbeats, reading, quizzes, assignments, drip locks,
// progress, completion with certificate and review).

import { get, post, put, download, isSignedIn, ApiError } from '../api.js';
import {
  h, replace, formatDate, emptyState, errorBox, loading, announce, field, onSubmit, busy, markdown, notice,
  trustedHtml,
} from '../ui.js';
import { requireLogin, notFoundResult } from './common.js';
import { outlineSections } from './course.js';
import { previewResult } from './preview.js';
import { videoLessonBody } from './player.js';
import { t } from '../i18n.js';

const TYPE_LABELS = () => ({ video: t('video'), reading: t('reading'), quiz: t('quiz'), assignment: t('assignment') });
const HEARTBEAT_MS = 30000;
const when = (iso) => formatDate(iso, { dateStyle: 'full', timeStyle: 'short' });

function progressBar(percent, id, label) {
  const p = Math.max(0, Math.min(100, Number(percent) || 0));
  return h('div', { class: 'progress-line' },
    h('label', { for: id }, label || t('p-complete', { p })),
    h('progress', { id, max: '100', value: String(p) }, `${p}%`));
}

/** Download the course certificate (a PDF) with the bearer token. */
async function downloadCertificate(courseId, button, slot) {
  const done = busy(button, t('preparing'));
  try {
    const name = await download(`/courses/${encodeURIComponent(courseId)}/certificate`, 'certificate.pdf');
    announce(t('certificate-name-downloaded', { name }));
  } catch (err) {
    if (slot) replace(slot, errorBox(err));
  } finally {
    done();
  }
}

// ------------------------------------------------------------ my courses --

export async function myCoursesPage(ctx) {
  const redirect = requireLogin(ctx);
  if (redirect) return redirect;
  const body = await get('/users/me/courses', { per_page: 100 }, { signal: ctx.signal });
  const items = (body && body.items) || [];
  const title = t('my-courses');
  const list = items.length
    ? h('ul', { class: 'my-courses' }, items.map((c) => {
      const href = `/learn/${encodeURIComponent(c.course_id)}${c.last_lesson_id ? `/${encodeURIComponent(c.last_lesson_id)}` : ''}`;
      const slot = h('div', { 'aria-live': 'polite' });
      const revoked = c.status === 'revoked';
      return h('li', { class: 'panel my-course' },
        h('h2', { class: 'my-course-title' }, revoked ? c.title : h('a', { href }, c.title)),
        revoked
          ? h('p', { class: 'muted' }, t('your-access-to-this-course-has'))
          : progressBar(c.percent, `p-${c.course_id}`, t(c.status === 'completed' ? 'p-complete-done' : 'p-complete', { p: c.percent })),
        h('p', { class: 'muted small' }, t('enrolled-date', { date: formatDate(c.enrolled_at) }),
          c.completed_at ? ` ${t('completed-date', { date: formatDate(c.completed_at) })}` : ''),
        revoked ? null : h('div', { class: 'form-actions' },
          h('a', { href, class: 'btn btn-primary btn-small' }, c.percent > 0 ? t('continue') : t('start')),
          c.certificate_url || c.certificate_serial ? h('button', {
            type: 'button', class: 'btn btn-secondary btn-small',
            on: { click: (e) => downloadCertificate(c.course_id, e.currentTarget, slot) },
          }, t('download-certificate')) : null),
        slot);
    }))
    : emptyState(t('you-are-not-enrolled-in-any'), t('courses-you-enrol-in-or-buy'),
      h('a', { href: '/courses', class: 'btn btn-primary' }, t('browse-courses')));
  return {
    title,
    node: h('section', { class: 'page container' }, h('div', { class: 'page-head' }, h('h1', {}, title)), list),
  };
}

// ---------------------------------------------------------------- player --

function lockedMessage(lesson, availableAt, detail) {
  const at = availableAt || lesson.opens_at;
  return h('div', { class: 'alert alert-info drip-lock', role: 'status' },
    h('p', {}, at
      ? [`${t('this-lesson-opens-on')} `, h('time', { datetime: at }, when(at)), '.']
      : (detail || t('this-lesson-is-locked'))),
    h('p', { class: 'muted' }, at ? t('lessons-in-this-course-open-step') : ''));
}

/** A signed-out visitor may open free preview lessons; anything else asks them to sign in. */
async function visitorLesson(ctx) {
  const cid = encodeURIComponent(ctx.params.courseId);
  if (ctx.params.lessonId) {
    try {
      const [course, outline] = await Promise.all([
        get(`/courses/${cid}`, null, { signal: ctx.signal }),
        get(`/courses/${cid}/lessons`, null, { signal: ctx.signal }),
      ]);
      const preview = previewResult(course, outlineSections(outline), ctx.params.lessonId);
      if (preview) return preview;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
    }
  }
  return requireLogin(ctx);
}

export async function learnPage(ctx) {
  if (!isSignedIn()) return visitorLesson(ctx);
  const courseId = ctx.params.courseId;
  const cid = encodeURIComponent(courseId);
  let course; let outline; let progress;
  try {
    [course, outline, progress] = await Promise.all([
      get(`/courses/${cid}`, null, { signal: ctx.signal }),
      get(`/courses/${cid}/lessons`, null, { signal: ctx.signal }),
      get(`/courses/${cid}/progress`, null, { signal: ctx.signal }).catch((err) => {
        if (err instanceof ApiError && [403, 404].includes(err.status)) return null;
        throw err;
      }),
    ]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return notFoundResult(t('course-not-found'), t('this-course-does-not-exist-or'), '/my-courses', t('my-courses'));
    throw err;
  }
  if (!progress || progress.status === 'revoked') {
    const preview = ctx.params.lessonId && previewResult(course, outlineSections(outline), ctx.params.lessonId);
    if (preview) return preview;
    return {
      title: course.title,
      node: h('section', { class: 'page container narrow' },
        h('h1', {}, course.title),
        h('div', { class: 'alert alert-info', role: 'status' },
          h('p', {}, progress ? t('your-access-to-this-course-has') : t('you-are-not-enrolled-in-this'))),
        h('p', {}, h('a', { href: `/courses/${cid}`, class: 'btn btn-primary' }, t('see-the-course-page')))),
    };
  }
  const sections = outlineSections(outline);
  const lessons = sections.flatMap((s) => s.lessons);
  if (!lessons.length) {
    return { title: course.title, node: h('section', { class: 'page container narrow' }, h('h1', {}, course.title), emptyState(t('no-lessons-yet'), t('lessons-appear-here-once-the-instructor'))) };
  }
  const done = new Set(progress.completed_lesson_ids || []);
  let lessonId = ctx.params.lessonId;
  if (!lessonId) {
    const next = lessons.find((l) => l.id === progress.last_lesson_id) || lessons.find((l) => !done.has(l.id) && !l.locked) || lessons[0];
    return { redirect: `/learn/${cid}/${encodeURIComponent(next.id)}` };
  }
  const index = lessons.findIndex((l) => l.id === lessonId);
  if (index < 0) return notFoundResult(t('lesson-not-found'), t('this-lesson-is-not-part-of'), `/learn/${cid}`, t('back-to-the-course'));
  const lesson = lessons[index];
  const lessonHref = (l) => `/learn/${cid}/${encodeURIComponent(l.id)}`;

  // ---- sidebar
  const progressHost = h('div', { class: 'player-progress' });
  const drawProgress = () => replace(progressHost, progressBar(progress.percent, 'course-progress', t('course-progress-percent', { percent: progress.percent })));
  const outlineNav = h('nav', { class: 'player-outline', 'aria-label': t('course-outline') });
  function drawOutline() {
    replace(outlineNav, sections.map((s, i) => [
      h('h2', { class: 'outline-heading' }, s.title || t('section-value-2', { value: i + 1 })),
      h('ol', {}, s.lessons.map((l) => {
        const complete = done.has(l.id);
        const state = complete ? t('status-completed') : l.locked ? (l.opens_at ? t('locked-until', { date: formatDate(l.opens_at) }) : t('locked')) : '';
        return h('li', { class: ['outline-item', complete ? 'is-done' : '', l.locked ? 'is-locked' : ''] },
          h('a', { href: lessonHref(l), 'aria-current': l.id === lesson.id ? 'page' : null },
            // A padlock drawn in CSS: an "×" read as an error, and no emoji font is guaranteed.
            h('span', { class: ['outline-mark', !complete && l.locked ? 'lock-mark' : ''], 'aria-hidden': 'true' }, complete ? '✓' : ''),
            h('span', { class: 'outline-title' }, l.title),
            state ? h('span', { class: 'visually-hidden' }, ` (${state})`) : null,
            h('span', { class: 'outline-type muted' }, TYPE_LABELS()[l.content_type] || l.content_type)));
      })),
    ]));
  }
  drawProgress();
  drawOutline();

  // ---- completion
  const completionHost = h('div');
  function onProgress(p) {
    if (!p) return;
    const wasCompleted = progress.status === 'completed';
    progress = p;
    done.clear();
    (p.completed_lesson_ids || []).forEach((x) => done.add(x));
    drawProgress();
    drawOutline();
    if (p.status === 'completed' && !wasCompleted) {
      drawCompletion(true);
    }
  }
  function drawCompletion(focus) {
    const slot = h('div', { 'aria-live': 'polite' });
    const panel = h('section', { class: 'panel completion', 'aria-labelledby': 'done-h' },
      h('h2', { id: 'done-h', tabindex: '-1' }, t('you-completed-this-course-2')),
      h('p', {}, progress.completed_at ? `${t('completed-on-date', { date: formatDate(progress.completed_at) })} ` : '', t('your-certificate-is-ready')),
      h('p', {}, h('button', {
        type: 'button', class: 'btn btn-primary',
        on: { click: (e) => downloadCertificate(courseId, e.currentTarget, slot) },
      }, t('download-certificate'))),
      slot,
      reviewForm(courseId));
    replace(completionHost, panel);
    if (focus) {
      panel.querySelector('#done-h').focus();
      announce(t('you-completed-this-course'));
    }
  }
  if (progress.status === 'completed') drawCompletion(false);

  // ---- lesson body
  const body = h('div', { class: 'lesson-main' });
  const actionHost = h('div', { class: 'lesson-actions', 'aria-live': 'polite' });
  /** @type {{ timer: ReturnType<typeof setInterval> | undefined, since: number, active: () => boolean }} */
  const heartbeats = { timer: undefined, since: 0, active: () => false };

  function markCompleteButton() {
    if (done.has(lesson.id)) {
      replace(actionHost, h('p', { class: 'enrolled' }, h('span', { 'aria-hidden': 'true' }, '✓ '), t('you-completed-this-lesson')));
      return;
    }
    // Like Teachable's "Complete and continue": done here, on to the next open lesson.
    const onward = lessons[index + 1] && !lessons[index + 1].locked ? lessons[index + 1] : null;
    const btn = h('button', {
      type: 'button', class: 'btn btn-primary',
      on: {
        click: async () => {
          const stop = busy(btn, t('saving'));
          try {
            const p = await post(`/courses/${cid}/progress`, { lesson_id: lesson.id, completed: true, time_spent_seconds: flushSeconds() });
            onProgress(p);
            announce(t('lesson-marked-complete'));
            if (onward && progress.status !== 'completed') {
              ctx.router.navigate(lessonHref(onward));
              return;
            }
            markCompleteButton();
            const next = lessons[index + 1];
            if (next && progress.status !== 'completed') {
              const link = actionHost.querySelector('.next-link') || nextLink();
              if (link) actionHost.append(link);
            }
          } catch (err) {
            stop();
            actionHost.append(errorBox(err));
          }
        },
      },
    }, onward ? t('complete-and-continue') : t('mark-as-complete'));
    replace(actionHost, btn);
  }

  function nextLink() {
    const next = lessons[index + 1];
    return next ? h('p', {}, h('a', { href: lessonHref(next), class: 'btn btn-secondary next-link' }, t('next-title', { title: next.title }))) : null;
  }

  // Heartbeats: time spent while the video plays (or the page is in view for
  // other lessons), sent every ~30 s and when leaving.
  function flushSeconds() {
    if (!heartbeats.since) return 0;
    const now = Date.now();
    const secs = Math.round((now - heartbeats.since) / 1000);
    heartbeats.since = heartbeats.active() ? now : 0;
    return Math.max(0, Math.min(secs, 300));
  }
  function beat() {
    const secs = flushSeconds();
    if (secs > 0 && !lesson.locked) {
      post(`/courses/${cid}/progress`, { lesson_id: lesson.id, time_spent_seconds: secs }).catch(() => {});
    }
  }
  function startTimer() {
    if (!heartbeats.since) heartbeats.since = Date.now();
    if (!heartbeats.timer) heartbeats.timer = setInterval(beat, HEARTBEAT_MS);
  }
  function stopTimer() {
    beat();
    heartbeats.since = 0;
    clearInterval(heartbeats.timer);
    heartbeats.timer = undefined;
  }
  ctx.signal.addEventListener('abort', () => stopTimer());

  async function drawLesson() {
    if (lesson.locked) {
      let availableAt = lesson.opens_at || null;
      let detail = '';
      if (!availableAt) {
        try {
          await get(`/courses/${cid}/lessons/${encodeURIComponent(lesson.id)}`, null, { signal: ctx.signal });
        } catch (err) {
          if (err instanceof ApiError && err.status === 403) {
            availableAt = (err.body && err.body.available_at) || null;
            detail = err.userMessage;
          }
        }
      }
      replace(body, lockedMessage(lesson, availableAt, detail));
      return;
    }
    const content = lesson.content || {};
    if (lesson.content_type === 'reading') {
      replace(body, content.body_html ? trustedHtml(content.body_html) : markdown(content.body_markdown || ''));
      markCompleteButton();
      heartbeats.active = () => document.visibilityState === 'visible';
      startTimer();
    } else if (lesson.content_type === 'video') {
      const { video, nodes } = videoLessonBody(content);
      if (video) {
        heartbeats.active = () => !video.paused && !video.ended;
        video.addEventListener('play', startTimer);
        video.addEventListener('pause', stopTimer);
        video.addEventListener('ended', stopTimer);
      }
      replace(body, nodes);
      markCompleteButton();
    } else if (lesson.content_type === 'quiz') {
      replace(body, await quizView(lesson, onProgress, ctx.signal));
    } else if (lesson.content_type === 'assignment') {
      replace(body, await assignmentView(lesson, content, ctx.signal));
    } else {
      replace(body, emptyState(t('this-lesson-cannot-be-shown-here')));
    }
  }
  try {
    await drawLesson();
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    if (err instanceof ApiError && err.status === 403) {
      replace(body, lockedMessage(lesson, err.body && err.body.available_at, err.userMessage));
    } else {
      replace(body, errorBox(err));
    }
  }

  const prev = lessons[index - 1];
  const next = lessons[index + 1];
  const node = h('div', { class: 'page container player' },
    h('nav', { class: 'breadcrumbs', 'aria-label': t('breadcrumb') },
      h('ol', {}, h('li', {}, h('a', { href: '/my-courses' }, t('my-courses'))),
        h('li', {}, h('a', { href: `/courses/${cid}` }, course.title)),
        h('li', { 'aria-current': 'page' }, lesson.title))),
    h('div', { class: 'player-layout' },
      h('aside', { class: 'player-side panel' }, h('p', { class: 'player-course' }, course.title), progressHost,
        // On a phone the outline folds away so the lesson comes first; on wide screens it stays open.
        h('details', { class: 'outline-drawer', open: !window.matchMedia('(max-width: 860px)').matches },
          h('summary', {}, t('course-outline-count', { count: t('count-lesson', { count: lessons.length }) })), outlineNav)),
      h('article', { class: 'player-content' },
        h('p', { class: 'muted lesson-kind' }, t('value-lesson-value2-of-length', { value: TYPE_LABELS()[lesson.content_type] || t('lesson'), value2: index + 1, length: lessons.length })),
        h('h1', {}, lesson.title),
        body,
        actionHost,
        completionHost,
        h('nav', { class: 'lesson-pager', 'aria-label': t('lessons') },
          prev ? h('a', { href: lessonHref(prev), class: 'btn btn-secondary' }, `← ${prev.title}`) : h('span'),
          next ? h('a', { href: lessonHref(next), class: 'btn btn-secondary' }, `${next.title} →`) : h('span')))));
  return { title: `${lesson.title} · ${course.title}`, node };
}

// ------------------------------------------------------------------ quiz --

function questionField(q, n) {
  const name = `q-${q.id}`;
  const legend = h('legend', {}, h('span', { class: 'muted' }, `${t('question-value-2', { value: n + 1 })} `), q.prompt,
    q.points > 1 ? h('span', { class: 'muted small' }, ` (${t('count-point', { count: q.points })})`) : null);
  const opts = q.kind === 'true_false' ? [['true', t('true')], ['false', t('false')]] : (q.options || []).map((o, i) => [String(i), o]);
  let inner;
  if (q.kind === 'short_text') {
    const id = `${name}-text`;
    inner = h('div', { class: 'field' }, h('label', { for: id }, t('your-answer')), h('input', { id, name, type: 'text', autocomplete: 'off', maxlength: '500' }));
  } else {
    const type = q.kind === 'multiple_choice' ? 'checkbox' : 'radio';
    inner = h('div', { class: 'choices' }, opts.map(([value, label]) => {
      const id = `${name}-${value}`;
      return h('div', { class: 'field-check' }, h('input', { id, name, type, value }), h('label', { for: id }, label));
    }),
    q.kind === 'multiple_choice' ? h('p', { class: 'hint' }, t('choose-every-answer-that-applies')) : null);
  }
  return h('fieldset', { class: 'question', dataset: { question: q.id } }, legend, inner, h('p', { class: 'question-result', hidden: true }));
}

function readAnswer(form, q) {
  const name = `q-${q.id}`;
  if (q.kind === 'short_text') return form.elements.namedItem(name).value.trim();
  const checked = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  if (q.kind === 'multiple_choice') return checked.map(Number);
  if (!checked.length) return null;
  if (q.kind === 'true_false') return checked[0] === 'true';
  return Number(checked[0]);
}

async function quizView(lesson, onProgress, signal) {
  const quiz = await get(`/lessons/${encodeURIComponent(lesson.id)}/quiz`, null, { signal });
  const questions = quiz.questions || [];
  const summary = h('div', { 'aria-live': 'polite' });
  const rules = h('p', { class: 'muted quiz-rules' });
  // Redrawn after each attempt, so the header never lags behind the result below it.
  const drawRules = (used, best) => replace(rules,
    quiz.pass_percent ? `${t('pass-mark-pass-percent', { pass_percent: quiz.pass_percent })} ` : `${t('any-attempt-passes')} `,
    quiz.max_attempts ? t('attempts-used-of-max-attempts-used', { used, max_attempts: quiz.max_attempts }) : t('attempts-so-far', { count: used || 0 }),
    best !== null && best !== undefined ? ` ${t('best-score-best', { best })}` : '');
  drawRules(quiz.attempts_used, quiz.best_score_percent);
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('submit-answers'));
  const form = h('form', { class: 'stack quiz-form' }, questions.map(questionField), h('div', { class: 'form-actions' }, submit));
  if (quiz.passed) summary.append(notice(quiz.best_score_percent !== null ? t('you-passed-this-quiz-with', { best: quiz.best_score_percent }) : t('you-passed-this-quiz')));
  const outOfAttempts = quiz.max_attempts && quiz.attempts_used >= quiz.max_attempts;
  if (outOfAttempts) {
    submit.disabled = true;
    summary.append(h('div', { class: 'alert alert-warn', role: 'status' }, h('p', {}, t('you-have-used-all-your-attempts'))));
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const unanswered = questions.filter((q) => {
      const a = readAnswer(form, q);
      return a === null || a === '' || (Array.isArray(a) && !a.length);
    });
    if (unanswered.length) {
      replace(summary, h('div', { class: 'alert alert-error', role: 'alert', tabindex: '-1' },
        h('p', {}, t('please-answer-every-question-count-left', { count: t('count-question', { count: unanswered.length }) }))));
      summary.firstChild.focus();
      return;
    }
    const stop = busy(submit, t('grading'));
    try {
      const answers = questions.map((q) => ({ question_id: q.id, answer: readAnswer(form, q) }));
      const r = await post(`/lessons/${encodeURIComponent(lesson.id)}/quiz/attempts`, { answers });
      for (const qr of r.question_results || []) {
        const fs = form.querySelector(`[data-question="${qr.question_id}"]`);
        if (!fs) continue;
        const slot = fs.querySelector('.question-result');
        fs.classList.toggle('is-correct', qr.correct);
        fs.classList.toggle('is-wrong', !qr.correct);
        slot.textContent = qr.correct ? t('correct-points-awarded-points', { points_awarded: qr.points_awarded, points: qr.points }) : t('not-correct-points-awarded-points', { points_awarded: qr.points_awarded, points: qr.points });
        slot.hidden = false;
      }
      const left = r.attempts_left;
      drawRules(r.attempts_used, r.best_score_percent);
      const box = h('div', { class: `alert ${r.passed ? 'alert-success' : 'alert-error'} quiz-result`, role: 'status', tabindex: '-1' },
        h('p', {}, r.passed ? t('you-passed') : t('not-passed-this-time')),
        h('p', {}, t('score-score-percent-correct-count-of', { score_percent: r.score_percent, correct_count: r.correct_count, length: questions.length, best_score_percent: r.best_score_percent })),
        h('p', {}, left === null || left === undefined ? t('attempts-used-attempts-used', { attempts_used: r.attempts_used }) : t('attempts-left-left', { left })));
      replace(summary, box);
      box.focus();
      onProgress(r.progress);
      if (left === 0) {
        stop();
        submit.disabled = true;
        return;
      }
      stop();
      submit.textContent = r.passed ? t('retake-quiz') : t('try-again');
    } catch (err) {
      stop();
      replace(summary, errorBox(err));
    }
  });
  return h('div', { class: 'quiz' }, rules, summary, questions.length ? form : emptyState(t('this-quiz-has-no-questions-yet')));
}

// ------------------------------------------------------------ assignment --

async function assignmentView(lesson, content, signal) {
  const lid = encodeURIComponent(lesson.id);
  const mine = await get(`/lessons/${lid}/submissions/mine`, null, { signal }).catch((err) => {
    if (err.name === 'AbortError') throw err;
    return { items: [] };
  });
  const subs = (mine && mine.items) || (Array.isArray(mine) ? mine : []);
  const statusHost = h('div', { 'aria-live': 'polite' });
  function drawStatus(list) {
    const latest = list[0];
    if (!latest) {
      replace(statusHost);
      return;
    }
    const graded = latest.status === 'graded' || latest.score !== null && latest.score !== undefined;
    replace(statusHost, h('section', { class: 'panel submission', 'aria-labelledby': 'sub-h' },
      h('h2', { id: 'sub-h' }, t('your-submission')),
      h('p', { class: 'muted small' }, t('handed-in-date', { date: formatDate(latest.submitted_at, { dateStyle: 'medium', timeStyle: 'short' }) })),
      latest.text ? h('p', { class: 'submission-text' }, latest.text) : null,
      latest.url ? h('p', {}, h('a', { href: latest.url, rel: 'noopener noreferrer' }, latest.url)) : null,
      graded
        ? h('div', { class: `alert ${latest.passed ? 'alert-success' : 'alert-warn'}`, role: 'status' },
          h('p', {}, t('grade-score', { score: content.max_score ? `${latest.score} / ${content.max_score}` : latest.score, passed: latest.passed === true ? 'yes' : latest.passed === false ? 'no' : 'unknown' })),
          latest.feedback ? h('p', {}, `${t('feedback-2')} `, latest.feedback) : null)
        : h('p', {}, h('span', { class: 'chip chip-warn' }, t('waiting-for-a-grade')))));
  }
  drawStatus(subs);
  const passed = subs.some((s) => s.passed);
  const form = h('form', { class: 'stack panel' },
    h('h2', {}, subs.length ? t('hand-in-again') : t('hand-in-your-work')),
    field({ label: t('your-answer'), name: 'text', type: 'textarea', attrs: { rows: '6', maxlength: '20000' } }),
    field({ label: t('link-optional'), name: 'url', type: 'url', hint: t('a-link-to-your-work-e'), attrs: { maxlength: '2000' } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('submit-assignment'))));
  onSubmit(form, async (values) => {
    if (!values.text && !values.url) throw new ApiError({ status: 422, detail: t('write-an-answer-or-give-a') });
    const sub = await post(`/lessons/${lid}/submissions`, { text: values.text || undefined, url: values.url || undefined });
    drawStatus([sub, ...subs]);
    announce(t('your-assignment-was-handed-in'));
  }, { busyLabel: t('submitting') });
  return h('div', { class: 'assignment' },
    h('section', { 'aria-labelledby': 'instr-h' }, h('h2', { id: 'instr-h' }, t('instructions')), markdown(content.instructions || '')),
    content.pass_score ? h('p', { class: 'muted' }, content.max_score ? t('pass-mark-of-max', { pass_score: content.pass_score, max_score: content.max_score }) : t('pass-mark-score', { pass_score: content.pass_score })) : null,
    statusHost,
    passed ? null : form);
}

// ---------------------------------------------------------------- review --

export function reviewForm(courseId) {
  const cid = encodeURIComponent(courseId);
  const result = h('div', { 'aria-live': 'polite' });
  let editing = false;
  const stars = h('fieldset', { class: 'rating-input' },
    h('legend', {}, t('your-rating'), h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    [5, 4, 3, 2, 1].map((n) => h('span', { class: 'field-check' },
      h('input', { type: 'radio', name: 'rating', id: `rating-${n}`, value: String(n), required: true }),
      h('label', { for: `rating-${n}` }, t('count-star', { count: n })))),
    h('p', { class: 'field-error', hidden: true }));
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('post-review'));
  const form = h('form', { class: 'stack review-form' },
    h('h3', {}, t('review-this-course')),
    stars,
    field({ label: t('comment'), name: 'comment', type: 'textarea', hint: t('what-did-you-like-what-could'), attrs: { rows: '4', maxlength: '2000' } }),
    h('div', { class: 'form-actions' }, submit),
    result);
  // A learner who reviewed before edits that review rather than posting a second one.
  get('/users/me/courses', { course_id: courseId })
    .then((body) => {
      if (body && body.items && body.items[0] && body.items[0].reviewed) {
        editing = true;
        submit.textContent = t('update-review');
      }
    })
    .catch(() => {});
  onSubmit(form, async (values) => {
    replace(result);
    const checked = form.querySelector('input[name="rating"]:checked');
    const body = { rating: Number(checked.value), comment: values.comment || '' };
    if (editing) {
      await put(`/courses/${cid}/reviews/mine`, body);
    } else {
      await post(`/courses/${cid}/reviews`, body);
    }
    editing = true;
    // After onSubmit restores the button's busy label.
    setTimeout(() => { submit.textContent = t('update-review'); }, 0);
    replace(result, notice(t('thank-you-your-review-is-posted')));
    announce(t('your-review-is-posted'));
  }, { busyLabel: t('posting') });
  return form;
}

export { loading };
