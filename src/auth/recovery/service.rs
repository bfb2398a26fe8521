//! Password change, reset by mail and login links: shared by the HTTP API and the CLI.

use time::{Duration, OffsetDateTime};

use super::TokenPurpose;
use super::store::{self, AccountToken};
use crate::audit;
use crate::auth::lockout;
use crate::auth::password::check_new_password;
use crate::auth::reauth::confirm_password;
use crate::auth::service::{Origin, TokenResponse, open_session};
use crate::auth::store as sessions;
use crate::auth::tokens::{hash_token, random_token};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::AppError;
use crate::mail;
use crate::state::AppState;
use crate::users::model::normalize_email;
use crate::users::store as users;

/// How long a login link printed by `schoolhouse user login-link` works.
pub const LOGIN_LINK_MINUTES: i64 = 15;

/// Checks a new password against the rules and hashes it off the runtime.
async fn hash_new_password(
    state: &AppState,
    field: &str,
    password: String,
) -> Result<String, AppError> {
    check_new_password(field, &password, state.config.auth.password_min_length)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let hasher = state.hasher.clone();
    Ok(state.blocking(move || hasher.hash(&password)).await??)
}

/// Judges a presented token: unknown 400, used or expired 410, disabled account 403.
fn judge(
    found: Option<AccountToken>,
    purpose: TokenPurpose,
    now: OffsetDateTime,
) -> Result<String, AppError> {
    let what = purpose.as_str();
    let token = found
        .ok_or_else(|| AppError::BadRequest(crate::msg!("problem-token-not-valid", what = what)))?;
    if token.used {
        return Err(AppError::Gone(crate::msg!(
            "problem-token-used",
            what = what
        )));
    }
    if parse_rfc3339(&token.expires_at).is_none_or(|at| at <= now) {
        return Err(AppError::Gone(crate::msg!(
            "problem-token-expired",
            what = what
        )));
    }
    if token.user_disabled {
        return Err(AppError::Forbidden(
            "this account is disabled; contact the school".into(),
        ));
    }
    Ok(token.user_id)
}

/// Changes the caller's password after checking the current one; every other session ends.
pub async fn change_password(
    state: &AppState,
    user_id: &str,
    session_id: &str,
    current_password: String,
    new_password: String,
    origin: &Origin,
) -> Result<(), AppError> {
    if current_password == new_password {
        return Err(AppError::field(
            "new_password",
            "must differ from the current password",
        ));
    }
    let user = confirm_password(
        state,
        user_id,
        Some(current_password),
        "current_password",
        origin,
    )
    .await?;
    let hash = hash_new_password(state, "new_password", new_password).await?;
    let keep = Some(session_id.to_string());
    store_new_password(state, user.id, hash, keep, None, "password.changed", origin).await?;
    Ok(())
}

/// Sets a user's password on an operator's behalf (CLI); every session of the user ends.
pub async fn set_password(
    state: &AppState,
    user_id: &str,
    new_password: String,
    actor_id: Option<String>,
    origin: &Origin,
) -> Result<usize, AppError> {
    let hash = hash_new_password(state, "password", new_password).await?;
    let user_id = user_id.to_string();
    store_new_password(state, user_id, hash, None, actor_id, "password.set", origin).await
}

/// Stores a new hash, ends sessions (all but `keep`) and old reset links, and audits it.
async fn store_new_password(
    state: &AppState,
    user_id: String,
    hash: String,
    keep: Option<String>,
    actor_id: Option<String>,
    action: &'static str,
    origin: &Origin,
) -> Result<usize, AppError> {
    let (now, ip) = (state.now_text(), origin.ip.clone());
    let forget = user_id.clone();
    let revoked = state
        .db
        .write(move |conn| {
            users::set_password_hash(conn, &user_id, &hash, &now)?;
            let revoked =
                sessions::revoke_user_sessions(conn, &user_id, keep.as_deref(), action, &now)?;
            store::retire_tokens(conn, &user_id, TokenPurpose::PasswordReset, &now)?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(actor_id.as_deref().unwrap_or(&user_id)),
                    action,
                    target_type: Some("user"),
                    target_id: Some(&user_id),
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({ "sessions_revoked": revoked })),
                },
            )?;
            Ok(revoked)
        })
        .await?;
    state.sessions.forget_user(&forget);
    Ok(revoked)
}

