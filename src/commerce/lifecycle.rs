//! The order lifecycle: [`transition`] is the one function that decides an order's moves, refusing every move not listed here.
//!
//! Statuses are declared with [`status_enum!`] and their moves with [`Lifecycle`], the
//! mechanism every status shares (`crate::status`); the payment and refund-request
//! lifecycles live in `payments::lifecycle`.
//!
//! A move to the state a record is already in is refused like any other unlisted move (the
//! one exception is a further partial refund). Handlers that can see the same event twice,
//! such as webhooks, compare the current state with the target first and treat a match as
//! already done.
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

use serde::{Deserialize, Serialize};

use crate::status::status_enum;
pub use crate::status::{IllegalTransition, Lifecycle, ParseStatusError, StatusEnum};

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

    /// How a refusal names the cause ("only a refund can move ...").
    pub fn description(self) -> &'static str {
        match self {
            Self::Payment => "a payment",
            Self::Fulfilment => "fulfilment",
            Self::Cancellation => "a cancellation",
            Self::Refund => "a refund",
        }
    }
}

status_enum!(
    /// Where an order stands; moves only through [`transition`].
    pub enum OrderStatus: "order status" {
        Pending => "pending",
        Paid => "paid",
        Fulfilled => "fulfilled",
        Shipped => "shipped",
        Delivered => "delivered",
        Cancelled => "cancelled",
        Refunded => "refunded",
        PartiallyRefunded => "partially_refunded",
    }
);

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

    fn is_refund_state(self) -> bool {
        matches!(self, Self::Refunded | Self::PartiallyRefunded)
    }
}

impl Lifecycle for OrderStatus {
    const SUBJECT: &'static str = "an order";

    /// The module table; moves into a refund state additionally need
    /// [`TransitionCause::Refund`] (checked by [`transition`]).
    fn next_states(self) -> &'static [OrderStatus] {
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
}

/// The one place an order's status may change: the move is listed, and a move into
/// `refunded` or `partially_refunded` comes from the refund flow.
pub fn transition(
    from: OrderStatus,
    to: OrderStatus,
    via: TransitionCause,
) -> Result<(), IllegalTransition<OrderStatus>> {
    from.check_move(to)?;
    if to.is_refund_state() && via != TransitionCause::Refund {
        return Err(IllegalTransition {
            from,
            to,
            only_via: Some(TransitionCause::Refund.description()),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
