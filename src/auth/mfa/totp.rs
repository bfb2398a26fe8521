//! TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, ±1 step skew), recovery codes and the
//! enrolment QR code. Pure functions over bytes and times.

use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;
use totp_rs::{Algorithm, Secret, Totp};

pub const DIGITS: u8 = 6;
pub const STEP_SECONDS: u64 = 30;
pub const RECOVERY_CODES: usize = 10;
/// Recovery code alphabet: no 0/1/o/l/i so codes survive being read aloud or retyped.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A fresh 160-bit secret (the size RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    Secret::generate().as_bytes().to_vec()
}

pub fn to_base32(secret: &[u8]) -> String {
    Secret::from(secret.to_vec()).to_base32()
}

fn totp(secret: &[u8], issuer: &str, account: &str) -> Result<Totp, totp_rs::TotpError> {
    // A colon separates issuer and account in the URI, so neither may contain one.
    totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .with_issuer(Some(issuer.replace(':', " ")))
        .with_account_name(account.replace(':', " "))
        .build()
}

/// The `otpauth://totp/...` URI authenticator apps import.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> Result<String, String> {
    totp(secret, issuer, account)
        .and_then(|t| t.to_url())
        .map_err(|e| e.to_string())
}

/// The URI as an SVG QR code.
pub fn qr_svg(uri: &str) -> Result<String, String> {
    let code = QrCode::new(uri.as_bytes()).map_err(|e| e.to_string())?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// True when `code` looks like a TOTP code (six digits, spaces allowed).
pub fn looks_like_totp(code: &str) -> bool {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() == usize::from(DIGITS) && digits.chars().all(|c| c.is_ascii_digit())
}

/// The step the code matches at `unix_time` (±1 step), if it is later than `last_step`,
/// so a code is accepted once and never after a newer one.
pub fn verify(secret: &[u8], code: &str, unix_time: i64, last_step: Option<i64>) -> Option<i64> {
    if !looks_like_totp(code) {
        return None;
    }
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let time = u64::try_from(unix_time).ok()?;
    let checker = totp_rs::Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(DIGITS)
        .with_skew(1)
        .with_step_duration(STEP_SECONDS)
        .with_secret(secret.to_vec())
        .build()
        .ok()?;
    // Try the newest step first, so a code valid for two steps records the later one.
    let origin = time / STEP_SECONDS;
    let step = [origin + 1, origin, origin.saturating_sub(1)]
        .into_iter()
        .find(|&step| {
            checker
                .check(&code, step * STEP_SECONDS)
                .is_some_and(|s| s == step)
        })?;
    let step = i64::try_from(step).ok()?;
    match last_step {
        Some(last) if step <= last => None,
        _ => Some(step),
    }
}

/// Ten fresh recovery codes, shown once, like `k7m2p-xq9rt`.
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut code = String::with_capacity(11);
            for i in 0..10 {
                if i == 5 {
                    code.push('-');
                }
                let index = rng.random_range(0..RECOVERY_ALPHABET.len());
                code.push(char::from(RECOVERY_ALPHABET[index]));
            }
            code
        })
        .collect()
}

/// Lower-cases and drops separators, so `K7M2P XQ9RT` matches `k7m2p-xq9rt`.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B test secret (SHA-1).
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc_6238_vectors_verify() {
        // 59 s -> 94287082 (8 digits); the 6-digit code is its last six digits.
        assert_eq!(verify(RFC_SECRET, "287082", 59, None), Some(1));
        assert_eq!(
            verify(RFC_SECRET, "081804", 1_111_111_109, None),
            Some(37_037_036)
        );
    }

    #[test]
    fn one_step_of_skew_either_way_is_accepted_but_not_two() {
        let t = 1_111_111_109;
        assert!(verify(RFC_SECRET, "081804", t + 30, None).is_some());
        assert!(verify(RFC_SECRET, "081804", t - 30, None).is_some());
        assert!(verify(RFC_SECRET, "081804", t + 60, None).is_none());
    }

    #[test]
    fn a_used_step_cannot_be_replayed() {
        let step = verify(RFC_SECRET, "081804", 1_111_111_109, None).unwrap();
        assert_eq!(
            verify(RFC_SECRET, "081804", 1_111_111_109, Some(step)),
            None
        );
    }

    #[test]
    fn malformed_codes_are_refused() {
        for bad in ["", "12345", "1234567", "abcdef", "08180x"] {
            assert_eq!(verify(RFC_SECRET, bad, 1_111_111_109, None), None, "{bad}");
        }
    }

    #[test]
    fn enrolment_uri_and_qr_code_are_produced() {
        let secret = new_secret();
        assert_eq!(secret.len(), 20);
        let uri = otpauth_uri(&secret, "My: School", "ada@example.com").unwrap();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert!(uri.contains(&to_base32(&secret)));
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn recovery_codes_are_distinct_and_normalize() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 10);
        assert_eq!(normalize_recovery_code(" K7M2P xq9rt "), "k7m2pxq9rt");
        assert!(!looks_like_totp(&codes[0]));
        assert!(looks_like_totp("123 456"));
    }
}
