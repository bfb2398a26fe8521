//! Order, payment and refund-request lifecycles: each has one transition function that refuses every move not listed here.
//!
//! Statuses are stored as the snake_case strings of [`Status::as_str`] (the
//! same strings serde uses), mirrored by SQL `CHECK` constraints.
//!
//! A move to the state a record is already in is refused like any other
//! unlisted move (the one exception is a further partial refund). Handlers
//! that can see the same event twice, such as webhooks, compare the current
//! state with the target first and treat a match as already done.
//!
//! # Orders
//!
//! ```text
//! pending            -> paid | cancelled
//! paid               -> fulfilled | shipped | cancelled | refunded* | partially_refunded*
//! fulfilled          -> refunded* | partially_refunded*
//! shipped            -> delivered
//! delivered          -> refunded* | partially_refunded*
//! partially_refunded -> refunded* | partially_refunded* | shipped
//! cancelled, refunded: final
//! ```
//!
//! `*` Only the refund flow ([`TransitionCause::Refund`]) may move an order
//! into `refunded` or `partially_refunded`, from any state: those states
//! promise the buyer that money went back, so an admin editing a status must
//! not produce them. `fulfilled` is the end state of an order with nothing to
//! ship (courses, downloads), the counterpart of `delivered`. An order is
//! refunded either before it ships or after delivery, never in transit; a
//! partial refund before dispatch (the course in a mixed order, say) leaves
//! the physical items to ship, hence `partially_refunded -> shipped`.
//!
//! # Payments
//!
//! ```text
//! pending            -> completed | failed
//! failed             -> completed
//! completed          -> refunded | partially_refunded
//! partially_refunded -> refunded | partially_refunded
//! refunded: final
//! ```
//!
//! A failed attempt can still succeed (the buyer retries the same payment
//! with another card), but money once received never becomes "failed": a late,
//! out-of-order failure event is refused, and only refunds follow completion.
//!
//! # Refund requests
//!
//! ```text
//! requested        -> approved | rejected | return_requested
//! return_requested -> return_received | rejected
//! return_received  -> approved | rejected
//! approved         -> processed | failed
//! failed           -> processed
//! rejected, processed: final
//! ```
//!
//! Physical goods go through the return steps before approval; the money is
//! only sent after approval. A gateway failure can be retried (or settled by
//! hand) until the refund is processed; an approved refund is never rejected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What every lifecycle status provides; lets the error and parse types be
/// shared.
pub trait Status: Copy + Eq + fmt::Debug + 'static {
    /// The record the status belongs to, with its article ("an order").
    const SUBJECT: &'static str;
    /// Name used in parse errors ("order status").
    const NAME: &'static str;
    /// Every status, in lifecycle order.
    const ALL: &'static [Self];

    /// The stored and serialized form, e.g. `"partially_refunded"`.
    fn as_str(self) -> &'static str;
}

/// Parses the stored form of any status; exact match only, because stored
/// values are always written by [`Status::as_str`].
fn parse_status<S: Status>(value: &str) -> Result<S, ParseStatusError> {
    S::ALL
        .iter()
        .copied()
        .find(|status| status.as_str() == value)
        .ok_or_else(|| ParseStatusError {
            name: S::NAME,
            value: value.to_owned(),
            expected: S::ALL.iter().map(|status| status.as_str()).collect(),
        })
}

/// A string that is not a known status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseStatusError {
    pub name: &'static str,
    pub value: String,
    pub expected: Vec<&'static str>,
}

impl fmt::Display for ParseStatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?} (expected one of: {})",
            self.name,
            self.value,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for ParseStatusError {}

/// A refused status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IllegalTransition<S: Status> {
    pub from: S,
    pub to: S,
    /// Set when the move exists but only for this cause.
    pub only_via: Option<TransitionCause>,
}

impl<S: Status> fmt::Display for IllegalTransition<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (subject, from, to) = (S::SUBJECT, self.from.as_str(), self.to.as_str());
        match self.only_via {
            None => write!(f, "cannot move {subject} from {from} to {to}"),
            Some(cause) => write!(
                f,
                "only {} can move {subject} from {from} to {to}",
                cause.description()
            ),
        }
    }
}

impl<S: Status> std::error::Error for IllegalTransition<S> {}

