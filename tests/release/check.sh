#!/usr/bin/env bash
# Release checks that need no release build: the workflow files (actionlint), the CHANGELOG
# entry (version and schema), the software bill of materials (CycloneDX), and what the
# binary links (nothing beyond glibc's own libraries, as a musl build would not either).
#
#   tests/release/check.sh all [BINARY]    every check (BINARY: target/debug/schoolhouse)
#   tests/release/check.sh selftest        shows each check refuses a wrong input
#   tests/release/check.sh actionlint [FILE...]
#   tests/release/check.sh changelog [VERSION]   (default: Cargo.toml's version)
#   tests/release/check.sh notes VERSION         print that CHANGELOG entry's text
#   tests/release/check.sh sbom OUT.json         generate, then verify
#   tests/release/check.sh sbom-verify FILE.json
#   tests/release/check.sh ldd BINARY
#
# Tools install once into SCHOOLHOUSE_TEST_CACHE (default ~/.cache/schoolhouse-test):
# actionlint (PyPI wheel, see requirements.txt) into a venv, cargo-cyclonedx with `cargo install --locked`.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
PYTHON=${PYTHON:-python3}
REQUIREMENTS=$HERE/requirements.txt
CYCLONEDX_VERSION=0.5.9
CHANGELOG=${CHANGELOG:-$REPO/CHANGELOG.md}
MIGRATIONS=${MIGRATIONS:-$REPO/migrations}
# What a glibc binary may link: the C library's own parts and the loader.
ALLOWED_LIBS='^(linux-vdso\.so\.1|libc\.so\.6|libm\.so\.6|libgcc_s\.so\.1|ld-linux-[a-z0-9_-]+\.so\.[0-9]+|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1)$'

die() {
    echo "release check: $*" >&2
    exit 1
}

# ------------------------------------------------------------------ actionlint

actionlint_bin() {
    local venv=$CACHE_DIR/venv-actionlint
    local stamp
    stamp="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version.split()[0])')"
    if [ ! -x "$venv/bin/actionlint" ] || [ "$(cat "$venv/.schoolhouse-stamp" 2>/dev/null)" != "$stamp" ]; then
        mkdir -p "$CACHE_DIR"
        exec 9>"$CACHE_DIR/.venv-actionlint.lock"
        flock 9 2>/dev/null || true
        if [ ! -x "$venv/bin/actionlint" ] || [ "$(cat "$venv/.schoolhouse-stamp" 2>/dev/null)" != "$stamp" ]; then
            local log=$CACHE_DIR/venv-actionlint-install.log
            rm -rf "$venv"
            {
                if "$PYTHON" -m venv "$venv"; then
                    "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQUIREMENTS"
                else
                    rm -rf "$venv"
                    "$PYTHON" -m venv --without-pip "$venv" &&
                        "$PYTHON" -m pip --python "$venv/bin/python" install \
                            --disable-pip-version-check --no-input -q -r "$REQUIREMENTS"
                fi
            } >"$log" 2>&1 || {
                cat "$log" >&2
                die "installing actionlint into $venv failed (log: $log)"
            }
            printf '%s\n' "$stamp" >"$venv/.schoolhouse-stamp"
        fi
        exec 9>&-
    fi
    printf '%s\n' "$venv/bin/actionlint"
}

