//! Who is asking: the `AuthUser` extractor and role guards bound where routes are declared.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;

use super::session_cache::CachedSession;
use super::store;
use crate::http::AppError;
use crate::state::AppState;
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
            let roles: Vec<&str> = allowed.iter().map(|r| r.as_str()).collect();
            Err(AppError::Forbidden(crate::msg!(
                "problem-roles-needed",
                roles = roles.join(", ")
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
    authenticate_session(state, token)
        .await
        .map(|(user, _)| user)
}

/// Like [`authenticate`], also telling whether the user has MFA on.
async fn authenticate_session(
    state: &AppState,
    token: &str,
) -> Result<(AuthUser, CachedSession), AppError> {
    let invalid = || AppError::Unauthorized("the access token is invalid or expired".into());
    let now = state.now();
    let claims = state
        .jwt
        .verify(token, now.unix_timestamp())
        .ok_or_else(invalid)?;
    let check = match state.sessions.get(&claims.sid, &claims.sub) {
        Some(cached) => cached,
        None => {
            let ticket = state.sessions.ticket();
            let (session_id, user_id) = (claims.sid.clone(), claims.sub.clone());
            let row = state
                .db
                .read(move |conn| Ok(store::session_check(conn, &session_id, &user_id)?))
                .await?
                .ok_or_else(invalid)?;
            let check = CachedSession {
                user_id: claims.sub.clone(),
                revoked: row.revoked,
                expires_at: crate::clock::parse_rfc3339(&row.expires_at),
                role: row.role,
                disabled: row.disabled,
                mfa_enabled: row.mfa_enabled,
                locale: row.locale,
            };
            state.sessions.put(ticket, &claims.sid, check.clone());
            check
        }
    };
    let expired = check.expires_at.is_none_or(|at| at <= now);
    if check.revoked || expired {
        return Err(AppError::Unauthorized(
            "this session has ended; log in again".into(),
        ));
    }
    if check.disabled {
        return Err(AppError::Unauthorized("this account is disabled".into()));
    }
    let user = AuthUser {
        user_id: claims.sub,
        session_id: claims.sid,
        // The role in the database wins, so a role change takes effect at once.
        role: check.role,
    };
    Ok((user, check))
}

/// What an admin without MFA may still reach when `auth.require_mfa_for_admins` is on.
const REACHABLE_WITHOUT_MFA: &[(Method, &str)] = &[
    (Method::POST, "/api/users/me/mfa/setup"),
    (Method::POST, "/api/users/me/mfa/confirm"),
    (Method::GET, "/api/users/me"),
    (Method::POST, "/api/auth/logout"),
];

/// Refuses an admin without MFA everything but enrolment when the config demands MFA.
fn mfa_gate(
    state: &AppState,
    parts: &Parts,
    user: &AuthUser,
    mfa_enabled: bool,
) -> Result<(), AppError> {
    if !state.config.auth.require_mfa_for_admins || user.role != Role::Admin || mfa_enabled {
        return Ok(());
    }
    let path = parts.uri.path().trim_end_matches('/');
    if REACHABLE_WITHOUT_MFA
        .iter()
        .any(|(method, allowed)| parts.method == *method && path == *allowed)
    {
        return Ok(());
    }
    let mut problem = crate::http::Problem::new(
        axum::http::StatusCode::FORBIDDEN,
        "admins must set up MFA first: POST /api/users/me/mfa/setup, then confirm a code with \
         POST /api/users/me/mfa/confirm",
    );
    problem.kind = "/problems/mfa-setup-required".into();
    Err(problem.into_error())
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
        let (user, check) = authenticate_session(state, token).await?;
        if let Some(locale) = parts
            .extensions
            .get::<crate::i18n::problems::RequestLocale>()
        {
            locale.set_user(check.locale.as_deref());
        }
        mfa_gate(state, parts, &user, check.mfa_enabled)?;
        super::activity::touch(state, &user.user_id);
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

/// The client's address: the socket peer, or when the peer is one of
/// `server.trusted_proxies`, the right-most untrusted address of `X-Forwarded-For`.
#[derive(Debug, Clone)]
pub struct ClientIp(pub Option<String>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Validated at start-up, so this parse cannot fail on a running server.
        let trusted =
            super::client_ip::parse_all(&state.config.server.trusted_proxies).unwrap_or_default();
        Ok(ClientIp(
            super::client_ip::from_request(&parts.extensions, &parts.headers, &trusted)
                .map(|ip| ip.to_string()),
        ))
    }
}
