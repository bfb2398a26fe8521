//! MFA endpoints: enrolment under `/api/users/me/mfa` and the login step `/api/auth/mfa`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::service::{self, RecoveryCodesResponse, SetupResponse};
use crate::auth::extract::{AuthUser, ClientIp};
use crate::auth::routes::{origin, with_refresh_cookie};
use crate::auth::service::{TokenResponse, open_session};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

/// `/api/users/me/mfa/*` (the caller's own enrolment).
pub fn account_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(setup))
        .routes(routes!(confirm))
        .routes(routes!(disable))
}

/// `/api/auth/mfa` (rate limited with the rest of `/api/auth`).
pub fn login_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(finish_login))
}

/// Start MFA enrolment: a new TOTP secret, its otpauth URI and a QR code.
#[utoipa::path(post, path = "/api/users/me/mfa/setup", tag = "users", security(("bearer" = [])),
    responses(
        (status = 200, body = SetupResponse),
        (status = 409, description = "MFA already on", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn setup(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<SetupResponse>, AppError> {
    Ok(Json(service::setup(&state, &user.user_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// The account's current password: a bearer token alone cannot turn MFA on.
    pub password: String,
    #[schema(example = "123456")]
    pub code: String,
}

/// Turn MFA on with the current password and a first code from the app; returns ten
/// single-use recovery codes.
#[utoipa::path(post, path = "/api/users/me/mfa/confirm", tag = "users", security(("bearer" = [])),
    request_body = ConfirmRequest,
    responses(
        (status = 200, body = RecoveryCodesResponse),
        (status = 409, description = "no enrolment pending, or MFA already on", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "missing or wrong password, or wrong code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong passwords for this account from this address", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<ConfirmRequest>,
) -> Result<Json<RecoveryCodesResponse>, AppError> {
    let origin = origin(&ip, &headers);
    Ok(Json(
        service::confirm(
            &state,
            &user.user_id,
            Some(body.password),
            &body.code,
            &origin,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    pub password: String,
    /// A current TOTP code or an unused recovery code.
    pub code: String,
}

/// Turn MFA off (needs the password and a current code or a recovery code).
#[utoipa::path(delete, path = "/api/users/me/mfa", tag = "users", security(("bearer" = [])),
    request_body = DisableRequest,
    responses(
        (status = 204, description = "MFA is off"),
        (status = 409, description = "MFA is not on", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "wrong password or code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many wrong passwords for this account from this address", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn disable(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<DisableRequest>,
) -> Result<StatusCode, AppError> {
    let origin = origin(&ip, &headers);
    service::disable(&state, &user.user_id, body.password, &body.code, &origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaLoginRequest {
    /// From the login answer `{mfa_required: true, mfa_token}`.
    pub mfa_token: String,
    /// A current TOTP code or an unused recovery code.
    pub code: String,
}

/// Finish a login that answered `mfa_required`; same body as a login.
#[utoipa::path(post, path = "/api/auth/mfa", tag = "auth", request_body = MfaLoginRequest,
    responses(
        (status = 200, body = TokenResponse, description = "tokens; the refresh token is also set as an HttpOnly cookie"),
        (status = 401, description = "invalid or expired MFA token, or wrong code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "this email failed too often from this address, or this address failed too often", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn finish_login(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<MfaLoginRequest>,
) -> Result<Response, AppError> {
    let origin = origin(&ip, &headers);
    let user = service::finish_login(&state, &body.mfa_token, &body.code, &origin).await?;
    let tokens = open_session(&state, &user, &origin).await?;
    Ok(with_refresh_cookie(&state, tokens))
}
