//! Account services shared by the HTTP API and the CLI: register, log in, refresh, log out,
//! and first-admin setup.

use serde::Serialize;
use time::Duration;

use super::store::{self, NewSession};
use super::tokens::{Claims, hash_token, random_token};
use crate::audit;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, FieldError};
use crate::state::AppState;
use crate::users::model::{normalize_email, normalize_name};
use crate::users::{Role, User, UserView, store as users};

/// The body of a successful login or refresh.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub expires_in: i64,
    pub user: UserView,
}

/// Request context recorded with sessions and audit entries.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

pub struct NewAccount {
    pub email: String,
    pub password: String,
    pub name: String,
    pub role: Role,
}

/// Validates and creates an account (public registration passes `Role::Student`).
pub async fn create_account(
    state: &AppState,
    account: NewAccount,
    actor_id: Option<String>,
    origin: &Origin,
) -> Result<User, AppError> {
    let mut errors = Vec::new();
    let email = normalize_email(&account.email)
        .map_err(|e| errors.push(e))
        .ok();
    let name = normalize_name(&account.name)
        .map_err(|e| errors.push(e))
        .ok();
    if let Err(e) = super::password::check_new_password(
        "password",
        &account.password,
        state.config.auth.password_min_length,
    ) {
        errors.push(e);
    }
    let (Some(email), Some(name), true) = (email, name, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let hasher = state.hasher.clone();
    let password = account.password;
    let hash = state.blocking(move || hasher.hash(&password)).await??;
    let now = state.now_text();
    let user = User {
        id: uuid::Uuid::now_v7().to_string(),
        email,
        name,
        password_hash: hash,
        role: account.role,
        disabled_at: None,
        created_at: now.clone(),
        updated_at: now.clone(),
    };
    let ip = origin.ip.clone();
    let mail_ctx = crate::mail::templates::MailContext::from_config(&state.config);
    state
        .db
        .write(move |conn| {
            users::insert(conn, &user).map_err(|e| {
                if is_unique_violation(&e, "users.email") {
                    AppError::conflict_on("email", "an account with this email already exists")
                } else {
                    e.into()
                }
            })?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(actor_id.as_deref().unwrap_or(&user.id)),
                    action: "user.created",
                    target_type: Some("user"),
                    target_id: Some(&user.id),
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({ "role": user.role })),
                },
            )?;
            let welcome = crate::mail::templates::welcome(&mail_ctx, &user.name, &user.email);
            crate::mail::store::enqueue(conn, &now, &user.email, &welcome)?;
            Ok(user.clone())
        })
        .await
        .inspect(|_| crate::mail::wake(state))
}

/// Opens a session for `user` and returns its tokens.
pub async fn open_session(
    state: &AppState,
    user: &User,
    origin: &Origin,
) -> Result<TokenResponse, AppError> {
    let now = state.now();
    let session_id = uuid::Uuid::now_v7().to_string();
    let refresh_token = random_token();
    let expires_at = rfc3339(now + Duration::days(state.config.auth.refresh_token_days));
    let (sid, uid, hash, origin) = (
        session_id.clone(),
        user.id.clone(),
        hash_token(&refresh_token),
        origin.clone(),
    );
    let now_text = rfc3339(now);
    state
        .db
        .write(move |conn| {
            store::insert_session(
                conn,
                &NewSession {
                    id: &sid,
                    user_id: &uid,
                    now: &now_text,
                    expires_at: &expires_at,
                    ip: origin.ip.as_deref(),
                    user_agent: origin.user_agent.as_deref(),
                },
            )?;
            store::insert_refresh_token(conn, &hash, &sid, &now_text)?;
            Ok(())
        })
        .await?;
    token_response(state, user, &session_id, refresh_token)
}

fn token_response(
    state: &AppState,
    user: &User,
    session_id: &str,
    refresh_token: String,
) -> Result<TokenResponse, AppError> {
    let now = state.now().unix_timestamp();
    let lifetime = state.config.auth.access_token_minutes * 60;
    let access_token = state.jwt.sign(&Claims {
        sub: user.id.clone(),
        sid: session_id.to_string(),
        role: user.role,
        iat: now,
        exp: now + lifetime,
    })?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: lifetime,
        user: UserView::from(user),
    })
}

fn bad_credentials() -> AppError {
    AppError::Unauthorized("the email or password is incorrect".into())
}

