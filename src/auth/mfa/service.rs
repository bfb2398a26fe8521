//! MFA services: enrolment, confirmation, removal, and the second step of a login.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rusqlite::Connection;
use serde::Serialize;
use time::Duration;

use super::{store, totp};
use crate::audit;
use crate::auth::crypto;
use crate::auth::reauth::confirm_password;
use crate::auth::service::Origin;
use crate::auth::tokens::{hash_token, random_token};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::AppError;
use crate::state::AppState;
use crate::users::{User, store as users};

/// How long the second login step may take.
pub const MFA_TOKEN_MINUTES: i64 = 5;

/// What enrolment shows once: the secret three ways (text, URI, QR code).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SetupResponse {
    /// Base32 secret, for typing into an authenticator app.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI as an SVG QR code.
    pub qr_svg: String,
    /// The same SVG as a `data:` URI, usable as an `<img src>`.
    pub qr_data_uri: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryCodesResponse {
    /// Ten single-use codes, shown only now; each replaces a TOTP code once.
    pub recovery_codes: Vec<String>,
}

/// The login answer when a second factor is needed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MfaChallenge {
    pub mfa_required: bool,
    /// Send it with a code to `POST /api/auth/mfa` within `expires_in` seconds.
    pub mfa_token: String,
    pub expires_in: i64,
}

fn already_on() -> AppError {
    AppError::conflict("MFA is already on for this account; turn it off first to re-enrol")
}

/// Starts (or restarts) enrolment with a new secret, stored encrypted until confirmed.
pub async fn setup(state: &AppState, user_id: &str) -> Result<SetupResponse, AppError> {
    let id = user_id.to_string();
    let user = state
        .db
        .read(move |conn| users::by_id(conn, &id)?.ok_or(AppError::NotFound("user")))
        .await?;
    let secret = totp::new_secret();
    let ciphertext = crypto::encrypt(&state.secrets.encryption_key, &secret, &user.id)
        .map_err(|e| AppError::Internal(e.into()))?;
    let uri = totp::otpauth_uri(&secret, &state.config.store.name, &user.email)
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let svg = totp::qr_svg(&uri).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    let now = state.now_text();
    let id = user.id.clone();
    state
        .db
        .write(move |conn| {
            if store::is_enabled(conn, &id)? {
                return Err(already_on());
            }
            store::put_pending(conn, &id, &ciphertext, &now)?;
            Ok(())
        })
        .await?;
    Ok(SetupResponse {
        secret: totp::to_base32(&secret),
        otpauth_uri: uri,
        qr_data_uri: format!("data:image/svg+xml;base64,{}", STANDARD.encode(&svg)),
        qr_svg: svg,
    })
}

/// Which second factor a code matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Totp,
    Recovery,
}

/// Checks `code` (TOTP or, if `allow_recovery`, a recovery code) and consumes it.
fn consume_code(
    conn: &Connection,
    key: &[u8; 32],
    user_id: &str,
    code: &str,
    now: time::OffsetDateTime,
    allow_recovery: bool,
) -> Result<Option<Factor>, AppError> {
    let Some(row) = store::get(conn, user_id)? else {
        return Ok(None);
    };
    if totp::looks_like_totp(code) {
        let secret = crypto::decrypt(key, &row.secret_ciphertext, user_id)
            .map_err(|e| AppError::Internal(e.into()))?;
        let Some(step) = totp::verify(&secret, code, now.unix_timestamp(), row.last_used_step)
        else {
            return Ok(None);
        };
        return Ok(store::use_step(conn, user_id, step)?.then_some(Factor::Totp));
    }
    if !allow_recovery || code.len() > 64 {
        return Ok(None);
    }
    let hash = hash_token(&totp::normalize_recovery_code(code));
    Ok(store::use_recovery_code(conn, user_id, &hash, &rfc3339(now))?.then_some(Factor::Recovery))
}

fn record(
    conn: &Connection,
    now: &str,
    user_id: &str,
    action: &str,
    ip: Option<&str>,
    detail: Option<serde_json::Value>,
) -> rusqlite::Result<()> {
    audit::store::record(
        conn,
        now,
        &audit::Entry {
            actor_id: Some(user_id),
            action,
            target_type: Some("user"),
            target_id: Some(user_id),
            ip,
            detail,
        },
    )
}

