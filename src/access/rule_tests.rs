use time::macros::datetime;

use super::*;

const NOW: OffsetDateTime = datetime!(2026-06-15 12:00 UTC);
const GRACE: i64 = 7;

fn owned() -> EnrolmentFacts {
    EnrolmentFacts {
        has_access: true,
        holding: Holding::Owned,
    }
}

fn held(holding: Holding) -> EnrolmentFacts {
    EnrolmentFacts {
        has_access: true,
        holding,
    }
}

fn member(status: MembershipStatus) -> MembershipFacts {
    MembershipFacts {
        status,
        covers: true,
        past_due_since: None,
        cycles: None,
        paid_through: None,
    }
}

fn overdue_since(days: i64) -> MembershipFacts {
    MembershipFacts {
        past_due_since: Some(NOW - Duration::days(days)),
        ..member(MembershipStatus::PastDue)
    }
}

fn plan(status: MembershipStatus, paid: i64, owed: i64) -> MembershipFacts {
    MembershipFacts {
        cycles: Some((paid, owed)),
        ..member(status)
    }
}

fn denied(reason: DeniedReason) -> CourseAccess {
    CourseAccess::Denied { reason }
}

#[test]
fn an_owned_enrolment_opens_the_course_whatever_the_memberships() {
    for m in MembershipStatus::ALL {
        assert_eq!(
            course_access(Some(&owned()), &[member(*m)], NOW, GRACE, &[]),
            CourseAccess::Owned,
            "{m}"
        );
    }
}

#[test]
fn a_revoked_enrolment_alone_opens_nothing_and_says_so() {
    let revoked = EnrolmentFacts {
        has_access: false,
        holding: Holding::Owned,
    };
    assert_eq!(
        course_access(Some(&revoked), &[], NOW, GRACE, &[]),
        denied(DeniedReason::Revoked)
    );
}

#[test]
fn no_enrolment_and_no_membership_is_not_enrolled() {
    assert_eq!(
        course_access(None, &[], NOW, GRACE, &[]),
        denied(DeniedReason::NotEnrolled)
    );
}

#[test]
fn trialing_and_active_memberships_covering_the_course_open_it() {
    for s in [MembershipStatus::Trialing, MembershipStatus::Active] {
        assert_eq!(
            course_access(None, &[member(s)], NOW, GRACE, &[]),
            CourseAccess::Member { grace_until: None }
        );
        assert_eq!(
            course_access(
                Some(&held(Holding::Membership)),
                &[member(s)],
                NOW,
                GRACE,
                &[]
            ),
            CourseAccess::Member { grace_until: None }
        );
    }
}

#[test]
fn a_membership_not_covering_the_course_opens_nothing() {
    let other = MembershipFacts {
        covers: false,
        ..member(MembershipStatus::Active)
    };
    assert_eq!(
        course_access(None, &[other], NOW, GRACE, &[]),
        denied(DeniedReason::NotEnrolled)
    );
}

#[test]
fn a_past_due_membership_keeps_access_until_the_grace_days_are_over() {
    let access = course_access(None, &[overdue_since(6)], NOW, GRACE, &[]);
    assert_eq!(
        access,
        CourseAccess::Member {
            grace_until: Some(NOW + Duration::days(1))
        }
    );
    assert_eq!(
        course_access(None, &[overdue_since(7)], NOW, GRACE, &[]),
        denied(DeniedReason::PaymentOverdue),
        "the grace period ends exactly grace_days after the failure"
    );
    assert_eq!(
        course_access(None, &[overdue_since(0)], NOW, 0, &[]),
        denied(DeniedReason::PaymentOverdue),
        "no grace with grace_days = 0"
    );
}

#[test]
fn a_membership_held_enrolment_loses_access_with_its_membership() {
    let e = held(Holding::Membership);
    for (status, reason) in [
        (MembershipStatus::Paused, DeniedReason::Paused),
        (MembershipStatus::Cancelled, DeniedReason::Ended),
        (MembershipStatus::Expired, DeniedReason::Ended),
    ] {
        assert_eq!(
            course_access(Some(&e), &[member(status)], NOW, GRACE, &[]),
            denied(reason),
            "{status}"
        );
    }
    assert_eq!(
        course_access(Some(&e), &[overdue_since(30)], NOW, GRACE, &[]),
        denied(DeniedReason::PaymentOverdue)
    );
}

#[test]
fn one_live_membership_is_enough_among_ended_ones() {
    let ms = [
        member(MembershipStatus::Cancelled),
        overdue_since(30),
        member(MembershipStatus::Active),
    ];
    assert_eq!(
        course_access(None, &ms, NOW, GRACE, &[]),
        CourseAccess::Member { grace_until: None }
    );
}

#[test]
fn the_most_telling_reason_is_given_when_several_memberships_fail() {
    let ms = [
        member(MembershipStatus::Cancelled),
        member(MembershipStatus::Paused),
        overdue_since(30),
    ];
    assert_eq!(
        course_access(None, &ms, NOW, GRACE, &[]),
        denied(DeniedReason::PaymentOverdue)
    );
}

