//! Memberships nobody bills end by themselves: a manual one whose recorded period ran out
//! falls past due, then expires when staff record nothing for `manual_expire_days`; a comp
//! given for a set time expires at its end. Run by the payments job, through the one
//! transition function, audited and mailed like Stripe's events.

use time::{Duration, OffsetDateTime};

use super::apply::{Actor, step};
use super::mails::{self, Mail};
use super::model::{Membership, MembershipGateway};
use super::store;
use super::transition::MembershipEvent;
use crate::access::MembershipStatus;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::AppError;
use crate::state::AppState;

/// The days that govern a lapse (the `[memberships]` section).
#[derive(Debug, Clone, Copy)]
pub struct LapseDays {
    pub grace: i64,
    pub manual_expire: i64,
}

/// What is due to `m` at `now`, if anything. Stripe memberships are Stripe's to move.
pub fn due_event(m: &Membership, now: OffsetDateTime, days: LapseDays) -> Option<MembershipEvent> {
    let end = m.current_period_end.as_deref().and_then(parse_rfc3339)?;
    if m.status.is_final() || now < end {
        return None;
    }
    match m.gateway {
        MembershipGateway::Stripe => None,
        MembershipGateway::Comp => Some(MembershipEvent::Ended),
        MembershipGateway::Manual => {
            // Overdue since the period ended (the access rule counts grace from there too).
            let since = m
                .past_due_since
                .as_deref()
                .and_then(parse_rfc3339)
                .unwrap_or(end);
            if now >= since + Duration::days(days.manual_expire) {
                Some(MembershipEvent::Ended)
            } else if m.status == MembershipStatus::PastDue {
                None
            } else {
                Some(MembershipEvent::PaymentFailed)
            }
        }
    }
}

/// Moves every manual or comp membership whose time has come; returns how many moved.
/// Idempotent: a moved membership is no longer due.
pub async fn run(state: &AppState, now: OffsetDateTime) -> Result<usize, AppError> {
    let days = LapseDays {
        grace: state.config.memberships.grace_days,
        manual_expire: state.config.memberships.manual_expire_days,
    };
    let moved = state
        .db
        .write(move |conn| {
            let now_text = rfc3339(now);
            let mut moved = 0;
            for mut m in store::unbilled_with_period(conn)? {
                let Some(event) = due_event(&m, now, days) else {
                    continue;
                };
                let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
                if event == MembershipEvent::PaymentFailed {
                    m.past_due_since = m.current_period_end.clone();
                }
                if !step(conn, &mut m, &plan, event, &Actor::default(), &now_text)? {
                    continue;
                }
                moved += 1;
                if event == MembershipEvent::PaymentFailed {
                    let until = m
                        .past_due_since
                        .as_deref()
                        .and_then(parse_rfc3339)
                        .map(|s| rfc3339(s + Duration::days(days.grace)))
                        .unwrap_or_default();
                    let mail = Mail::PaymentFailed {
                        amount_cents: plan.price_cents,
                        grace_until: &until,
                    };
                    mails::send(conn, &m, &plan, mail, &now_text)?;
                }
            }
            Ok(moved)
        })
        .await?;
    if moved > 0 {
        crate::mail::wake(state);
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAYS: LapseDays = LapseDays {
        grace: 7,
        manual_expire: 30,
    };

    fn at(day: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + Duration::days(day)
    }

    fn membership(gateway: MembershipGateway, status: MembershipStatus) -> Membership {
        Membership {
            id: "m".into(),
            user_id: "u".into(),
            plan_id: "p".into(),
            status,
            gateway,
            stripe_customer_id: None,
            stripe_subscription_id: None,
            current_period_end: Some(rfc3339(at(30))),
            past_due_since: None,
            cancel_at_period_end: false,
            cycles_paid: 1,
            started_at: rfc3339(at(0)),
            ended_at: None,
            updated_at: rfc3339(at(0)),
        }
    }

    #[test]
    fn a_manual_membership_is_not_due_before_its_recorded_period_ends() {
        let m = membership(MembershipGateway::Manual, MembershipStatus::Active);
        assert_eq!(due_event(&m, at(29), DAYS), None);
    }

    #[test]
    fn a_manual_membership_falls_past_due_when_its_recorded_period_ends() {
        let m = membership(MembershipGateway::Manual, MembershipStatus::Active);
        assert_eq!(
            due_event(&m, at(30), DAYS),
            Some(MembershipEvent::PaymentFailed)
        );
    }

    #[test]
    fn a_past_due_manual_membership_waits_for_staff_until_the_expiry_days_have_passed() {
        let mut m = membership(MembershipGateway::Manual, MembershipStatus::PastDue);
        m.past_due_since = m.current_period_end.clone();
        assert_eq!(due_event(&m, at(59), DAYS), None);
        assert_eq!(due_event(&m, at(60), DAYS), Some(MembershipEvent::Ended));
    }

    #[test]
    fn a_manual_membership_long_unpaid_expires_at_once_without_a_past_due_step() {
        let m = membership(MembershipGateway::Manual, MembershipStatus::Active);
        assert_eq!(due_event(&m, at(90), DAYS), Some(MembershipEvent::Ended));
    }

    #[test]
    fn a_comp_given_for_a_set_time_expires_at_its_end_without_grace() {
        let m = membership(MembershipGateway::Comp, MembershipStatus::Active);
        assert_eq!(due_event(&m, at(29), DAYS), None);
        assert_eq!(due_event(&m, at(30), DAYS), Some(MembershipEvent::Ended));
    }

    #[test]
    fn a_comp_without_an_end_never_lapses() {
        let mut m = membership(MembershipGateway::Comp, MembershipStatus::Active);
        m.current_period_end = None;
        assert_eq!(due_event(&m, at(10_000), DAYS), None);
    }

    #[test]
    fn stripe_memberships_and_ended_ones_are_never_moved_by_the_job() {
        let m = membership(MembershipGateway::Stripe, MembershipStatus::Active);
        assert_eq!(due_event(&m, at(90), DAYS), None);
        for status in [MembershipStatus::Cancelled, MembershipStatus::Expired] {
            let m = membership(MembershipGateway::Manual, status);
            assert_eq!(due_event(&m, at(90), DAYS), None, "{status}");
        }
    }

    #[test]
    fn a_paused_manual_membership_still_expires_once_unpaid_long_enough() {
        let m = membership(MembershipGateway::Manual, MembershipStatus::Paused);
        assert_eq!(due_event(&m, at(60), DAYS), Some(MembershipEvent::Ended));
    }
}
