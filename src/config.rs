//! Configuration: TOML file, `SCHOOLHOUSE_*` environment overrides and validation.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The documented example configuration, embedded so `config example` works anywhere.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

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
    pub mail: crate::mail::config::MailConfig,
    pub payments: crate::payments::config::PaymentsConfig,
    pub refunds: crate::payments::config::RefundsConfig,
    pub tax: crate::commerce::pricing::TaxSettings,
    pub shipping: ShippingConfig,
    pub orders: OrdersConfig,
    pub media: MediaConfig,
    pub rate_limit: RateLimitConfig,
    pub backups: BackupsConfig,
    pub metrics: MetricsConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Base URL used in links sent to people (mails, setup link); empty means `http://{listen}`.
    pub public_url: String,
    pub body_limit_bytes: usize,
    pub log_format: LogFormat,
    pub log_level: String,
    pub shutdown_grace_seconds: u64,
    /// Proxies (IPs or CIDR blocks) whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<String>,
    /// Origins (`https://shop.example`) allowed to call the API from a browser; empty: CORS off.
    pub cors_origins: Vec<String>,
    /// Built-in HTTPS; absent means plain HTTP (e.g. behind a reverse proxy).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsConfig>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// PEM certificate chain; re-read on SIGHUP.
    pub cert: PathBuf,
    /// PEM private key; re-read on SIGHUP.
    pub key: PathBuf,
    /// Optional plain-HTTP listener that redirects every request to HTTPS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_http_from: Option<SocketAddr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupsConfig {
    /// Hours between scheduled backups inside `serve`; 0 turns them off.
    pub interval_hours: u64,
    /// Number of archives kept in `dir`; older ones are deleted.
    pub keep: usize,
    /// Number of `pre-migrate-*` archives (taken before an upgrade migrates the database)
    /// kept in `dir`, apart from `keep`; older ones are deleted.
    pub keep_pre_migration: usize,
    /// Where archives go; empty means `<data_dir>/backups`.
    pub dir: PathBuf,
    /// Optional second directory every new archive is copied to (USB disk, network share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_to: Option<PathBuf>,
    /// age public keys (`age1...`) every archive is encrypted to; empty: not encrypted to keys.
    pub recipients: Vec<String>,
    /// A file holding a passphrase every archive is encrypted with (instead of `recipients`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase_file: Option<PathBuf>,
    /// An age identity file that opens this server's encrypted archives, to verify them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Serve `GET /metrics` in Prometheus text format.
    pub enabled: bool,
    /// When set, `/metrics` needs `Authorization: Bearer <token>`.
    pub token: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub synchronous: Synchronous,
    pub busy_timeout_ms: u64,
    pub read_pool_size: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    Off,
    Normal,
    Full,
    Extra,
}

