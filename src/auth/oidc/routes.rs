//! HTTP endpoints of provider sign-in: the public provider list, start and callback, and
//! the signed-in user's (and admins') view of linked identities.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::callback;
use super::config::Preset;
use super::flow::{self, Flow, LINK_COOKIE, PendingLink};
use super::service;
use super::store::Identity;
use crate::auth::extract::{AuthUser, ClientIp};
use crate::auth::routes::origin;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;
use crate::users::Role;

/// Sign-in endpoints under the per-IP flood ceiling, like the password login.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    use crate::auth::rate_limit::{Budget, limit_per_ip};
    let public = OpenApiRouter::new()
        .routes(routes!(providers))
        .routes(routes!(start))
        .routes(routes!(callback::callback));
    limit_per_ip(public, state, Budget::ceiling(state))
        .routes(routes!(my_identities, confirm_link))
        .routes(routes!(unlink))
        .routes(routes!(user_identities))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProviderView {
    pub id: String,
    /// Button text: "Continue with {name}".
    pub name: String,
    /// `generic`, `google`, `microsoft` or `facebook`.
    pub kind: String,
    /// Where the button points: `/api/auth/oidc/{id}/start`.
    pub start_url: String,
}

/// The sign-in providers for the login and sign-up pages.
#[utoipa::path(get, path = "/api/auth/providers", tag = "auth",
    responses(
        (status = 200, body = [ProviderView]),
        (status = 429, description = "the per-IP ceiling of sign-in endpoints", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn providers(State(state): State<AppState>) -> Json<Vec<ProviderView>> {
    let list = state
        .config
        .auth
        .oidc
        .providers
        .iter()
        .map(|p| ProviderView {
            id: p.id.clone(),
            name: p.display_name(),
            kind: serde_json::to_value(p.preset)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            start_url: format!("/api/auth/oidc/{}/start", p.id),
        })
        .collect();
    Json(list)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct StartQuery {
    /// A same-site path to land on after signing in (anything else lands on `/`).
    pub next: Option<String>,
}

/// The callback URL registered with the provider: under `server.public_url` when set,
/// else under the host the browser used.
pub fn redirect_uri(state: &AppState, headers: &HeaderMap, id: &str) -> String {
    let base = if state.config.server.public_url.is_empty() {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        let scheme = if state.config.server.tls.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}")
    } else {
        state.config.public_url()
    };
    format!("{}/api/auth/oidc/{id}/callback", base.trim_end_matches('/'))
}

pub fn secure(state: &AppState) -> bool {
    state.config.public_url().starts_with("https://")
}

/// Start signing in: redirects to the provider with PKCE (S256), `state` and `nonce`,
/// bound to this browser by a short-lived HttpOnly, SameSite=Lax cookie.
#[utoipa::path(get, path = "/api/auth/oidc/{id}/start", tag = "auth", params(("id" = String, Path), StartQuery),
    responses(
        (status = 303, description = "to the provider's sign-in page"),
        (status = 404, description = "no such provider", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "the per-IP ceiling of sign-in endpoints", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "the provider's discovery document cannot be read", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn start(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let provider = state
        .config
        .auth
        .oidc
        .provider(&id)
        .ok_or(AppError::NotFound("sign-in provider"))?
        .clone();
    let (challenge, verifier) = openidconnect::PkceCodeChallenge::new_random_sha256();
    let flow = Flow {
        provider: id.clone(),
        state: flow::random(),
        nonce: flow::random(),
        verifier: verifier.secret().clone(),
        redirect_uri: redirect_uri(&state, &headers, &id),
        next: super::policy::safe_next(query.next.as_deref()),
        issued_at: state.now().unix_timestamp(),
    };
    let url = if provider.preset == Preset::Facebook {
        super::facebook::authorize_url(&provider, &flow, challenge)
    } else {
        super::client::authorize_url(
            &provider,
            &flow.redirect_uri,
            &flow.state,
            &flow.nonce,
            challenge,
        )
        .await
        .map_err(|e| {
            tracing::warn!(provider = %id, error = %e, "sign-in provider unavailable");
            unavailable()
        })?
    };
    let sealed = flow::seal(&state.secrets.encryption_key, &flow, "oidc-flow")
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("cannot seal the sign-in cookie")))?;
    let cookie = flow::set_cookie(
        flow::FLOW_COOKIE,
        &sealed,
        "/api/auth/oidc",
        flow::FLOW_SECONDS,
        secure(&state),
        true,
    );
    let mut response = redirect(&url);
    append_cookie(&mut response, &cookie);
    Ok(response)
}

fn unavailable() -> AppError {
    let mut problem = Problem::new(
        StatusCode::BAD_GATEWAY,
        "the sign-in provider cannot be reached; try again later",
    );
    problem
        .extra
        .insert("reason".into(), "provider_error".into());
    AppError::Problem(Box::new(problem))
}

pub fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

pub fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The caller's linked sign-in providers.
#[utoipa::path(get, path = "/api/users/me/identities", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = [Identity])))]
pub async fn my_identities(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<Identity>>, AppError> {
    Ok(Json(service::list(&state, &user.user_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmLink {
    /// The account's password, proving its owner asks for the link.
    pub current_password: Option<String>,
}

/// Link the provider account waiting in this browser (after a provider sign-in found an
/// account with its email that it could not link alone) once the password is proved.
#[utoipa::path(post, path = "/api/users/me/identities", tag = "users", security(("bearer" = [])), request_body = ConfirmLink,
    responses(
        (status = 201, body = Identity),
        (status = 400, description = "no provider sign-in is waiting to be linked in this browser", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the provider account is linked to another account", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "the pending link expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "password missing or wrong", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn confirm_link(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Json(body): Json<ConfirmLink>,
) -> Result<Response, AppError> {
    let pending: PendingLink = cookie(&headers, LINK_COOKIE)
        .and_then(|c| flow::open(&state.secrets.encryption_key, &c, "oidc-link"))
        .ok_or_else(|| {
            AppError::BadRequest(
                "no provider sign-in is waiting to be linked in this browser".into(),
            )
        })?;
    let identity = service::confirm_link(
        &state,
        &user.user_id,
        pending,
        body.current_password,
        &origin(&ip, &headers),
    )
    .await?;
    let mut response = (StatusCode::CREATED, Json(identity)).into_response();
    append_cookie(
        &mut response,
        &format!(
            "{LINK_COOKIE}=; Path=/api/users/me/identities; HttpOnly; SameSite=Strict; Max-Age=0"
        ),
    );
    Ok(response)
}

/// Unlink a provider; refused (409) when it is the account's last way to sign in.
#[utoipa::path(delete, path = "/api/users/me/identities/{id}", tag = "users", security(("bearer" = [])), params(("id" = String, Path)),
    responses(
        (status = 204, description = "unlinked"),
        (status = 404, description = "no such identity of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the last way to sign in", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn unlink(
    State(state): State<AppState>,
    user: AuthUser,
    ip: ClientIp,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::unlink(&state, &user.user_id, &id, &origin(&ip, &headers)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A user's linked sign-in providers (admins).
#[utoipa::path(get, path = "/api/admin/users/{id}/identities", tag = "admin", security(("bearer" = [])), params(("id" = String, Path)),
    responses(
        (status = 200, body = [Identity]),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn user_identities(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Identity>>, AppError> {
    user.require(&[Role::Admin])?;
    Ok(Json(service::list(&state, &id).await?))
}
