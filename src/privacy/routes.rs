//! `GET /api/users/me/export`, `DELETE /api/users/me` and `DELETE /api/admin/users/{id}`.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, Requester};
use crate::auth::extract::{AuthUser, ClientIp};
use crate::auth::require_roles;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let own = OpenApiRouter::new()
        .routes(routes!(export_me))
        .routes(routes!(erase_me));
    let admin = OpenApiRouter::new().routes(routes!(erase_user));
    own.merge(require_roles(admin, state, &[Role::Admin]))
}

/// Download everything stored about you: a ZIP with `data.json` and a readable `index.html`.
#[utoipa::path(get, path = "/api/users/me/export", tag = "privacy", security(("bearer" = [])),
    responses(
        (status = 200, description = "the ZIP", body = String, content_type = "application/zip"),
    ))]
pub async fn export_me(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    let bytes = service::export_zip(&state, &user.user_id).await?;
    service::record_export(&state, &user.user_id, ip, bytes.len()).await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"my-data.zip\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseMeRequest {
    /// The current password, to confirm.
    pub password: String,
}

/// Erase your account: personal data is replaced by a pseudonym, you are logged out
/// everywhere and can no longer log in; orders and payments stay for the accounts.
#[utoipa::path(delete, path = "/api/users/me", tag = "privacy", security(("bearer" = [])),
    request_body = EraseMeRequest,
    responses(
        (status = 204, description = "erased"),
        (status = 400, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the only admin, or already erased", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "wrong password", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn erase_me(
    State(state): State<AppState>,
    user: AuthUser,
    Json(body): Json<EraseMeRequest>,
) -> Result<StatusCode, AppError> {
    if body.password.is_empty() || body.password.len() > 1024 {
        return Err(AppError::field("password", "the password is not correct"));
    }
    service::check_password(&state, &user.user_id, body.password).await?;
    service::erase(&state, &user.user_id, Requester::Themself).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Erase a user's account (admin). Their courses and products pass to the acting admin.
#[utoipa::path(delete, path = "/api/admin/users/{id}", tag = "privacy", security(("bearer" = [])),
    params(("id" = String, Path, description = "user id")),
    responses(
        (status = 204, description = "erased"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the caller's own account (use DELETE /api/users/me), or already erased", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn erase_user(
    State(state): State<AppState>,
    admin: AuthUser,
    ip: ClientIp,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if id == admin.user_id {
        // Erasing oneself needs the password: `DELETE /api/users/me`.
        return Err(AppError::conflict(
            "to erase your own account use DELETE /api/users/me with your password",
        ));
    }
    let requester = Requester::Admin {
        id: &admin.user_id,
        ip: ip.0.as_deref(),
    };
    service::erase(&state, &id, requester).await?;
    Ok(StatusCode::NO_CONTENT)
}
