//! Refresh-token rotation: each use trades the token for a new one, a token presented
//! again ends its session, except a retry whose first answer was lost in transit.

use time::{Duration, OffsetDateTime};

use super::{TokenResponse, token_response};
use crate::audit;
use crate::auth::store;
use crate::auth::tokens::{hash_token, random_token};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::AppError;
use crate::state::AppState;
use crate::users::{User, store as users};

enum Rotation {
    Rotated {
        user: User,
        session_id: String,
    },
    /// The session ended because its refresh token was presented twice.
    Reused(String),
    Invalid(&'static str),
}

/// Whether a used token presented again may be a retry rather than a theft: it was used
/// within the last `grace` (a reload or a dropped connection can lose the answer that
/// carried its successor, and the browser then still holds the old cookie).
pub fn may_be_a_lost_answer(used_at: Option<&str>, now: OffsetDateTime, grace: Duration) -> bool {
    used_at
        .and_then(parse_rfc3339)
        .is_some_and(|at| at <= now && now - at <= grace)
}

/// Trades a refresh token for new tokens. An already-used token ends its whole session,
/// unless it was used within `auth.refresh_reuse_grace_seconds`, what it was traded for is
/// still unused and no later token was used: then that successor is withdrawn and a new one
/// issued in its place.
pub async fn refresh(state: &AppState, presented: &str) -> Result<TokenResponse, AppError> {
    let presented_hash = hash_token(presented);
    let next_token = random_token();
    let next_hash = hash_token(&next_token);
    let now = state.now();
    let now_text = rfc3339(now);
    let grace = Duration::seconds(state.config.auth.refresh_reuse_grace_seconds);
    let outcome = state
        .db
        .write(move |conn| {
            let Some(found) = store::refresh_lookup(conn, &presented_hash)? else {
                return Ok(Rotation::Invalid("the refresh token is not valid"));
            };
            let retried = found.used_at.is_some()
                && !found.session_revoked
                && may_be_a_lost_answer(found.used_at.as_deref(), now, grace)
                && store::withdraw_unused_successors(
                    conn,
                    &found.session_id,
                    found.used_at.as_deref().unwrap_or_default(),
                )?;
            if found.used_at.is_some() && !retried {
                store::revoke_session(conn, &found.session_id, "refresh token reuse", &now_text)?;
                audit::store::record(
                    conn,
                    &now_text,
                    &audit::Entry {
                        actor_id: Some(&found.user_id),
                        action: "session.revoked_refresh_reuse",
                        target_type: Some("session"),
                        target_id: Some(&found.session_id),
                        ..Default::default()
                    },
                )?;
                return Ok(Rotation::Reused(found.session_id));
            }
            let expired = parse_rfc3339(&found.session_expires_at).is_none_or(|at| at <= now);
            if found.session_revoked || expired {
                return Ok(Rotation::Invalid("this session has ended; log in again"));
            }
            if found.user_disabled {
                return Ok(Rotation::Invalid("this account is disabled"));
            }
            if !retried {
                store::mark_refresh_used(conn, &presented_hash, &now_text)?;
            }
            store::insert_refresh_token(conn, &next_hash, &found.session_id, &now_text)?;
            store::touch_session(conn, &found.session_id, &now_text)?;
            let user = users::by_id(conn, &found.user_id)?.ok_or(AppError::NotFound("user"))?;
            Ok(Rotation::Rotated {
                user,
                session_id: found.session_id,
            })
        })
        .await?;
    match outcome {
        Rotation::Rotated { user, session_id } => {
            token_response(state, &user, &session_id, next_token)
        }
        Rotation::Reused(session_id) => {
            state.sessions.forget_session(&session_id);
            Err(AppError::Unauthorized(
                "this refresh token was already used; the session has been ended for safety".into(),
            ))
        }
        Rotation::Invalid(why) => Err(AppError::Unauthorized(why.into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-07 10:00:30 UTC);

    #[test]
    fn a_token_used_moments_ago_may_be_a_retry_whose_answer_was_lost() {
        let grace = Duration::seconds(30);
        assert!(may_be_a_lost_answer(
            Some("2026-12-07T10:00:29Z"),
            NOW,
            grace
        ));
        assert!(may_be_a_lost_answer(
            Some("2026-12-07T10:00:00Z"),
            NOW,
            grace
        ));
    }

    #[test]
    fn a_token_used_longer_ago_than_the_grace_is_a_theft() {
        let grace = Duration::seconds(30);
        assert!(!may_be_a_lost_answer(
            Some("2026-12-07T09:59:59Z"),
            NOW,
            grace
        ));
        assert!(!may_be_a_lost_answer(
            Some("2026-12-07T10:00:29Z"),
            NOW,
            Duration::ZERO
        ));
    }

    #[test]
    fn an_unused_unreadable_or_future_use_is_never_a_retry() {
        let grace = Duration::seconds(30);
        assert!(!may_be_a_lost_answer(None, NOW, grace));
        assert!(!may_be_a_lost_answer(Some("yesterday"), NOW, grace));
        assert!(!may_be_a_lost_answer(
            Some("2026-12-07T10:00:31Z"),
            NOW,
            grace
        ));
    }
}
