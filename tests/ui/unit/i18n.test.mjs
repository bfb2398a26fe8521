// The UI's catalogues (assets/locales/<code>/ui.ftl) against the code that reads them: every
// language has every message, every key the code asks for exists and none sits unused, no
// words are written in assets/js instead of the catalogue, plural forms come out right in both
// languages, and the pseudo-locales change only words. Plain node:test, run by tests/ui/check.sh.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanAll, scanFile, readAllowList, repo } from './i18n-scan.mjs';
import { makeBundle, pseudoResource, accented, mirrored, pickLocale } from '../../../assets/js/i18n.js';

const LOCALES = ['en', 'fr'];
const source = (code) => fs.readFileSync(path.join(repo, 'assets/locales', code, 'ui.ftl'), 'utf8');

/** Message id -> its whole source block (value, attributes, variants). */
function blocks(text) {
  const out = new Map();
  let id = null;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z][\w-]*)\s*=/.exec(line);
    if (m) {
      id = m[1];
      assert.ok(!out.has(id), `message ${id} is defined twice`);
      out.set(id, line);
    } else if ((/^\s+\S/.test(line) || line === '}') && id) out.set(id, `${out.get(id)}\n${line}`);
    else id = null;
  }
  return out;
}
const vars = (block) => new Set([...block.matchAll(/\$([a-zA-Z][\w-]*)/g)].map((m) => m[1]));
const format = (bundle, id, args) => bundle.formatPattern(bundle.getMessage(id).value, args);

test('every catalogue parses without a broken message', () => {
  for (const code of LOCALES) {
    const { bundle, errors } = makeBundle(code, source(code));
    assert.deepEqual(errors, [], `${code}: ${errors.join('; ')}`);
    for (const id of blocks(source(code)).keys()) assert.ok(bundle.hasMessage(id), `${code}: ${id} did not parse`);
  }
});

test('French has exactly the English messages, and places only values the code passes', () => {
  const en = blocks(source('en'));
  const fr = blocks(source('fr'));
  assert.deepEqual([...fr.keys()].filter((k) => !en.has(k)), [], 'keys only in fr');
  assert.deepEqual([...en.keys()].filter((k) => !fr.has(k)), [], 'keys missing from fr');
  for (const [id, block] of fr) {
    const extra = [...vars(block)].filter((v) => !vars(en.get(id)).has(v));
    assert.deepEqual(extra, [], `fr ${id} uses variables English does not have`);
  }
});

test('no French message is left in English (unless listed as the same word in both)', () => {
  const same = new Set(fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), 'i18n-same-in-fr.txt'), 'utf8')
    .split('\n').filter((l) => l.trim() && !l.startsWith('#')));
  const en = blocks(source('en'));
  const fr = blocks(source('fr'));
  const untranslated = [...en.keys()].filter((id) => !same.has(id) && fr.get(id) === en.get(id));
  assert.deepEqual(untranslated, [], 'messages identical in fr and en');
});

test('every key the UI asks for exists, and every message is used', () => {
  const { keys, prefixes } = scanAll();
  const en = blocks(source('en'));
  const missing = keys.filter((k) => !en.has(k.key.split('.')[0])).map((k) => `${k.file}:${k.line}: ${k.key}`);
  assert.deepEqual(missing, [], 'keys used in assets/ but missing from en/ui.ftl');
  const used = new Set(keys.map((k) => k.key.split('.')[0]));
  for (const p of prefixes) assert.ok([...en.keys()].some((id) => id.startsWith(p)), `no message starts with ${p}`);
  const unused = [...en.keys()].filter((id) => !used.has(id) && !prefixes.some((p) => p && id.startsWith(p)));
  assert.deepEqual(unused, [], 'messages nothing uses');
});

test('no words are written in assets/js or the static pages instead of the catalogue', () => {
  const { strings, early } = scanAll();
  const report = strings.map((s) => `${s.file}:${s.line}: ${JSON.stringify(s.text)}`);
  assert.deepEqual(report, [], `hard-coded user-facing strings:\n${report.join('\n')}`);
  assert.deepEqual(early.map((e) => `${e.file}:${e.line}`), [], 't() called while a module loads');
});

test('no local variable named t hides the catalogue where t() is called', () => {
  assert.deepEqual(scanAll().shadows.map((e) => `${e.file}:${e.line}`), []);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-shadow-'));
  const file = path.join(dir, 'page.js');
  fs.writeFileSync(file, "function save(v) { const t = v.type; return t === 'x' ? t('a') : ''; }\nfunction ok(t) { return t.id; }\n");
  const r = scanFile(file, readAllowList());
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(r.shadows.map((s) => s.line), [1]);
});