/// Checks email and password. An unknown email costs the same hashing work as a known one,
/// and is counted and locked the same way, so no answer tells whether an account exists.
/// A source (this email from this client IP) that failed too often, or an IP over its
/// failure budget, is refused with 429 before any hashing, even with the right password;
/// the same email from another address is not.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: String,
    origin: &Origin,
) -> Result<User, AppError> {
    let email = email.trim().to_lowercase();
    let lookup = email.clone();
    let now = state.now();
    let user = state
        .db
        .read(move |conn| Ok(users::by_email(conn, &lookup)?))
        .await?;
    let limits = state.config.rate_limit.clone();
    let attempt = match state
        .login_throttle
        .begin(&email, origin.ip.as_deref(), now, &limits)
    {
        Ok(attempt) => attempt,
        Err(refusal) => {
            let actor = user.as_ref().map(|u| u.id.clone());
            let event = LoginEvent {
                action: "login.refused_locked",
                locked_for: None,
                upgrade: None,
            };
            record_login_event(state, actor, &email, event, origin).await?;
            return Err(refusal);
        }
    };
    let hasher = state.hasher.clone();
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    // A hash made with other settings than today's is replaced at the first login that
    // proves the password, so a changed cost reaches every account that is in use.
    let (valid, upgrade) = state
        .blocking(move || {
            if !hasher.verify(&password, stored.as_deref()) {
                return (false, None);
            }
            let old = stored.unwrap_or_default();
            if !hasher.needs_rehash(&old) {
                return (true, None);
            }
            match hasher.hash(&password) {
                Ok(fresh) => (true, Some((old, fresh))),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot make a fresh password hash; keeping the old");
                    (true, None)
                }
            }
        })
        .await?;
    let outcome = match (&user, valid) {
        (Some(u), true) if u.disabled_at.is_some() => "login.refused_disabled",
        (Some(_), true) => "login.succeeded",
        _ => "login.failed",
    };
    if outcome == "login.failed" {
        state.login_throttle.failed(&attempt, now);
    } else {
        state.login_throttle.succeeded(&attempt);
    }
    let actor = user.as_ref().map(|u| u.id.clone());
    let locked = (outcome == "login.failed")
        .then_some(attempt.locks_for)
        .flatten();
    let event = LoginEvent {
        action: outcome,
        locked_for: locked,
        upgrade: upgrade.filter(|_| outcome == "login.succeeded"),
    };
    record_login_event(state, actor, &email, event, origin).await?;
    match (user, valid) {
        (Some(u), true) if u.disabled_at.is_some() => Err(AppError::Forbidden(
            "this account is disabled; contact the school".into(),
        )),
        (Some(u), true) => Ok(u),
        _ => Err(bad_credentials()),
    }
}

/// What a sign-in attempt leaves behind.
struct LoginEvent {
    action: &'static str,
    /// The failure locked its source for this many seconds.
    locked_for: Option<u64>,
    /// (old, new) password hash, when the login proved the password under old settings.
    upgrade: Option<(String, String)>,
}

/// Audits a sign-in outcome (an unknown email is named in the detail, as no id exists),
/// `account.locked` when the failure locked its source, and stores an upgraded hash.
async fn record_login_event(
    state: &AppState,
    actor: Option<String>,
    email: &str,
    event: LoginEvent,
    origin: &Origin,
) -> Result<(), AppError> {
    let LoginEvent {
        action,
        locked_for,
        upgrade,
    } = event;
    let (email, ip, now_text) = (email.to_string(), origin.ip.clone(), state.now_text());
    state
        .db
        .write(move |conn| {
            let entry = |action, detail| audit::Entry {
                actor_id: actor.as_deref(),
                action,
                target_type: Some("user"),
                target_id: actor.as_deref(),
                ip: ip.as_deref(),
                detail,
            };
            let unknown = actor
                .is_none()
                .then(|| serde_json::json!({ "email": email }));
            audit::store::record(conn, &now_text, &entry(action, unknown))?;
            if let Some(seconds) = locked_for {
                let detail = serde_json::json!({ "email": email, "seconds": seconds });
                audit::store::record(conn, &now_text, &entry("account.locked", Some(detail)))?;
            }
            if let (Some(id), Some((old, new))) = (actor.as_deref(), &upgrade) {
                users::upgrade_password_hash(conn, id, old, new)?;
            }
            Ok(())
        })
        .await
}

