//! Stock holds of unpaid orders: how much one buyer may hold, and when a hold lapses.

use time::{Duration, OffsetDateTime};

use crate::config::OrdersConfig;
use crate::http::{AppError, Problem};

/// How long staff are told ahead that a manual-payment hold is about to lapse.
pub const MANUAL_HOLD_NOTICE: Duration = Duration::days(1);

/// One product line of a new order, with what the buyer already holds of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLine<'a> {
    pub item_id: &'a str,
    pub name: &'a str,
    /// Units in the buyer's other orders awaiting payment.
    pub held: i64,
    /// Units this order adds.
    pub adding: i64,
}

/// Why a new unpaid order would hold more than one buyer may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HoldRefusal {
    TooManyOpenOrders {
        open: i64,
        limit: i64,
    },
    TooManyUnits {
        item_id: String,
        name: String,
        held: i64,
        limit: i64,
    },
}

/// The stock-hold rule: a buyer with `open_orders` orders awaiting payment may place one
/// more only below `orders.max_open_orders`, and may hold at most
/// `orders.max_pending_units_per_product` unpaid units of each stock-tracked product
/// (`lines` lists only those), this order's included.
pub fn check_holds(
    limits: &OrdersConfig,
    open_orders: i64,
    lines: &[HeldLine<'_>],
) -> Result<(), HoldRefusal> {
    if open_orders >= limits.max_open_orders {
        return Err(HoldRefusal::TooManyOpenOrders {
            open: open_orders,
            limit: limits.max_open_orders,
        });
    }
    let limit = limits.max_pending_units_per_product;
    match lines
        .iter()
        .find(|l| l.held.saturating_add(l.adding) > limit)
    {
        Some(line) => Err(HoldRefusal::TooManyUnits {
            item_id: line.item_id.to_string(),
            name: line.name.to_string(),
            held: line.held,
            limit,
        }),
        None => Ok(()),
    }
}

impl HoldRefusal {
    /// A 409 naming the limit (`limit`, and the config key in `limit_name`).
    pub fn into_error(self) -> AppError {
        let conflict = axum::http::StatusCode::CONFLICT;
        match self {
            HoldRefusal::TooManyOpenOrders { open, limit } => Problem::new(
                conflict,
                crate::msg!("problem-open-orders", open = open, limit = limit),
            )
            .with("limit_name", "orders.max_open_orders")
            .with("limit", limit)
            .with("open_orders", open),
            HoldRefusal::TooManyUnits {
                item_id,
                name,
                held,
                limit,
            } => Problem::new(
                conflict,
                crate::msg!(
                    "problem-held-units",
                    limit = limit,
                    name = name.as_str(),
                    held = held
                ),
            )
            .with("limit_name", "orders.max_pending_units_per_product")
            .with("limit", limit)
            .with("held", held)
            .with("item_id", item_id),
        }
        .into_error()
    }
}

/// When an unpaid order's hold lapses: `orders.reservation_minutes` after it was placed, or,
/// once its buyer started a manual payment (office, bank transfer), the later of that and
/// `orders.manual_reservation_days` after the payment was started.
pub fn hold_lapses_at(
    limits: &OrdersConfig,
    placed_at: OffsetDateTime,
    manual_since: Option<OffsetDateTime>,
) -> OffsetDateTime {
    let ordinary = placed_at + Duration::minutes(limits.reservation_minutes);
    match manual_since {
        Some(started) => ordinary.max(started + Duration::days(limits.manual_reservation_days)),
        None => ordinary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn limits() -> OrdersConfig {
        OrdersConfig {
            reservation_minutes: 30,
            manual_reservation_days: 7,
            max_pending_units_per_product: 5,
            max_open_orders: 3,
        }
    }

    fn line(held: i64, adding: i64) -> HeldLine<'static> {
        HeldLine {
            item_id: "lamp",
            name: "Lamp",
            held,
            adding,
        }
    }

    #[test]
    fn a_buyer_may_hold_up_to_the_unit_limit_and_not_one_more() {
        assert_eq!(check_holds(&limits(), 0, &[line(0, 5)]), Ok(()));
        assert_eq!(check_holds(&limits(), 1, &[line(3, 2)]), Ok(()));
        assert_eq!(
            check_holds(&limits(), 1, &[line(3, 3)]),
            Err(HoldRefusal::TooManyUnits {
                item_id: "lamp".into(),
                name: "Lamp".into(),
                held: 3,
                limit: 5
            })
        );
    }

    #[test]
    fn the_fourth_unpaid_order_is_refused_whatever_it_holds() {
        assert_eq!(check_holds(&limits(), 2, &[]), Ok(()));
        assert_eq!(
            check_holds(&limits(), 3, &[]),
            Err(HoldRefusal::TooManyOpenOrders { open: 3, limit: 3 })
        );
    }

    #[test]
    fn huge_quantities_do_not_overflow_the_unit_check() {
        assert!(check_holds(&limits(), 0, &[line(i64::MAX, 1)]).is_err());
    }

    #[test]
    fn an_ordinary_hold_lapses_after_the_reservation_minutes() {
        let placed = datetime!(2026-03-01 10:00 UTC);
        assert_eq!(
            hold_lapses_at(&limits(), placed, None),
            datetime!(2026-03-01 10:30 UTC)
        );
    }

    #[test]
    fn a_manual_payment_holds_the_order_for_days_from_when_it_was_started() {
        let placed = datetime!(2026-03-01 10:00 UTC);
        let started = datetime!(2026-03-01 10:20 UTC);
        assert_eq!(
            hold_lapses_at(&limits(), placed, Some(started)),
            datetime!(2026-03-08 10:20 UTC)
        );
    }

    #[test]
    fn a_manual_hold_is_never_shorter_than_the_ordinary_one() {
        let short = OrdersConfig {
            reservation_minutes: 3 * 24 * 60,
            manual_reservation_days: 1,
            ..limits()
        };
        let placed = datetime!(2026-03-01 10:00 UTC);
        assert_eq!(
            hold_lapses_at(&short, placed, Some(placed)),
            datetime!(2026-03-04 10:00 UTC)
        );
    }
}
