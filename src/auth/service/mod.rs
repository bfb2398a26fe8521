//! Account services shared by the HTTP API and the CLI: register, log in, refresh, log out,
//! and first-admin setup (sign-in in `login`, setup in `setup`; re-exported here, so every
//! public name keeps its `auth::service::` path).

mod login;
mod rotation;
mod setup;

pub use login::check_credentials;
pub use rotation::refresh;
pub use setup::{SetupRequest, complete_setup, issue_setup_token};

use serde::Serialize;
use time::Duration;

use super::store::{self, NewSession};
use super::tokens::{Claims, hash_token, random_token};
use crate::audit;
use crate::clock::rfc3339;
use crate::http::AppError;
use crate::http::error::is_unique_violation;
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

pub(super) fn token_response(
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

pub async fn logout(state: &AppState, session_id: &str) -> Result<(), AppError> {
    let (sid, now) = (session_id.to_string(), state.now_text());
    state
        .db
        .write(move |conn| Ok(store::revoke_session(conn, &sid, "logout", &now)?))
        .await?;
    state.sessions.forget_session(session_id);
    Ok(())
}
