// Reads the web UI's JavaScript with TypeScript's parser (no regexes over code) and reports
// (1) words a reader sees that are written in the code instead of coming from the catalogue,
// (2) every catalogue key the code asks for with t('key') or data-i18n, and (3) t() calls
// that run when a module loads (before the catalogue is there, and never again after a change
// of language). Used by i18n.test.mjs; `node tests/ui/unit/i18n-scan.mjs` prints the report.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../../..');
export const jsRoot = path.join(repo, 'assets/js');

/** Attributes and option names whose value is read by people (or their screen reader). */
const TEXT_PROPS = new Set([
  'text', 'textContent', 'innerText', 'title', 'label', 'placeholder', 'aria-label', 'alt', 'hint',
  'message', 'busyLabel', 'aria-description', 'aria-valuetext', 'aria-roledescription', 'ariaLabel',
  'description', 'heading', 'emptyText', 'confirmText', 'summary', 'detail', 'empty', 'columns', 'titleText',
  'headline', 'userMessage', 'lead', 'ask',
]);
/** Functions whose string arguments are shown as they are. */
const TEXT_CALLS = new Set([
  'alert', 'confirm', 'prompt', 'announce', 'notice', 'emptyState', 'loading', 'busy', 'fieldErrors',
  // the pages' own helpers that put their arguments on the page
  'replace', 'setCustomValidity', 'table', 'pageHead', 'backLink', 'filterBar', 'stat', 'notFoundResult',
  'authPage', 'passwordField', 'message', 'setFlash', 'line', 'sentence', 'select', 'progressBar',
]);

/** Literals that are not words: allow-list file, one literal a line, '#' comments. */
export function readAllowList() {
  const file = path.join(here, 'i18n-allow.txt');
  return new Set(fs.readFileSync(file, 'utf8').split('\n')
    .filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.replace(/\\n/g, '\n')));
}

export function jsFiles(dir = jsRoot) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full));
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out.sort();
}

/** Text of a literal a reader would see: letters in it, and not on the allow-list. */
function wordy(text, allow, inText = false) {
  const trimmed = text.trim();
  // One lowercase token ("info", "medium", "text") is a value for the code, not words,
  // unless it is placed inside a sentence.
  if (!inText && /^-?[a-z][a-z0-9_.-]*$/.test(trimmed)) return false;
  // Paths and URLs ("/admin/users?{}", "about:blank") are addresses, not words.
  if (/^(\/|[a-z]+:\S)/.test(trimmed)) return false;
  return /\p{L}/u.test(trimmed) && !allow.has(trimmed) && !allow.has(text);
}

/** The literal pieces of an expression that end up as text (through ?:, ||, ??, arrays, templates). */
function literalParts(node) {
  if (!node) return [];
  if (ts.isParenthesizedExpression(node)) return literalParts(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [{ node, text: node.text }];
  if (ts.isTemplateExpression(node)) {
    const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('{}');
    // Words chosen inside the template ("${on ? 'Enable' : 'Disable'} {name}") count too.
    // Even one lowercase word is text there ("${n} ${n === 1 ? 'star' : 'stars'}").
    const inner = node.templateSpans.flatMap((sp) => (ts.isConditionalExpression(sp.expression) ? literalParts(sp.expression) : []));
    return [{ node, text }, ...inner.map((p) => ({ ...p, inText: true }))];
  }
  if (ts.isConditionalExpression(node)) return [...literalParts(node.whenTrue), ...literalParts(node.whenFalse)];
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken].includes(node.operatorToken.kind)) {
    return [...literalParts(node.left), ...literalParts(node.right)];
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return [...literalParts(node.left), ...literalParts(node.right)];
  }
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(literalParts);
  return [];
}

function propName(name) {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return null;
}

function calleeName(expr) {
  if (ts.isIdentifier(expr)) return expr.text;
  if (ts.isPropertyAccessExpression(expr)) return expr.name.text;
  return null;
}

/** True when `node` runs as the module loads (not inside any function). */
function atModuleLevel(node) {
  for (let p = node.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return false;
  }
  return true;
}

/**
 * Scan one file.
 * @returns {{ strings: {file,line,text}[], keys: {file,line,key}[], prefixes: string[], early: {file,line}[], shadows: {file,line}[] }}
 */
