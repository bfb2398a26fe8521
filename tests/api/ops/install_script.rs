//! Tests for `install.sh`: staged installs, idempotent re-runs, uninstall and refusals.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_schoolhouse");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Runs `bash install.sh ARGS` from `dir` and returns what it printed.
fn run_script_in(dir: &Path, args: &[&str]) -> Output {
    Command::new("bash")
        .arg("install.sh")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("bash runs install.sh")
}

/// Runs the repository's `install.sh` with ARGS.
fn run_script(args: &[&str]) -> Output {
    run_script_in(Path::new(REPO), args)
}

fn describe(output: &Output) -> String {
    format!(
        "status: {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "install.sh failed\n{}",
        describe(output)
    );
}

/// Stages an install of the test binary under `root`.
fn stage_install(root: &Path) -> Output {
    let root = root.to_str().expect("utf-8 temp path");
    let output = run_script(&["--binary", BINARY, "--root", root]);
    assert_success(&output);
    output
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{} should exist: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

struct Staged {
    binary: PathBuf,
    config: PathBuf,
    unit: PathBuf,
    socket: PathBuf,
    data_dir: PathBuf,
}

fn staged_paths(root: &Path) -> Staged {
    Staged {
        binary: root.join("usr/local/bin/schoolhouse"),
        config: root.join("etc/schoolhouse/config.toml"),
        unit: root.join("etc/systemd/system/schoolhouse.service"),
        socket: root.join("etc/systemd/system/schoolhouse.socket"),
        data_dir: root.join("var/lib/schoolhouse"),
    }
}

fn top_level_data_dir(config: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(config).expect("installed config is valid TOML");
    table
        .get("data_dir")
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// Copies `install.sh` alone into a fresh directory, so a test controls what
/// sits next to it (for example `config.example.toml`).
fn script_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(
        Path::new(REPO).join("install.sh"),
        dir.path().join("install.sh"),
    )
    .expect("copy install.sh");
    dir
}

#[test]
fn install_into_staging_root_creates_expected_files() {
    let root = tempfile::tempdir().expect("temp dir");
    let output = stage_install(root.path());
    let staged = staged_paths(root.path());

    assert_eq!(mode(&staged.binary), 0o755);
    assert_eq!(
        fs::metadata(&staged.binary).expect("binary").len(),
        fs::metadata(BINARY).expect("source binary").len(),
        "the installed binary is the one passed with --binary"
    );

    assert_eq!(mode(&staged.config), 0o640);
    let config = fs::read_to_string(&staged.config).expect("config");
    assert!(config.contains("data_dir = \"/var/lib/schoolhouse\""));
    assert!(!config.contains("data_dir = \"./data\""));
    assert_eq!(
        top_level_data_dir(&config).as_deref(),
        Some("/var/lib/schoolhouse")
    );

    assert!(staged.data_dir.is_dir());
    assert_eq!(mode(&staged.data_dir), 0o750);

    assert_eq!(mode(&staged.unit), 0o644);
    let unit = fs::read_to_string(&staged.unit).expect("unit");
    for line in [
        "User=schoolhouse",
        "Group=schoolhouse",
        "ExecStart=/usr/local/bin/schoolhouse serve --config /etc/schoolhouse/config.toml",
        "WorkingDirectory=/var/lib/schoolhouse",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ReadWritePaths=/var/lib/schoolhouse",
        "CapabilityBoundingSet=",
        "KillSignal=SIGTERM",
        "TimeoutStopSec=30",
        "LimitNICE=-5",
        "Requires=schoolhouse.socket",
        "After=network-online.target schoolhouse.socket",
        "WantedBy=multi-user.target",
    ] {
        assert!(
            unit.lines().any(|l| l == line),
            "unit file lacks `{line}`:\n{unit}"
        );
    }

    assert_eq!(mode(&staged.socket), 0o644);
    let socket = fs::read_to_string(&staged.socket).expect("socket unit");
    for line in [
        "ListenStream=127.0.0.1:8080",
        "Backlog=4096",
        "WantedBy=sockets.target",
    ] {
        assert!(
            socket.lines().any(|l| l == line),
            "socket unit lacks `{line}`:\n{socket}"
        );
    }

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("skipped creating the 'schoolhouse' system user"),
        "a staged install says it did not create the user\n{}",
        describe(&output)
    );
}

