#!/usr/bin/env bash
# Functions the test peers' start.sh scripts share (sourced, not run): reading their env
# files and installing their pinned Python environments once into the test cache.

# Read KEY from an env file written by a start.sh (no sourcing).
env_get() { # FILE KEY
    local k v
    while IFS='=' read -r k v; do
        if [ "$k" = "$2" ]; then printf '%s\n' "$v"; return 0; fi
    done <"$1"
    return 1
}

# Is PID a running process whose command line contains PART?
pid_runs() { # PID PART
    local cmd
    [ -n "${1:-}" ] && [ -r "/proc/$1/cmdline" ] || return 1
    cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
    [[ $cmd == *"$2"* ]]
}

# Make VENV hold exactly REQUIREMENTS (re-installed when the file or the interpreter changes),
# serialised between concurrent starts; CHECK is a shell command that succeeds when the venv
# is usable. Dies (through the caller's `die`) when the install fails.
ensure_venv() { # VENV REQUIREMENTS CHECK
    local venv=$1 requirements=$2 check=$3 python=${PYTHON:-python3} want_stamp install_log
    mkdir -p "$(dirname "$venv")"
    want_stamp="$(sha256sum "$requirements" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0], sys.executable)' 2>/dev/null)" ||
        die "cannot run $python"
    _venv_ok() {
        [ -f "$venv/.schoolhouse-stamp" ] && [ "$(cat "$venv/.schoolhouse-stamp")" = "$want_stamp" ] &&
            eval "$check" >/dev/null 2>&1
    }
    _venv_ok && return 0
    exec 9>"$venv.lock"
    flock 9 2>/dev/null || true
    if ! _venv_ok; then
        install_log=$venv-install.log
        rm -rf "$venv"
        {
            if "$python" -m venv "$venv"; then
                "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$requirements"
            else
                # No ensurepip (e.g. Debian without python3-venv): the interpreter's own pip
                # installs into a pip-less venv.
                rm -rf "$venv"
                "$python" -m venv --without-pip "$venv" &&
                    "$python" -m pip --python "$venv/bin/python" install \
                        --disable-pip-version-check --no-input -q -r "$requirements"
            fi
        } >"$install_log" 2>&1 || {
            cat "$install_log" >&2
            die "installing $requirements into $venv failed (log: $install_log)"
        }
        printf '%s\n' "$want_stamp" >"$venv/.schoolhouse-stamp"
        _venv_ok || die "venv at $venv is unusable after install"
    fi
    exec 9>&-
}

# Write KEY=VALUE lines (stdin) to FILE atomically.
write_env_file() { # FILE
    mkdir -p "$(dirname "$1")"
    cat >"$1.tmp.$$"
    mv -f "$1.tmp.$$" "$1"
}
