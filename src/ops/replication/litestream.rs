//! How Litestream is invoked: its configuration (written to a private temporary file, never
//! holding credentials) and its environment (the credentials, without `AWS_CA_BUNDLE`).

use std::io::Write;
use std::net::SocketAddr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::{Config, ReplicationConfig};
use crate::db::DB_FILE;

/// Environment variables the child must not see: Litestream 0.5.17 refuses to start its S3
/// client when `AWS_CA_BUNDLE` is set ("unable to add custom RootCAs HTTPClient").
pub const REMOVED_ENV: &[&str] = &["AWS_CA_BUNDLE"];

/// A ready-to-run Litestream for one database: the binary, the generated config file
/// (deleted on drop) and the environment holding the credentials.
pub struct Litestream {
    bin: PathBuf,
    config_file: PathBuf,
    env: Vec<(String, String)>,
    pub db_path: PathBuf,
}

impl Litestream {
    /// Prepares Litestream for `<data_dir>/schoolhouse.db`, serving its own Prometheus
    /// metrics on `metrics` when given.
    pub fn prepare(config: &Config, metrics: Option<SocketAddr>) -> anyhow::Result<Litestream> {
        Litestream::for_db(config, &config.data_dir.join(DB_FILE), metrics)
    }

    /// Like [`Litestream::prepare`] for the database file at `db_path`.
    pub fn for_db(
        config: &Config,
        db_path: &Path,
        metrics: Option<SocketAddr>,
    ) -> anyhow::Result<Litestream> {
        let replication = &config.replication;
        if replication.bucket.is_empty() {
            anyhow::bail!("replication is not configured: set replication.bucket (docs/deploy.md)");
        }
        // Litestream keys its state by the absolute path of the database.
        let db_path = std::path::absolute(db_path)?;
        let env = credentials(replication, |name| std::env::var(name).ok())?;
        let config_file = private_temp_file(&yaml(replication, &db_path, metrics))?;
        Ok(Litestream {
            bin: replication.litestream_bin.clone(),
            config_file,
            env,
            db_path,
        })
    }

