//! Operator account management shared by the CLI and admin endpoints: find, list, set role.

use crate::audit;
use crate::auth::service::Origin;
use crate::http::AppError;
use crate::state::AppState;
use crate::users::model::normalize_email;
use crate::users::{Role, User, store};

/// The account with this email (trimmed, case-insensitive), or 404.
pub async fn by_email(state: &AppState, email: &str) -> Result<User, AppError> {
    let email = normalize_email(email).map_err(|e| AppError::Validation(vec![e]))?;
    state
        .db
        .read(move |conn| store::by_email(conn, &email)?.ok_or(AppError::NotFound("account")))
        .await
}

pub async fn list_all(state: &AppState) -> Result<Vec<User>, AppError> {
    state.db.read(|conn| Ok(store::all_by_created(conn)?)).await
}

/// Gives a user another role (effective on their next request) and audits it; returns the
/// previous role.
pub async fn set_role(
    state: &AppState,
    user_id: &str,
    role: Role,
    actor_id: Option<String>,
    origin: &Origin,
) -> Result<Role, AppError> {
    let (id, now, ip) = (user_id.to_string(), state.now_text(), origin.ip.clone());
    let before = state
        .db
        .write(move |conn| {
            let user = store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))?;
            if user.role == role {
                return Ok(role);
            }
            store::set_role(conn, &id, role, &now)?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: actor_id.as_deref(),
                    action: "user.role_changed",
                    target_type: Some("user"),
                    target_id: Some(&id),
                    ip: ip.as_deref(),
                    detail: Some(serde_json::json!({ "from": user.role, "to": role })),
                },
            )?;
            Ok(user.role)
        })
        .await?;
    state.sessions.forget_user(user_id);
    Ok(before)
}
