//! Encryption of small secrets at rest (MFA secrets): AES-256-GCM, versioned text format.
//!
//! Format: `v1:` followed by base64 (standard, padded) of a random 96-bit nonce and the
//! ciphertext with its 128-bit tag. The version prefix lets a later key or algorithm change
//! read old values.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;

const VERSION: &str = "v1:";
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("the stored value has an unknown format or version")]
    Format,
    #[error("the stored value cannot be decrypted with this key (wrong key or tampered)")]
    Decrypt,
    #[error("encryption failed")]
    Encrypt,
}

fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key))
}

/// Encrypts `plaintext` under `key`; `context` (e.g. the user id) is bound as associated
/// data, so a ciphertext copied to another row does not decrypt.
pub fn encrypt(key: &[u8; 32], plaintext: &[u8], context: &str) -> Result<String, CryptoError> {
    let mut nonce_bytes = [0u8; NONCE_BYTES];
    rand::rng().fill_bytes(&mut nonce_bytes);
    let nonce = Nonce::from(nonce_bytes);
    let sealed = cipher(key)
        .encrypt(
            &nonce,
            aes_gcm::aead::Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Encrypt)?;
    let mut out = Vec::with_capacity(NONCE_BYTES + sealed.len());
    out.extend_from_slice(&nonce_bytes);
    out.extend_from_slice(&sealed);
    Ok(format!("{VERSION}{}", STANDARD.encode(out)))
}

/// Reverses [`encrypt`]; fails on another key, another context or any tampering.
pub fn decrypt(key: &[u8; 32], stored: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
    let encoded = stored.strip_prefix(VERSION).ok_or(CryptoError::Format)?;
    let bytes = STANDARD.decode(encoded).map_err(|_| CryptoError::Format)?;
    if bytes.len() < NONCE_BYTES + TAG_BYTES {
        return Err(CryptoError::Format);
    }
    let (nonce_bytes, sealed) = bytes.split_at(NONCE_BYTES);
    let mut nonce_array = [0u8; NONCE_BYTES];
    nonce_array.copy_from_slice(nonce_bytes);
    cipher(key)
        .decrypt(
            &Nonce::from(nonce_array),
            aes_gcm::aead::Payload {
                msg: sealed,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7u8; 32];

    #[test]
    fn round_trips_and_is_not_the_plaintext() {
        let stored = encrypt(&KEY, b"JBSWY3DPEHPK3PXP", "user-1").unwrap();
        assert!(stored.starts_with("v1:"));
        assert!(!stored.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            decrypt(&KEY, &stored, "user-1").unwrap(),
            b"JBSWY3DPEHPK3PXP"
        );
    }

    #[test]
    fn each_encryption_uses_a_fresh_nonce() {
        let a = encrypt(&KEY, b"same", "ctx").unwrap();
        let b = encrypt(&KEY, b"same", "ctx").unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn wrong_key_or_context_or_tampering_fails() {
        let stored = encrypt(&KEY, b"secret", "user-1").unwrap();
        assert_eq!(
            decrypt(&[8u8; 32], &stored, "user-1"),
            Err(CryptoError::Decrypt)
        );
        assert_eq!(decrypt(&KEY, &stored, "user-2"), Err(CryptoError::Decrypt));
        let mut raw = STANDARD.decode(&stored[3..]).unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let tampered = format!("v1:{}", STANDARD.encode(raw));
        assert_eq!(
            decrypt(&KEY, &tampered, "user-1"),
            Err(CryptoError::Decrypt)
        );
    }

    #[test]
    fn unknown_versions_and_garbage_are_format_errors() {
        assert_eq!(decrypt(&KEY, "v9:AAAA", "c"), Err(CryptoError::Format));
        assert_eq!(decrypt(&KEY, "v1:!!!", "c"), Err(CryptoError::Format));
        assert_eq!(decrypt(&KEY, "v1:AAAA", "c"), Err(CryptoError::Format));
    }
}
