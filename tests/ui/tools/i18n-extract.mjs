// Moves the words the scanner (unit/i18n-scan.mjs) finds in assets/js into
// assets/locales/en/ui.ftl: each literal becomes t('key'), a template literal t('key', { vars }),
// plural(n, 'word') a plural message, a module-level table of words a function read lazily,
// and `import { t }` is added. Keys are slugs of the English text. It is a first pass for new
// pages written in English: review the messages (whole sentences, plural and select forms
// rather than English pieces), translate the new keys in fr/ui.ftl, and run
// `node --test unit/i18n.test.mjs`. Run from tests/ui: `node tools/i18n-extract.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { scanFile, jsFiles, readAllowList, repo } from '../unit/i18n-scan.mjs';

const ftlPath = path.join(repo, 'assets/locales/en/ui.ftl');
const existing = fs.existsSync(ftlPath) ? fs.readFileSync(ftlPath, 'utf8') : '';
const messages = new Map(); // key -> value
for (const m of existing.matchAll(/^([a-z][\w-]*) =(.*)$/gm)) messages.set(m[1], m[2].trim() || `\u0000${m[1]}`);
const order = [];
const allow = readAllowList();
const esc = (s) => s.replace(/[{}]/g, (c) => `{"${c}"}`);
const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().split(' ').slice(0, 6).join('-').slice(0, 40).replace(/-+$/, '').replace(/^(?=\d)/, 'n-') || 'text';
function keyFor(base, value) {
  let key = base; let n = 2;
  while (messages.has(key) && messages.get(key) !== value) key = `${base}-${n++}`;
  if (!messages.has(key)) { messages.set(key, value); order.push(key); }
  return key;
}
function varName(expr, used) {
  let n = 'value';
  if (ts.isIdentifier(expr)) n = expr.text;
  else if (ts.isPropertyAccessExpression(expr)) n = expr.name.text;
  else if (ts.isCallExpression(expr)) {
    const c = expr.expression; const cn = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
    n = /money/i.test(cn) ? 'amount' : /date/i.test(cn) ? 'date' : /plural/.test(cn) ? 'count' : 'value';
  }
  if (!/^[a-zA-Z][\w-]*$/.test(n)) n = 'value';
  let name = n; let i = 2;
  while (used.has(name)) name = `${n}${i++}`;
  used.add(name);
  return name;
}
const manual = [];
for (const file of jsFiles()) {
  if (file.endsWith('/i18n.js')) continue;
  let src = fs.readFileSync(file, 'utf8');
  const { strings } = scanFile(file, allow);
  const reps = [];
  for (const s of strings) {
    const node = s.node; const sf = s.sf;
    const start = node.getStart(sf); const end = node.getEnd();
    if (ts.isTemplateExpression(node)) {
      const used = new Set(); const args = [];
      let value = esc(node.head.text);
      for (const span of node.templateSpans) {
        const name = varName(span.expression, used);
        const exprText = span.expression.getText(sf);
        args.push(exprText === name ? name : `${name}: ${exprText}`);
        value += `{ $${name} }` + esc(span.literal.text);
      }
      if (/\n/.test(value)) { manual.push(`${s.file}:${s.line}`); continue; }
      const lead = value.match(/^\s*/)[0]; const trail = value.match(/\s*$/)[0];
      const v = value.trim();
      const key = keyFor(slug(v.replace(/\{ \$(\w+) \}/g, ' $1 ')), v);
      let call = `t('${key}', { ${args.join(', ')} })`;
      reps.push({ start, end, text: lead || trail ? `\`${lead}\${${call}}${trail}\`` : call });
    } else {
      const text = node.text;
      if (/\n/.test(text)) { manual.push(`${s.file}:${s.line}`); continue; }
      const lead = text.match(/^\s*/)[0]; const trail = text.match(/\s*$/)[0];
      const v = esc(text.trim());
      const key = keyFor(slug(text), v);
      reps.push({ start, end, text: lead || trail ? `\`${lead}\${t('${key}')}${trail}\`` : `t('${key}')` });
    }
  }
  reps.sort((a, b) => b.start - a.start);
  let lastStart = Infinity;
  let changed = 0;
  for (const r of reps) {
    if (r.end > lastStart) continue; // nested in one already replaced
    src = src.slice(0, r.start) + r.text + src.slice(r.end);
    lastStart = r.start; changed++;
  }
  // plural(n, 'one'[, 'many']) -> a Fluent plural message
  const sf2 = ts.createSourceFile(file, src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const preps = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'plural' && node.arguments.length >= 2 && ts.isStringLiteral(node.arguments[1])) {
      const one = node.arguments[1].text; const many = node.arguments[2] && ts.isStringLiteral(node.arguments[2]) ? node.arguments[2].text : `${one}s`;
      const value = `{ $count ->\n    [one] { $count } ${one}\n   *[other] { $count } ${many}\n}`;
      const key = keyFor(`count-${slug(one)}`, value);
      preps.push({ start: node.getStart(sf2), end: node.getEnd(), text: `t('${key}', { count: ${node.arguments[0].getText(sf2)} })` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf2);
  preps.sort((a, b) => b.start - a.start);
  for (const r of preps) { src = src.slice(0, r.start) + r.text + src.slice(r.end); changed++; }
  // Module-level tables of words become functions, so their words are read after the catalogue loads.
  {
    const sf3 = ts.createSourceFile(file, src, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    const lazy = [];
    for (const st of sf3.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const d of st.declarationList.declarations) {
        // Only tables of words (object or array literals); a call such as createRouter({...}) runs once and stays.
        if (ts.isIdentifier(d.name) && d.initializer && /\bt\(/.test(d.initializer.getText(sf3)) && (ts.isObjectLiteralExpression(d.initializer) || ts.isArrayLiteralExpression(d.initializer))) lazy.push(d);
      }
    }
    const names = new Set(lazy.map((d) => d.name.text));
    const r3 = [];
    for (const d of lazy) r3.push({ start: d.initializer.getStart(sf3), end: d.initializer.getEnd(), text: `() => (${d.initializer.getText(sf3)})` });
    const visit3 = (n) => {
      if (ts.isIdentifier(n) && names.has(n.text) && !(ts.isVariableDeclaration(n.parent) && n.parent.name === n)
        && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)) {
        r3.push({ start: n.getStart(sf3), end: n.getEnd(), text: `${n.text}()` });
      }
      ts.forEachChild(n, visit3);
    };
    visit3(sf3);
    r3.sort((a, b) => b.start - a.start);
    let last = Infinity;
    for (const r of r3) {
      if (r.end > last) { // a use inside a wrapped initializer: apply to the inner text later
        continue;
      }
      src = src.slice(0, r.start) + r.text + src.slice(r.end); last = r.start;
    }
    if (lazy.length) console.log('lazy:', path.relative(repo, file), [...names].join(' '));
  }
  if (changed && !/import \{ t \} from/.test(src)) {
    const rel = path.relative(path.dirname(file), path.join(repo, 'assets/js/i18n.js'));
    const imp = `import { t } from '${rel.startsWith('.') ? rel : `./${rel}`}';\n`;
    const imports = [...src.matchAll(/^import [\s\S]*?from '[^']+';\n/gm)];
    if (imports.length) { const last = imports[imports.length - 1]; const at = last.index + last[0].length; src = src.slice(0, at) + imp + src.slice(at); }
    else { const m = src.match(/^(\/\/.*\n)+\n?/); const at = m ? m[0].length : 0; src = src.slice(0, at) + imp + '\n' + src.slice(at); }
  }
  fs.writeFileSync(file, src);
}
fs.mkdirSync(path.dirname(ftlPath), { recursive: true });
const body = order.map((k) => { const v = messages.get(k); return v.includes('\n') ? `${k} =\n${v.split('\n').map((l) => `    ${l}`).join('\n')}` : `${k} = ${v}`; }).join('\n');
if (order.length) fs.writeFileSync(ftlPath, `${existing.replace(/\n*$/, '\n')}\n## Extracted by tests/ui/tools/i18n-extract.mjs: move into place, give fr/ui.ftl the same keys\n\n${body}\n`);
console.log('left for a hand (multi-line text):', manual.join(' ') || 'none');
console.log('new keys in en/ui.ftl (translate them in fr/ui.ftl):', order.join(' ') || 'none');
