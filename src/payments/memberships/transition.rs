//! The membership state machine: one function decides what each event does to a membership
//! (or payment plan) in each state. Stripe's events arrive late, twice and out of order, so a
//! stale event leaves the state as it is; an ended membership never changes again.

use crate::access::MembershipStatus;
use crate::status::{IllegalTransition, Lifecycle};

/// What happened to a membership, from Stripe's events, staff, or the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipEvent {
    /// The subscription is in its trial (`customer.subscription.created|updated`, `trialing`).
    Trial,
    /// A period was paid (`invoice.paid`, or staff recorded it, or a comp).
    Paid,
    /// A payment failed (`invoice.payment_failed`, or the subscription says `past_due`/`unpaid`).
    PaymentFailed,
    /// Collection is paused (`customer.subscription.paused`).
    Paused,
    /// Collection resumed, or the subscription says `active` again.
    Resumed,
    /// The member's or an admin's cancellation took effect (`customer.subscription.deleted`
    /// after a cancel, or an admin's cancel now).
    Cancelled,
    /// The membership ended by itself: a payment plan's last instalment, or Stripe gave up
    /// on an unpaid subscription.
    Ended,
}

impl MembershipEvent {
    pub const ALL: &'static [MembershipEvent] = &[
        MembershipEvent::Trial,
        MembershipEvent::Paid,
        MembershipEvent::PaymentFailed,
        MembershipEvent::Paused,
        MembershipEvent::Resumed,
        MembershipEvent::Cancelled,
        MembershipEvent::Ended,
    ];

    /// The state the event asks for.
    fn target(self) -> MembershipStatus {
        use MembershipStatus::*;
        match self {
            MembershipEvent::Trial => Trialing,
            MembershipEvent::Paid | MembershipEvent::Resumed => Active,
            MembershipEvent::PaymentFailed => PastDue,
            MembershipEvent::Paused => Paused,
            MembershipEvent::Cancelled => Cancelled,
            MembershipEvent::Ended => Expired,
        }
    }
}

/// The moves the state machine may make (the shared `Lifecycle` table, so a refused move is
/// the usual 409 naming both states).
impl Lifecycle for MembershipStatus {
    const SUBJECT: &'static str = "a membership";

    fn next_states(self) -> &'static [MembershipStatus] {
        use MembershipStatus::*;
        match self {
            Trialing => &[Active, PastDue, Paused, Cancelled, Expired],
            Active => &[PastDue, Paused, Cancelled, Expired],
            PastDue => &[Active, Paused, Cancelled, Expired],
            Paused => &[Active, Cancelled, Expired],
            Cancelled | Expired => &[],
        }
    }
}

/// The one transition function. `Ok(Some(to))`: move; `Ok(None)`: the event changes nothing
/// (already there, or stale: a trial event after payment, a failure or resume that does not
/// apply); `Err`: the membership has ended and nothing moves it (a 409 for people; webhooks
/// record `no_change`).
pub fn transition(
    from: MembershipStatus,
    event: MembershipEvent,
) -> Result<Option<MembershipStatus>, IllegalTransition<MembershipStatus>> {
    use MembershipStatus::*;
    let to = event.target();
    if from.is_final() {
        return Err(IllegalTransition {
            from,
            to,
            only_via: None,
        });
    }
    let stays = from == to
        || matches!(
            (from, event),
            // A trial event never undoes a payment, a failure or a pause.
            (Active | PastDue | Paused, MembershipEvent::Trial)
            // Nothing is charged while paused, so a failure then is stale.
            | (Paused, MembershipEvent::PaymentFailed)
            // "Resumed" only lifts a pause; it does not settle an unpaid invoice.
            | (PastDue, MembershipEvent::Resumed)
        );
    if stays {
        return Ok(None);
    }
    from.check_move(to)?;
    Ok(Some(to))
}

#[cfg(test)]
mod tests {
    use super::MembershipEvent::*;
    use super::*;
    use crate::access::MembershipStatus::*;