/// Why an order's status is changing. Only [`TransitionCause::Refund`]
/// changes what is allowed; the others are recorded for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransitionCause {
    /// The gateway, or an admin confirming an offline payment.
    Payment,
    /// Staff or a vendor fulfilling, shipping or recording delivery.
    Fulfilment,
    /// The buyer or staff cancelling.
    Cancellation,
    /// The refund flow, once the refund has been processed.
    Refund,
}

impl TransitionCause {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Payment => "payment",
            Self::Fulfilment => "fulfilment",
            Self::Cancellation => "cancellation",
            Self::Refund => "refund",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::Payment => "a payment",
            Self::Fulfilment => "fulfilment",
            Self::Cancellation => "a cancellation",
            Self::Refund => "a refund",
        }
    }
}

// ---------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Pending,
    Paid,
    Fulfilled,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
    PartiallyRefunded,
}

impl Status for OrderStatus {
    const SUBJECT: &'static str = "an order";
    const NAME: &'static str = "order status";
    const ALL: &'static [Self] = &[
        Self::Pending,
        Self::Paid,
        Self::Fulfilled,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
        Self::Refunded,
        Self::PartiallyRefunded,
    ];

    fn as_str(self) -> &'static str {
        OrderStatus::as_str(self)
    }
}

impl OrderStatus {
    /// Whether the buyer has paid and keeps what they bought: paid and every later state
    /// except cancelled and fully refunded (digital downloads open in these).
    pub fn is_paid_for(self) -> bool {
        matches!(
            self,
            Self::Paid
                | Self::Fulfilled
                | Self::Shipped
                | Self::Delivered
                | Self::PartiallyRefunded
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Paid => "paid",
            Self::Fulfilled => "fulfilled",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
        }
    }

    /// The states this one may move to (the module table); moves into a
    /// refund state additionally need [`TransitionCause::Refund`].
    pub fn next_states(self) -> &'static [OrderStatus] {
        use OrderStatus::*;
        match self {
            Pending => &[Paid, Cancelled],
            Paid => &[Fulfilled, Shipped, Cancelled, Refunded, PartiallyRefunded],
            Fulfilled | Delivered => &[Refunded, PartiallyRefunded],
            Shipped => &[Delivered],
            PartiallyRefunded => &[Refunded, PartiallyRefunded, Shipped],
            Cancelled | Refunded => &[],
        }
    }

    /// No further move is possible.
    pub fn is_final(self) -> bool {
        self.next_states().is_empty()
    }

    fn is_refund_state(self) -> bool {
        matches!(self, Self::Refunded | Self::PartiallyRefunded)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = ParseStatusError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_status(value)
    }
}

/// The one place an order's status may change.
pub fn transition(
    from: OrderStatus,
    to: OrderStatus,
    via: TransitionCause,
) -> Result<(), IllegalTransition<OrderStatus>> {
    if !from.next_states().contains(&to) {
        return Err(IllegalTransition {
            from,
            to,
            only_via: None,
        });
    }
    if to.is_refund_state() && via != TransitionCause::Refund {
        return Err(IllegalTransition {
            from,
            to,
            only_via: Some(TransitionCause::Refund),
        });
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Payments
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    Pending,
    Completed,
    Failed,
    Refunded,
    PartiallyRefunded,
}

impl Status for PaymentStatus {
    const SUBJECT: &'static str = "a payment";
    const NAME: &'static str = "payment status";
    const ALL: &'static [Self] = &[
        Self::Pending,
        Self::Completed,
        Self::Failed,
        Self::Refunded,
        Self::PartiallyRefunded,
    ];

    fn as_str(self) -> &'static str {
        PaymentStatus::as_str(self)
    }
}

impl PaymentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Refunded => "refunded",
            Self::PartiallyRefunded => "partially_refunded",
        }
    }

    /// The states this one may move to (the module table).
    pub fn next_states(self) -> &'static [PaymentStatus] {
        use PaymentStatus::*;
        match self {
            Pending => &[Completed, Failed],
            Failed => &[Completed],
            Completed => &[Refunded, PartiallyRefunded],
            PartiallyRefunded => &[Refunded, PartiallyRefunded],
            Refunded => &[],
        }
    }

    pub fn is_final(self) -> bool {
        self.next_states().is_empty()
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PaymentStatus {
    type Err = ParseStatusError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_status(value)
    }
}

