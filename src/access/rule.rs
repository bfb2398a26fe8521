//! The one rule deciding whether a learner may open a course: an owned enrolment, a paid-off
//! payment plan, or a live membership (or instalment plan) covering the course, with a grace
//! period while a payment is overdue.

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use crate::status::status_enum;

status_enum!(
    /// Where a membership (or payment plan) stands; moves only through
    /// `payments::memberships::transition`.
    pub enum MembershipStatus: "membership status" {
        Trialing => "trialing", Active => "active", PastDue => "past_due",
        Paused => "paused", Cancelled => "cancelled", Expired => "expired",
    }
);

impl MembershipStatus {
    /// Cancelled and expired memberships never change again.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            MembershipStatus::Cancelled | MembershipStatus::Expired
        )
    }
}

/// How an enrolment is held: owned (free, bought, by hand) or through a membership or plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    Owned,
    Membership,
    Plan,
}

/// The learner's enrolment in the course, as the rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolmentFacts {
    /// Active or completed (a revoked enrolment opens nothing by itself).
    pub has_access: bool,
    pub holding: Holding,
}

/// One of the learner's memberships (or one of their payment plans selling this course: for
/// the course itself, or for a bundle holding it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MembershipFacts {
    pub status: MembershipStatus,
    /// The plan opens this course (all courses, its category, or listed).
    pub covers: bool,
    /// When the first unpaid invoice failed (past_due only).
    pub past_due_since: Option<OffsetDateTime>,
    /// For a payment plan: instalments paid and owed; `None` for a membership.
    pub cycles: Option<(i64, i64)>,
    /// For a membership paid by hand: the end of the last period staff recorded. Past it the
    /// membership is overdue (with the same grace) until the next period is recorded.
    pub paid_through: Option<OffsetDateTime>,
}

impl MembershipFacts {
    fn paid_off(&self) -> bool {
        matches!(self.cycles, Some((paid, owed)) if paid >= owed)
    }
}

/// The answer: whether the course opens, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "access", rename_all = "snake_case")]
pub enum CourseAccess {
    /// Bought, free, given by hand, or every instalment paid: for good.
    Owned,
    /// Through a membership; `grace_until` is set while a payment is overdue.
    Member {
        #[serde(with = "time::serde::rfc3339::option")]
        grace_until: Option<OffsetDateTime>,
    },
    /// Through a payment plan still being paid.
    Instalments {
        #[serde(with = "time::serde::rfc3339::option")]
        grace_until: Option<OffsetDateTime>,
    },
    /// Not open; `reason` is shown to the learner.
    Denied { reason: DeniedReason },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeniedReason {
    /// Neither enrolled nor a member covering the course.
    NotEnrolled,
    /// The enrolment was revoked (a refund) and nothing else opens the course.
    Revoked,
    /// A membership or plan covers it but a payment is overdue past the grace period.
    PaymentOverdue,
    /// A membership or plan covers it but is paused.
    Paused,
    /// The membership or plan that opened it has ended.
    Ended,
}

impl DeniedReason {
    pub fn message(self) -> &'static str {
        match self {
            DeniedReason::NotEnrolled => "enrol in this course to open its lessons",
            DeniedReason::Revoked => "your enrolment in this course has been revoked",
            DeniedReason::PaymentOverdue => {
                "your payment is overdue: update your card to open this course again (your progress is kept)"
            }
            DeniedReason::Paused => "your membership is paused (your progress is kept)",
            DeniedReason::Ended => {
                "the membership that opened this course has ended (your progress is kept)"
            }
        }
    }
}

impl CourseAccess {
    pub fn is_open(self) -> bool {
        !matches!(self, CourseAccess::Denied { .. })
    }
}

/// Whether `m` opens a course it covers at `now`: trialing and active do; past-due does
/// until `grace_days` after the first failed payment; paused, cancelled and expired do not.
fn live(
    m: &MembershipFacts,
    now: OffsetDateTime,
    grace_days: i64,
) -> Result<Option<OffsetDateTime>, DeniedReason> {
    match m.status {
        MembershipStatus::Trialing | MembershipStatus::Active => match m.paid_through {
            Some(end) if now >= end + Duration::days(grace_days) => {
                Err(DeniedReason::PaymentOverdue)
            }
            Some(end) if now >= end => Ok(Some(end + Duration::days(grace_days))),
            _ => Ok(None),
        },
        MembershipStatus::PastDue => {
            // A past-due row without its date is treated as overdue since now: grace starts.
            let until = m.past_due_since.unwrap_or(now) + Duration::days(grace_days);
            if now < until {
                Ok(Some(until))
            } else {
                Err(DeniedReason::PaymentOverdue)
            }
        }
        MembershipStatus::Paused => Err(DeniedReason::Paused),
        MembershipStatus::Cancelled | MembershipStatus::Expired => Err(DeniedReason::Ended),
    }
}

/// The access rule. Ownership wins (an owned enrolment, or a payment plan paid off: for the
/// course itself or for a bundle holding it); then any live payment plan selling the course;
/// then any live membership covering it. When none opens it, the reason is the most telling
/// one (overdue before paused before ended).
pub fn course_access(
    enrolment: Option<&EnrolmentFacts>,
    memberships: &[MembershipFacts],
    now: OffsetDateTime,
    grace_days: i64,
    plans: &[MembershipFacts],
) -> CourseAccess {
    if let Some(e) = enrolment
        && e.has_access
        && e.holding == Holding::Owned
    {
        return CourseAccess::Owned;
    }
    if plans.iter().any(MembershipFacts::paid_off) && enrolment.is_none_or(|e| e.has_access) {
        return CourseAccess::Owned;
    }
    let mut reasons = Vec::new();
    for p in plans {
        match live(p, now, grace_days) {
            Ok(grace_until) => return CourseAccess::Instalments { grace_until },
            Err(r) => reasons.push(r),
        }
    }
    for m in memberships.iter().filter(|m| m.covers) {
        match live(m, now, grace_days) {
            Ok(grace_until) => return CourseAccess::Member { grace_until },
            Err(r) => reasons.push(r),
        }
    }
    let reason = [
        DeniedReason::PaymentOverdue,
        DeniedReason::Paused,
        DeniedReason::Ended,
    ]
    .into_iter()
    .find(|r| reasons.contains(r))
    .unwrap_or(match enrolment {
        Some(e) if !e.has_access => DeniedReason::Revoked,
        _ => DeniedReason::NotEnrolled,
    });
    CourseAccess::Denied { reason }
}

#[cfg(test)]
#[path = "rule_tests.rs"]
mod tests;
