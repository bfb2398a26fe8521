//! Who may open a course: the one access rule over enrolments, memberships and payment plans
//! (`rule`), the facts it reads (`store`), and the checks every learning path calls.
//!
//! Its own node between `catalog` and `privacy`: both `learning` and `catalog` check access,
//! and `payments` (which bills memberships) sits above them, so the rule cannot live there.

pub mod rule;
pub mod store;

use rusqlite::Connection;
use time::OffsetDateTime;

pub use rule::{CourseAccess, DeniedReason, MembershipStatus, course_access};

use crate::http::AppError;
use crate::state::AppState;

/// The moment and grace period an access decision is made with.
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    pub now: OffsetDateTime,
    pub grace_days: i64,
}

impl Gate {
    pub fn of(state: &AppState) -> Gate {
        Gate {
            now: state.now(),
            grace_days: state.config.memberships.grace_days,
        }
    }
}

/// The access rule applied to what the database holds for this learner and course.
pub fn for_course(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    gate: Gate,
) -> Result<CourseAccess, AppError> {
    let enrolment = store::enrolment(conn, user_id, course_id)?;
    let memberships = store::covering_memberships(conn, user_id, course_id)?;
    let plans = store::payment_plans(conn, user_id, course_id)?;
    Ok(course_access(
        enrolment.as_ref(),
        &memberships,
        gate.now,
        gate.grace_days,
        &plans,
    ))
}

/// As [`for_course`], with a closed course as a 403 naming the reason (`access_reason`).
pub fn require(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    gate: Gate,
) -> Result<CourseAccess, AppError> {
    match for_course(conn, user_id, course_id, gate)? {
        CourseAccess::Denied { reason } => Err(crate::http::Problem::new(
            axum::http::StatusCode::FORBIDDEN,
            reason.message(),
        )
        .with("access_reason", reason)
        .into_error()),
        open => Ok(open),
    }
}
