#!/usr/bin/env python3
"""The structure check (issue 31): one-way layers and short files.

Fails when
  (a) the top-level folders of src/ import each other in a circle (each `src/<x>/` or
      `src/<x>.rs` is one node; edges come from `use crate::...`, `crate::x::` paths
      and resolved `super::` paths; `src/main.rs` is the node `main` and its
      `schoolhouse::x` paths count too; a trailing `#[cfg(test)] mod tests` block and test
      files are left out), printing the circle and where each step is;
  (b) a production .rs file is over the line limit (lines before a trailing
      `#[cfg(test)] mod ... { }` block; `tests.rs` and `*_tests.rs` are test files).

Exceptions live in ONE place, tests/structure/exceptions.toml, each with a reason.

    python3 tests/structure/check.py             check src/ of this repository
    python3 tests/structure/check.py --root DIR  check DIR/src with DIR/tests/structure/exceptions.toml
    python3 tests/structure/check.py --graph     also print every edge between folders
    python3 tests/structure/check.py selftest    show the check refuses a circle and a long file
"""

import os
import re
import sys
import tempfile
import tomllib

LIMIT = 400
FN_LIMIT = 80
CRATE_NAME = "schoolhouse"

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


# ------------------------------------------------------------------ reading Rust

def strip_comments_and_strings(text):
    """Blanks comments and string literals (keeping line breaks) so only code is parsed."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j == -1 else j
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append("\n" * text.count("\n", i, j))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 10]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            end = n if end == -1 else end + 1 + len(hashes)
            out.append("\n" * text.count("\n", i, end))
            i = end
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + 1
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            # a char literal such as '"' or '{'; lifetimes ('a) are left alone
            m = re.match(r"'(\\[^']*|[^\\'])'", text[i:])
            out.append("' '")
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def module_path(rel):
    """`src/auth/mfa/service.rs` -> ['auth', 'mfa', 'service']; mod.rs names its folder."""
    parts = rel.split("/")[1:]
    parts[-1] = parts[-1][:-3]
    if parts[-1] == "mod":
        parts.pop()
    return parts


def node_of(rel):
    parts = rel.split("/")
    return parts[1][:-3] if len(parts) == 2 else parts[1]


def expand_use_tree(tree):
    """`crate::{a::b, c::{d, e}}` -> ['crate::a::b', 'crate::c::d', 'crate::c::e']."""
    tree = re.sub(r"\s+", "", tree)
    m = re.match(r"^(.*?)\{(.*)\}$", tree)
    if not m:
        return [tree]
    prefix, inner = m.group(1), m.group(2)
    items, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
            continue
        depth += ch == "{"
        depth -= ch == "}"
        cur += ch
    items.append(cur)
    result = []
    for item in items:
        if item:
            result.extend(expand_use_tree(prefix + item))
    return result


def resolve(path, mod):
    """The top-level module a path names from module `mod`, or None (outside the crate)."""
    segs = [s for s in path.split("::") if s]
    if not segs:
        return None
    head = segs[0]
    if head in ("crate", CRATE_NAME):
        return segs[1] if len(segs) > 1 else None
    if head == "super":
        base = list(mod)
        while segs and segs[0] == "super":
            segs.pop(0)
            if not base:
                return None
            base.pop()
        if base:
            return base[0]
        return segs[0] if segs else None
    if head == "self":
        return mod[0] if mod else (segs[1] if len(segs) > 1 else None)
    return None


USE_RE = re.compile(r"\buse\s+([^;]*);", re.S)
PATH_RE = re.compile(r"(?<![\w$])((?:crate|super|" + CRATE_NAME + r")(?:::(?:super|\w+))*)::")


def imports(rel, text):
    """(line, top-level module) for every crate path in one file."""
    code = strip_comments_and_strings(text)
    mod = module_path(rel) if rel != "src/main.rs" else []
    found = []
    seen_spans = []
    for m in USE_RE.finditer(code):
        line = code.count("\n", 0, m.start()) + 1
        for path in expand_use_tree(m.group(1)):
            path = re.sub(r"\bas\s*\w+$", "", path.replace("::self", ""))
            found.append((line, resolve(path, mod)))
        seen_spans.append((m.start(), m.end()))
    for m in PATH_RE.finditer(code):
        if any(a <= m.start() < b for a, b in seen_spans):
            continue
        line = code.count("\n", 0, m.start()) + 1
        found.append((line, resolve(m.group(1) + "::x", mod)))
    # Imports of a trailing `#[cfg(test)] mod tests` block are test set-up, not layering.
    cut = production_lines(text)
    return [(line, target) for line, target in found if target and line <= cut]


# ------------------------------------------------------------------ the graph

def rust_files(src):
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".rs"):
                full = os.path.join(dirpath, name)
                yield os.path.relpath(full, os.path.dirname(src)).replace(os.sep, "/"), full


def build_graph(root):
    src = os.path.join(root, "src")
    nodes = set()
    for rel, _ in rust_files(src):
        if rel != "src/lib.rs":
            nodes.add("main" if rel == "src/main.rs" else node_of(rel))
    edges = {}  # (from, to) -> [(file, line)]
    for rel, full in rust_files(src):
        if rel == "src/lib.rs" or is_test_file(rel):
            continue
        frm = "main" if rel == "src/main.rs" else node_of(rel)
        with open(full, encoding="utf-8") as f:
            text = f.read()
        for line, to in imports(rel, text):
            if to != frm and to in nodes:
                edges.setdefault((frm, to), []).append((rel, line))
    return nodes, edges


def strongly_connected(nodes, adjacency):
    """Tarjan's algorithm, iterative; returns the components with more than one node."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]

    def visit(start):
        work = [(start, iter(sorted(adjacency.get(start, ()))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            advanced = False
            for w in children:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(adjacency.get(w, ())))))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = set()
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.add(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    result.append(comp)

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return result


def shortest_circle(comp, adjacency):
    """One shortest circle inside a strongly connected component."""
    best = None
    for start in sorted(comp):
        prev, queue, found = {start: None}, [start], None
        while queue and not found:
            nxt = []
            for v in queue:
                for w in sorted(adjacency.get(v, ())):
                    if w not in comp:
                        continue
                    if w == start:
                        found = v
                        break
                    if w not in prev:
                        prev[w] = v
                        nxt.append(w)
                if found:
                    break
            queue = nxt
        if found:
            path, v = [], found
            while v is not None:
                path.append(v)
                v = prev[v]
            path.reverse()
            if best is None or len(path) < len(best):
                best = path
    return best + [best[0]]


# ------------------------------------------------------------------ file length

TEST_MOD_RE = re.compile(r"^(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{")


def production_lines(text):
    """Lines before a trailing `#[cfg(test)] mod x { ... }` block (the whole file if none)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    code = strip_comments_and_strings(text).split("\n")
    for i, line in enumerate(lines):
        if line.strip() != "#[cfg(test)]" or line != line.lstrip():
            continue
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#[")):
            j += 1
        if j >= len(lines) or not TEST_MOD_RE.match(lines[j]):
            continue
        depth, closed_at = 0, None
        for k in range(j, len(code)):
            depth += code[k].count("{") - code[k].count("}")
            if depth == 0:
                closed_at = k
                break
        if closed_at is not None and all(not l.strip() for l in lines[closed_at + 1:]):
            return i
    return len(lines)


FN_RE = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def long_functions(text):
    """(name, first line, length) of each function in the production part of `text` whose
    body, from its `fn` line to its closing brace, is over FN_LIMIT lines."""
    code = strip_comments_and_strings(text).split("\n")[: production_lines(text)]
    found = []
    for i, line in enumerate(code):
        m = FN_RE.match(line)
        if not m:
            continue
        depth, opened = 0, False
        for k in range(i, len(code)):
            if not opened and ";" in code[k] and "{" not in code[k]:
                break  # a declaration without a body (trait item, extern)
            depth += code[k].count("{") - code[k].count("}")
            opened = opened or "{" in code[k]
            if opened and depth <= 0:
                if k - i + 1 > FN_LIMIT:
                    found.append((m.group(6), i + 1, k - i + 1))
                break
    return found


def is_test_file(rel):
    name = rel.rsplit("/", 1)[-1]
    return name == "tests.rs" or name.endswith("_tests.rs") or "/tests/" in rel


# ------------------------------------------------------------------ the check

def load_exceptions(root):
    path = os.path.join(root, "tests", "structure", "exceptions.toml")
    if not os.path.exists(path):
        return {}, {}, {}, path
    with open(path, "rb") as f:
        data = tomllib.load(f)
    long_files, edges, long_fns = {}, {}, {}
    for item in data.get("long_fn", []):
        if not item.get("why", "").strip():
            raise SystemExit(f"{path}: long_fn {item.get('path')} {item.get('name')} has no `why`")
        long_fns[(item["path"], item["name"])] = item
    for item in data.get("long_file", []):
        if not item.get("why", "").strip():
            raise SystemExit(f"{path}: long_file {item.get('path')} has no `why`")
        long_files[item["path"]] = item
    for item in data.get("edge", []):
        if not item.get("why", "").strip():
            raise SystemExit(f"{path}: edge {item.get('from')} -> {item.get('to')} has no `why`")
        edges[(item["from"], item["to"])] = item
    return long_files, edges, long_fns, path


def check(root, show_graph=False):
    long_exceptions, edge_exceptions, fn_exceptions, exceptions_path = load_exceptions(root)
    problems = []
    nodes, edges = build_graph(root)

    adjacency = {}
    for (a, b) in edges:
        if (a, b) not in edge_exceptions:
            adjacency.setdefault(a, set()).add(b)
    if show_graph:
        for (a, b), where in sorted(edges.items()):
            mark = "  (excepted)" if (a, b) in edge_exceptions else ""
            print(f"{a} -> {b}: {len(where)} ({where[0][0]}:{where[0][1]}){mark}")
    for comp in strongly_connected(nodes, adjacency):
        circle = shortest_circle(comp, adjacency)
        lines = [f"import circle between top-level folders of src/: {' -> '.join(circle)}"]
        for a, b in zip(circle, circle[1:]):
            where = edges[(a, b)]
            lines.append(f"    {a} -> {b}: {where[0][0]}:{where[0][1]} ({len(where)} in all)")
        lines.append(f"    (all {len(comp)} folders in this knot: {', '.join(sorted(comp))})")
        problems.append("\n".join(lines))
    for key in sorted(edge_exceptions):
        if key not in edges:
            problems.append(f"{exceptions_path}: edge {key[0]} -> {key[1]} no longer exists; remove it")

    seen_long, seen_fns = set(), set()
    for rel, full in rust_files(os.path.join(root, "src")):
        if is_test_file(rel):
            continue
        with open(full, encoding="utf-8") as f:
            text = f.read()
        count = production_lines(text)
        for name, line, length in long_functions(text):
            if (rel, name) in fn_exceptions:
                seen_fns.add((rel, name))
            else:
                problems.append(
                    f"{rel}:{line}: fn {name} is {length} lines (limit {FN_LIMIT}); split it into "
                    f"named steps, or list it with a reason in {os.path.relpath(exceptions_path, root)}"
                )
        if count > LIMIT:
            allowed = long_exceptions.get(rel)
            if allowed is None:
                problems.append(
                    f"{rel}: {count} lines of production code (limit {LIMIT}); split it, "
                    f"or list it with a reason in {os.path.relpath(exceptions_path, root)}"
                )
            else:
                seen_long.add(rel)
    for rel in sorted(set(long_exceptions) - seen_long):
        problems.append(f"{exceptions_path}: {rel} is no longer over {LIMIT} lines (or gone); remove it")

    for key in sorted(set(fn_exceptions) - seen_fns):
        problems.append(f"{exceptions_path}: fn {key[1]} in {key[0]} is no longer over {FN_LIMIT} lines (or gone); remove it")

    for p in problems:
        print(f"structure check: {p}", file=sys.stderr)
    if problems:
        print(f"structure check: FAILED ({len(problems)} problem(s))", file=sys.stderr)
        return 1
    print(f"structure check: ok ({len(nodes)} top-level folders, {len(edges)} edges, no circle; "
          f"no production file over {LIMIT} lines beyond {len(long_exceptions)} listed, "
          f"no function over {FN_LIMIT} lines beyond {len(fn_exceptions)} listed)")
    return 0


# ------------------------------------------------------------------ self-test

def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def fake_tree(root, circle=False, long_file=False, excepted=False, long_fn=False):
    write(root, "src/lib.rs", "//! fake\npub mod a;\npub mod b;\npub mod c;\n")
    write(root, "src/main.rs", "//! fake\nuse schoolhouse::a::run;\nfn main() { run() }\n")
    write(root, "src/a/mod.rs", "//! a\nuse crate::b::helper;\npub fn run() { helper() }\n")
    b = "//! b\nuse crate::c::Kernel;\n// use crate::a::run;  (a comment never counts)\n"
    b += 'pub fn helper() { let _ = "crate::a::run"; }\n'
    if circle:
        b += "pub fn back() { super::a::run() }\n"  # src/b/mod.rs: super is the crate
    if long_fn:
        b += "pub fn long() {\n" + "    let _ = 1;\n" * (FN_LIMIT - 1) + "}\n"
    b += "pub trait T {\n    fn declared(&self) -> u32;\n}\n"
    write(root, "src/b/mod.rs", b)
    body = "//! c\npub struct Kernel;\n"
    body += "".join(f"const C{i}: u32 = {i};\n" for i in range(LIMIT - 2 + (1 if long_file else 0)))
    body += "#[cfg(test)]\nmod tests {\n" + "    #[test]\n    fn t() {}\n" * 50 + "}\n"
    write(root, "src/c.rs", body)
    write(root, "src/b/tests.rs", "//! tests\n" + "// long test file\n" * (LIMIT * 2))
    if excepted:
        write(root, "tests/structure/exceptions.toml",
              '[[long_file]]\npath = "src/c.rs"\nwhy = "fake"\n\n'
              '[[edge]]\nfrom = "b"\nto = "a"\nwhy = "fake"\n')


def selftest():
    passed = failed = 0

    def expect(what, want_ok, want_text="", **kind):
        nonlocal passed, failed
        with tempfile.TemporaryDirectory(prefix="schoolhouse-structure-selftest.") as root:
            fake_tree(root, **kind)
            import contextlib
            import io
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code = check(root)
            text = out.getvalue()
            ok = (code == 0) == want_ok and want_text in text
            last = text.strip().splitlines()[0] if text.strip() else ""
            if ok:
                passed += 1
                print(f"ok: {what}: {last}")
            else:
                failed += 1
                print(f"FAILED: {what}\n{text}")

    expect("a clean tree passes", True)
    expect("a circle through super:: is refused and printed", False, "a -> b -> a", circle=True)
    expect("a file one line over the limit is refused", False, "src/c.rs: 401 lines", long_file=True)
    expect("a function one line over its limit is refused", False, "fn long is 81 lines", long_fn=True)
    expect("listed exceptions are accepted", True, circle=True, long_file=True, excepted=True)
    expect("an exception nobody needs is refused", False, "no longer", excepted=True)
    print(f"structure self-test: {passed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv):
    if argv[:1] == ["selftest"]:
        return selftest()
    root = REPO
    if "--root" in argv:
        root = argv[argv.index("--root") + 1]
    return check(root, show_graph="--graph" in argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