#[test]
fn a_payment_plan_being_paid_opens_its_course_with_the_same_grace() {
    let e = held(Holding::Plan);
    assert_eq!(
        course_access(
            Some(&e),
            &[],
            NOW,
            GRACE,
            &[plan(MembershipStatus::Active, 1, 3)]
        ),
        CourseAccess::Instalments { grace_until: None }
    );
    let late = MembershipFacts {
        past_due_since: Some(NOW - Duration::days(2)),
        ..plan(MembershipStatus::PastDue, 1, 3)
    };
    assert_eq!(
        course_access(Some(&e), &[], NOW, GRACE, &[late]),
        CourseAccess::Instalments {
            grace_until: Some(NOW + Duration::days(5))
        }
    );
    let lapsed = MembershipFacts {
        past_due_since: Some(NOW - Duration::days(8)),
        ..late
    };
    assert_eq!(
        course_access(Some(&e), &[], NOW, GRACE, &[lapsed]),
        denied(DeniedReason::PaymentOverdue)
    );
}

#[test]
fn a_payment_plan_paid_off_owns_the_course_even_after_it_ended() {
    for s in MembershipStatus::ALL {
        assert_eq!(
            course_access(
                Some(&held(Holding::Plan)),
                &[],
                NOW,
                GRACE,
                &[plan(*s, 3, 3)]
            ),
            CourseAccess::Owned,
            "{s}"
        );
    }
}

#[test]
fn a_payment_plan_cancelled_before_the_last_instalment_opens_nothing() {
    assert_eq!(
        course_access(
            Some(&held(Holding::Plan)),
            &[],
            NOW,
            GRACE,
            &[plan(MembershipStatus::Cancelled, 2, 3)]
        ),
        denied(DeniedReason::Ended)
    );
}

#[test]
fn a_paid_off_plan_does_not_reopen_a_revoked_enrolment() {
    let revoked = EnrolmentFacts {
        has_access: false,
        holding: Holding::Plan,
    };
    assert_eq!(
        course_access(
            Some(&revoked),
            &[],
            NOW,
            GRACE,
            &[plan(MembershipStatus::Expired, 3, 3)]
        ),
        denied(DeniedReason::Ended)
    );
}

#[test]
fn a_membership_paid_by_hand_is_overdue_after_its_recorded_period_with_the_same_grace() {
    let paid_until = |days_ago: i64| MembershipFacts {
        paid_through: Some(NOW - Duration::days(days_ago)),
        ..member(MembershipStatus::Active)
    };
    let ahead = MembershipFacts {
        paid_through: Some(NOW + Duration::days(3)),
        ..member(MembershipStatus::Active)
    };
    assert_eq!(
        course_access(None, &[ahead], NOW, GRACE, &[]),
        CourseAccess::Member { grace_until: None }
    );
    assert_eq!(
        course_access(None, &[paid_until(2)], NOW, GRACE, &[]),
        CourseAccess::Member {
            grace_until: Some(NOW + Duration::days(5))
        }
    );
    assert_eq!(
        course_access(None, &[paid_until(7)], NOW, GRACE, &[]),
        denied(DeniedReason::PaymentOverdue)
    );
}

// A course can be sold by several payment plans at once: its own, and the plan of each
// bundle holding it. The rule reads them all.

#[test]
fn a_bundle_plan_being_paid_opens_its_course_even_beside_a_course_plan_that_ended_unpaid() {
    let plans = [
        plan(MembershipStatus::Active, 1, 3),
        plan(MembershipStatus::Expired, 1, 3),
    ];
    assert_eq!(
        course_access(Some(&held(Holding::Plan)), &[], NOW, GRACE, &plans),
        CourseAccess::Instalments { grace_until: None }
    );
    let reversed = [plans[1], plans[0]];
    assert_eq!(
        course_access(Some(&held(Holding::Plan)), &[], NOW, GRACE, &reversed),
        CourseAccess::Instalments { grace_until: None },
        "whichever plan comes first"
    );
}

#[test]
fn a_paid_off_bundle_plan_owns_each_of_its_courses_whatever_other_plans_did() {
    let plans = [
        plan(MembershipStatus::Cancelled, 1, 6),
        plan(MembershipStatus::Expired, 3, 3),
    ];
    assert_eq!(
        course_access(Some(&held(Holding::Plan)), &[], NOW, GRACE, &plans),
        CourseAccess::Owned
    );
    assert_eq!(
        course_access(None, &[], NOW, GRACE, &plans),
        CourseAccess::Owned,
        "even before an enrolment is written"
    );
}

#[test]
fn a_bundle_plan_that_ended_unpaid_closes_its_courses_unless_a_membership_covers_them() {
    let ended = [plan(MembershipStatus::Expired, 2, 3)];
    assert_eq!(
        course_access(Some(&held(Holding::Plan)), &[], NOW, GRACE, &ended),
        denied(DeniedReason::Ended)
    );
    assert_eq!(
        course_access(
            Some(&held(Holding::Plan)),
            &[member(MembershipStatus::Active)],
            NOW,
            GRACE,
            &ended
        ),
        CourseAccess::Member { grace_until: None }
    );
}

#[test]
fn a_bundle_plan_overdue_past_its_grace_says_so_before_another_plan_that_ended() {
    let lapsed = MembershipFacts {
        past_due_since: Some(NOW - Duration::days(GRACE)),
        ..plan(MembershipStatus::PastDue, 1, 3)
    };
    let plans = [plan(MembershipStatus::Cancelled, 1, 3), lapsed];
    assert_eq!(
        course_access(Some(&held(Holding::Plan)), &[], NOW, GRACE, &plans),
        denied(DeniedReason::PaymentOverdue)
    );
}
