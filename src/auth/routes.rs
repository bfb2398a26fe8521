//! HTTP endpoints under `/api/auth` and `/api/setup`.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{AuthUser, ClientIp};
use super::service::{self, NewAccount, Origin, SetupRequest, TokenResponse};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;
use crate::users::{Role, UserView};

pub const REFRESH_COOKIE: &str = "sh_refresh";
/// Says "a session may be restored" to the web UI; it carries nothing secret.
pub const SESSION_HINT_COOKIE: &str = "sh_session";

/// Sign-in endpoints under the per-IP flood ceiling; registration also under its own
/// budget. Failed sign-ins are limited apart from these (see `super::throttle`).
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    use super::rate_limit::{Budget, limit_per_ip};
    let registration = limit_per_ip(
        OpenApiRouter::new().routes(routes!(register)),
        state,
        Budget::registrations(state),
    );
    let public = OpenApiRouter::new()
        .merge(registration)
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(logout))
        .routes(routes!(setup))
        .merge(super::mfa::routes::login_router())
        .merge(super::recovery::routes::public_router(state));
    limit_per_ip(public, state, Budget::ceiling(state)).merge(super::mfa::routes::account_router())
}

pub fn origin(ip: &ClientIp, headers: &HeaderMap) -> Origin {
    Origin {
        ip: ip.0.clone(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(300).collect()),
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(example = "ada@example.com")]
    pub email: String,
    #[schema(example = "a long passphrase")]
    pub password: String,
    #[schema(example = "Ada Lovelace")]
    pub name: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RegisterResponse {
    pub user: UserView,
}

/// Create a student account.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 201, body = RegisterResponse),
        (status = 409, description = "email already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many registrations from this address this hour", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), AppError> {
    let user = service::create_account(
        &state,
        NewAccount {
            email: body.email,
            password: body.password,
            name: body.name,
            role: Role::Student,
        },
        None,
        &origin(&ip, &headers),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            user: UserView::from(&user),
        }),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "ada@example.com")]
    pub email: String,
    pub password: String,
}

/// Log in with email and password. With MFA on, the answer is instead
/// `{mfa_required: true, mfa_token, expires_in}` (see `MfaChallenge`): finish with
/// `POST /api/auth/mfa`.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse, description = "tokens (the refresh token is also set as an HttpOnly cookie), or an `MfaChallenge` when MFA is on"),
        (status = 401, description = "wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "this email failed too often from this address (the same for unknown emails), this address failed too often, or the per-IP ceiling", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn login(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<LoginRequest>,
) -> Result<Response, AppError> {
    let origin = origin(&ip, &headers);
    let user = service::check_credentials(&state, &body.email, body.password, &origin).await?;
    if let Some(challenge) = super::mfa::service::challenge(&state, &user).await? {
        return Ok(Json(challenge).into_response());
    }
    let tokens = service::open_session(&state, &user, &origin).await?;
    Ok(with_refresh_cookie(&state, tokens))
}

/// The login body plus the refresh token as an HttpOnly cookie scoped to `/api/auth`.
pub fn with_refresh_cookie(state: &AppState, tokens: TokenResponse) -> Response {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = state.config.auth.refresh_token_days * 86_400;
    let cookie = format!(
        "{REFRESH_COOKIE}={}; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        tokens.refresh_token
    );
    // A readable companion without any secret, so the web UI asks to restore a session only
    // when there is one (no failing refresh on every visit of a signed-out page).
    let hint =
        format!("{SESSION_HINT_COOKIE}=1; Path=/; SameSite=Strict; Max-Age={max_age}{secure}");
    let mut response = Json(tokens).into_response();
    for value in [cookie, hint] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Both cookies of a session, expired.
fn clear_cookies(headers: &mut HeaderMap) {
    for cleared in [
        "sh_refresh=; Path=/api/auth; HttpOnly; SameSite=Strict; Max-Age=0",
        "sh_session=; Path=/; SameSite=Strict; Max-Age=0",
    ] {
        headers.append(header::SET_COOKIE, HeaderValue::from_static(cleared));
    }
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// Omit to use the `sh_refresh` cookie.
    pub refresh_token: Option<String>,
}

/// Trade a refresh token (body or cookie) for new tokens; the old refresh token dies.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "invalid, expired or reused refresh token", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, AppError> {
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        crate::http::json::parse::<RefreshRequest>(&body)?.refresh_token
    };
    let presented = from_body
        .or_else(|| cookie_value(&headers, REFRESH_COOKIE))
        .ok_or_else(|| AppError::Unauthorized("no refresh token was sent".into()))?;
    match service::refresh(&state, &presented).await {
        Ok(tokens) => Ok(with_refresh_cookie(&state, tokens)),
        Err(e) => {
            let mut response = e.into_response();
            clear_cookies(response.headers_mut());
            Ok(response)
        }
    }
}

/// End the current session: its access and refresh tokens stop working at once.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 204, description = "logged out"),
    ))]
pub async fn logout(State(state): State<AppState>, user: AuthUser) -> Result<Response, AppError> {
    service::logout(&state, &user.session_id).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    clear_cookies(response.headers_mut());
    Ok(response)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupBody {
    /// The token from the one-time link `serve` printed.
    pub token: String,
    pub email: String,
    pub password: String,
    pub name: Option<String>,
}

/// Create the first admin account with the one-time setup token.
#[utoipa::path(post, path = "/api/setup", tag = "auth", request_body = SetupBody,
    responses(
        (status = 201, body = RegisterResponse),
        (status = 403, description = "invalid token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "an admin already exists", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "token used or expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn setup(
    State(state): State<AppState>,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<SetupBody>,
) -> Result<(StatusCode, Json<RegisterResponse>), AppError> {
    let user = service::complete_setup(
        &state,
        SetupRequest {
            token: body.token,
            email: body.email,
            password: body.password,
            name: body.name,
        },
        &origin(&ip, &headers),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            user: UserView::from(&user),
        }),
    ))
}
