//! The short-lived browser state of a provider sign-in: `state`, `nonce`, the PKCE
//! verifier and where to land, sealed (AES-256-GCM) into one HttpOnly, SameSite=Lax cookie,
//! so only the browser that started a sign-in can finish it; and the pending-link cookie.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::auth::crypto;

pub const FLOW_COOKIE: &str = "sh_oidc";
pub const LINK_COOKIE: &str = "sh_oidc_link";
/// A sign-in must come back from the provider within this many seconds.
pub const FLOW_SECONDS: i64 = 600;
/// A pending link must be confirmed with the password within this many seconds.
pub const LINK_SECONDS: i64 = 900;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flow {
    pub provider: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    pub redirect_uri: String,
    pub next: String,
    pub issued_at: i64,
}

/// A provider identity waiting for its owner to prove the account's password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingLink {
    pub provider: String,
    pub subject: String,
    pub email: String,
    pub issued_at: i64,
}

pub fn random() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Seals a value for a cookie; `purpose` keeps a flow from being read as a link.
pub fn seal<T: Serialize>(key: &[u8; 32], value: &T, purpose: &str) -> Option<String> {
    let json = serde_json::to_vec(value).ok()?;
    let sealed = crypto::encrypt(key, &json, purpose).ok()?;
    // Cookie values may not hold `=` or `+`: re-encode the versioned base64 text.
    Some(URL_SAFE_NO_PAD.encode(sealed))
}

pub fn open<T: for<'a> Deserialize<'a>>(key: &[u8; 32], cookie: &str, purpose: &str) -> Option<T> {
    let sealed = String::from_utf8(URL_SAFE_NO_PAD.decode(cookie).ok()?).ok()?;
    let json = crypto::decrypt(key, &sealed, purpose).ok()?;
    serde_json::from_slice(&json).ok()
}

/// Equal without telling by its timing how much of `a` matched.
pub fn same(a: &str, b: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (x, y) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    x.iter()
        .zip(y.iter())
        .fold(0u8, |acc, (p, q)| acc | (p ^ q))
        == 0
}

pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
    secure: bool,
    lax: bool,
) -> String {
    let same_site = if lax { "Lax" } else { "Strict" };
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Path={path}; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_flow_opens_only_with_its_key_and_purpose() {
        let key = [7u8; 32];
        let flow = PendingLink {
            provider: "p".into(),
            subject: "s".into(),
            email: "e@x.test".into(),
            issued_at: 1,
        };
        let sealed = seal(&key, &flow, "link").unwrap();
        assert!(open::<PendingLink>(&key, &sealed, "link").is_some());
        assert!(open::<PendingLink>(&key, &sealed, "flow").is_none());
        assert!(open::<PendingLink>(&[8u8; 32], &sealed, "link").is_none());
        assert!(!sealed.contains('=') && !sealed.contains('+'));
    }

    #[test]
    fn same_compares_whole_strings() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", ""));
    }
}
