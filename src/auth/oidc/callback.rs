//! The provider's redirect back: check the browser's sealed flow and `state`, trade the
//! code, check the token, then sign in, ask for the password to link, or refuse. A browser
//! is sent on with a redirect; a client that accepts only JSON gets the answer as JSON.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::config::{Preset, ProviderConfig};
use super::flow::{self, FLOW_COOKIE, Flow, LINK_COOKIE};
use super::policy::{Asserted, Refusal};
use super::routes::{append_cookie, cookie, redirect, secure};
use super::service::{self, Outcome};
use crate::auth::extract::ClientIp;
use crate::auth::routes::{origin, with_refresh_cookie};
use crate::auth::service::Origin;
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CallbackQuery {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The provider's error code when the person declined or the request was refused.
    pub error: Option<String>,
}

/// Why a callback ends without a session; `reason` is the code the login page explains.
struct Failure {
    status: StatusCode,
    reason: &'static str,
    detail: crate::http::Message,
}

impl Failure {
    fn new(
        status: StatusCode,
        reason: &'static str,
        detail: impl Into<crate::http::Message>,
    ) -> Failure {
        Failure {
            status,
            reason,
            detail: detail.into(),
        }
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::new(StatusCode::FORBIDDEN, r.code(), r.message())
    }
}