/// The one place a payment's status may change.
pub fn payment_transition(
    from: PaymentStatus,
    to: PaymentStatus,
) -> Result<(), IllegalTransition<PaymentStatus>> {
    if from.next_states().contains(&to) {
        Ok(())
    } else {
        Err(IllegalTransition {
            from,
            to,
            only_via: None,
        })
    }
}

// ---------------------------------------------------------------------------
// Refund requests
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundStatus {
    Requested,
    Approved,
    Rejected,
    Processed,
    ReturnRequested,
    ReturnReceived,
    Failed,
}

impl Status for RefundStatus {
    const SUBJECT: &'static str = "a refund request";
    const NAME: &'static str = "refund status";
    const ALL: &'static [Self] = &[
        Self::Requested,
        Self::Approved,
        Self::Rejected,
        Self::Processed,
        Self::ReturnRequested,
        Self::ReturnReceived,
        Self::Failed,
    ];

    fn as_str(self) -> &'static str {
        RefundStatus::as_str(self)
    }
}

impl RefundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Processed => "processed",
            Self::ReturnRequested => "return_requested",
            Self::ReturnReceived => "return_received",
            Self::Failed => "failed",
        }
    }

    /// The states this one may move to (the module table).
    pub fn next_states(self) -> &'static [RefundStatus] {
        use RefundStatus::*;
        match self {
            Requested => &[Approved, Rejected, ReturnRequested],
            ReturnRequested => &[ReturnReceived, Rejected],
            ReturnReceived => &[Approved, Rejected],
            Approved => &[Processed, Failed],
            Failed => &[Processed],
            Rejected | Processed => &[],
        }
    }

    pub fn is_final(self) -> bool {
        self.next_states().is_empty()
    }

    /// Whether staff have the next move: decide a request, receive a return, retry a payout.
    /// The admin queue opens on these ("needs action").
    pub fn waits_for_staff(self) -> bool {
        use RefundStatus::*;
        matches!(self, Requested | ReturnRequested | ReturnReceived | Failed)
    }
}

impl fmt::Display for RefundStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RefundStatus {
    type Err = ParseStatusError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        parse_status(value)
    }
}