impl Synchronous {
    pub fn as_sql(self) -> &'static str {
        match self {
            Synchronous::Off => "OFF",
            Synchronous::Normal => "NORMAL",
            Synchronous::Full => "FULL",
            Synchronous::Extra => "EXTRA",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthConfig {
    /// HMAC key for access tokens; generated into the data dir when empty.
    pub jwt_secret: String,
    /// 64 hex characters (256 bits) for encrypting secrets at rest; generated when empty.
    pub encryption_key: String,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    pub password_min_length: usize,
    pub argon2: Argon2Config,
    /// Lifetime of a password reset link, in minutes.
    pub password_reset_minutes: i64,
    /// When true, an admin without MFA can reach only MFA enrolment, `GET /api/users/me`
    /// and logout.
    pub require_mfa_for_admins: bool,
    /// Sign-in with OpenID Connect providers and Facebook (`[[auth.oidc.providers]]`).
    pub oidc: crate::auth::oidc::config::OidcConfig,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Argon2Config {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoreConfig {
    pub name: String,
    /// ISO 4217 code of the one currency the store sells in.
    pub currency: String,
}

/// Shipping methods offered at checkout when physical goods are in the cart.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShippingConfig {
    pub methods: Vec<crate::commerce::pricing::ShippingMethod>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrdersConfig {
    /// Minutes a pending order holds its stock (and coupon) before it is cancelled.
    pub reservation_minutes: i64,
    /// Days a pending order whose buyer chose manual payment (office, bank transfer) is
    /// held, counted from the start of that payment; staff are mailed one day before.
    pub manual_reservation_days: i64,
    /// Unpaid units of one stock-tracked product one buyer may hold across pending orders.
    pub max_pending_units_per_product: i64,
    /// Pending (unpaid) orders one buyer may have open at once.
    pub max_open_orders: i64,
}

impl Default for ShippingConfig {
    fn default() -> Self {
        ShippingConfig {
            methods: vec![crate::commerce::pricing::ShippingMethod {
                id: "standard".into(),
                name: "Standard".into(),
                rate: crate::commerce::pricing::ShippingRate::Flat { cents: 500 },
                countries: Vec::new(),
            }],
        }
    }
}

impl Default for OrdersConfig {
    fn default() -> Self {
        OrdersConfig {
            reservation_minutes: 30,
            manual_reservation_days: 7,
            max_pending_units_per_product: 5,
            max_open_orders: 3,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MediaConfig {
    /// Largest accepted upload in bytes.
    pub max_upload_bytes: u64,
    /// How long a signed media URL stays valid, in minutes.
    pub signed_url_minutes: i64,
}

impl Default for MediaConfig {
    fn default() -> Self {
        MediaConfig {
            max_upload_bytes: 200 * 1024 * 1024,
            signed_url_minutes: 60,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            server: ServerConfig::default(),
            database: DatabaseConfig::default(),
            auth: AuthConfig::default(),
            store: StoreConfig::default(),
            mail: crate::mail::config::MailConfig::default(),
            payments: Default::default(),
            refunds: Default::default(),
            tax: Default::default(),
            shipping: ShippingConfig::default(),
            orders: OrdersConfig::default(),
            media: MediaConfig::default(),
            rate_limit: RateLimitConfig::default(),
            backups: BackupsConfig::default(),
            metrics: MetricsConfig::default(),
        }
    }
}

impl Default for BackupsConfig {
    fn default() -> Self {
        BackupsConfig {
            interval_hours: 24,
            keep: 7,
            keep_pre_migration: 3,
            dir: PathBuf::new(),
            copy_to: None,
            recipients: Vec::new(),
            passphrase_file: None,
            identity_file: None,
        }
    }
}

impl Default for MetricsConfig {
    fn default() -> Self {
        MetricsConfig {
            enabled: true,
            token: String::new(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: String::new(),
            body_limit_bytes: 1024 * 1024,
            log_format: LogFormat::Human,
            log_level: "info".into(),
            shutdown_grace_seconds: 30,
            trusted_proxies: Vec::new(),
            cors_origins: Vec::new(),
            tls: None,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            synchronous: Synchronous::Full,
            busy_timeout_ms: 5000,
            read_pool_size: 8,
        }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            jwt_secret: String::new(),
            encryption_key: String::new(),
            access_token_minutes: 15,
            refresh_token_days: 30,
            password_min_length: 10,
            argon2: Argon2Config::default(),
            password_reset_minutes: 60,
            require_mfa_for_admins: false,
            oidc: Default::default(),
        }
    }
}

impl Default for Argon2Config {
    fn default() -> Self {
        // One of the argon2id settings OWASP's Password Storage Cheat Sheet lists as equally
        // strong (19 MiB x 2 passes, 12 MiB x 3, 9 MiB x 4, ...): the one that keeps two
        // concurrent logins on a small server within its memory budget at about the same CPU.
        Argon2Config {
            memory_kib: 12_288,
            iterations: 3,
            parallelism: 1,
        }
    }
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            name: "Schoolhouse".into(),
            currency: "USD".into(),
        }
    }
}

/// Sign-in throttling: a flood ceiling per client IP on `/api/auth/*` and `/api/setup`,
/// smaller per-IP budgets for registration and account recovery, and limits on failed
/// sign-ins per source (email + IP), per account and per IP. Successes are never counted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Every request to `/api/auth/*` and `/api/setup` per client IP per minute: only a
    /// ceiling against floods, far above what a school behind one address sends.
    pub auth_per_minute: u32,
    /// Registrations per client IP per hour.
    pub registrations_per_hour: u32,
    /// Password-reset requests, reset confirmations and login-link uses together, per
    /// client IP per hour.
    pub recovery_per_hour: u32,
    /// Reset mails one address gets per hour; more requests answer the same, unsent.
    pub reset_mails_per_address_per_hour: u32,
    /// Failed sign-ins (any email) per client IP per minute before that IP waits.
    pub failed_logins_per_ip_per_minute: u32,
    /// Failed sign-ins of one account (from anywhere) per hour before every failing source
    /// is locked after its first failure.
    pub failed_logins_per_account_per_hour: u32,
    /// Failures in a row of one email from one IP that lock that source (not the account).
    pub lockout_threshold: u32,
    pub lockout_base_seconds: u64,
    pub lockout_max_seconds: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            enabled: true,
            auth_per_minute: 600,
            registrations_per_hour: 100,
            recovery_per_hour: 120,
            reset_mails_per_address_per_hour: 3,
            failed_logins_per_ip_per_minute: 100,
            failed_logins_per_account_per_hour: 20,
            lockout_threshold: 5,
            lockout_base_seconds: 30,
            lockout_max_seconds: 3600,
        }
    }
}

impl RateLimitConfig {
    /// The first out-of-range key, as (key, problem).
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        let counts = [
            ("rate_limit.auth_per_minute", self.auth_per_minute),
            (
                "rate_limit.registrations_per_hour",
                self.registrations_per_hour,
            ),
            ("rate_limit.recovery_per_hour", self.recovery_per_hour),
            (
                "rate_limit.reset_mails_per_address_per_hour",
                self.reset_mails_per_address_per_hour,
            ),
            (
                "rate_limit.failed_logins_per_ip_per_minute",
                self.failed_logins_per_ip_per_minute,
            ),
            (
                "rate_limit.failed_logins_per_account_per_hour",
                self.failed_logins_per_account_per_hour,
            ),
        ];
        if let Some((key, _)) = counts.iter().find(|(_, n)| !(1..=1_000_000).contains(n)) {
            return Err((key, "must be between 1 and 1000000"));
        }
        if !(1..=1000).contains(&self.lockout_threshold) {
            return Err(("rate_limit.lockout_threshold", "must be between 1 and 1000"));
        }
        if self.lockout_base_seconds == 0 || self.lockout_max_seconds < self.lockout_base_seconds {
            return Err((
                "rate_limit.lockout_base_seconds",
                "must be at least 1 and at most rate_limit.lockout_max_seconds",
            ));
        }
        Ok(())
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

    fn validate(&self) -> Result<(), ConfigError> {
        if self.data_dir.as_os_str().is_empty() {
            return Err(key_error("data_dir", "must not be empty"));
        }
        if self.server.body_limit_bytes < 1024 {
            return Err(key_error(
                "server.body_limit_bytes",
                "must be at least 1024",
            ));
        }
        let url = &self.server.public_url;
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return Err(key_error(
                "server.public_url",
                "must start with http:// or https://",
            ));
        }
        if tracing_subscriber::EnvFilter::try_new(&self.server.log_level).is_err() {
            return Err(key_error(
                "server.log_level",
                "must be a level like info, debug or warn",
            ));
        }
        if self.database.read_pool_size == 0 {
            return Err(key_error("database.read_pool_size", "must be at least 1"));
        }
        let auth = &self.auth;
        auth.oidc.validate()?;
        if !auth.jwt_secret.is_empty() && auth.jwt_secret.len() < 32 {
            return Err(key_error(
                "auth.jwt_secret",
                "must be at least 32 characters (or empty to generate one)",
            ));
        }
        if !auth.encryption_key.is_empty()
            && (auth.encryption_key.len() != 64
                || !auth.encryption_key.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(key_error(
                "auth.encryption_key",
                "must be 64 hexadecimal characters (or empty to generate one)",
            ));
        }
        if !(1..=24 * 60).contains(&auth.access_token_minutes) {
            return Err(key_error(
                "auth.access_token_minutes",
                "must be between 1 and 1440",
            ));
        }
        if !(1..=365).contains(&auth.refresh_token_days) {
            return Err(key_error(
                "auth.refresh_token_days",
                "must be between 1 and 365",
            ));
        }
        if !(8..=128).contains(&auth.password_min_length) {
            return Err(key_error(
                "auth.password_min_length",
                "must be between 8 and 128",
            ));
        }
        if auth.argon2.memory_kib < 8 * auth.argon2.parallelism.max(1)
            || auth.argon2.iterations == 0
            || auth.argon2.parallelism == 0
        {
            return Err(key_error(
                "auth.argon2",
                "memory_kib must be at least 8 x parallelism, iterations and parallelism at least 1",
            ));
        }
        if !(5..=24 * 60).contains(&auth.password_reset_minutes) {
            return Err(key_error(
                "auth.password_reset_minutes",
                "must be between 5 and 1440",
            ));
        }
        self.mail.validate()?;
        if let Some(bad) = self.server.cors_origins.iter().find(|o| {
            !(o.starts_with("https://") || o.starts_with("http://"))
                || o.trim_end_matches('/').matches('/').count() != 2
                || axum::http::HeaderValue::from_str(o).is_err()
        }) {
            return Err(key_error(
                "server.cors_origins",
                format!("{bad:?} is not an origin like https://shop.example"),
            ));
        }
        if let Err(message) = crate::auth::client_ip::parse_all(&self.server.trusted_proxies) {
            return Err(key_error("server.trusted_proxies", message));
        }
        self.rate_limit
            .validate()
            .map_err(|(key, message)| key_error(key, message))?;
        let currency = &self.store.currency;
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(key_error(
                "store.currency",
                "must be a three-letter upper-case ISO 4217 code such as USD",
            ));
        }
        self.payments
            .validate(&self.refunds)
            .map_err(|(key, message)| key_error(key, message))?;
        self.validate_commerce()
    }