/// Activates MFA with the current password and a first valid code; returns ten recovery
/// codes (stored hashed).
pub async fn confirm(
    state: &AppState,
    user_id: &str,
    password: Option<String>,
    code: &str,
    origin: &Origin,
) -> Result<RecoveryCodesResponse, AppError> {
    confirm_password(state, user_id, password, "password", origin).await?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| hash_token(&totp::normalize_recovery_code(c)))
        .collect();
    let (id, code, key) = (user_id.to_string(), code.to_string(), state.secrets.clone());
    let (now, ip) = (state.now(), origin.ip.clone());
    let confirmed = state
        .db
        .write(move |conn| {
            let row = store::get(conn, &id)?.ok_or_else(|| {
                AppError::conflict(
                    "no MFA enrolment is pending; start with POST /api/users/me/mfa/setup",
                )
            })?;
            if row.enabled {
                return Err(already_on());
            }
            if consume_code(conn, &key.encryption_key, &id, &code, now, false)?.is_none() {
                return Ok(false);
            }
            let now_text = rfc3339(now);
            store::enable(conn, &id, &now_text)?;
            store::replace_recovery_codes(conn, &id, &hashes, &now_text)?;
            record(conn, &now_text, &id, "mfa.enabled", ip.as_deref(), None)?;
            Ok(true)
        })
        .await?;
    state.sessions.forget_user(user_id);
    if !confirmed {
        return Err(wrong_code_field());
    }
    Ok(RecoveryCodesResponse {
        recovery_codes: codes,
    })
}

fn wrong_code_field() -> AppError {
    AppError::field(
        "code",
        "is not the current code from your authenticator app",
    )
}

/// Turns MFA off after checking the password and a current code (or a recovery code).
pub async fn disable(
    state: &AppState,
    user_id: &str,
    password: String,
    code: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    let id = user_id.to_string();
    let enabled = state
        .db
        .read(move |conn| Ok(store::is_enabled(conn, &id)?))
        .await?;
    if !enabled {
        return Err(AppError::conflict("MFA is not on for this account"));
    }
    let user = confirm_password(state, user_id, Some(password), "password", origin).await?;
    let (id, code, key) = (user.id, code.to_string(), state.secrets.clone());
    let (now, ip) = (state.now(), origin.ip.clone());
    let removed = state
        .db
        .write(move |conn| {
            if consume_code(conn, &key.encryption_key, &id, &code, now, true)?.is_none() {
                return Ok(false);
            }
            store::remove(conn, &id)?;
            record(
                conn,
                &rfc3339(now),
                &id,
                "mfa.disabled",
                ip.as_deref(),
                None,
            )?;
            Ok(true)
        })
        .await?;
    state.sessions.forget_user(user_id);
    if removed {
        Ok(())
    } else {
        Err(wrong_code_field())
    }
}

/// After a correct password: a second-step token when the user has MFA on, else `None`.
pub async fn challenge(state: &AppState, user: &User) -> Result<Option<MfaChallenge>, AppError> {
    let token = random_token();
    let hash = hash_token(&token);
    let now = state.now();
    let (id, now_text) = (user.id.clone(), rfc3339(now));
    let expires = rfc3339(now + Duration::minutes(MFA_TOKEN_MINUTES));
    let issued = state
        .db
        .write(move |conn| {
            if !store::is_enabled(conn, &id)? {
                return Ok(false);
            }
            store::insert_login_token(conn, &hash, &id, &now_text, &expires)?;
            Ok(true)
        })
        .await?;
    Ok(issued.then_some(MfaChallenge {
        mfa_required: true,
        mfa_token: token,
        expires_in: MFA_TOKEN_MINUTES * 60,
    }))
}