/// Queues a reset mail when `email` belongs to an enabled account that got fewer than
/// `rate_limit.reset_mails_per_address_per_hour` of them in the last hour; answers the same
/// in every case, so the endpoint reveals neither which addresses have accounts nor which
/// have used up their mails.
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    let email = normalize_email(email).map_err(|e| AppError::Validation(vec![e]))?;
    let token = random_token();
    let hash = hash_token(&token);
    let now = state.now();
    let minutes = state.config.auth.password_reset_minutes;
    let (now_text, expires) = (rfc3339(now), rfc3339(now + Duration::minutes(minutes)));
    let ctx = mail::templates::MailContext::from_config(&state.config);
    let ip = origin.ip.clone();
    let limits = state.config.rate_limit.clone();
    let since = rfc3339(now - lockout::MAIL_WINDOW);
    let queued = state
        .db
        .write(move |conn| {
            let Some(user) = users::by_email(conn, &email)? else {
                return Ok(false);
            };
            if user.disabled_at.is_some() {
                return Ok(false);
            }
            // Counted inside the write, so parallel requests cannot all pass the budget.
            let sent = store::tokens_since(conn, &user.id, TokenPurpose::PasswordReset, &since)?;
            if !lockout::reset_mail_allowed(sent, &limits) {
                audit::store::record(
                    conn,
                    &now_text,
                    &audit::Entry {
                        actor_id: Some(&user.id),
                        action: "password_reset.suppressed",
                        target_type: Some("user"),
                        target_id: Some(&user.id),
                        ip: ip.as_deref(),
                        detail: Some(serde_json::json!({ "sent_last_hour": sent })),
                    },
                )?;
                return Ok(false);
            }
            store::insert_token(
                conn,
                &hash,
                TokenPurpose::PasswordReset,
                &user.id,
                &now_text,
                &expires,
            )?;
            let message = mail::templates::password_reset(&ctx, &user.name, &token, minutes);
            mail::store::enqueue(conn, &now_text, &user.email, &message)?;
            audit::store::record(
                conn,
                &now_text,
                &audit::Entry {
                    actor_id: Some(&user.id),
                    action: "password_reset.requested",
                    target_type: Some("user"),
                    target_id: Some(&user.id),
                    ip: ip.as_deref(),
                    detail: None,
                },
            )?;
            Ok(true)
        })
        .await?;
    if queued {
        mail::wake(state);
    }
    Ok(())
}

/// Sets a new password with a reset token (single use); every session of the user ends.
pub async fn confirm_password_reset(
    state: &AppState,
    token: &str,
    new_password: String,
    origin: &Origin,
) -> Result<(), AppError> {
    let hash = hash_token(token);
    let now = state.now();
    let lookup = hash.clone();
    state
        .db
        .read(move |conn| {
            judge(
                store::token(conn, &lookup, TokenPurpose::PasswordReset)?,
                TokenPurpose::PasswordReset,
                now,
            )
        })
        .await?;
    let password_hash = hash_new_password(state, "new_password", new_password).await?;
    let (now_text, ip) = (rfc3339(now), origin.ip.clone());
    let user_id = state
        .db
        .write(move |conn| {
            // Judged again inside the write, so two racing confirmations succeed once.
            let purpose = TokenPurpose::PasswordReset;
            let user_id = judge(store::token(conn, &hash, purpose)?, purpose, now)?;
            if !store::use_token(conn, &hash, &now_text)? {
                return Err(AppError::Gone(crate::msg!(
                    "problem-token-used",
                    what = purpose.as_str()
                )));
            }
            users::set_password_hash(conn, &user_id, &password_hash, &now_text)?;
            let revoked =
                sessions::revoke_user_sessions(conn, &user_id, None, "password reset", &now_text)?;
            store::retire_tokens(conn, &user_id, purpose, &now_text)?;
            audit::store::record(
                conn,
                &now_text,
                &audit::Entry {
                    actor_id: Some(&user_id),
                    action: "password.reset",
                    target_type: Some("user"),
                    target_id: Some(&user_id),
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({ "sessions_revoked": revoked })),
                },
            )?;
            Ok(user_id)
        })
        .await?;
    state.sessions.forget_user(&user_id);
    Ok(())
}