#[test]
fn installing_twice_succeeds_and_keeps_an_edited_config() {
    let root = tempfile::tempdir().expect("temp dir");
    stage_install(root.path());
    let staged = staged_paths(root.path());
    let unit_before = fs::read_to_string(&staged.unit).expect("unit");
    let socket_before = fs::read_to_string(&staged.socket).expect("socket unit");

    let edited = "data_dir = \"/srv/school\"\n\n[server]\nlisten = \"0.0.0.0:8443\"\n";
    fs::write(&staged.config, edited).expect("edit config");

    let output = stage_install(root.path());

    assert_eq!(
        fs::read_to_string(&staged.config).expect("config"),
        edited,
        "a second run must not touch an existing config"
    );
    assert_eq!(mode(&staged.config), 0o640);
    assert_eq!(fs::read_to_string(&staged.unit).expect("unit"), unit_before);
    let socket_after = fs::read_to_string(&staged.socket).expect("socket unit");
    assert_eq!(
        socket_after,
        socket_before.replace("ListenStream=127.0.0.1:8080", "ListenStream=0.0.0.0:8443"),
        "the socket follows the edited config's server.listen, nothing else changes"
    );
    assert_eq!(mode(&staged.binary), 0o755);
    assert_eq!(mode(&staged.data_dir), 0o750);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("kept existing"),
        "the second run says the config was kept\n{}",
        describe(&output)
    );
}

#[test]
fn uninstall_removes_binary_and_unit_but_keeps_data_and_config() {
    let root = tempfile::tempdir().expect("temp dir");
    stage_install(root.path());
    let staged = staged_paths(root.path());
    fs::write(staged.data_dir.join("schoolhouse.db"), b"precious").expect("data file");

    let root_arg = root.path().to_str().expect("utf-8 temp path");
    let output = run_script(&["--root", root_arg, "--uninstall"]);
    assert_success(&output);

    assert!(!staged.binary.exists(), "binary removed");
    assert!(!staged.unit.exists(), "unit file removed");
    assert!(!staged.socket.exists(), "socket unit removed");
    assert!(staged.config.is_file(), "config kept");
    assert_eq!(
        fs::read(staged.data_dir.join("schoolhouse.db")).expect("data kept"),
        b"precious"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Kept") && stdout.contains("/var/lib/schoolhouse"),
        "uninstall says what it kept\n{}",
        describe(&output)
    );

    let again = run_script(&["--root", root_arg, "--uninstall"]);
    assert_success(&again);
}

#[test]
fn example_config_is_copied_with_only_data_dir_replaced() {
    let dir = script_copy();
    let example = "# comment\n# data_dir = \"./data\" is the default\ndata_dir = \"./data\"\n\n[server]\nlisten = \"127.0.0.1:8080\"\n";
    fs::write(dir.path().join("config.example.toml"), example).expect("example");
    let root = tempfile::tempdir().expect("temp dir");
    let root_arg = root.path().to_str().expect("utf-8 temp path");

    let output = run_script_in(dir.path(), &["--binary", BINARY, "--root", root_arg]);
    assert_success(&output);

    let config = fs::read_to_string(staged_paths(root.path()).config).expect("config");
    assert_eq!(
        config,
        "# comment\n# data_dir = \"./data\" is the default\ndata_dir = \"/var/lib/schoolhouse\"\n\n[server]\nlisten = \"127.0.0.1:8080\"\n"
    );
}

#[test]
fn missing_example_config_produces_a_minimal_config() {
    let dir = script_copy();
    let root = tempfile::tempdir().expect("temp dir");
    let root_arg = root.path().to_str().expect("utf-8 temp path");

    let output = run_script_in(dir.path(), &["--binary", BINARY, "--root", root_arg]);
    assert_success(&output);

    let staged = staged_paths(root.path());
    let config = fs::read_to_string(&staged.config).expect("config");
    let table: toml::Table = toml::from_str(&config).expect("valid TOML");
    assert_eq!(table.len(), 1, "only data_dir is set:\n{config}");
    assert_eq!(
        top_level_data_dir(&config).as_deref(),
        Some("/var/lib/schoolhouse")
    );
    assert_eq!(mode(&staged.config), 0o640);
}

