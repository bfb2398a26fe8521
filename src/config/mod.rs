//! Configuration: TOML file, `SCHOOLHOUSE_*` environment overrides and validation. Each
//! section's type and rules are in the file named after the domain that owns it; this
//! module composes them, loads and redacts.

pub mod auth;
pub mod commerce;
pub mod database;
pub mod invoices;
pub mod mail;
pub mod media;
pub mod memberships;
pub mod oidc;
pub mod ops;
pub mod payments;
pub mod paypal;
pub mod replication;
pub mod server;
pub mod site;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use auth::{Argon2Config, AuthConfig, RateLimitConfig};
pub use commerce::{OrdersConfig, ShippingConfig, StoreConfig};
pub use database::{DatabaseConfig, Synchronous};
pub use media::MediaConfig;
pub use ops::{BackupsConfig, MetricsConfig};
pub use replication::ReplicationConfig;
pub use server::{LogFormat, ServerConfig, TlsConfig};

/// The documented example configuration, embedded so `config example` works anywhere.
pub const EXAMPLE: &str = include_str!("../../config.example.toml");

const ENV_PREFIX: &str = "SCHOOLHOUSE_";
/// Environment variables that configure the CLI itself rather than a config key.
const ENV_NOT_KEYS: &[&str] = &["SCHOOLHOUSE_CONFIG", "SCHOOLHOUSE_LOG"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub data_dir: PathBuf,
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub store: StoreConfig,
    pub mail: mail::MailConfig,
    pub payments: payments::PaymentsConfig,
    pub refunds: payments::RefundsConfig,
    pub tax: commerce::TaxSettings,
    pub shipping: ShippingConfig,
    pub orders: OrdersConfig,
    pub invoices: invoices::InvoicesConfig,
    pub media: MediaConfig,
    pub rate_limit: RateLimitConfig,
    pub backups: BackupsConfig,
    pub metrics: MetricsConfig,
    pub memberships: memberships::MembershipsConfig,
    pub site: site::SiteConfig,
    pub replication: ReplicationConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            store: StoreConfig::default(),
            mail: mail::MailConfig::default(),
            payments: Default::default(),
            refunds: Default::default(),
            tax: Default::default(),
            shipping: ShippingConfig::default(),
            orders: OrdersConfig::default(),
            invoices: invoices::InvoicesConfig::default(),
            media: MediaConfig::default(),
            rate_limit: RateLimitConfig::default(),
            backups: BackupsConfig::default(),
            metrics: MetricsConfig::default(),
            memberships: Default::default(),
            site: site::SiteConfig::default(),
            replication: ReplicationConfig::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path} is not valid TOML: {message}")]
    Syntax { path: PathBuf, message: String },
    #[error("config key `{key}`: {message}")]
    Key { key: String, message: String },
}

pub(crate) fn key_error(key: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Key {
        key: key.into(),
        message: message.into(),
    }
}

impl Config {
    /// Loads the file (if any), applies `SCHOOLHOUSE_*` overrides from `env`, and validates.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                text.parse::<toml::Table>()
                    .map_err(|e| ConfigError::Syntax {
                        path: path.to_owned(),
                        message: e.to_string(),
                    })?
            }
            None => toml::Table::new(),
        };
        let mut overrides: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX) && !ENV_NOT_KEYS.contains(&k.as_str()))
            .collect();
        overrides.sort();
        for (name, value) in overrides {
            apply_env_override(&mut table, &name, &value)?;
        }
        let config: Config =
            serde_path_to_error::deserialize(toml::Value::Table(table)).map_err(|e| {
                let path = e.path().to_string();
                key_error(
                    if path == "." { String::new() } else { path },
                    e.into_inner().message().to_string(),
                )
            })?;
        config.validate()?;
        Ok(config)
    }

    /// Each section's own rules, in the order its keys are reported.
    fn validate(&self) -> Result<(), ConfigError> {
        if self.data_dir.as_os_str().is_empty() {
            return Err(key_error("data_dir", "must not be empty"));
        }
        server::validate_basics(&self.server)?;
        database::validate(&self.database)?;
        auth::validate(&self.auth)?;
        self.mail.validate()?;
        server::validate_access(&self.server)?;
        self.rate_limit
            .validate()
            .map_err(|(key, message)| key_error(key, message))?;
        commerce::validate_store(&self.store)?;
        self.payments
            .validate(&self.refunds)
            .map_err(|(key, message)| key_error(key, message))?;
        commerce::validate(&self.tax, &self.shipping, &self.orders)?;
        invoices::validate(&self.invoices)?;
        media::validate(&self.media)?;
        ops::validate(&self.backups)?;
        memberships::validate(&self.memberships)?;
        site::validate(&self.site)?;
        replication::validate(&self.replication)?;
        server::validate_tls(&self.server)
    }

    /// Where backup archives are written.
    pub fn backups_dir(&self) -> PathBuf {
        if self.backups.dir.as_os_str().is_empty() {
            self.data_dir.join("backups")
        } else {
            self.backups.dir.clone()
        }
    }

    /// The base URL for links shown to people.
    pub fn public_url(&self) -> String {
        if self.server.public_url.is_empty() && self.server.tls.is_some() {
            format!("https://{}", self.server.listen)
        } else if self.server.public_url.is_empty() {
            format!("http://{}", self.server.listen)
        } else {
            self.server.public_url.trim_end_matches('/').to_string()
        }
    }

    /// The effective configuration with every secret that is set replaced by `<redacted>`.
    pub fn redacted(&self) -> toml::Table {
        let mut table = toml::Table::try_from(self).unwrap_or_default();
        redact_table(&mut table);
        table
    }

    /// The effective configuration as TOML with secrets replaced.
    pub fn redacted_toml(&self) -> String {
        toml::to_string_pretty(&self.redacted()).unwrap_or_else(|e| format!("# cannot render: {e}"))
    }
}

