//! Applying one state-machine event to a stored membership, inside the caller's write: the
//! transition, the fields that go with it, the audit entry and the member's mail.

use rusqlite::Connection;
use serde_json::json;

use super::mails::{self, Mail};
use super::model::{Membership, MembershipGateway, Plan};
use super::store;
use super::transition::{MembershipEvent, transition};
use crate::access::MembershipStatus;
use crate::http::AppError;
use crate::mail::render::phrase;

/// Who caused a change (none for Stripe's events), for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<String>,
    pub ip: Option<String>,
}

/// Moves `m` by `event`. `Ok(false)`: nothing changed (stale or repeated event); `Err`: the
/// membership has ended (409).
pub fn step(
    conn: &Connection,
    m: &mut Membership,
    plan: &Plan,
    event: MembershipEvent,
    actor: &Actor,
    now: &str,
) -> Result<bool, AppError> {
    let Some(to) = transition(m.status, event)? else {
        return Ok(false);
    };
    let from = m.status;
    m.status = to;
    m.updated_at = now.to_string();
    match to {
        MembershipStatus::PastDue => {
            m.past_due_since.get_or_insert_with(|| now.to_string());
        }
        MembershipStatus::Active | MembershipStatus::Trialing => m.past_due_since = None,
        MembershipStatus::Paused => {}
        MembershipStatus::Cancelled | MembershipStatus::Expired => {
            m.ended_at = Some(now.to_string());
            m.cancel_at_period_end = false;
        }
    }
    store::update(conn, m)?;
    audit(
        conn,
        m,
        actor,
        &format!("membership.{to}"),
        json!({"from": from, "to": to}),
        now,
    )?;
    match to {
        MembershipStatus::Paused => mails::send(conn, m, plan, Mail::Paused, now)?,
        MembershipStatus::Cancelled => mails::send(
            conn,
            m,
            plan,
            Mail::Cancelled {
                when: &phrase("membership-when-cancelled"),
            },
            now,
        )?,
        MembershipStatus::Expired if !paid_off(m, plan) => {
            let when = if m.gateway == MembershipGateway::Comp {
                phrase("membership-when-comp-ended")
            } else {
                phrase("membership-when-ended")
            };
            mails::send(conn, m, plan, Mail::Cancelled { when: &when }, now)?
        }
        _ => {}
    }
    Ok(true)
}

pub fn paid_off(m: &Membership, plan: &Plan) -> bool {
    plan.cycles.is_some_and(|n| m.cycles_paid >= n)
}

pub fn audit(
    conn: &Connection,
    m: &Membership,
    actor: &Actor,
    action: &str,
    detail: serde_json::Value,
    now: &str,
) -> Result<(), AppError> {
    crate::audit::store::record(
        conn,
        now,
        &crate::audit::Entry {
            actor_id: actor.user_id.as_deref(),
            action,
            target_type: Some("membership"),
            target_id: Some(&m.id),
            ip: actor.ip.as_deref(),
            detail: Some(detail),
        },
    )?;
    Ok(())
}

/// The enrolment `user_id` has in `course_id` through membership `membership_id` (`kind`
/// `membership` or `plan`): created (or re-activated) if need be, and marked as held unless
/// it is already owned.
pub fn hold_enrolment(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
    membership_id: &str,
    kind: &str,
    now: &str,
) -> Result<(), AppError> {
    let owned_before = matches!(
        crate::access::store::enrolment(conn, user_id, course_id)?,
        Some(e) if e.has_access && e.holding == crate::access::rule::Holding::Owned
    );
    if owned_before {
        return Ok(());
    }
    crate::learning::service::grant_enrollment(
        conn,
        user_id,
        course_id,
        crate::learning::model::EnrollmentSource::Manual,
        None,
        now,
    )?;
    let granted = crate::learning::store::enrollments::find(conn, user_id, course_id)?
        .ok_or(AppError::NotFound("enrolment"))?;
    crate::access::store::hold(conn, &granted.id, membership_id, kind)?;
    Ok(())
}

/// A payment plan's last instalment: its course, or every course of its bundle, is owned
/// outright from now on.
pub fn own_plan_course(
    conn: &Connection,
    m: &Membership,
    plan: &Plan,
    now: &str,
) -> Result<(), AppError> {
    for course_id in plan.sold_courses() {
        crate::learning::service::grant_enrollment(
            conn,
            &m.user_id,
            course_id,
            crate::learning::model::EnrollmentSource::Manual,
            None,
            now,
        )?;
        crate::access::store::release(conn, &m.user_id, course_id)?;
    }
    Ok(())
}

/// Records a change the app itself just made to the membership's subscription at Stripe as the
/// newest subscription event applied, so the events Stripe made before it (a card update's, a
/// first switch's), delivered late, are `stale` and cannot undo it. Stripe's clock, so the real
/// time, not the school's; one second on, because Stripe's event times are whole seconds and
/// an event of the same second may predate the change (the change's own event says nothing new).
pub fn mark_own_change(conn: &rusqlite::Connection, id: &str) -> Result<(), AppError> {
    let at = time::OffsetDateTime::now_utc().unix_timestamp() + 1;
    store::mark_subscription_event(conn, id, at)?;
    Ok(())
}