test('the scanner finds words in every place a reader sees them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-scan-'));
  const file = path.join(dir, 'page.js');
  fs.writeFileSync(file, [
    'function page() {',
    "h('p', {}, 'Child text');",
    "h('button', { 'aria-label': 'Close dialog', title: 'Close it', placeholder: 'Type here' }, t('ok'));",
    "el.textContent = 'Assigned text';",
    "alert('Alert text'); window.confirm(`Delete ${name}?`);",
    "field({ label: 'A label' });",
    "h('p', {}, ok ? 'Yes words' : 'No words');",
    "h('label', {}, `${n} ${n === 1 ? 'star' : 'stars'}`);",
    "const SORTS = [['-price', 'Price: high to low']];",
    "h('p', {}, t('fine'), 'Schoolhouse', '·', 42, 'code-value');",
    '}',
    "const early = t('at-load');",
  ].join('\n'));
  const r = scanFile(file, readAllowList());
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(r.strings.map((s) => s.text).sort(), [
    'A label', 'Alert text', 'Assigned text', 'Child text', 'Close dialog', 'Close it', 'Delete {}?', 'No words',
    'Price: high to low', 'Type here', 'Yes words', 'star', 'stars',
  ]);
  assert.deepEqual(r.keys.map((k) => k.key).sort(), ['at-load', 'fine', 'ok']);
  assert.equal(r.early.length, 1);
});

test('plural forms of 0, 1, 2 and 5 items read right in English and French', () => {
  const en = makeBundle('en', source('en')).bundle;
  const fr = makeBundle('fr', source('fr')).bundle;
  const n = (b, count) => format(b, 'list-count-order', { count });
  assert.deepEqual([0, 1, 2, 5].map((c) => n(en, c)), ['0 orders', '1 order', '2 orders', '5 orders']);
  // French counts 0 and 1 as singular.
  assert.deepEqual([0, 1, 2, 5].map((c) => n(fr, c)), ['0 commande', '1 commande', '2 commandes', '5 commandes']);
  const found = (b, count) => format(b, 'items-found', { kind: 'courses', count });
  assert.deepEqual([0, 1, 2, 5].map((c) => found(en, c)), ['0 courses found', '1 course found', '2 courses found', '5 courses found']);
  assert.deepEqual([0, 1, 2, 5].map((c) => found(fr, c)), ['0 cours trouvé', '1 cours trouvé', '2 cours trouvés', '5 cours trouvés']);
});

test('en-XA accents and lengthens words by about 40% and leaves placed values alone', () => {
  assert.equal(accented('Cart'), 'Çááŕţ');
  const en = makeBundle('en', source('en')).bundle;
  const xa = makeBundle('en-XA', source('en')).bundle;
  const pseudo = format(xa, 'title-was-added-to-your-cart', { title: 'Bread 101' });
  assert.ok(pseudo.startsWith('Bread 101 '), pseudo);
  assert.ok(!/[a-z]{3}/.test(pseudo.slice('Bread 101'.length)), `no plain words left: ${pseudo}`);
  // Over the whole catalogue the words take about 40% more room.
  let plain = 0;
  let long = 0;
  for (const id of blocks(source('en')).keys()) {
    const m = en.getMessage(id);
    if (typeof m.value !== 'string') continue;
    plain += m.value.length;
    long += format(xa, id, {}).length;
  }
  const ratio = long / plain;
  assert.ok(ratio > 1.3 && ratio < 1.6, `grew by ${ratio}`);
  // Plural selectors still work: the variant keys are not transformed.
  assert.match(format(xa, 'list-count-order', { count: 1 }), /^1 óó/);
});

test('ar-XB shows each word right-to-left and keeps every message', () => {
  assert.equal(mirrored('Log in'), '\u202eLog\u202c \u202ein\u202c');
  const resource = pseudoResource(source('en'), 'ar-XB');
  assert.equal(resource.body.length, blocks(source('en')).size);
});

test('the first supported language of the browser wins, by exact code or by language', () => {
  assert.equal(pickLocale(['fr-CA', 'en'], ['en', 'fr']), 'fr');
  assert.equal(pickLocale(['de', 'en-GB'], ['en', 'fr']), 'en');
  assert.equal(pickLocale(['ar-XB'], ['en', 'fr', 'ar-XB']), 'ar-XB');
  assert.equal(pickLocale(['de'], ['en', 'fr']), null);
});
