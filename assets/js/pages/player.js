// @ts-check
// The video of a lesson with its caption tracks (one <track> per language, the learner's
// UI language shown by default when there is one) and its transcript under it.

import { h, emptyState, trustedHtml } from '../ui.js';
import { t, locale } from '../i18n.js';

/**
 * Which caption language to show at first: the UI language, else one of the same base
 * language ("fr" for "fr-CA"); null when none fits (captions stay off until chosen).
 * @param {{ language: string }[]} captions
 * @param {string} ui
 */
export function defaultCaption(captions, ui) {
  const wanted = String(ui || '').toLowerCase();
  const base = wanted.split('-')[0];
  const exact = captions.find((c) => c.language.toLowerCase() === wanted);
  if (exact) return exact.language;
  const same = captions.find((c) => c.language.toLowerCase().split('-')[0] === base);
  return same ? same.language : null;
}

/** The <video> of a lesson's content, with its caption tracks; null when it has no video. */
export function lessonVideo(content) {
  const src = content.media_url || content.content_url;
  if (!src) return null;
  const captions = Array.isArray(content.captions) ? content.captions : [];
  const shown = defaultCaption(captions, locale());
  return h('video', { controls: true, preload: 'metadata', class: 'lesson-video', src },
    captions.map((c) => h('track', {
      kind: 'captions', src: c.url, srclang: c.language, label: c.label, default: c.language === shown,
    })),
    `${t('your-browser-cannot-play-this-video')} `, h('a', { href: src }, t('download-it')));
}

/** The transcript under the video, folded until opened; null when there is none. */
export function transcriptPanel(content) {
  if (!content.transcript_html) return null;
  return h('details', { class: 'panel transcript' },
    h('summary', {}, t('transcript')),
    h('div', { class: 'transcript-body' }, trustedHtml(content.transcript_html)));
}

/** A video lesson's body: the player (or why there is none), the transcript, the notes. */
export function videoLessonBody(content) {
  const video = lessonVideo(content);
  return {
    video,
    nodes: [
      video || emptyState(t('no-video-yet'), t('the-instructor-has-not-added-the')),
      transcriptPanel(content),
      content.body_html ? trustedHtml(content.body_html) : null,
    ],
  };
}