enum SecondStep {
    Passed(Box<User>),
    Invalid(&'static str),
    WrongCode,
}

/// Finishes a login with the second-step token and a TOTP or recovery code. A wrong code
/// counts as a failed sign-in of the account's email from this address (the same source
/// as a wrong password); the token stays usable until it expires or succeeds once.
pub async fn finish_login(
    state: &AppState,
    mfa_token: &str,
    code: &str,
    origin: &Origin,
) -> Result<User, AppError> {
    let hash = hash_token(mfa_token);
    let now = state.now();
    let lookup = hash.clone();
    let user = state
        .db
        .read(move |conn| match pending_login(conn, &lookup, now)? {
            Ok(user) => Ok(user),
            Err(why) => Err(AppError::Unauthorized(why.into())),
        })
        .await?;
    let limits = state.config.rate_limit.clone();
    let attempt = state
        .login_throttle
        .begin(&user.email, origin.ip.as_deref(), now, &limits)?;
    let locks_for = attempt.locks_for;
    let (code, key, ip) = (code.to_string(), state.secrets.clone(), origin.ip.clone());
    let outcome = state
        .db
        .write(move |conn| {
            let now_text = rfc3339(now);
            // Judged again inside the write: the token may have been used meanwhile.
            let user = match pending_login(conn, &hash, now)? {
                Ok(user) => user,
                Err(why) => return Ok(SecondStep::Invalid(why)),
            };
            let Some(factor) = consume_code(conn, &key.encryption_key, &user.id, &code, now, true)?
            else {
                record_wrong_code(conn, &now_text, &user, ip.as_deref(), locks_for)?;
                return Ok(SecondStep::WrongCode);
            };
            store::use_login_token(conn, &hash, &now_text)?;
            record_passed(conn, &now_text, &user.id, factor, ip.as_deref())?;
            Ok(SecondStep::Passed(Box::new(user)))
        })
        .await?;
    match outcome {
        SecondStep::Passed(user) => {
            state.login_throttle.succeeded(&attempt);
            Ok(*user)
        }
        SecondStep::Invalid(why) => Err(AppError::Unauthorized(why.into())),
        SecondStep::WrongCode => {
            state.login_throttle.failed(&attempt, now);
            Err(AppError::Unauthorized(
                "the code is not valid; use the current code from your authenticator app or an unused recovery code".into(),
            ))
        }
    }
}

/// Audits a wrong second-step code, and the lock it caused when it was the failure too many.
fn record_wrong_code(
    conn: &Connection,
    now: &str,
    user: &User,
    ip: Option<&str>,
    locks_for: Option<u64>,
) -> rusqlite::Result<()> {
    record(conn, now, &user.id, "login.mfa_failed", ip, None)?;
    if let Some(seconds) = locks_for {
        let detail = serde_json::json!({ "email": user.email, "seconds": seconds });
        record(conn, now, &user.id, "account.locked", ip, Some(detail))?;
    }
    Ok(())
}

/// Audits a passed second step; a recovery code used also records how many codes are left.
fn record_passed(
    conn: &Connection,
    now: &str,
    user_id: &str,
    factor: Factor,
    ip: Option<&str>,
) -> rusqlite::Result<()> {
    if factor == Factor::Recovery {
        let left = store::unused_recovery_codes(conn, user_id)?;
        let detail = serde_json::json!({ "remaining": left });
        record(
            conn,
            now,
            user_id,
            "mfa.recovery_code_used",
            ip,
            Some(detail),
        )?;
    }
    record(conn, now, user_id, "login.mfa_succeeded", ip, None)
}

/// The user a second-step token is waiting for, or why it cannot be used.
fn pending_login(
    conn: &Connection,
    hash: &str,
    now: time::OffsetDateTime,
) -> Result<Result<User, &'static str>, AppError> {
    let Some(token) = store::login_token(conn, hash)? else {
        return Ok(Err("the MFA token is not valid; log in again"));
    };
    let expired = parse_rfc3339(&token.expires_at).is_none_or(|at| at <= now);
    if token.used || expired {
        return Ok(Err("the MFA token has expired or was used; log in again"));
    }
    let user = users::by_id(conn, &token.user_id)?.ok_or(AppError::NotFound("user"))?;
    if user.disabled_at.is_some() {
        return Ok(Err("this account is disabled"));
    }
    Ok(Ok(user))
}
