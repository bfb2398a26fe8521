//! Payment and refund-request lifecycles: [`payment_transition`] and [`refund_transition`] are the one place each status may change.
//!
//! Declared with the status mechanism every lifecycle shares (`crate::status`): the tables
//! below are each enum's [`Lifecycle::next_states`], and a refused move is the shared
//! [`IllegalTransition`] (a 409 once it reaches a handler).
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

use crate::status::status_enum;
pub use crate::status::{IllegalTransition, Lifecycle, ParseStatusError, StatusEnum};

status_enum!(
    /// Where a payment stands; moves only through [`payment_transition`].
    pub enum PaymentStatus: "payment status" {
        Pending => "pending",
        Completed => "completed",
        Failed => "failed",
        Refunded => "refunded",
        PartiallyRefunded => "partially_refunded",
    }
);

impl Lifecycle for PaymentStatus {
    const SUBJECT: &'static str = "a payment";

    fn next_states(self) -> &'static [PaymentStatus] {
        use PaymentStatus::*;
        match self {
            Pending => &[Completed, Failed],
            Failed => &[Completed],
            Completed => &[Refunded, PartiallyRefunded],
            PartiallyRefunded => &[Refunded, PartiallyRefunded],
            Refunded => &[],
        }
    }
}

/// The one place a payment's status may change.
pub fn payment_transition(
    from: PaymentStatus,
    to: PaymentStatus,
) -> Result<(), IllegalTransition<PaymentStatus>> {
    from.check_move(to)
}

status_enum!(
    /// Where a refund request stands; moves only through [`refund_transition`].
    pub enum RefundStatus: "refund status" {
        Requested => "requested",
        Approved => "approved",
        Rejected => "rejected",
        Processed => "processed",
        ReturnRequested => "return_requested",
        ReturnReceived => "return_received",
        Failed => "failed",
    }
);

impl RefundStatus {
    /// Whether staff have the next move: decide a request, receive a return, retry a payout.
    /// The admin queue opens on these ("needs action").
    pub fn waits_for_staff(self) -> bool {
        use RefundStatus::*;
        matches!(self, Requested | ReturnRequested | ReturnReceived | Failed)
    }
}

impl Lifecycle for RefundStatus {
    const SUBJECT: &'static str = "a refund request";

    fn next_states(self) -> &'static [RefundStatus] {
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
}

/// The one place a refund request's status may change.
pub fn refund_transition(
    from: RefundStatus,
    to: RefundStatus,
) -> Result<(), IllegalTransition<RefundStatus>> {
    from.check_move(to)
}

#[cfg(test)]
mod tests;
