//! HTTP endpoints for password change, password reset and login links.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service;
use crate::auth::extract::{AuthUser, ClientIp};
use crate::auth::routes::{origin, with_refresh_cookie};
use crate::auth::service::TokenResponse;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

/// Password change (signed in).
pub fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_password))
}

/// Reset and login-link endpoints under the recovery budget (the sign-in flood ceiling is
/// added where they join the other `/api/auth` routes).
pub fn public_router(state: &AppState) -> OpenApiRouter<AppState> {
    use crate::auth::rate_limit::{Budget, limit_per_ip};
    let recovery = OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
        .routes(routes!(login_link));
    limit_per_ip(recovery, state, Budget::recovery(state))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    #[schema(example = "a new long passphrase")]
    pub new_password: String,
}

/// Change the caller's password; every other session of the account ends at once.
#[utoipa::path(put, path = "/api/users/me/password", tag = "users", security(("bearer" = [])),
    request_body = ChangePassword,
    responses(
        (status = 204, description = "password changed; other sessions revoked"),
        (status = 422, description = "wrong current password or weak new one", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong passwords for this account from this address", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<ChangePassword>,
) -> Result<StatusCode, AppError> {
    service::change_password(
        &state,
        &user.user_id,
        &user.session_id,
        body.current_password,
        body.new_password,
        &origin(&ip, &headers),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[schema(example = "ada@example.com")]
    pub email: String,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Accepted {
    pub message: String,
}

/// Ask for a password reset link by mail (at most a few an hour reach one address). The
/// answer is the same whether or not the address has an account or has used up its mails.
#[utoipa::path(post, path = "/api/auth/password-reset/request", tag = "auth",
    request_body = ResetRequest,
    responses(
        (status = 202, body = Accepted, description = "a link is mailed if the account exists"),
        (status = 422, description = "not an email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many reset or login-link requests from this address this hour", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn request_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<ResetRequest>,
) -> Result<(StatusCode, Json<Accepted>), AppError> {
    service::request_password_reset(&state, &body.email, &origin(&ip, &headers)).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(Accepted {
            message: "If an account exists for this address, a link to reset its password \
                      has been sent."
                .into(),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The token from the mailed link.
    pub token: String,
    pub new_password: String,
}

/// Set a new password with the mailed token; the token works once and every session of
/// the account ends.
#[utoipa::path(post, path = "/api/auth/password-reset/confirm", tag = "auth",
    request_body = ResetConfirm,
    responses(
        (status = 204, description = "password set; all sessions revoked"),
        (status = 400, description = "unknown token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "token already used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "weak new password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many reset or login-link requests from this address this hour", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<ResetConfirm>,
) -> Result<StatusCode, AppError> {
    service::confirm_password_reset(
        &state,
        &body.token,
        body.new_password,
        &origin(&ip, &headers),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginLinkBody {
    /// The token from the link `schoolhouse user login-link` printed.
    pub token: String,
}

/// Log in with a one-time login link (valid 15 minutes, works once).
#[utoipa::path(post, path = "/api/auth/login-link", tag = "auth", request_body = LoginLinkBody,
    responses(
        (status = 200, body = TokenResponse, description = "tokens; the refresh token is also set as an HttpOnly cookie"),
        (status = 400, description = "unknown token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "link already used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many reset or login-link requests from this address this hour", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn login_link(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<LoginLinkBody>,
) -> Result<Response, AppError> {
    let tokens = service::use_login_link(&state, &body.token, &origin(&ip, &headers)).await?;
    Ok(with_refresh_cookie(&state, tokens))
}
