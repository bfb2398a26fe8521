#!/usr/bin/env bash
# Stop the SMTP sink started by start.sh and remove its run directory.
#
#   tests/support/smtp/stop.sh PID DIR
#
# Does nothing for a PID that is not our sink. Set SMTP_TEST_KEEP=1 to keep DIR.
set -euo pipefail
pid=${1:-}
dir=${2:-}

is_ours() {
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
        [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *sink.py* ]]
}

if is_ours; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        is_ours || break
        sleep 0.1
    done
    if is_ours; then kill -KILL "$pid" 2>/dev/null || true; fi
fi

if [ "${SMTP_TEST_KEEP:-0}" != 1 ]; then
    case "$dir" in
    */schoolhouse-smtp.*/messages) rm -rf -- "$(dirname "$dir")" ;;
    esac
fi