    /// `litestream <subcommand> -config <file> -no-expand-env` (`version` takes neither),
    /// with the credentials set and [`REMOVED_ENV`] removed; the caller adds the rest of
    /// the arguments.
    pub fn command(&self, subcommand: &str) -> std::process::Command {
        let mut command = std::process::Command::new(&self.bin);
        command.arg(subcommand);
        if subcommand != "version" {
            command
                .arg("-config")
                .arg(&self.config_file)
                // Keys or paths holding `$` stay as written.
                .arg("-no-expand-env");
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        for name in REMOVED_ENV {
            command.env_remove(name);
        }
        command
    }

    /// Runs a short subcommand and returns its standard output; fails with its error output.
    pub fn output(&self, subcommand: &str, args: &[&str]) -> anyhow::Result<String> {
        let output = self.command(subcommand).args(args).output().map_err(|e| {
            anyhow::anyhow!(
                "cannot run {} (replication.litestream_bin): {e}",
                self.bin.display()
            )
        })?;
        if !output.status.success() {
            anyhow::bail!(
                "litestream {subcommand} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

impl Drop for Litestream {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.config_file);
    }
}

/// Litestream's configuration as YAML. It is written as JSON (which YAML includes), so no
/// bucket or path can break the quoting.
pub fn yaml(
    replication: &ReplicationConfig,
    db_path: &Path,
    metrics: Option<SocketAddr>,
) -> String {
    let mut replica = serde_json::json!({
        "type": "s3",
        "bucket": replication.bucket,
        "path": replication.path.trim_matches('/'),
        "region": replication.region,
        "force-path-style": replication.force_path_style,
        "sync-interval": format!("{}s", replication.sync_interval_seconds),
    });
    if !replication.endpoint.is_empty() {
        replica["endpoint"] = replication.endpoint.clone().into();
    }
    let mut root = serde_json::json!({
        "snapshot": {
            "interval": format!("{}h", replication.snapshot_interval_hours),
            "retention": format!("{}h", replication.retention_hours),
        },
        "dbs": [{ "path": db_path.display().to_string(), "replica": replica }],
    });
    if let Some(addr) = metrics {
        root["addr"] = addr.to_string().into();
    }
    root.to_string()
}

/// The child's credential variables: each key from config, else from its file, else the
/// variable already in the environment (`lookup`) is passed on as it is.
pub fn credentials(
    replication: &ReplicationConfig,
    lookup: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut env = Vec::new();
    for (variable, value, file, key) in [
        (
            "AWS_ACCESS_KEY_ID",
            &replication.access_key_id,
            &replication.access_key_id_file,
            "replication.access_key_id",
        ),
        (
            "AWS_SECRET_ACCESS_KEY",
            &replication.secret_access_key,
            &replication.secret_access_key_file,
            "replication.secret_access_key",
        ),
    ] {
        let chosen = if !value.is_empty() {
            value.clone()
        } else if let Some(file) = file {
            std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("{key}_file {}: {e}", file.display()))?
                .trim()
                .to_string()
        } else if let Some(inherited) = lookup(variable) {
            inherited
        } else {
            anyhow::bail!("{key} is not set (nor {key}_file, nor {variable} in the environment)");
        };
        env.push((variable.to_string(), chosen));
    }
    Ok(env)
}

/// Writes `text` to a new file only this user can read, in the temporary directory.
fn private_temp_file(text: &str) -> anyhow::Result<PathBuf> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let path = std::env::temp_dir().join(format!(
        "schoolhouse-litestream-{}-{}.yml",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&path);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replication() -> ReplicationConfig {
        ReplicationConfig {
            enabled: true,
            bucket: "school\"s".into(),
            path: "/eu/main/".into(),
            endpoint: "http://127.0.0.1:9000".into(),
            force_path_style: true,
            secret_access_key: "s3cr3t".into(),
            ..ReplicationConfig::default()
        }
    }

    #[test]
    fn the_generated_config_names_the_replica_and_holds_no_credentials() {
        let text = yaml(
            &replication(),
            Path::new("/srv/data/schoolhouse.db"),
            Some("127.0.0.1:9999".parse().unwrap()),
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        let replica = &parsed["dbs"][0]["replica"];
        assert_eq!(parsed["dbs"][0]["path"], "/srv/data/schoolhouse.db");
        assert_eq!(replica["bucket"], "school\"s");
        assert_eq!(replica["path"], "eu/main");
        assert_eq!(replica["sync-interval"], "1s");
        assert_eq!(replica["force-path-style"], true);
        assert_eq!(parsed["snapshot"]["retention"], "72h");
        assert_eq!(parsed["addr"], "127.0.0.1:9999");
        assert!(!text.contains("s3cr3t"));
    }

    #[test]
    fn aws_s3_itself_gets_no_endpoint() {
        let config = ReplicationConfig {
            endpoint: String::new(),
            ..replication()
        };
        let text = yaml(&config, Path::new("/d/schoolhouse.db"), None);
        assert!(!text.contains("endpoint"), "{text}");
        assert!(!text.contains("addr"), "{text}");
    }

    #[test]
    fn a_configured_key_wins_over_the_environment_and_a_missing_one_is_named() {
        let env = credentials(&replication(), |name| {
            (name == "AWS_ACCESS_KEY_ID").then(|| "from-env".to_string())
        })
        .unwrap();
        assert_eq!(
            env,
            vec![
                ("AWS_ACCESS_KEY_ID".to_string(), "from-env".to_string()),
                ("AWS_SECRET_ACCESS_KEY".to_string(), "s3cr3t".to_string()),
            ]
        );
        let err = credentials(&ReplicationConfig::default(), |_| None).unwrap_err();
        assert!(
            err.to_string().contains("replication.access_key_id"),
            "{err}"
        );
    }

    #[test]
    fn the_child_never_sees_aws_ca_bundle() {
        let config = Config {
            replication: ReplicationConfig {
                access_key_id: "id".into(),
                ..replication()
            },
            data_dir: std::env::temp_dir(),
            ..Config::default()
        };
        let litestream = Litestream::prepare(&config, None).unwrap();
        let command = litestream.command("replicate");
        let removed = command
            .get_envs()
            .any(|(name, value)| name == "AWS_CA_BUNDLE" && value.is_none());
        assert!(removed);
        let file = command
            .get_args()
            .nth(2)
            .map(PathBuf::from)
            .expect("the config file argument");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        drop(litestream);
        assert!(!file.exists(), "the config file is removed with it");
    }
}