enum Rotation {
    Rotated {
        user: User,
        session_id: String,
    },
    /// The session ended because its refresh token was presented twice.
    Reused(String),
    Invalid(&'static str),
}

/// Trades a refresh token for new tokens; an already-used token ends its whole session.
pub async fn refresh(state: &AppState, presented: &str) -> Result<TokenResponse, AppError> {
    let presented_hash = hash_token(presented);
    let next_token = random_token();
    let next_hash = hash_token(&next_token);
    let now = state.now();
    let now_text = rfc3339(now);
    let outcome = state
        .db
        .write(move |conn| {
            let Some(found) = store::refresh_lookup(conn, &presented_hash)? else {
                return Ok(Rotation::Invalid("the refresh token is not valid"));
            };
            if found.used {
                store::revoke_session(conn, &found.session_id, "refresh token reuse", &now_text)?;
                audit::store::record(
                    conn,
                    &now_text,
                    &audit::Entry {
                        actor_id: Some(&found.user_id),
                        action: "session.revoked_refresh_reuse",
                        target_type: Some("session"),
                        target_id: Some(&found.session_id),
                        ..Default::default()
                    },
                )?;
                return Ok(Rotation::Reused(found.session_id));
            }
            let expired = parse_rfc3339(&found.session_expires_at).is_none_or(|at| at <= now);
            if found.session_revoked || expired {
                return Ok(Rotation::Invalid("this session has ended; log in again"));
            }
            if found.user_disabled {
                return Ok(Rotation::Invalid("this account is disabled"));
            }
            store::mark_refresh_used(conn, &presented_hash, &now_text)?;
            store::insert_refresh_token(conn, &next_hash, &found.session_id, &now_text)?;
            store::touch_session(conn, &found.session_id, &now_text)?;
            let user = users::by_id(conn, &found.user_id)?.ok_or(AppError::NotFound("user"))?;
            Ok(Rotation::Rotated {
                user,
                session_id: found.session_id,
            })
        })
        .await?;
    match outcome {
        Rotation::Rotated { user, session_id } => {
            token_response(state, &user, &session_id, next_token)
        }
        Rotation::Reused(session_id) => {
            state.sessions.forget_session(&session_id);
            Err(AppError::Unauthorized(
                "this refresh token was already used; the session has been ended for safety".into(),
            ))
        }
        Rotation::Invalid(why) => Err(AppError::Unauthorized(why.into())),
    }
}

pub async fn logout(state: &AppState, session_id: &str) -> Result<(), AppError> {
    let (sid, now) = (session_id.to_string(), state.now_text());
    state
        .db
        .write(move |conn| Ok(store::revoke_session(conn, &sid, "logout", &now)?))
        .await?;
    state.sessions.forget_session(session_id);
    Ok(())
}

/// Creates a setup token when no admin exists yet; returns the token to show once.
pub async fn issue_setup_token(state: &AppState) -> Result<Option<String>, AppError> {
    let token = random_token();
    let hash = hash_token(&token);
    let now = state.now();
    let (now_text, expires) = (rfc3339(now), rfc3339(now + Duration::hours(1)));
    let issued = state
        .db
        .write(move |conn| {
            if users::any_admin_exists(conn)? {
                return Ok(false);
            }
            store::insert_setup_token(conn, &hash, &now_text, &expires)?;
            Ok(true)
        })
        .await?;
    Ok(issued.then_some(token))
}

pub struct SetupRequest {
    pub token: String,
    pub email: String,
    pub password: String,
    pub name: Option<String>,
}

/// Creates the first admin with a valid setup token; later calls are refused.
pub async fn complete_setup(
    state: &AppState,
    request: SetupRequest,
    origin: &Origin,
) -> Result<User, AppError> {
    let hash = hash_token(&request.token);
    let now = state.now();
    let check_hash = hash.clone();
    state
        .db
        .read(move |conn| {
            if users::any_admin_exists(conn)? {
                return Err(AppError::conflict(
                    "setup is complete: an admin account already exists",
                ));
            }
            check_setup_token(conn, &check_hash, now)
        })
        .await?;
    let name = request.name.unwrap_or_else(|| "Administrator".into());
    let mut errors: Vec<FieldError> = Vec::new();
    if let Err(e) = normalize_email(&request.email) {
        errors.push(e);
    }
    if let Err(e) = super::password::check_new_password(
        "password",
        &request.password,
        state.config.auth.password_min_length,
    ) {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hasher = state.hasher.clone();
    let password = request.password;
    let password_hash = state.blocking(move || hasher.hash(&password)).await??;
    let now_text = rfc3339(now);
    let user = User {
        id: uuid::Uuid::now_v7().to_string(),
        email: normalize_email(&request.email).map_err(|e| AppError::Validation(vec![e]))?,
        name: normalize_name(&name).map_err(|e| AppError::Validation(vec![e]))?,
        password_hash,
        role: Role::Admin,
        disabled_at: None,
        created_at: now_text.clone(),
        updated_at: now_text.clone(),
    };
    let ip = origin.ip.clone();
    state
        .db
        .write(move |conn| {
            // Checked again inside the write so two racing requests create one admin.
            if users::any_admin_exists(conn)? {
                return Err(AppError::conflict(
                    "setup is complete: an admin account already exists",
                ));
            }
            check_setup_token(conn, &hash, now)?;
            store::use_setup_token(conn, &hash, &now_text)?;
            users::insert(conn, &user).map_err(|e| {
                if is_unique_violation(&e, "users.email") {
                    AppError::conflict_on("email", "an account with this email already exists")
                } else {
                    e.into()
                }
            })?;
            audit::store::record(
                conn,
                &now_text,
                &audit::Entry {
                    actor_id: Some(&user.id),
                    action: "setup.admin_created",
                    target_type: Some("user"),
                    target_id: Some(&user.id),
                    ip: ip.as_deref(),
                    detail: None,
                },
            )?;
            Ok(user.clone())
        })
        .await
}

fn check_setup_token(
    conn: &rusqlite::Connection,
    hash: &str,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let token = store::setup_token(conn, hash)?
        .ok_or_else(|| AppError::Forbidden("the setup token is not valid".into()))?;
    if token.used {
        return Err(AppError::Gone(
            "this setup link has already been used".into(),
        ));
    }
    if parse_rfc3339(&token.expires_at).is_none_or(|at| at <= now) {
        return Err(AppError::Gone(
            "this setup link has expired; restart the server to get a new one".into(),
        ));
    }
    Ok(())
}
