//! Signing in with email and password: throttling, constant-work checking, auditing and
//! upgrading old password hashes.

use super::Origin;
use crate::audit;
use crate::http::AppError;
use crate::state::AppState;
use crate::users::{User, store as users};

fn bad_credentials() -> AppError {
    AppError::Unauthorized("the email or password is incorrect".into())
}

/// Checks email and password. An unknown email costs the same hashing work as a known one,
/// and is counted and locked the same way, so no answer tells whether an account exists.
/// A source (this email from this client IP) that failed too often, or an IP over its
/// failure budget, is refused with 429 before any hashing, even with the right password;
/// the same email from another address is not.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: String,
    origin: &Origin,
) -> Result<User, AppError> {
    let email = email.trim().to_lowercase();
    let lookup = email.clone();
    let now = state.now();
    let user = state
        .db
        .read(move |conn| Ok(users::by_email(conn, &lookup)?))
        .await?;
    let limits = state.config.rate_limit.clone();
    let attempt = match state
        .login_throttle
        .begin(&email, origin.ip.as_deref(), now, &limits)
    {
        Ok(attempt) => attempt,
        Err(refusal) => {
            let actor = user.as_ref().map(|u| u.id.clone());
            let event = LoginEvent {
                action: "login.refused_locked",
                locked_for: None,
                upgrade: None,
            };
            record_login_event(state, actor, &email, event, origin).await?;
            return Err(refusal);
        }
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let (valid, upgrade) = verify_password(state, password, stored).await?;
    let outcome = login_outcome(user.as_ref(), valid);
    if outcome == "login.failed" {
        state.login_throttle.failed(&attempt, now);
    } else {
        state.login_throttle.succeeded(&attempt);
    }
    let actor = user.as_ref().map(|u| u.id.clone());
    let locked = (outcome == "login.failed")
        .then_some(attempt.locks_for)
        .flatten();
    let event = LoginEvent {
        action: outcome,
        locked_for: locked,
        upgrade: upgrade.filter(|_| outcome == "login.succeeded"),
    };
    record_login_event(state, actor, &email, event, origin).await?;
    match (user, valid) {
        (Some(u), true) if u.disabled_at.is_some() => Err(AppError::Forbidden(
            "this account is disabled; contact the school".into(),
        )),
        (Some(u), true) => Ok(u),
        _ => Err(bad_credentials()),
    }
}

/// Checks `password` against `stored` (hashing the same work when there is none) on the CPU
/// pool. A hash made with other settings than today's is replaced at the first login that
/// proves the password, so a changed cost reaches every account in use: the answer carries
/// (old, new) hash then.
async fn verify_password(
    state: &AppState,
    password: String,
    stored: Option<String>,
) -> Result<(bool, Option<(String, String)>), AppError> {
    let hasher = state.hasher.clone();
    state
        .blocking(move || {
            if !hasher.verify(&password, stored.as_deref()) {
                return (false, None);
            }
            let old = stored.unwrap_or_default();
            if !hasher.needs_rehash(&old) {
                return (true, None);
            }
            match hasher.hash(&password) {
                Ok(fresh) => (true, Some((old, fresh))),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot make a fresh password hash; keeping the old");
                    (true, None)
                }
            }
        })
        .await
}

/// The audit action of a sign-in: a disabled account that proved its password is refused,
/// not failed (it is not counted against the source).
fn login_outcome(user: Option<&User>, valid: bool) -> &'static str {
    match (user, valid) {
        (Some(u), true) if u.disabled_at.is_some() => "login.refused_disabled",
        (Some(_), true) => "login.succeeded",
        _ => "login.failed",
    }
}

/// What a sign-in attempt leaves behind.
struct LoginEvent {
    action: &'static str,
    /// The failure locked its source for this many seconds.
    locked_for: Option<u64>,
    /// (old, new) password hash, when the login proved the password under old settings.
    upgrade: Option<(String, String)>,
}

/// Audits a sign-in outcome (an unknown email is named in the detail, as no id exists),
/// `account.locked` when the failure locked its source, and stores an upgraded hash.
async fn record_login_event(
    state: &AppState,
    actor: Option<String>,
    email: &str,
    event: LoginEvent,
    origin: &Origin,
) -> Result<(), AppError> {
    let LoginEvent {
        action,
        locked_for,
        upgrade,
    } = event;
    let (email, ip, now_text) = (email.to_string(), origin.ip.clone(), state.now_text());
    state
        .db
        .write(move |conn| {
            let entry = |action, detail| audit::Entry {
                actor_id: actor.as_deref(),
                action,
                target_type: Some("user"),
                target_id: actor.as_deref(),
                ip: ip.as_deref(),
                detail,
            };
            let unknown = actor
                .is_none()
                .then(|| serde_json::json!({ "email": email }));
            audit::store::record(conn, &now_text, &entry(action, unknown))?;
            if let Some(seconds) = locked_for {
                let detail = serde_json::json!({ "email": email, "seconds": seconds });
                audit::store::record(conn, &now_text, &entry("account.locked", Some(detail)))?;
            }
            if let (Some(id), Some((old, new))) = (actor.as_deref(), &upgrade) {
                users::upgrade_password_hash(conn, id, old, new)?;
            }
            Ok(())
        })
        .await
}
