// @ts-check
// Admin > lesson editor: the captions of a video lesson, one WebVTT file per language
// (upload, replace by uploading the same language again, remove).

import { get, del, api } from '../api.js';
import { h, replace, announce, errorBox, uid, busy } from '../ui.js';
import { t } from '../i18n.js';

/** Whether a lesson of the authoring outline is a video without any captions. */
export function lacksCaptions(lesson) {
  const captions = lesson.content && lesson.content.captions;
  return lesson.content_type === 'video' && !(Array.isArray(captions) && captions.length);
}

/** The video lessons of the outline's `sections` that have no captions. */
export function uncaptionedVideos(sections) {
  return (sections || []).flatMap((s) => s.lessons || []).filter(lacksCaptions);
}

/** Upload `file` as the lesson's captions in `language` (replacing the one it has). */
export async function uploadCaption(cid, lid, language, label, file) {
  const data = new FormData();
  if (label) data.append('label', label);
  data.append('file', file, file.name);
  return api(`/courses/${cid}/lessons/${lid}/captions/${encodeURIComponent(language)}`, { method: 'PUT', body: data });
}

/**
 * The captions panel of a saved video lesson: the list with a remove button each and a
 * small form to add a language. `cid` and `lid` are already URL-encoded.
 */
export function captionsEditor(cid, lid, initial) {
  let captions = Array.isArray(initial) ? initial : [];
  const list = h('ul', { class: 'caption-list' });
  const msg = h('div', { 'aria-live': 'polite' });

  async function reload() {
    const lesson = await get(`/courses/${cid}/lessons/${lid}`);
    captions = (lesson.content && lesson.content.captions) || [];
    draw();
  }

  function draw() {
    replace(list, captions.length
      ? captions.map((c) => h('li', { class: 'caption-row' },
        h('span', {}, h('strong', {}, c.label), ' ', h('code', {}, c.language)),
        h('a', { href: c.url, target: '_blank', rel: 'noopener' }, t('caption-view-file'),
          h('span', { class: 'visually-hidden' }, ` ${c.label}`)),
        h('button', {
          type: 'button', class: 'btn btn-secondary btn-small',
          on: {
            click: async (e) => {
              const stop = busy(e.currentTarget, t('caption-removing'));
              try {
                await del(`/courses/${cid}/lessons/${lid}/captions/${encodeURIComponent(c.language)}`);
                announce(t('caption-label-removed', { label: c.label }));
                await reload();
              } catch (err) {
                stop();
                replace(msg, errorBox(err));
              }
            },
          },
        }, t('caption-remove'), h('span', { class: 'visually-hidden' }, ` ${c.label}`))))
      : h('li', { class: 'muted' }, t('caption-none-yet')));
  }

  const langId = uid('cap-lang');
  const labelId = uid('cap-label');
  const fileId = uid('cap-file');
  const language = h('input', { id: langId, type: 'text', required: true, maxlength: 35, placeholder: 'fr', autocomplete: 'off', 'aria-describedby': `${langId}-hint` });
  const label = h('input', { id: labelId, type: 'text', maxlength: 100, placeholder: t('caption-label-placeholder') });
  const file = h('input', { id: fileId, type: 'file', required: true, accept: '.vtt,text/vtt' });
  const form = h('form', { class: 'caption-add stack', 'aria-label': t('caption-add') },
    h('div', { class: 'form-grid' },
      h('div', { class: 'field' }, h('label', { for: langId }, t('caption-language')), language,
        h('p', { class: 'hint', id: `${langId}-hint` }, t('caption-language-hint'))),
      h('div', { class: 'field' }, h('label', { for: labelId }, t('caption-label')), label),
      h('div', { class: 'field' }, h('label', { for: fileId }, t('caption-file')), file)),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-secondary' }, t('caption-upload'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen || !language.value.trim()) return;
    const button = form.querySelector('button[type="submit"]');
    const stop = busy(button, t('caption-uploading'));
    replace(msg);
    try {
      const saved = await uploadCaption(cid, lid, language.value.trim(), label.value.trim(), chosen);
      announce(t('caption-label-saved', { label: saved.label }));
      form.reset();
      await reload();
    } catch (err) {
      replace(msg, errorBox(err));
    } finally {
      stop();
    }
  });
  draw();
  return h('section', { class: 'panel captions-editor', 'aria-labelledby': 'captions-h' },
    h('h2', { id: 'captions-h' }, t('captions')),
    h('p', { class: 'hint' }, t('caption-why')),
    list, form, msg);
}