#[test]
fn help_explains_every_option() {
    let output = run_script(&["--help"]);
    assert_success(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    for option in ["--binary", "--root", "--uninstall", "--help"] {
        assert!(stdout.contains(option), "--help mentions {option}");
    }
}

#[test]
fn unknown_option_is_rejected() {
    let output = run_script(&["--frobnicate"]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--frobnicate"));
}

#[test]
fn real_install_or_uninstall_without_root_is_refused() {
    let uid = Command::new("id").arg("-u").output().expect("id -u");
    let running_as_root = String::from_utf8_lossy(&uid.stdout).trim() == "0";

    for args in [vec!["--binary", BINARY], vec!["--uninstall"]] {
        let mut command = if running_as_root {
            // Never let this test touch the real system: drop to nobody.
            let has_setpriv = Command::new("setpriv")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success());
            // A missing tool fails the test rather than skipping it.
            assert!(
                has_setpriv,
                "running as root, this test drops to nobody with setpriv (util-linux): install it"
            );
            let mut c = Command::new("setpriv");
            c.args([
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "bash",
                "install.sh",
            ]);
            c
        } else {
            let mut c = Command::new("bash");
            c.arg("install.sh");
            c
        };
        let output = command
            .args(&args)
            .current_dir(REPO)
            .output()
            .expect("run install.sh");

        assert!(!output.status.success(), "{}", describe(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("needs root"),
            "the refusal says why\n{}",
            describe(&output)
        );
    }
}

#[test]
fn running_again_with_nothing_changed_rewrites_no_unit() {
    let root = tempfile::tempdir().expect("temp dir");
    stage_install(root.path());
    let output = stage_install(root.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    for unit in [
        "schoolhouse.socket is up to date",
        "schoolhouse.service is up to date",
    ] {
        assert!(stdout.contains(unit), "{unit}\n{}", describe(&output));
    }
}

#[test]
fn socket_listens_where_the_config_says_even_with_environment_overrides_around() {
    let root = tempfile::tempdir().expect("temp dir");
    stage_install(root.path());
    let staged = staged_paths(root.path());
    fs::write(
        &staged.config,
        "data_dir = \"/var/lib/schoolhouse\"\n[server]\nlisten = \"[::]:443\"\n[server.tls]\ncert = \"/etc/c.pem\"\nkey = \"/etc/k.pem\"\n",
    )
    .expect("edit config");
    let root_arg = root.path().to_str().expect("utf-8 temp path");
    // The service does not see the installing shell's variables, so neither may the socket.
    let output = Command::new("bash")
        .args(["install.sh", "--binary", BINARY, "--root", root_arg])
        .env("SCHOOLHOUSE_SERVER__LISTEN", "127.0.0.1:9999")
        .current_dir(REPO)
        .output()
        .expect("run install.sh");
    assert_success(&output);
    let socket = fs::read_to_string(&staged.socket).expect("socket unit");
    assert!(
        socket.lines().any(|l| l == "ListenStream=[::]:443"),
        "{socket}"
    );
}

#[test]
fn an_unreadable_config_falls_back_to_the_default_address_and_says_so() {
    let root = tempfile::tempdir().expect("temp dir");
    stage_install(root.path());
    let staged = staged_paths(root.path());
    fs::write(&staged.config, "this is = not [valid toml\n").expect("break config");
    let root_arg = root.path().to_str().expect("utf-8 temp path");
    let output = run_script(&["--binary", BINARY, "--root", root_arg]);
    assert_success(&output);
    let socket = fs::read_to_string(&staged.socket).expect("socket unit");
    assert!(socket.lines().any(|l| l == "ListenStream=127.0.0.1:8080"));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("could not read server.listen"),
        "{}",
        describe(&output)
    );
}
