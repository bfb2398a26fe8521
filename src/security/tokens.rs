//! Access tokens (HS256 JWTs bound to a session) and opaque random tokens stored hashed.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::users::Role;

/// 256 bits of randomness as URL-safe text: refresh, reset, setup and login-link tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored instead of a token, so a database leak does not hand out sessions.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> JwtKeys {
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
        }
    }

    pub fn sign(&self, claims: &Claims) -> anyhow::Result<String> {
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &self.encoding,
        )?)
    }

    /// Verifies signature, algorithm (HS256 only, so `alg: none` fails) and expiry.
    pub fn verify(&self, token: &str, now: i64) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp", "sub"].iter().map(|s| s.to_string()).collect();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        (claims.exp > now).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "u1".into(),
            sid: "s1".into(),
            role: Role::Student,
            iat: 0,
            exp,
        }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let token = keys.sign(&claims(100)).unwrap();
        assert_eq!(keys.verify(&token, 99).unwrap().sid, "s1");
        assert!(keys.verify(&token, 100).is_none());
    }

    #[test]
    fn tokens_from_another_key_or_without_algorithm_fail() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef");
        let other = JwtKeys::new(b"another key that is long enough!!");
        let token = other.sign(&claims(100)).unwrap();
        assert!(keys.verify(&token, 1).is_none());
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims(100)).unwrap());
        assert!(keys.verify(&format!("{header}.{body}."), 1).is_none());
    }

    #[test]
    fn random_tokens_are_unique_and_hash_stably() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_eq!(hash_token(&a).len(), 64);
    }
}