    fn validate_commerce(&self) -> Result<(), ConfigError> {
        self.tax
            .validate()
            .map_err(|e| key_error(format!("tax.{}", e.field), e.problem))?;
        for (index, method) in self.shipping.methods.iter().enumerate() {
            method.validate().map_err(|e| {
                key_error(format!("shipping.methods[{index}].{}", e.field), e.problem)
            })?;
            if self.shipping.methods[..index]
                .iter()
                .any(|m| m.id == method.id)
            {
                return Err(key_error(
                    format!("shipping.methods[{index}].id"),
                    format!("{:?} is used by two methods", method.id),
                ));
            }
        }
        if !(1..=7 * 24 * 60).contains(&self.orders.reservation_minutes) {
            return Err(key_error(
                "orders.reservation_minutes",
                "must be between 1 and 10080 (a week)",
            ));
        }
        if !(1..=90).contains(&self.orders.manual_reservation_days) {
            return Err(key_error(
                "orders.manual_reservation_days",
                "must be between 1 and 90",
            ));
        }
        if self.orders.manual_reservation_days * 24 * 60 < self.orders.reservation_minutes {
            return Err(key_error(
                "orders.manual_reservation_days",
                "must hold an order at least as long as orders.reservation_minutes",
            ));
        }
        for (key, value) in [
            (
                "orders.max_pending_units_per_product",
                self.orders.max_pending_units_per_product,
            ),
            ("orders.max_open_orders", self.orders.max_open_orders),
        ] {
            if !(1..=10_000).contains(&value) {
                return Err(key_error(key, "must be between 1 and 10000"));
            }
        }
        if self.media.max_upload_bytes < 1024 {
            return Err(key_error("media.max_upload_bytes", "must be at least 1024"));
        }
        if !(1..=7 * 24 * 60).contains(&self.media.signed_url_minutes) {
            return Err(key_error(
                "media.signed_url_minutes",
                "must be between 1 and 10080",
            ));
        }
        if self.backups.keep == 0 {
            return Err(key_error("backups.keep", "must be at least 1"));
        }
        if !(1..=100).contains(&self.backups.keep_pre_migration) {
            return Err(key_error(
                "backups.keep_pre_migration",
                "must be between 1 and 100",
            ));
        }
        if self.backups.interval_hours > 24 * 366 {
            return Err(key_error(
                "backups.interval_hours",
                "must be at most 8784 (a year); 0 turns scheduled backups off",
            ));
        }
        if let Err((key, message)) = crate::ops::crypt::check_config(&self.backups) {
            return Err(key_error(key, message));
        }
        if let Some(tls) = &self.server.tls
            && (tls.cert.as_os_str().is_empty() || tls.key.as_os_str().is_empty())
        {
            return Err(key_error(
                "server.tls",
                "needs both `cert` and `key` (PEM file paths)",
            ));
        }
        Ok(())
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