/// Is a config key with this last part a secret? Decided by name, so a secret added later
/// is hidden without being listed: `*secret`, `*password`, `token`, and `*_key` except the
/// publishable Stripe key (`*_file` keys hold paths, not secrets).
pub fn is_secret_key(name: &str) -> bool {
    name.ends_with("secret")
        || name.ends_with("password")
        || name == "token"
        || (name.ends_with("_key") && name != "publishable_key")
}

fn redact_table(table: &mut toml::Table) {
    for (name, value) in table.iter_mut() {
        match value {
            toml::Value::Table(inner) => redact_table(inner),
            toml::Value::Array(items) => {
                for item in items {
                    if let toml::Value::Table(inner) = item {
                        redact_table(inner);
                    }
                }
            }
            toml::Value::String(text) if is_secret_key(name) && !text.is_empty() => {
                *text = "<redacted>".into();
            }
            _ => {}
        }
    }
}

/// `SCHOOLHOUSE_SERVER__LISTEN=..` sets `server.listen`: sections are separated by a double
/// underscore, and the value is read as TOML when it parses as such, else as a string.
fn apply_env_override(table: &mut toml::Table, name: &str, raw: &str) -> Result<(), ConfigError> {
    let path: Vec<String> = name[ENV_PREFIX.len()..]
        .split("__")
        .map(str::to_ascii_lowercase)
        .collect();
    if path.iter().any(String::is_empty) {
        return Err(key_error(name, "is not a valid override name"));
    }
    let value = format!("v = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.to_string()));
    let (last, sections) = path.split_last().unwrap_or_else(|| unreachable!());
    let mut current = table;
    for (depth, section) in sections.iter().enumerate() {
        let entry = current
            .entry(section.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = entry.as_table_mut().ok_or_else(|| {
            key_error(
                path[..=depth].join("."),
                format!("{name} treats it as a section"),
            )
        })?;
    }
    current.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn no_file_and_no_env_gives_working_defaults() {
        let config = Config::load(None, env(&[])).unwrap();
        assert_eq!(config.server.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.database.synchronous, Synchronous::Full);
    }

    #[test]
    fn env_overrides_nested_keys_with_typed_values() {
        let config = Config::load(
            None,
            env(&[
                ("SCHOOLHOUSE_SERVER__LISTEN", "0.0.0.0:9000"),
                ("SCHOOLHOUSE_DATABASE__READ_POOL_SIZE", "3"),
                ("SCHOOLHOUSE_DATA_DIR", "/tmp/x"),
                ("SCHOOLHOUSE_CONFIG", "ignored.toml"),
                ("OTHER", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(config.server.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(config.database.read_pool_size, 3);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn unknown_env_key_is_refused_naming_it() {
        let err = Config::load(None, env(&[("SCHOOLHOUSE_SERVER__LISTN", "x")])).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("listn"), "{text}");
    }

    #[test]
    fn bad_value_names_the_key() {
        let err = Config::load(None, env(&[("SCHOOLHOUSE_SERVER__LISTEN", "nowhere")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("server.listen"), "{err}");
        let err = Config::load(None, env(&[("SCHOOLHOUSE_STORE__CURRENCY", "dollars")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("store.currency"), "{err}");
    }

    #[test]
    fn example_file_parses_to_the_defaults() {
        let from_example: Config = toml::from_str(EXAMPLE).unwrap();
        let defaults = Config::default();
        assert_eq!(
            toml::to_string(&from_example).unwrap(),
            toml::to_string(&defaults).unwrap()
        );
    }

    #[test]
    fn redaction_hides_secrets() {
        let mut config = Config::default();
        config.auth.jwt_secret = "a".repeat(40);
        config.mail.smtp.password = "smtp-secret-123".into();
        config.payments.stripe.secret_key = "sk_test_hidden".into();
        config.payments.stripe.webhook_secret = "whsec_hidden".into();
        config.metrics.token = "metrics-hidden".into();
        let shown = config.redacted_toml();
        for secret in [
            "a".repeat(40).as_str(),
            "smtp-secret-123",
            "sk_test_hidden",
            "whsec_hidden",
            "metrics-hidden",
        ] {
            assert!(!shown.contains(secret), "{secret} is shown");
        }
        assert!(shown.contains("<redacted>"));
        assert!(shown.contains("listen = \"127.0.0.1:8080\""));
    }

    #[test]
    fn secrets_are_known_by_name_and_public_keys_are_not() {
        for secret in [
            "jwt_secret",
            "encryption_key",
            "password",
            "token",
            "secret_key",
            "webhook_secret",
            "client_secret",
        ] {
            assert!(is_secret_key(secret), "{secret}");
        }
        for public in [
            "publishable_key",
            "listen",
            "secret_key_file",
            "token_ttl_minutes",
            "keep",
        ] {
            assert!(!is_secret_key(public), "{public}");
        }
    }
}