export function scanFile(file, allow = readAllowList()) {
  const source = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const rel = path.relative(repo, file);
  const strings = [];
  const keys = [];
  const prefixes = [];
  const early = [];
  const seen = new Set();
  const lineOf = (node) => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const report = (expr) => {
    for (const part of literalParts(expr)) {
      if (seen.has(part.node.pos) || !wordy(part.text, allow, part.inText)) continue;
      seen.add(part.node.pos);
      strings.push({ file: rel, line: lineOf(part.node), text: part.text, node: part.node, sf });
    }
  };
  const shadows = [];
  const visit = (node) => {
    // A local `t` (parameter or variable) hides the catalogue's t() in its scope.
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) && ts.isIdentifier(node.name) && node.name.text === 't') {
      let scope = node.parent;
      while (scope && !ts.isFunctionLike(scope) && !ts.isBlock(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
      const callsT = (n) => (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 't') || ts.forEachChild(n, callsT);
      if (scope && !ts.isSourceFile(scope) && callsT(scope)) shadows.push({ file: rel, line: lineOf(node) });
    }
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      const args = node.arguments;
      if (name === 't' && ts.isIdentifier(node.expression)) {
        const first = args[0];
        // t('key'), t(done ? 'key-a' : 'key-b'), or t(`prefix-${x}`) naming every key with the prefix.
        const choices = first && ts.isConditionalExpression(first) ? [first.whenTrue, first.whenFalse] : [first];
        for (const c of choices) {
          if (c && (ts.isStringLiteral(c) || ts.isNoSubstitutionTemplateLiteral(c))) keys.push({ file: rel, line: lineOf(node), key: c.text });
          else if (c && ts.isTemplateExpression(c)) prefixes.push(c.head.text);
        }
        // The values placed into a message are words too when they are literals.
        if (args[1] && ts.isObjectLiteralExpression(args[1])) {
          args[1].properties.forEach((p) => { if (ts.isPropertyAssignment(p)) report(p.initializer); });
        }
        if (atModuleLevel(node)) early.push({ file: rel, line: lineOf(node) });
      } else if ((name === 'h' || name === 's') && ts.isIdentifier(node.expression)) {
        // h(tag, props?, ...children), and s() for SVG: every argument after the tag that is not the props object.
        args.slice(1).forEach((arg) => {
          if (!ts.isObjectLiteralExpression(arg)) report(arg);
        });
      } else if (name === 'setAttribute' && args.length === 2 && ts.isStringLiteral(args[0]) && TEXT_PROPS.has(args[0].text)) {
        report(args[1]);
      } else if (name && TEXT_CALLS.has(name)) {
        args.forEach((arg) => { if (!ts.isObjectLiteralExpression(arg)) report(arg); });
      } else if (name === 'Error' || (ts.isNewExpression(node) && name === 'Error')) {
        report(args[0]);
      }
    }
    if (ts.isNewExpression(node) && calleeName(node.expression) === 'Error' && node.arguments) report(node.arguments[0]);
    // A default parameter ("label = 'Loading…'") is words a caller did not give.
    if ((ts.isParameter(node) || ts.isBindingElement(node)) && node.initializer) report(node.initializer);
    // [['value', 'Label'], ...]: options and tabs as value/label pairs.
    if (ts.isArrayLiteralExpression(node) && ts.isArrayLiteralExpression(node.parent) && node.elements.length === 2
      && (ts.isStringLiteral(node.elements[0]) || ts.isNoSubstitutionTemplateLiteral(node.elements[0]))) report(node.elements[1]);
    // ['Level', value] label/value rows, and ['Order', 'Placed', 'Total'] column heads.
    if (ts.isArrayLiteralExpression(node) && ts.isArrayLiteralExpression(node.parent) && node.elements.length === 2) report(node.elements[0]);
    if (ts.isArrayLiteralExpression(node) && node.elements.length >= 2 && node.elements.every((e) => ts.isStringLiteral(e) && /^[A-Z]/.test(e.text))) {
      node.elements.forEach(report);
    }
    // A fallback of words: `sub.title || 'Assignment'`.
    if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(node.operatorToken.kind)
      && (ts.isStringLiteral(node.right) || ts.isTemplateExpression(node.right))) report(node.right);
    // const LABELS = { key: 'Words' }: a table of words in capitals.
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && /^[A-Z][A-Z0-9_]+$/.test(node.name.text)
      && node.initializer && ts.isObjectLiteralExpression(node.initializer)) {
      node.initializer.properties.forEach((p) => { if (ts.isPropertyAssignment(p)) report(p.initializer); });
    }
    // const title = 'Words'; headline = 'Words'
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && TEXT_PROPS.has(node.name.text) && node.initializer) report(node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(node.left)
      && TEXT_PROPS.has(node.left.text)) report(node.right);
    if (ts.isPropertyAssignment(node) && TEXT_PROPS.has(propName(node.name) || '')) report(node.initializer);
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken
      && ts.isPropertyAccessExpression(node.left) && TEXT_PROPS.has(node.left.name.text)) report(node.right);
    if (ts.isReturnStatement(node) && node.expression && (ts.isStringLiteral(node.expression) || ts.isTemplateExpression(node.expression)
      || ts.isNoSubstitutionTemplateLiteral(node.expression) || ts.isConditionalExpression(node.expression))) {
      // A function returning words ("Free", "1 h 2 min") hands them to a page.
      report(node.expression);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { strings, keys, prefixes, early, shadows };
}

