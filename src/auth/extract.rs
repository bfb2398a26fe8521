//! Who is asking: the `AuthUser` extractor and role guards bound where routes are declared.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;

use super::store;
use crate::app::AppState;
use crate::http::AppError;
use crate::users::Role;

/// An authenticated caller whose session was checked against the database.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user_id: String,
    pub session_id: String,
    pub role: Role,
}

impl AuthUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require(&self, allowed: &[Role]) -> Result<(), AppError> {
        if allowed.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "this action needs one of these roles: {}",
                allowed
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
    }
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Checks a bearer token: signature, expiry, and a live session of an enabled user.
pub async fn authenticate(state: &AppState, token: &str) -> Result<AuthUser, AppError> {
    let invalid = || AppError::Unauthorized("the access token is invalid or expired".into());
    let now = state.now();
    let claims = state
        .jwt
        .verify(token, now.unix_timestamp())
        .ok_or_else(invalid)?;
    let (session_id, user_id) = (claims.sid.clone(), claims.sub.clone());
    let check = state
        .db
        .read(move |conn| Ok(store::session_check(conn, &session_id, &user_id)?))
        .await?
        .ok_or_else(invalid)?;
    let expired = crate::clock::parse_rfc3339(&check.expires_at).is_none_or(|at| at <= now);
    if check.revoked || expired {
        return Err(AppError::Unauthorized(
            "this session has ended; log in again".into(),
        ));
    }
    if check.disabled {
        return Err(AppError::Unauthorized("this account is disabled".into()));
    }
    Ok(AuthUser {
        user_id: claims.sub,
        session_id: claims.sid,
        // The role in the database wins, so a role change takes effect at once.
        role: check.role,
    })
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<AuthUser>() {
            return Ok(user.clone());
        }
        let token = bearer_token(parts).ok_or_else(|| {
            AppError::Unauthorized(
                "log in first: send an `Authorization: Bearer` access token".into(),
            )
        })?;
        let user = authenticate(state, token).await?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

/// The caller if a token was sent (an invalid token is still an error), else anonymous.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<AuthUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if bearer_token(parts).is_none() && parts.extensions.get::<AuthUser>().is_none() {
            return Ok(MaybeUser(None));
        }
        AuthUser::from_request_parts(parts, state)
            .await
            .map(|u| MaybeUser(Some(u)))
    }
}

/// Restricts every route of `router` to callers holding one of `allowed`.
pub fn require_roles(
    router: OpenApiRouter<AppState>,
    state: &AppState,
    allowed: &'static [Role],
) -> OpenApiRouter<AppState> {
    router.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        move |State(state): State<AppState>, request: Request, next: Next| async move {
            guard(state, allowed, request, next).await
        },
    ))
}

async fn guard(
    state: AppState,
    allowed: &'static [Role],
    request: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let user = match AuthUser::from_request_parts(&mut parts, &state).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    if let Err(e) = user.require(allowed) {
        return e.into_response();
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The client's address as seen on the socket.
#[derive(Debug, Clone)]
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_string()),
        ))
    }
}
