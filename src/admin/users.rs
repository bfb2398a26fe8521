//! Admin management of users: search, role changes, disable and enable.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::store::{self, AdminUserRow, UserFilter};
use crate::audit;
use crate::auth::extract::{AuthUser, ClientIp};
use crate::auth::routes::origin;
use crate::auth::store as sessions;
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::state::AppState;
use crate::users::{Role, store as users};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(set_role))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
}

/// A user as an admin sees them.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdminUserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    pub disabled_at: Option<String>,
    pub mfa_enabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<AdminUserRow> for AdminUserView {
    fn from(r: AdminUserRow) -> AdminUserView {
        AdminUserView {
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role,
            disabled: r.disabled_at.is_some(),
            disabled_at: r.disabled_at,
            mfa_enabled: r.mfa_enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListParams {
    /// Part of the email or name (case-insensitive).
    pub q: Option<String>,
    /// admin, vendor, instructor or student.
    pub role: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Search users.
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", security(("bearer" = [])),
    params(UserListParams),
    responses(
        (status = 200, body = ListResponse<AdminUserView>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad role or paging", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_users(
    State(state): State<AppState>,
    Query(params): Query<UserListParams>,
) -> Result<Json<ListResponse<AdminUserView>>, AppError> {
    let page = PageParams {
        page: params.page,
        per_page: params.per_page,
    }
    .checked()?;
    let role = match params
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        Some(text) => Some(
            text.parse::<Role>()
                .map_err(|message| AppError::field("role", message))?,
        ),
        None => None,
    };
    let q = params
        .q
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if q.as_ref().is_some_and(|q| q.chars().count() > 200) {
        return Err(AppError::field("q", "must be at most 200 characters"));
    }
    let (rows, total) = state
        .db
        .read(move |conn| {
            let filter = UserFilter {
                q: q.as_deref(),
                role,
            };
            Ok(store::list(conn, &filter, page.limit(), page.offset())?)
        })
        .await?;
    Ok(Json(ListResponse::new(
        rows.into_iter().map(AdminUserView::from).collect(),
        total,
        page,
    )))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoleRequest {
    pub role: Role,
}

fn record(
    conn: &rusqlite::Connection,
    now: &str,
    actor: &AuthUser,
    action: &str,
    target: &str,
    ip: Option<&str>,
    detail: Option<serde_json::Value>,
) -> rusqlite::Result<()> {
    audit::store::record(
        conn,
        now,
        &audit::Entry {
            actor_id: Some(&actor.user_id),
            action,
            target_type: Some("user"),
            target_id: Some(target),
            ip,
            detail,
        },
    )
}

/// Change a user's role; it applies from their next request.
#[utoipa::path(put, path = "/api/admin/users/{id}/role", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")),
    request_body = SetRoleRequest,
    responses(
        (status = 200, body = AdminUserView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "an admin cannot demote themselves", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn set_role(
    State(state): State<AppState>,
    actor: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
    Json(body): Json<SetRoleRequest>,
) -> Result<Json<AdminUserView>, AppError> {
    let (now, ip) = (state.now_text(), origin(&ip, &headers).ip);
    let target = id.clone();
    let updated = state
        .db
        .write(move |conn| {
            let current = store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))?;
            if id == actor.user_id && body.role != Role::Admin {
                return Err(AppError::conflict(
                    "you cannot remove your own admin role; ask another admin",
                ));
            }
            if current.role != body.role {
                users::set_role(conn, &id, body.role, &now)?;
                record(
                    conn,
                    &now,
                    &actor,
                    "user.role_changed",
                    &id,
                    ip.as_deref(),
                    Some(serde_json::json!({ "from": current.role, "to": body.role })),
                )?;
            }
            store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))
        })
        .await?;
    state.sessions.forget_user(&target);
    Ok(Json(updated.into()))
}

/// Disable an account: it cannot log in and all its sessions end at once.
#[utoipa::path(post, path = "/api/admin/users/{id}/disable", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 200, body = AdminUserView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "an admin cannot disable themselves", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn disable_user(
    State(state): State<AppState>,
    actor: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<AdminUserView>, AppError> {
    let (now, ip) = (state.now_text(), origin(&ip, &headers).ip);
    let target = id.clone();
    let updated = state
        .db
        .write(move |conn| {
            let current = store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))?;
            if id == actor.user_id {
                return Err(AppError::conflict(
                    "you cannot disable your own account; ask another admin",
                ));
            }
            if current.disabled_at.is_none() {
                users::set_disabled(conn, &id, Some(&now), &now)?;
                let ended =
                    sessions::revoke_user_sessions(conn, &id, None, "account disabled", &now)?;
                record(
                    conn,
                    &now,
                    &actor,
                    "user.disabled",
                    &id,
                    ip.as_deref(),
                    Some(serde_json::json!({ "sessions_revoked": ended })),
                )?;
            }
            store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))
        })
        .await?;
    state.sessions.forget_user(&target);
    Ok(Json(updated.into()))
}

/// Enable a disabled account again.
#[utoipa::path(post, path = "/api/admin/users/{id}/enable", tag = "admin", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 200, body = AdminUserView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn enable_user(
    State(state): State<AppState>,
    actor: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<AdminUserView>, AppError> {
    let (now, ip) = (state.now_text(), origin(&ip, &headers).ip);
    let target = id.clone();
    let updated = state
        .db
        .write(move |conn| {
            let current = store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))?;
            if current.disabled_at.is_some() {
                users::set_disabled(conn, &id, None, &now)?;
                record(conn, &now, &actor, "user.enabled", &id, ip.as_deref(), None)?;
            }
            store::by_id(conn, &id)?.ok_or(AppError::NotFound("user"))
        })
        .await?;
    state.sessions.forget_user(&target);
    Ok(Json(updated.into()))
}