/** Keys used by the static pages (data-i18n="key", data-i18n-attr="attr:key ..."). */
export function htmlKeys(file) {
  const html = fs.readFileSync(file, 'utf8');
  const keys = [...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g)) {
    for (const pair of m[1].split(/\s+/).filter(Boolean)) keys.push(pair.split(':')[1]);
  }
  return keys;
}

/**
 * Words in a static page not tied to a key: an element's own text without data-i18n, or an
 * aria-label/alt/title/placeholder not named in its data-i18n-attr.
 */
export function htmlStrings(file, allow = readAllowList()) {
  const html = fs.readFileSync(file, 'utf8').replace(/<(script|style)\b[\s\S]*?<\/\1>/g, '');
  const rel = path.relative(repo, file);
  const out = [];
  const lineAt = (i) => html.slice(0, i).split('\n').length;
  for (const m of html.matchAll(/<([a-z][\w-]*)([^>]*)>([^<]*)/g)) {
    const [, tag, attrs, text] = m;
    if (tag === 'title' || wordy(text, allow)) {
      if (!/data-i18n="/.test(attrs) && wordy(text, allow)) out.push({ file: rel, line: lineAt(m.index), text: text.trim() });
    }
    for (const a of attrs.matchAll(/\s(aria-label|alt|title|placeholder)="([^"]*)"/g)) {
      const named = new RegExp(`data-i18n-attr="[^"]*\\b${a[1]}:`).test(attrs);
      if (!named && wordy(a[2], allow)) out.push({ file: rel, line: lineAt(m.index), text: a[2] });
    }
  }
  return out;
}

export const htmlFiles = () => [path.join(repo, 'assets/index.html'), path.join(repo, 'assets/admin/index.html')];

export function scanAll() {
  const allow = readAllowList();
  const all = { strings: [], keys: [], prefixes: [], early: [], shadows: [] };
  for (const file of jsFiles()) {
    const r = scanFile(file, allow);
    // The locale machinery itself: language names are autonyms, the pseudo-locale tables letters.
    if (file.endsWith(`${path.sep}i18n.js`)) r.strings = [];
    for (const k of Object.keys(all)) all[k].push(...r[k]);
  }
  for (const file of htmlFiles()) {
    all.strings.push(...htmlStrings(file, allow));
    all.keys.push(...htmlKeys(file).map((key) => ({ file: path.relative(repo, file), line: 0, key })));
  }
  return all;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { strings, early } = scanAll();
  for (const s of strings) console.log(`${s.file}:${s.line}: ${JSON.stringify(s.text)}`);
  for (const e of early) console.log(`${e.file}:${e.line}: t() runs at module load`);
  for (const e of scanAll().shadows) console.log(`${e.file}:${e.line}: a local t hides the catalogue's t()`);
  console.log(`${strings.length} hard-coded strings, ${early.length} early t() calls`);
}
