//! First-start setup: the one-time token printed when no admin exists, and creating the
//! first admin with it.

use time::Duration;

use super::Origin;
use crate::audit;
use crate::auth::store;
use crate::auth::tokens::{hash_token, random_token};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::error::is_unique_violation;
use crate::http::{AppError, FieldError};
use crate::state::AppState;
use crate::users::model::{normalize_email, normalize_name};
use crate::users::{Role, User, store as users};

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

/// Every field problem of a setup request at once (422), before any hashing.
fn check_fields(state: &AppState, request: &SetupRequest) -> Result<(), AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    if let Err(e) = normalize_email(&request.email) {
        errors.push(e);
    }
    if let Err(e) = crate::auth::password::check_new_password(
        "password",
        &request.password,
        state.config.auth.password_min_length,
    ) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
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
    let name = request
        .name
        .clone()
        .unwrap_or_else(|| "Administrator".into());
    check_fields(state, &request)?;
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