/// The one place a refund request's status may change.
pub fn refund_transition(
    from: RefundStatus,
    to: RefundStatus,
) -> Result<(), IllegalTransition<RefundStatus>> {
    if from.next_states().contains(&to) {
        Ok(())
    } else {
        Err(IllegalTransition {
            from,
            to,
            only_via: None,
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn staff_have_the_next_move_on_new_requests_returns_and_failed_payouts_only() {
        use RefundStatus::*;
        let waiting: Vec<_> = RefundStatus::ALL
            .iter()
            .filter(|s| s.waits_for_staff())
            .collect();
        assert_eq!(
            waiting,
            [&Requested, &ReturnRequested, &ReturnReceived, &Failed]
        );
    }

    use super::*;

    #[test]
    fn paid_for_means_paid_and_not_undone() {
        let paid: Vec<_> = OrderStatus::ALL
            .iter()
            .filter(|s| s.is_paid_for())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            paid,
            [
                "paid",
                "fulfilled",
                "shipped",
                "delivered",
                "partially_refunded"
            ]
        );
    }

    const CAUSES: [TransitionCause; 4] = [
        TransitionCause::Payment,
        TransitionCause::Fulfilment,
        TransitionCause::Cancellation,
        TransitionCause::Refund,
    ];

    /// Written out independently of `next_states`, so a slip in either shows.
    const ORDER_MOVES: &[(OrderStatus, OrderStatus)] = {
        use OrderStatus::*;
        &[
            (Pending, Paid),
            (Pending, Cancelled),
            (Paid, Fulfilled),
            (Paid, Shipped),
            (Paid, Cancelled),
            (Paid, Refunded),
            (Paid, PartiallyRefunded),
            (Fulfilled, Refunded),
            (Fulfilled, PartiallyRefunded),
            (Shipped, Delivered),
            (Delivered, Refunded),
            (Delivered, PartiallyRefunded),
            (PartiallyRefunded, Refunded),
            (PartiallyRefunded, PartiallyRefunded),
            (PartiallyRefunded, Shipped),
        ]
    };

    const PAYMENT_MOVES: &[(PaymentStatus, PaymentStatus)] = {
        use PaymentStatus::*;
        &[
            (Pending, Completed),
            (Pending, Failed),
            (Failed, Completed),
            (Completed, Refunded),
            (Completed, PartiallyRefunded),
            (PartiallyRefunded, Refunded),
            (PartiallyRefunded, PartiallyRefunded),
        ]
    };

    const REFUND_MOVES: &[(RefundStatus, RefundStatus)] = {
        use RefundStatus::*;
        &[
            (Requested, Approved),
            (Requested, Rejected),
            (Requested, ReturnRequested),
            (ReturnRequested, ReturnReceived),
            (ReturnRequested, Rejected),
            (ReturnReceived, Approved),
            (ReturnReceived, Rejected),
            (Approved, Processed),
            (Approved, Failed),
            (Failed, Processed),
        ]
    };

    #[test]
    fn every_order_move_is_allowed_exactly_when_listed() {
        let mut checked = 0;
        for &from in OrderStatus::ALL {
            for &to in OrderStatus::ALL {
                let listed = ORDER_MOVES.contains(&(from, to));
                for via in CAUSES {
                    let needs_refund =
                        matches!(to, OrderStatus::Refunded | OrderStatus::PartiallyRefunded);
                    let expected = if !listed {
                        Err(IllegalTransition {
                            from,
                            to,
                            only_via: None,
                        })
                    } else if needs_refund && via != TransitionCause::Refund {
                        Err(IllegalTransition {
                            from,
                            to,
                            only_via: Some(TransitionCause::Refund),
                        })
                    } else {
                        Ok(())
                    };
                    assert_eq!(
                        transition(from, to, via),
                        expected,
                        "{from} -> {to} via {via:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 8 * 8 * 4);
    }

    #[test]
    fn every_payment_move_is_allowed_exactly_when_listed() {
        for &from in PaymentStatus::ALL {
            for &to in PaymentStatus::ALL {
                let expected = if PAYMENT_MOVES.contains(&(from, to)) {
                    Ok(())
                } else {
                    Err(IllegalTransition {
                        from,
                        to,
                        only_via: None,
                    })
                };
                assert_eq!(payment_transition(from, to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn every_refund_request_move_is_allowed_exactly_when_listed() {
        for &from in RefundStatus::ALL {
            for &to in RefundStatus::ALL {
                let expected = if REFUND_MOVES.contains(&(from, to)) {
                    Ok(())
                } else {
                    Err(IllegalTransition {
                        from,
                        to,
                        only_via: None,
                    })
                };
                assert_eq!(refund_transition(from, to), expected, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn the_lists_name_every_status_once() {
        fn assert_complete<S: Status + std::hash::Hash>(variant_count: usize) {
            let unique: std::collections::HashSet<S> = S::ALL.iter().copied().collect();
            assert_eq!(unique.len(), variant_count, "{}", S::NAME);
            assert_eq!(S::ALL.len(), variant_count, "{}", S::NAME);
        }
        assert_complete::<OrderStatus>(8);
        assert_complete::<PaymentStatus>(5);
        assert_complete::<RefundStatus>(7);
    }

    #[test]
    fn final_states_are_the_ones_with_no_way_out() {
        let final_orders: Vec<_> = OrderStatus::ALL
            .iter()
            .filter(|status| status.is_final())
            .collect();
        assert_eq!(
            final_orders,
            [&OrderStatus::Cancelled, &OrderStatus::Refunded]
        );
        let final_payments: Vec<_> = PaymentStatus::ALL
            .iter()
            .filter(|status| status.is_final())
            .collect();
        assert_eq!(final_payments, [&PaymentStatus::Refunded]);
        let final_refunds: Vec<_> = RefundStatus::ALL
            .iter()
            .filter(|status| status.is_final())
            .collect();
        assert_eq!(
            final_refunds,
            [&RefundStatus::Rejected, &RefundStatus::Processed]
        );
    }

    #[test]
    fn completed_payment_never_becomes_failed_but_failed_can_complete() {
        assert!(payment_transition(PaymentStatus::Completed, PaymentStatus::Failed).is_err());
        assert!(payment_transition(PaymentStatus::Failed, PaymentStatus::Completed).is_ok());
    }

    #[test]
    fn refund_states_need_the_refund_flow_even_for_an_admin() {
        let error = transition(
            OrderStatus::Delivered,
            OrderStatus::Refunded,
            TransitionCause::Fulfilment,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "only a refund can move an order from delivered to refunded"
        );
    }

    #[test]
    fn illegal_moves_name_both_states() {
        let cases = [
            (
                transition(
                    OrderStatus::Shipped,
                    OrderStatus::Pending,
                    TransitionCause::Fulfilment,
                )
                .unwrap_err()
                .to_string(),
                "cannot move an order from shipped to pending",
            ),
            (
                transition(
                    OrderStatus::Refunded,
                    OrderStatus::PartiallyRefunded,
                    TransitionCause::Refund,
                )
                .unwrap_err()
                .to_string(),
                "cannot move an order from refunded to partially_refunded",
            ),
            (
                payment_transition(PaymentStatus::Completed, PaymentStatus::Failed)
                    .unwrap_err()
                    .to_string(),
                "cannot move a payment from completed to failed",
            ),
            (
                refund_transition(RefundStatus::Processed, RefundStatus::ReturnRequested)
                    .unwrap_err()
                    .to_string(),
                "cannot move a refund request from processed to return_requested",
            ),
        ];
        for (message, expected) in cases {
            assert_eq!(message, expected);
        }
    }

    fn assert_round_trips<S>(expected: &[(S, &str)])
    where
        S: Status + FromStr<Err = ParseStatusError> + Serialize + for<'de> Deserialize<'de>,
    {
        assert_eq!(expected.len(), S::ALL.len(), "{}", S::NAME);
        for &(status, text) in expected {
            assert_eq!(status.as_str(), text);
            assert_eq!(text.parse::<S>(), Ok(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<S>(&json).unwrap(), status);
        }
    }

    #[test]
    fn statuses_are_stored_as_snake_case_strings() {
        assert_round_trips(&[
            (OrderStatus::Pending, "pending"),
            (OrderStatus::Paid, "paid"),
            (OrderStatus::Fulfilled, "fulfilled"),
            (OrderStatus::Shipped, "shipped"),
            (OrderStatus::Delivered, "delivered"),
            (OrderStatus::Cancelled, "cancelled"),
            (OrderStatus::Refunded, "refunded"),
            (OrderStatus::PartiallyRefunded, "partially_refunded"),
        ]);
        assert_round_trips(&[
            (PaymentStatus::Pending, "pending"),
            (PaymentStatus::Completed, "completed"),
            (PaymentStatus::Failed, "failed"),
            (PaymentStatus::Refunded, "refunded"),
            (PaymentStatus::PartiallyRefunded, "partially_refunded"),
        ]);
        assert_round_trips(&[
            (RefundStatus::Requested, "requested"),
            (RefundStatus::Approved, "approved"),
            (RefundStatus::Rejected, "rejected"),
            (RefundStatus::Processed, "processed"),
            (RefundStatus::ReturnRequested, "return_requested"),
            (RefundStatus::ReturnReceived, "return_received"),
            (RefundStatus::Failed, "failed"),
        ]);
        assert_eq!(
            OrderStatus::PartiallyRefunded.to_string(),
            "partially_refunded"
        );
        for cause in CAUSES {
            assert_eq!(
                serde_json::to_string(&cause).unwrap(),
                format!("\"{}\"", cause.as_str())
            );
        }
    }

    #[test]
    fn unknown_status_strings_are_refused_with_the_valid_ones_listed() {
        let cases = [
            "",
            "Paid",
            "PAID",
            " paid",
            "partially-refunded",
            "completed",
        ];
        for text in cases {
            let error = text.parse::<OrderStatus>().unwrap_err();
            assert_eq!(error.value, text);
            assert_eq!(error.expected.len(), OrderStatus::ALL.len());
        }
        assert_eq!(
            "done".parse::<RefundStatus>().unwrap_err().to_string(),
            "unknown refund status \"done\" (expected one of: requested, approved, rejected, \
             processed, return_requested, return_received, failed)"
        );
        assert!("shipped".parse::<PaymentStatus>().is_err());
    }
}
