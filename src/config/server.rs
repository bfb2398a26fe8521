//! `[server]`: where and how the server listens, logs and answers browsers; owned by the
//! HTTP layer and `app`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{ConfigError, key_error};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Human,
    Json,
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

pub(crate) fn validate_basics(server: &ServerConfig) -> Result<(), ConfigError> {
    if server.body_limit_bytes < 1024 {
        return Err(key_error(
            "server.body_limit_bytes",
            "must be at least 1024",
        ));
    }
    let url = &server.public_url;
    if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
        return Err(key_error(
            "server.public_url",
            "must start with http:// or https://",
        ));
    }
    if tracing_subscriber::EnvFilter::try_new(&server.log_level).is_err() {
        return Err(key_error(
            "server.log_level",
            "must be a level like info, debug or warn",
        ));
    }
    Ok(())
}

pub(crate) fn validate_access(server: &ServerConfig) -> Result<(), ConfigError> {
    if let Some(bad) = server.cors_origins.iter().find(|o| {
        !(o.starts_with("https://") || o.starts_with("http://"))
            || o.trim_end_matches('/').matches('/').count() != 2
            || axum::http::HeaderValue::from_str(o).is_err()
    }) {
        return Err(key_error(
            "server.cors_origins",
            format!("{bad:?} is not an origin like https://shop.example"),
        ));
    }
    if let Err(message) = parse_all(&server.trusted_proxies) {
        return Err(key_error("server.trusted_proxies", message));
    }
    Ok(())
}

pub(crate) fn validate_tls(server: &ServerConfig) -> Result<(), ConfigError> {
    if let Some(tls) = &server.tls
        && (tls.cert.as_os_str().is_empty() || tls.key.as_os_str().is_empty())
    {
        return Err(key_error(
            "server.tls",
            "needs both `cert` and `key` (PEM file paths)",
        ));
    }
    Ok(())
}

/// One entry of `server.trusted_proxies`: an address or a CIDR block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `10.0.0.1`, `10.0.0.0/8`, `::1` or `fd00::/8`.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = addr
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or CIDR block"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("`{text}` has an invalid prefix length"))?,
        };
        Ok(Cidr { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

/// Treats IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as the IPv4 address.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

/// Parses every entry; the first invalid one is the error.
pub fn parse_all(entries: &[String]) -> Result<Vec<Cidr>, String> {
    entries.iter().map(|e| Cidr::parse(e)).collect()
}