check_actionlint() {
    local bin
    bin=$(actionlint_bin)
    if [ $# -eq 0 ]; then
        set -- "$REPO"/.github/workflows/*.yml
    fi
    (cd "$REPO" && "$bin" -no-color "$@") || die "actionlint found problems in: $*"
    echo "actionlint: $# workflow file(s) clean"
}

# ------------------------------------------------------------------ CHANGELOG

cargo_version() {
    sed -n 's/^version = "\(.*\)"$/\1/p' "$REPO/Cargo.toml" | head -n 1
}

latest_schema() {
    find "$MIGRATIONS" -maxdepth 1 -name 'V*__*.sql' -printf '%f\n' |
        sed -n 's/^V\([0-9]*\)__.*/\1/p' | sort -n | tail -n 1
}

# The text of the entry headed `## [VERSION]` (or `## Unreleased`), without its heading.
entry() {
    awk -v want="$1" '
        /^## / {
            if (inside) exit
            heading = $0
            sub(/^## \[?/, "", heading); sub(/[] ].*$/, "", heading)
            inside = (heading == want)
            next
        }
        inside { print }
    ' "$CHANGELOG"
}

# The newest entry (the first `## ` heading) must name the latest migration as its schema,
# and VERSION must have an entry that names a schema and upgrade notes.
check_changelog() {
    local version=${1:-$(cargo_version)}
    [ -f "$CHANGELOG" ] || die "no $CHANGELOG"
    local latest newest body schema
    latest=$(latest_schema)
    [ -n "$latest" ] || die "no migrations in $MIGRATIONS"
    body=$(entry "$version")
    [ -n "$body" ] || die "CHANGELOG.md has no entry '## [$version]'"
    printf '%s\n' "$body" | grep -Eq '^Schema version: V[0-9]+' ||
        die "the CHANGELOG entry for $version has no 'Schema version: V<n>' line"
    printf '%s\n' "$body" | grep -Eq '^### Upgrade notes' ||
        die "the CHANGELOG entry for $version has no '### Upgrade notes'"
    newest=$(awk '/^## / { sub(/^## \[?/, ""); sub(/[] ].*$/, ""); print; exit }' "$CHANGELOG")
    schema=$(entry "$newest" | sed -n 's/^Schema version: V\([0-9]*\).*/\1/p' | head -n 1)
    [ "$schema" = "$latest" ] ||
        die "the newest CHANGELOG entry ($newest) says schema V${schema:-?}, but the latest migration is V$latest: add it to an '## Unreleased' entry"
    echo "CHANGELOG: entry for $version; newest entry ($newest) names schema V$latest"
}

# ------------------------------------------------------------------ SBOM

cyclonedx_bin() {
    local root=$CACHE_DIR/cargo-cyclonedx-$CYCLONEDX_VERSION
    if [ ! -x "$root/bin/cargo-cyclonedx" ]; then
        mkdir -p "$CACHE_DIR"
        exec 8>"$CACHE_DIR/.cargo-cyclonedx.lock"
        flock 8 2>/dev/null || true
        if [ ! -x "$root/bin/cargo-cyclonedx" ]; then
            echo "installing cargo-cyclonedx $CYCLONEDX_VERSION into $root (once; a few minutes)" >&2
            local log=$CACHE_DIR/cargo-cyclonedx-install.log
            CARGO_TARGET_DIR=$CACHE_DIR/cargo-cyclonedx-build \
                cargo install --locked --quiet --root "$root" \
                cargo-cyclonedx --version "=$CYCLONEDX_VERSION" >"$log" 2>&1 || {
                cat "$log" >&2
                die "installing cargo-cyclonedx failed (log: $log)"
            }
            rm -rf "$CACHE_DIR/cargo-cyclonedx-build"
        fi
        exec 8>&-
    fi
    printf '%s\n' "$root/bin/cargo-cyclonedx"
}

verify_sbom() {
    local file=$1
    "$PYTHON" - "$file" <<'PY' || die "$file is not a usable SBOM"
import json, sys
path = sys.argv[1]
try:
    with open(path) as f:
        bom = json.load(f)
except (OSError, ValueError) as e:
    sys.exit(f"{path}: not JSON: {e}")
problems = []
if bom.get("bomFormat") != "CycloneDX":
    problems.append("bomFormat is not CycloneDX")
if bom.get("metadata", {}).get("component", {}).get("name") != "schoolhouse":
    problems.append("metadata.component is not schoolhouse")
names = {c.get("name") for c in bom.get("components", [])}
for crate in ("axum", "rusqlite", "tokio", "listenfd"):
    if crate not in names:
        problems.append(f"no component {crate}")
if len(names) < 100:
    problems.append(f"only {len(names)} components")
if problems:
    sys.exit(f"{path}: " + "; ".join(problems))
print(f"SBOM: {path}: CycloneDX {bom.get('specVersion')}, {len(names)} components")
PY
}

generate_sbom() {
    local out=$1 bin
    bin=$(cyclonedx_bin)
    mkdir -p "$(dirname "$out")"
    out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
    # Describes what ships: the normal dependencies of the musl build, no dev or build ones.
    # The commit's time, so the same commit gives the same bill.
    export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || date +%s)}"
    (cd "$REPO" && "$bin" cyclonedx --format json --spec-version 1.5 \
        --target x86_64-unknown-linux-musl --no-build-deps \
        --override-filename schoolhouse.cdx --quiet) || die "cargo cyclonedx failed"
    mv -f "$REPO/schoolhouse.cdx.json" "$out"
    verify_sbom "$out"
}

# ------------------------------------------------------------------ ldd

