//! Short-lived signed media URLs: HMAC-SHA256 over the media id and an expiry time, with a
//! key derived from the server's JWT secret. A plain `<video src>` works with them.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::app::AppState;

type HmacSha256 = Hmac<Sha256>;

/// The media signing key: sha256(jwt_secret || "media").
pub fn media_key(jwt_secret: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(jwt_secret);
    hasher.update(b"media");
    hasher.finalize().into()
}

fn mac(key: &[u8; 32], media_id: &str, expires: i64) -> HmacSha256 {
    // A 32-byte key is always accepted by HMAC.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(media_id.as_bytes());
    mac.update(b"\n");
    mac.update(expires.to_string().as_bytes());
    mac
}

pub fn sign(key: &[u8; 32], media_id: &str, expires: i64) -> String {
    hex::encode(mac(key, media_id, expires).finalize().into_bytes())
}

#[derive(Debug, PartialEq, Eq)]
pub enum SignatureError {
    Invalid,
    Expired,
}

/// Checks a signature in constant time, then the expiry.
pub fn verify(
    key: &[u8; 32],
    media_id: &str,
    expires: i64,
    sig: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let bytes = hex::decode(sig).map_err(|_| SignatureError::Invalid)?;
    mac(key, media_id, expires)
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
pub fn signed_media_url(state: &AppState, media_id: &str) -> String {
    let expires = state.now().unix_timestamp() + state.config.media.signed_url_minutes.max(1) * 60;
    let key = media_key(&state.secrets.jwt_secret);
    format!(
        "/media/{media_id}?expires={expires}&sig={}",
        sign(&key, media_id, expires)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_until_it_expires() {
        let key = media_key(b"secret");
        let sig = sign(&key, "m1", 1000);
        assert_eq!(verify(&key, "m1", 1000, &sig, 999), Ok(()));
        assert_eq!(
            verify(&key, "m1", 1000, &sig, 1001),
            Err(SignatureError::Expired)
        );
    }

    #[test]
    fn tampering_is_detected() {
        let key = media_key(b"secret");
        let sig = sign(&key, "m1", 1000);
        assert_eq!(
            verify(&key, "m2", 1000, &sig, 0),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(&key, "m1", 2000, &sig, 0),
            Err(SignatureError::Invalid)
        );
        assert_eq!(
            verify(&key, "m1", 1000, "zz", 0),
            Err(SignatureError::Invalid)
        );
        let other = media_key(b"other");
        assert_eq!(
            verify(&other, "m1", 1000, &sig, 0),
            Err(SignatureError::Invalid)
        );
    }
}
