//! What a refund covers: the order items and amount chosen (never more than is left), and
//! the eligibility input read from learning records and downloads.

use axum::http::StatusCode;
use rusqlite::Connection;

use super::eligibility::RefundItem;
use super::model::{OrderFacts, OrderItemFacts, Payment};
use super::store;
use crate::http::{AppError, Problem};

/// Picks the refunded items and the amount, refusing more than what is left (409).
pub(super) fn scope(
    conn: &Connection,
    order: &OrderFacts,
    payment: &Payment,
    item_ids: Option<&[String]>,
    amount_cents: Option<i64>,
) -> Result<(Vec<OrderItemFacts>, i64), AppError> {
    let all = store::order_items(conn, &order.id)?;
    let taken = store::refunded_item_ids(conn, &order.id)?;
    let open: Vec<OrderItemFacts> = all
        .iter()
        .filter(|i| !taken.contains(&i.id))
        .cloned()
        .collect();
    let remaining = payment.amount_cents - store::committed_refund_cents(conn, &payment.id)?;
    let items = match item_ids {
        None => open.clone(),
        Some(ids) => {
            if ids.is_empty() {
                return Err(AppError::field(
                    "item_ids",
                    "must name at least one order item",
                ));
            }
            let mut chosen = Vec::new();
            for id in ids {
                let Some(item) = all.iter().find(|i| &i.id == id) else {
                    return Err(AppError::field(
                        "item_ids",
                        format!("{id} is not an item of this order"),
                    ));
                };
                if taken.contains(id) {
                    return Err(Problem::new(
                        StatusCode::CONFLICT,
                        format!("item {id} is already being refunded"),
                    )
                    .with("item_id", id)
                    .into_error());
                }
                if !chosen.iter().any(|c: &OrderItemFacts| &c.id == id) {
                    chosen.push(item.clone());
                }
            }
            chosen
        }
    };
    let whole_rest = items.len() == open.len();
    let amount = match amount_cents {
        Some(a) if a <= 0 => return Err(AppError::field("amount_cents", "must be positive")),
        Some(a) => a,
        None if whole_rest => remaining,
        None => items
            .iter()
            .map(|i| i.total_cents)
            .sum::<i64>()
            .min(remaining),
    };
    if remaining <= 0 || amount > remaining || (items.is_empty() && amount_cents.is_none()) {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!(
                "that is more than can still be refunded: {remaining} of {} cents captured",
                payment.amount_cents
            ),
        )
        .with("refundable_cents", remaining.max(0))
        .into_error());
    }
    Ok((items, amount))
}

/// The buyer's completion of a course (percent of required lessons) and whether a
/// certificate stands, from the learning records.
fn course_facts(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> Result<(u32, bool), AppError> {
    use crate::learning::store::{certificates, courses, enrollments, progress};
    let Some(enrollment) = enrollments::find(conn, user_id, course_id)? else {
        return Ok((0, false));
    };
    let done = progress::completed_required_count(conn, &enrollment.id, course_id)?;
    let required = courses::required_count(conn, course_id)?;
    let percent = crate::learning::progress::percent(done, required).clamp(0, 100);
    let certificate = certificates::current(conn, &enrollment.id)?.is_some();
    Ok((u32::try_from(percent).unwrap_or(100), certificate))
}

/// The eligibility input for `items` of `order_id`: course progress and certificates,
/// whether digital goods were downloaded, which goods must come back.
pub(super) fn eligibility_items(
    conn: &Connection,
    user_id: &str,
    order_id: &str,
    items: &[OrderItemFacts],
) -> Result<Vec<RefundItem>, AppError> {
    let downloaded = store::downloaded_item_ids(conn, order_id)?;
    let mut out = Vec::new();
    for item in items {
        out.push(match item.item_kind.as_str() {
            "course" => {
                let (progress_percent, certificate_issued) =
                    course_facts(conn, user_id, &item.item_id)?;
                RefundItem::Course {
                    course_id: item.item_id.clone(),
                    progress_percent,
                    certificate_issued,
                }
            }
            "physical_product" => RefundItem::PhysicalProduct {
                product_id: item.item_id.clone(),
            },
            _ => RefundItem::DigitalProduct {
                product_id: item.item_id.clone(),
                downloaded: downloaded.contains(&item.id),
            },
        });
    }
    Ok(out)
}
