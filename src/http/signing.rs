//! Short-lived signed URLs: HMAC-SHA256 over a resource's name and an expiry time, with a
//! key per purpose derived from the server's JWT secret. A plain `<video src>` or a download
//! link works with them, no bearer token needed.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use serde::Deserialize;

use crate::http::AppError;

/// What issuing a signed URL needs from the running server. `AppState` implements it (in
/// `crate::state`), so this kernel module names no state type.
pub trait SigningContext {
    /// The server's JWT secret, from which each purpose's key is derived.
    fn signing_secret(&self) -> &[u8];
    fn signing_now(&self) -> time::OffsetDateTime;
    /// `media.signed_url_minutes`.
    fn media_link_minutes(&self) -> i64;
}

type HmacSha256 = Hmac<Sha256>;

/// What a signed URL opens; each purpose signs with its own key, so a link to one kind of
/// resource never opens another that happens to share its name.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    Media,
    Backup,
}

/// The signing key of `purpose`: sha256(jwt_secret || purpose).
pub fn key(jwt_secret: &[u8], purpose: Purpose) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(jwt_secret);
    hasher.update(match purpose {
        Purpose::Media => b"media".as_slice(),
        Purpose::Backup => b"backup".as_slice(),
    });
    hasher.finalize().into()
}

/// The `expires` and `sig` query parameters of a signed URL.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Signature {
    /// Unix time the signature stops working.
    pub expires: Option<i64>,
    pub sig: Option<String>,
}

/// Why a signed URL was refused, as the 403 the caller sees.
pub fn refusal(error: SignatureError) -> AppError {
    AppError::Forbidden(match error {
        SignatureError::Expired => "this link has expired; ask for a new one".into(),
        SignatureError::Invalid => "this link's signature is invalid".into(),
    })
}

fn mac(key: &[u8; 32], name: &str, expires: i64) -> HmacSha256 {
    // A 32-byte key is always accepted by HMAC.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(name.as_bytes());
    mac.update(b"\n");
    mac.update(expires.to_string().as_bytes());
    mac
}

pub fn sign(key: &[u8; 32], name: &str, expires: i64) -> String {
    hex::encode(mac(key, name, expires).finalize().into_bytes())
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignatureError {
    Invalid,
    Expired,
}

/// Checks a signature in constant time, then the expiry.
pub fn verify(
    key: &[u8; 32],
    name: &str,
    expires: i64,
    sig: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let bytes = hex::decode(sig).map_err(|_| SignatureError::Invalid)?;
    mac(key, name, expires)
        .verify_slice(&bytes)
        .map_err(|_| SignatureError::Invalid)?;
    if expires < now {
        return Err(SignatureError::Expired);
    }
    Ok(())
}

/// The path of a signed URL valid for `media.signed_url_minutes` from now, e.g.
/// `/media/<id>?expires=..&sig=..`. Prefix `config.public_url()` for links in mails. Issue
/// it only to people allowed to see the file (lesson viewers, buyers of a download).
pub fn signed_media_url(state: &impl SigningContext, media_id: &str) -> String {
    let minutes = state.media_link_minutes().max(1);
    signed_path(state, Purpose::Media, "/media", media_id, minutes * 60).0
}

/// `{prefix}/{name}?expires=..&sig=..`, valid `seconds` from now, and when it expires (Unix
/// time).
pub fn signed_path(
    state: &impl SigningContext,
    purpose: Purpose,
    prefix: &str,
    name: &str,
    seconds: i64,
) -> (String, i64) {
    let expires = state.signing_now().unix_timestamp() + seconds;
    let sig = sign(&key(state.signing_secret(), purpose), name, expires);
    (
        format!("{prefix}/{name}?expires={expires}&sig={sig}"),
        expires,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_until_it_expires() {
        let signing_key = key(b"secret", Purpose::Media);
        let sig = sign(&signing_key, "m1", 1000);
        assert_eq!(verify(&signing_key, "m1", 1000, &sig, 999), Ok(()));
        assert_eq!(
            verify(&signing_key, "m1", 1000, &sig, 1001),
            Err(SignatureError::Expired)
        );
    }

    #[test]
    fn tampering_is_detected() {
        let signing_key = key(b"secret", Purpose::Media);
        let sig = sign(&signing_key, "m1", 1000);
        assert_eq!(
            verify(&signing_key, "m2", 1000, &sig, 0),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(&signing_key, "m1", 2000, &sig, 0),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(&signing_key, "m1", 1000, "zz", 0),
            Err(SignatureError::Invalid)
        );
        for other in [
            key(b"other", Purpose::Media),
            key(b"secret", Purpose::Backup),
        ] {
            assert_eq!(
                verify(&other, "m1", 1000, &sig, 0),
                Err(SignatureError::Invalid)
            );
        }
    }
}
