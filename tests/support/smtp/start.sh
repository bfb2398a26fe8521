#!/usr/bin/env bash
# Start a real SMTP server (aiosmtpd) on 127.0.0.1 for the test suite, in the background.
#
#   tests/support/smtp/start.sh
#
# Prints KEY=VALUE lines for the caller to export:
#   SMTP_TEST_PORT=PORT   where it listens (plain SMTP, no TLS, no auth)
#   SMTP_TEST_DIR=DIR     where each received message lands as NAME.eml + NAME.json
#   SMTP_TEST_PID=PID     the server process, for stop.sh
# Environment: SCHOOLHOUSE_TEST_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/schoolhouse-test),
#   PYTHON (default python3), SMTP_TEST_START_TIMEOUT (seconds, default 30).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE_DIR=${SCHOOLHOUSE_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/schoolhouse-test}
VENV=$CACHE_DIR/venv-smtp
PYTHON=${PYTHON:-python3}
TIMEOUT=${SMTP_TEST_START_TIMEOUT:-30}
REQUIREMENTS=$HERE/requirements.txt

die() { echo "smtp sink: $*" >&2; exit 1; }

mkdir -p "$CACHE_DIR"
want_stamp="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1) $("$PYTHON" -c 'import sys; print(sys.version.split()[0], sys.executable)' 2>/dev/null)" ||
    die "cannot run $PYTHON"

venv_ok() {
    [ -f "$VENV/.schoolhouse-stamp" ] &&
        [ "$(cat "$VENV/.schoolhouse-stamp")" = "$want_stamp" ] &&
        "$VENV/bin/python" -c 'import aiosmtpd' >/dev/null 2>&1
}

if ! venv_ok; then
    exec 9>"$CACHE_DIR/.venv-smtp.lock"
    flock 9 2>/dev/null || true # serialise concurrent installs
    if ! venv_ok; then
        install_log=$CACHE_DIR/venv-smtp-install.log
        rm -rf "$VENV"
        {
            if "$PYTHON" -m venv "$VENV"; then
                "$VENV/bin/python" -m pip install --disable-pip-version-check \
                    --no-input -q -r "$REQUIREMENTS"
            else
                # No ensurepip (e.g. Debian without python3-venv): use the
                # interpreter's own pip to install into a pip-less venv.
                rm -rf "$VENV"
                "$PYTHON" -m venv --without-pip "$VENV" &&
                    "$PYTHON" -m pip --python "$VENV/bin/python" install \
                        --disable-pip-version-check --no-input -q -r "$REQUIREMENTS"
            fi
        } >"$install_log" 2>&1 || {
            cat "$install_log" >&2
            die "installing aiosmtpd into $VENV failed (log: $install_log)"
        }
        printf '%s\n' "$want_stamp" >"$VENV/.schoolhouse-stamp"
        venv_ok || die "venv at $VENV is unusable after install"
    fi
    exec 9>&-
fi

RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/schoolhouse-smtp.XXXXXX")
"$VENV/bin/python" "$HERE/sink.py" --dir "$RUN_DIR/messages" --port-file "$RUN_DIR/port" \
    </dev/null >"$RUN_DIR/sink.log" 2>&1 &
pid=$!

deadline=$((SECONDS + TIMEOUT))
until [ -s "$RUN_DIR/port" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$RUN_DIR/sink.log" >&2
        die "exited during startup"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        kill "$pid" 2>/dev/null || true
        die "did not start within ${TIMEOUT}s"
    fi
    sleep 0.1
done

echo "SMTP_TEST_PORT=$(tr -d '[:space:]' <"$RUN_DIR/port")"
echo "SMTP_TEST_DIR=$RUN_DIR/messages"
echo "SMTP_TEST_PID=$pid"