/// Creates a one-time login link token for a user (CLI); returns the token to print once.
pub async fn issue_login_link(
    state: &AppState,
    user_id: &str,
    actor_id: Option<String>,
) -> Result<String, AppError> {
    let token = random_token();
    let hash = hash_token(&token);
    let now = state.now();
    let expires = rfc3339(now + Duration::minutes(LOGIN_LINK_MINUTES));
    let (now_text, user_id) = (rfc3339(now), user_id.to_string());
    state
        .db
        .write(move |conn| {
            let user = users::by_id(conn, &user_id)?.ok_or(AppError::NotFound("user"))?;
            if user.disabled_at.is_some() {
                return Err(AppError::Forbidden("this account is disabled".into()));
            }
            let purpose = TokenPurpose::LoginLink;
            store::insert_token(conn, &hash, purpose, &user.id, &now_text, &expires)?;
            audit::store::record(
                conn,
                &now_text,
                &audit::Entry {
                    actor_id: actor_id.as_deref(),
                    action: "login_link.issued",
                    target_type: Some("user"),
                    target_id: Some(&user.id),
                    ..Default::default()
                },
            )?;
            Ok(())
        })
        .await?;
    Ok(token)
}

/// Logs in with a login link token (single use) and opens a session.
pub async fn use_login_link(
    state: &AppState,
    token: &str,
    origin: &Origin,
) -> Result<TokenResponse, AppError> {
    let hash = hash_token(token);
    let now = state.now();
    let (now_text, ip) = (rfc3339(now), origin.ip.clone());
    let user = state
        .db
        .write(move |conn| {
            let purpose = TokenPurpose::LoginLink;
            let user_id = judge(store::token(conn, &hash, purpose)?, purpose, now)?;
            if !store::use_token(conn, &hash, &now_text)? {
                return Err(AppError::Gone(
                    "this login link has already been used".into(),
                ));
            }
            audit::store::record(
                conn,
                &now_text,
                &audit::Entry {
                    actor_id: Some(&user_id),
                    action: "login.link_used",
                    target_type: Some("user"),
                    target_id: Some(&user_id),
                    ip: ip.as_deref(),
                    detail: None,
                },
            )?;
            users::by_id(conn, &user_id)?.ok_or(AppError::NotFound("user"))
        })
        .await?;
    open_session(state, &user, origin).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_at: &str, used: bool, user_disabled: bool) -> Option<AccountToken> {
        Some(AccountToken {
            user_id: "u1".into(),
            expires_at: expires_at.into(),
            used,
            user_disabled,
        })
    }

    fn at(text: &str) -> OffsetDateTime {
        parse_rfc3339(text).unwrap()
    }

    #[test]
    fn tokens_are_judged_unknown_used_expired_or_good() {
        let purpose = TokenPurpose::PasswordReset;
        let now = at("2030-01-01T10:00:00Z");
        let later = "2030-01-01T11:00:00Z";
        let status = |found| judge(found, purpose, now).map_err(|e| e.status().as_u16());
        assert_eq!(status(None), Err(400));
        assert_eq!(status(token(later, true, false)), Err(410));
        assert_eq!(
            status(token("2030-01-01T10:00:00Z", false, false)),
            Err(410)
        );
        assert_eq!(status(token(later, false, true)), Err(403));
        assert_eq!(status(token(later, false, false)), Ok("u1".to_string()));
    }
}
