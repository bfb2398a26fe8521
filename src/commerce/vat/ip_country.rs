//! The optional local IP-to-country file: CSV lines `first_ip,last_ip,country` (IPv4 or
//! IPv6, inclusive range, ISO 3166-1 code); blank lines and lines starting with `#` are
//! skipped. Read once per path and kept for the life of the process.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Sorted, non-overlapping ranges as IPv6 numbers (IPv4 mapped).
#[derive(Debug, Default)]
pub struct IpCountries {
    ranges: Vec<(u128, u128, String)>,
}

fn as_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(v4.to_ipv6_mapped()),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

impl IpCountries {
    /// Parses the file's text; a bad line is an error naming it.
    pub fn parse(text: &str) -> Result<IpCountries, String> {
        let mut ranges = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || format!("line {}: expected first_ip,last_ip,country", index + 1);
            let parts: Vec<&str> = line.split(',').map(str::trim).collect();
            let [first, last, country] = parts[..] else {
                return Err(bad());
            };
            let first: IpAddr = first.parse().map_err(|_| bad())?;
            let last: IpAddr = last.parse().map_err(|_| bad())?;
            let country = super::super::model::normalize_country(country).ok_or_else(bad)?;
            let (first, last) = (as_number(first), as_number(last));
            if first > last {
                return Err(bad());
            }
            ranges.push((first, last, country));
        }
        ranges.sort();
        Ok(IpCountries { ranges })
    }

    /// The country of `ip`, when a range holds it.
    pub fn country_of(&self, ip: IpAddr) -> Option<&str> {
        let n = as_number(ip);
        let after = self.ranges.partition_point(|(first, _, _)| *first <= n);
        let (_, last, country) = self.ranges.get(after.checked_sub(1)?)?;
        (n <= *last).then_some(country.as_str())
    }
}

/// The table of `path`, read on first use. An unreadable or malformed file is logged and
/// treated as empty (the billing country stays the only piece of evidence).
pub fn table(path: &Path) -> Arc<IpCountries> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<IpCountries>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(path).cloned()) {
        return found;
    }
    let loaded = std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| IpCountries::parse(&text));
    let table = Arc::new(loaded.unwrap_or_else(|e| {
        tracing::warn!(path = %path.display(), error = %e, "IP country file unusable");
        IpCountries::default()
    }));
    if let Ok(mut cache) = cache.lock() {
        cache.insert(path.to_path_buf(), table.clone());
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_found_in_their_range_and_nowhere_else() {
        let table = IpCountries::parse(
            "# test\n10.0.0.0,10.0.0.255,fr\n\n192.168.0.0, 192.168.255.255, DE\n2001:db8::,2001:db8::ffff,AT\n",
        )
        .unwrap();
        let at = |ip: &str| table.country_of(ip.parse().unwrap()).map(str::to_string);
        assert_eq!(at("10.0.0.7").as_deref(), Some("FR"));
        assert_eq!(at("192.168.4.1").as_deref(), Some("DE"));
        assert_eq!(at("2001:db8::12").as_deref(), Some("AT"));
        assert_eq!(at("10.0.1.0"), None);
        assert_eq!(at("9.255.255.255"), None);
    }

    #[test]
    fn a_malformed_line_is_named() {
        assert!(
            IpCountries::parse("10.0.0.0,10.0.0.255")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(IpCountries::parse("10.0.0.9,10.0.0.1,FR").is_err());
        assert!(IpCountries::parse("10.0.0.0,10.0.0.1,XX").is_err());
    }
}