/// Back from the provider. Browsers land on `next` signed in (the refresh cookie set as by
/// a password login), on `/login#mfa=...` for the TOTP step, `/login#oidc=link...` to link
/// with the password, or `/login#oidc_error=<reason>`. With `Accept: application/json`:
/// the login answer (`TokenResponse` or `MfaChallenge`), or a problem with `reason`.
#[utoipa::path(get, path = "/api/auth/oidc/{id}/callback", tag = "auth", params(("id" = String, Path), CallbackQuery),
    responses(
        (status = 200, body = crate::auth::service::TokenResponse, description = "JSON clients: tokens (refresh token also as cookie) or an `MfaChallenge`"),
        (status = 303, description = "browsers: on to `next`, or to the login page with a message"),
        (status = 400, description = "missing or mismatched `state`, no sign-in started in this browser", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "the provider refused the code, or its ID token failed a check", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "refused: email not verified, domain not allowed, sign-up closed, account disabled (`reason`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such provider", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "an account uses this email: sign in with its password, then POST /api/users/me/identities (`reason` = `link_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "the per-IP ceiling of sign-in endpoints", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn callback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<CallbackQuery>,
    ip: ClientIp,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let provider = state
        .config
        .auth
        .oidc
        .provider(&id)
        .ok_or(AppError::NotFound("sign-in provider"))?
        .clone();
    let json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"));
    let origin = origin(&ip, &headers);
    let flow: Option<Flow> = cookie(&headers, FLOW_COOKIE)
        .and_then(|c| flow::open(&state.secrets.encryption_key, &c, "oidc-flow"));
    let result = finish(&state, &provider, flow, query, &origin).await;
    let mut response = match result {
        Ok(Done::Session(response, _)) if json => response,
        Ok(Done::Session(login, next)) => {
            let mut response = redirect(&next);
            for value in login.headers().get_all(header::SET_COOKIE) {
                response
                    .headers_mut()
                    .append(header::SET_COOKIE, value.clone());
            }
            response
        }
        Ok(Done::Mfa(challenge, _)) if json => Json(challenge).into_response(),
        Ok(Done::Mfa(challenge, next)) => redirect(&format!(
            "/login?next={}#mfa={}",
            urlencode(&next),
            challenge.mfa_token
        )),
        Ok(Done::Link(pending, sealed)) => {
            let mut response = if json {
                let problem = Problem::new(
                    StatusCode::CONFLICT,
                    "an account already uses this email: log in with its password to link this provider",
                )
                .with("reason", "link_required")
                .with("email", &pending.email);
                AppError::Problem(Box::new(problem)).into_response()
            } else {
                redirect(&format!(
                    "/login#oidc=link&provider={}&email={}",
                    urlencode(&provider.display_name()),
                    urlencode(&pending.email)
                ))
            };
            let cookie = flow::set_cookie(
                LINK_COOKIE,
                &sealed,
                "/api/users/me/identities",
                flow::LINK_SECONDS,
                secure(&state),
                false,
            );
            append_cookie(&mut response, &cookie);
            response
        }
        Err(failure) if json => {
            let problem =
                Problem::new(failure.status, failure.detail).with("reason", failure.reason);
            AppError::Problem(Box::new(problem)).into_response()
        }
        Err(failure) => redirect(&format!("/login#oidc_error={}", failure.reason)),
    };
    // The flow is spent whatever happened: a replay must start again.
    append_cookie(
        &mut response,
        &format!("{FLOW_COOKIE}=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

enum Done {
    /// The login response with its cookies, and where to land.
    Session(Response, String),
    Mfa(crate::auth::mfa::service::MfaChallenge, String),
    Link(flow::PendingLink, String),
}

/// The callback's steps in order: the browser's flow and `state`, the code exchange and
/// token checks, then the account.
async fn finish(
    state: &AppState,
    provider: &ProviderConfig,
    flow: Option<Flow>,
    query: CallbackQuery,
    origin: &Origin,
) -> Result<Done, Failure> {
    let (flow, code) = check_flow(state, provider, flow, query, origin).await?;
    let (asserted, name) = exchange(state, provider, &flow, code, origin).await?;
    conclude(state, provider, asserted, name, origin, flow.next).await
}

/// The sealed flow must be this provider's and fresh, the provider must not report an
/// error, the answer's `state` must match the flow's, and a code must be there, checked in
/// that order. Only the provider's error and a `state` mismatch write an audit row.
async fn check_flow(
    state: &AppState,
    provider: &ProviderConfig,
    flow: Option<Flow>,
    query: CallbackQuery,
    origin: &Origin,
) -> Result<(Flow, String), Failure> {
    let bad_state =
        |detail: &'static str| Failure::new(StatusCode::BAD_REQUEST, "state_mismatch", detail);
    let flow = flow
        .filter(|f| f.provider == provider.id)
        .filter(|f| state.now().unix_timestamp() - f.issued_at <= flow::FLOW_SECONDS)
        .ok_or_else(|| {
            bad_state("no sign-in was started in this browser, or it expired: start again")
        })?;
    if let Some(error) = query.error {
        refused_audit(state, provider, origin, &format!("provider error: {error}")).await;
        return Err(Failure::new(
            StatusCode::UNAUTHORIZED,
            "provider_error",
            crate::msg!("problem-provider-declined", cause = error.as_str()),
        ));
    }
    let given = query.state.unwrap_or_default();
    if given.is_empty() || !flow::same(&given, &flow.state) {
        refused_audit(state, provider, origin, "state mismatch").await;
        return Err(bad_state(
            "the sign-in answer does not belong to this browser's sign-in (state)",
        ));
    }
    let code = query.code.filter(|c| !c.is_empty()).ok_or_else(|| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "provider_error",
            "the provider sent no code",
        )
    })?;
    Ok((flow, code))
}

/// Trades the code for the provider's assertion (Facebook has no ID token and its own
/// exchange); a failure is logged and audited.
async fn exchange(
    state: &AppState,
    provider: &ProviderConfig,
    flow: &Flow,
    code: String,
    origin: &Origin,
) -> Result<(Asserted, Option<String>), Failure> {
    let exchanged = if provider.preset == Preset::Facebook {
        super::facebook::exchange(provider, flow, code).await
    } else {
        super::client::exchange(
            provider,
            &flow.redirect_uri,
            code,
            flow.verifier.clone(),
            &flow.nonce,
            state.now(),
        )
        .await
        .map(|claims| asserted_from(provider, &claims))
    };
    match exchanged {
        Ok(found) => Ok(found),
        Err(e) => {
            tracing::info!(provider = %provider.id, error = %e, "provider sign-in failed");
            refused_audit(state, provider, origin, &e.to_string()).await;
            Err(Failure::new(
                StatusCode::UNAUTHORIZED,
                "provider_error",
                crate::msg!("problem-provider-failed", cause = e.to_string()),
            ))
        }
    }
}

/// Signs the checked assertion in (`service::sign_in`) and turns its outcome into the
/// callback's end: a session, the MFA step, a sealed pending link, or a refusal.
async fn conclude(
    state: &AppState,
    provider: &ProviderConfig,
    asserted: Asserted,
    name: Option<String>,
    origin: &Origin,
    next: String,
) -> Result<Done, Failure> {
    match service::sign_in(state, provider, asserted, name, origin)
        .await
        .map_err(internal)?
    {
        Outcome::Refused(r) => Err(r.into()),
        Outcome::NeedsPassword(pending) => {
            let sealed = flow::seal(&state.secrets.encryption_key, &pending, "oidc-link")
                .ok_or_else(|| internal(AppError::Internal(anyhow::anyhow!("seal"))))?;
            Ok(Done::Link(pending, sealed))
        }
        Outcome::SignedIn(user) => {
            if let Some(challenge) = crate::auth::mfa::service::challenge(state, &user)
                .await
                .map_err(internal)?
            {
                return Ok(Done::Mfa(challenge, next));
            }
            let tokens = crate::auth::service::open_session(state, &user, origin)
                .await
                .map_err(internal)?;
            Ok(Done::Session(with_refresh_cookie(state, tokens), next))
        }
    }
}

fn internal(e: AppError) -> Failure {
    Failure::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "provider_error",
        e.message(),
    )
}

fn asserted_from(
    provider: &ProviderConfig,
    claims: &super::client::IdClaims,
) -> (Asserted, Option<String>) {
    let extra = claims.additional_claims();
    // Microsoft's tokens carry no `email_verified`; its optional `xms_edov` says the
    // tenant proved it owns the email's domain.
    let verified = claims
        .email_verified()
        .unwrap_or(provider.preset == Preset::Microsoft && extra.xms_edov == Some(true));
    let asserted = Asserted {
        subject: claims.subject().as_str().to_string(),
        email: claims
            .email()
            .map(|e| e.as_str().to_string())
            .unwrap_or_default(),
        email_verified: verified,
        hosted_domain: extra.hd.clone(),
    };
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_string());
    (asserted, name)
}

async fn refused_audit(state: &AppState, provider: &ProviderConfig, origin: &Origin, reason: &str) {
    let (id, reason, ip, now) = (
        provider.id.clone(),
        reason.to_string(),
        origin.ip.clone(),
        state.now_text(),
    );
    let written = state
        .db
        .write(move |conn| {
            let detail = serde_json::json!({ "provider": id, "reason": reason });
            Ok(crate::audit::store::record(
                conn,
                &now,
                &crate::audit::Entry {
                    action: "oidc.refused",
                    ip: ip.as_deref(),
                    detail: Some(detail),
                    ..Default::default()
                },
            )?)
        })
        .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "cannot audit a refused provider sign-in");
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
