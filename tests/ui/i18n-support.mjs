// Helpers for the language tests (i18n-fr, rtl): the catalogues' words by key, a browser
// context in a chosen language (the schoolhouse_locale cookie the switcher sets), and the
// English words still visible on a page.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL, newSession } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

/** id -> text of the one-line messages without placeables in a catalogue. */
export function catalogue(code) {
  const text = readFileSync(resolve(repo, 'assets/locales', code, 'ui.ftl'), 'utf8');
  const out = new Map();
  for (const m of text.matchAll(/^([a-zA-Z][\w-]*) = ([^{\n]+)$/gm)) out.set(m[1], m[2].trim());
  return out;
}

const sameInFrench = new Set(readFileSync(resolve(here, 'unit/i18n-same-in-fr.txt'), 'utf8')
  .split('\n').filter((l) => l.trim() && !l.startsWith('#')));

/** English texts a French page must not show: every English message that French words differently. */
export function englishOnly() {
  const en = catalogue('en');
  const fr = catalogue('fr');
  // A word both languages use for different messages ("Note": a rating in French, a remark
  // in English) is French on a French page.
  const french = new Set(fr.values());
  const out = new Set();
  for (const [id, text] of en) {
    if (!sameInFrench.has(id) && fr.get(id) !== text && !french.has(text) && /\p{L}{2}/u.test(text)) out.add(text);
  }
  return out;
}

/** A session whose visitor chose `code` (cookie for the whole site, browser language to match). */
export async function sessionIn(browser, code, options = {}) {
  const session = await newSession(browser, { locale: code.split('-')[0], ...options });
  await session.context.addCookies([{ name: 'schoolhouse_locale', value: code, url: BASE_URL }]);
  return session;
}

/**
 * Visible texts of the page (each text node, trimmed, plus aria-label, placeholder, title and
 * alt attributes and the document title) that are an English catalogue message.
 */
export async function englishOn(page, english) {
  const texts = await page.evaluate(() => {
    const out = [document.title.split(' · ')[0]];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const el = node.parentElement;
      if (!el || el.closest('script, style, noscript, [hidden]')) continue;
      const text = (node.textContent || '').trim();
      if (text) out.push(text);
    }
    document.querySelectorAll('[aria-label], [placeholder], [title], img[alt]').forEach((el) => {
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push(v.trim());
      }
    });
    return out;
  });
  return [...new Set(texts.filter((t) => english.has(t)))];
}