check_ldd() {
    local binary=$1 libs bad
    [ -x "$binary" ] || die "no binary at $binary (build it first: cargo build)"
    libs=$(ldd "$binary" | awk '{ print $1 }' | sed 's#^.*/##')
    bad=$(printf '%s\n' "$libs" | grep -Ev "$ALLOWED_LIBS" || true)
    [ -z "$bad" ] || die "$binary links libraries beyond glibc's own: $(echo "$bad" | tr '\n' ' ')"
    echo "ldd: $binary links only $(echo "$libs" | tr '\n' ' ')"
}

# ------------------------------------------------------------------ self-test

# Each check must refuse a wrong input; prints a `N passed, N failed` line.
selftest() {
    local scratch passed=0 failed=0
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-release-selftest.XXXXXX")
    trap 'rm -rf "$scratch"' RETURN
    expect_refused() {
        local what=$1
        shift
        if ("$@") >"$scratch/out" 2>&1; then
            echo "FAILED: $what: the check accepted it"
            cat "$scratch/out"
            failed=$((failed + 1))
        else
            echo "ok: $what: $(tail -n 1 "$scratch/out")"
            passed=$((passed + 1))
        fi
    }

    # Copies of the real workflow, each with one mistake; the unchanged copy must pass.
    local workflow=$REPO/.github/workflows/release.yml
    cp "$workflow" "$scratch/unchanged.yml"
    if (check_actionlint "$scratch/unchanged.yml") >"$scratch/out" 2>&1; then
        echo "ok: actionlint passes the unchanged release workflow"
        passed=$((passed + 1))
    else
        echo "FAILED: actionlint refuses the unchanged release workflow"
        cat "$scratch/out"
        failed=$((failed + 1))
    fi
    sed 's/^    runs-on: ubuntu-latest$/    runs-on: ubuntu-latest\n    needs: build/' \
        "$workflow" >"$scratch/missing-job.yml"
    expect_refused "actionlint refuses a job that needs a missing job" \
        check_actionlint "$scratch/missing-job.yml"
    sed 's/github\.ref_name/github.ref_nme/' "$workflow" >"$scratch/typo.yml"
    expect_refused "actionlint refuses a misspelt context property" \
        check_actionlint "$scratch/typo.yml"

    cat >"$scratch/CHANGELOG.md" <<'MD'
# Changelog

## [0.1.0] - 2026-01-01

Schema version: V1

### Upgrade notes

None.
MD
    expect_refused "the CHANGELOG check refuses an entry naming an old schema" \
        env CHANGELOG="$scratch/CHANGELOG.md" bash "$HERE/check.sh" changelog "$(cargo_version)"
    expect_refused "the CHANGELOG check refuses a version without an entry" \
        bash "$HERE/check.sh" changelog 0.0.0-never

    printf '{"bomFormat":"CycloneDX","metadata":{"component":{"name":"schoolhouse"}},"components":[]}\n' \
        >"$scratch/empty.cdx.json"
    expect_refused "the SBOM check refuses a bill without the dependencies" \
        verify_sbom "$scratch/empty.cdx.json"
    : >"$scratch/nothing.cdx.json"
    expect_refused "the SBOM check refuses an empty file" verify_sbom "$scratch/nothing.cdx.json"

    # git links zlib and PCRE2 on every distribution that ships it.
    expect_refused "the ldd check refuses a binary linking more than glibc" \
        check_ldd "$(command -v git)"

    echo "release check self-test: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# ------------------------------------------------------------------ dispatch

command=${1:-all}
[ $# -gt 0 ] && shift
case "$command" in
    all)
        binary=${1:-$REPO/target/debug/schoolhouse}
        check_actionlint
        check_changelog
        generate_sbom "$REPO/target/sbom/schoolhouse.cdx.json"
        check_ldd "$binary"
        ;;
    selftest) selftest ;;
    actionlint) check_actionlint "$@" ;;
    changelog) check_changelog "$@" ;;
    notes)
        [ $# -eq 1 ] || die "usage: check.sh notes VERSION"
        body=$(entry "$1")
        [ -n "$body" ] || die "CHANGELOG.md has no entry '## [$1]'"
        printf '%s\n' "$body"
        ;;
    sbom)
        [ $# -eq 1 ] || die "usage: check.sh sbom OUT.json"
        generate_sbom "$1"
        ;;
    sbom-verify) verify_sbom "$1" ;;
    ldd) check_ldd "$1" ;;
    *) die "unknown command $command (see the top of $0)" ;;
esac
