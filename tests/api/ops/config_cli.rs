//! The configuration and the simple commands: config errors name the key, `config check` and
//! `config example`, `migrate status`, `version`.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

fn run_cli(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("SCHOOLHOUSE_CONFIG");
    for (k, v) in envs {
        command.env(k, v);
    }
    command.output().unwrap()
}

#[test]
fn config_errors_name_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[server]\nlisten = \"not an address\"\n").unwrap();
    let out = run_cli(
        &["config", "check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("server.listen"));

    std::fs::write(&file, "[database]\nsynchronus = \"full\"\n").unwrap();
    let out = run_cli(
        &["config", "check", "--config", file.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("synchronus"));

    let out = run_cli(
        &["config", "check"],
        &[("SCHOOLHOUSE_STORE__CURRENCY", "euro")],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("store.currency"));
}

#[test]
fn config_check_prints_effective_config_without_secrets() {
    let out = run_cli(
        &["config", "check"],
        &[(
            "SCHOOLHOUSE_AUTH__JWT_SECRET",
            "a-very-long-secret-that-nobody-should-see",
        )],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("listen = \"127.0.0.1:8080\""));
    assert!(!text.contains("nobody-should-see"));
}

#[test]
fn config_example_is_the_documented_file() {
    let out = run_cli(&["config", "example"], &[]);
    assert!(out.status.success());
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
            .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
}

#[test]
fn migrations_apply_once_and_status_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = run_cli(&["migrate", "status", "--data-dir", data], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("pending"));
    let out = run_cli(&["migrate", "--data-dir", data], &[]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied migrations"));
    let out = run_cli(&["migrate", "--data-dir", data], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("up to date"), "{text}");
    let out = run_cli(&["migrate", "status", "--data-dir", data], &[]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("V1") && text.contains("initial"), "{text}");
    assert!(!text.contains("pending"), "{text}");
}

#[test]
fn version_prints_the_crate_version() {
    let out = run_cli(&["version"], &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
}