    /// Every (state, event) pair and its outcome: `Some(Some(to))` moves, `Some(None)` stays,
    /// `None` is refused.
    #[rustfmt::skip]
    const TABLE: &[(MembershipStatus, MembershipEvent, Option<Option<MembershipStatus>>)] = &[
        (Trialing, Trial, Some(None)),
        (Trialing, Paid, Some(Some(Active))),
        (Trialing, PaymentFailed, Some(Some(PastDue))),
        (Trialing, MembershipEvent::Paused, Some(Some(MembershipStatus::Paused))),
        (Trialing, Resumed, Some(Some(Active))),
        (Trialing, MembershipEvent::Cancelled, Some(Some(MembershipStatus::Cancelled))),
        (Trialing, Ended, Some(Some(Expired))),

        (Active, Trial, Some(None)),
        (Active, Paid, Some(None)),
        (Active, PaymentFailed, Some(Some(PastDue))),
        (Active, MembershipEvent::Paused, Some(Some(MembershipStatus::Paused))),
        (Active, Resumed, Some(None)),
        (Active, MembershipEvent::Cancelled, Some(Some(MembershipStatus::Cancelled))),
        (Active, Ended, Some(Some(Expired))),

        (PastDue, Trial, Some(None)),
        (PastDue, Paid, Some(Some(Active))),
        (PastDue, PaymentFailed, Some(None)),
        (PastDue, MembershipEvent::Paused, Some(Some(MembershipStatus::Paused))),
        (PastDue, Resumed, Some(None)),
        (PastDue, MembershipEvent::Cancelled, Some(Some(MembershipStatus::Cancelled))),
        (PastDue, Ended, Some(Some(Expired))),

        (MembershipStatus::Paused, Trial, Some(None)),
        (MembershipStatus::Paused, Paid, Some(Some(Active))),
        (MembershipStatus::Paused, PaymentFailed, Some(None)),
        (MembershipStatus::Paused, MembershipEvent::Paused, Some(None)),
        (MembershipStatus::Paused, Resumed, Some(Some(Active))),
        (MembershipStatus::Paused, MembershipEvent::Cancelled, Some(Some(MembershipStatus::Cancelled))),
        (MembershipStatus::Paused, Ended, Some(Some(Expired))),

        (MembershipStatus::Cancelled, Trial, None),
        (MembershipStatus::Cancelled, Paid, None),
        (MembershipStatus::Cancelled, PaymentFailed, None),
        (MembershipStatus::Cancelled, MembershipEvent::Paused, None),
        (MembershipStatus::Cancelled, Resumed, None),
        (MembershipStatus::Cancelled, MembershipEvent::Cancelled, None),
        (MembershipStatus::Cancelled, Ended, None),

        (Expired, Trial, None),
        (Expired, Paid, None),
        (Expired, PaymentFailed, None),
        (Expired, MembershipEvent::Paused, None),
        (Expired, Resumed, None),
        (Expired, MembershipEvent::Cancelled, None),
        (Expired, Ended, None),
    ];

    #[test]
    fn every_state_and_event_pair_has_the_documented_outcome() {
        for (from, event, expected) in TABLE {
            let got = transition(*from, *event).ok();
            assert_eq!(got, *expected, "{from} + {event:?}");
        }
    }

    #[test]
    fn the_table_lists_every_state_and_event_exactly_once() {
        assert_eq!(
            TABLE.len(),
            MembershipStatus::ALL.len() * MembershipEvent::ALL.len()
        );
        for from in MembershipStatus::ALL {
            for event in MembershipEvent::ALL {
                let n = TABLE
                    .iter()
                    .filter(|(f, e, _)| f == from && e == event)
                    .count();
                assert_eq!(n, 1, "{from} + {event:?}");
            }
        }
    }

    #[test]
    fn an_ended_membership_refuses_every_event_with_a_conflict_naming_both_states() {
        let err = transition(MembershipStatus::Cancelled, MembershipEvent::Cancelled).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot move a membership from cancelled to cancelled"
        );
    }

    #[test]
    fn every_move_the_function_makes_is_in_the_lifecycle_table() {
        for from in MembershipStatus::ALL {
            for event in MembershipEvent::ALL {
                if let Ok(Some(to)) = transition(*from, *event) {
                    assert!(from.next_states().contains(&to), "{from} -> {to}");
                }
            }
        }
    }
}
