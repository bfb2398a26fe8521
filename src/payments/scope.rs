//! What a refund covers and may pay back: the facts `refundable::refundable_cents` and
//! `eligibility::refund_eligibility` need, read from the order, its refunds, the learning
//! records and downloads. Every path that records or approves a refund goes through here.

use axum::http::StatusCode;
use rusqlite::Connection;
use time::OffsetDateTime;

use super::eligibility::{
    CourseProgress, Eligibility, RefundItem, RefundPolicy, refund_eligibility,
};
use super::model::{OrderFacts, OrderItemFacts, Payment, Refund};
use super::refundable::{Ask, NotRefundable, PaidLine, PaidOrder, refundable_cents};
use super::store;
use crate::http::{AppError, Problem};

/// Which items a new refund covers.
#[derive(Debug, Clone)]
pub(super) enum Asked {
    /// The items the buyer named.
    Items(Vec<String>),
    /// The buyer named none: the eligible items left (all items left when none is eligible,
    /// so the request is recorded with every reason).
    Rest,
    /// Every item left (a cancellation).
    Everything,
}

/// The policy and the time refunds are judged by.
#[derive(Debug, Clone, Copy)]
pub(super) struct Rules {
    pub policy: RefundPolicy,
    pub now: OffsetDateTime,
}

/// A refund's scope: its items, the amount, and the eligibility verdict on its items.
#[derive(Debug, Clone)]
pub(super) struct Scoped {
    pub item_ids: Vec<String>,
    pub amount_cents: i64,
    pub verdict: Eligibility,
}

/// What the refund rules read about an order; `except` leaves one refund out (the one being
/// re-checked), so its own items and amount do not count against it.
struct Facts {
    paid: PaidOrder,
    items: Vec<OrderItemFacts>,
    refund_items: Vec<RefundItem>,
    paid_at: OffsetDateTime,
}

fn facts(
    conn: &Connection,
    order: &OrderFacts,
    payment: &Payment,
    except: Option<&str>,
    rules: &Rules,
) -> Result<Facts, AppError> {
    let items = store::order_items(conn, &order.id)?;
    let taken = store::refunded_item_ids(conn, &order.id, except)?;
    let refund_items = eligibility_items(conn, &order.user_id, &order.id, &items)?;
    let paid_at = order
        .paid_at
        .clone()
        .or(payment.completed_at.clone())
        .and_then(|t| crate::clock::parse_rfc3339(&t))
        .unwrap_or(rules.now);
    let lines = items
        .iter()
        .zip(&refund_items)
        .map(|(item, facts)| PaidLine {
            id: item.id.clone(),
            physical: item.item_kind == "physical_product",
            subtotal_cents: item.subtotal_cents,
            discount_cents: item.discount_cents,
            tax_cents: item.tax_cents,
            taken: taken.contains(&item.id),
            eligible: refund_eligibility(
                &rules.policy,
                paid_at,
                rules.now,
                std::slice::from_ref(facts),
            )
            .eligible,
        })
        .collect();
    // Stripe may report more refunded than our rows (a refund made in its dashboard).
    let committed = store::committed_refund_cents(conn, &payment.id, except)?;
    let paid = PaidOrder {
        lines,
        prices_include_tax: order.prices_include_tax,
        shipping_cents: order.shipping_cents,
        captured_cents: payment.amount_cents,
        committed_cents: committed.max(payment.refunded_cents),
    };
    Ok(Facts {
        paid,
        items,
        refund_items,
        paid_at,
    })
}

fn refused(reason: NotRefundable) -> AppError {
    match reason {
        NotRefundable::NoItems => AppError::field("item_ids", "must name at least one order item"),
        NotRefundable::UnknownItem(id) => {
            AppError::field("item_ids", crate::msg!("problem-not-order-item", id = id))
        }
        NotRefundable::AlreadyRefunded(id) => Problem::new(
            StatusCode::CONFLICT,
            crate::msg!("problem-item-refunded", id = id.as_str()),
        )
        .with("item_id", &id)
        .into_error(),
    }
}

fn too_much(asked: i64, refundable: i64) -> AppError {
    Problem::new(
        StatusCode::CONFLICT,
        crate::msg!(
            "problem-refund-too-much",
            asked = asked,
            refundable = refundable
        ),
    )
    .with("refundable_cents", refundable.max(0))
    .into_error()
}

/// A bundle is refunded whole: its courses go together, so part of its money cannot.
fn part_of_a_bundle(asked: i64, whole: i64) -> AppError {
    AppError::field(
        "amount_cents",
        crate::msg!("problem-bundle-whole", whole = whole, asked = asked),
    )
}

/// Picks a new refund's items and amount by the refund rules: at most what those items paid
/// (422 for unknown items or a non-positive amount, 409 for items already refunded or more
/// than they paid), with the eligibility verdict on them.
pub(super) fn scope(
    conn: &Connection,
    order: &OrderFacts,
    payment: &Payment,
    asked: &Asked,
    amount_cents: Option<i64>,
    rules: &Rules,
) -> Result<Scoped, AppError> {
    if let Some(amount) = amount_cents.filter(|&a| a <= 0) {
        return Err(AppError::field(
            "amount_cents",
            crate::msg!("problem-positive-not", amount = amount),
        ));
    }
    let facts = facts(conn, order, payment, None, rules)?;
    let ask = match asked {
        Asked::Items(ids) => Ask::Items(ids),
        Asked::Rest if facts.paid.lines.iter().any(|l| !l.taken && l.eligible) => Ask::Eligible,
        Asked::Rest | Asked::Everything => Ask::Everything,
    };
    let refundable = refundable_cents(&facts.paid, ask).map_err(refused)?;
    if refundable.item_ids.is_empty() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "every item of this order is already covered by a refund",
        )
        .with("refundable_cents", 0)
        .into_error());
    }
    let amount = amount_cents.unwrap_or(refundable.cents);
    if refundable.cents <= 0 || amount > refundable.cents {
        return Err(too_much(amount, refundable.cents));
    }
    let bundles = facts
        .items
        .iter()
        .filter(|i| i.item_kind == "bundle" && refundable.item_ids.contains(&i.id));
    if amount < refundable.cents && bundles.count() > 0 {
        return Err(part_of_a_bundle(amount, refundable.cents));
    }
    Ok(scoped(&facts, refundable.item_ids, amount, rules))
}

/// Checks a recorded refund again before staff approve it or its money is sent: its items
/// must still be free and its amount within what they paid (409 otherwise). Eligibility is
/// reported, not enforced: staff decide on it. Automatic refunds of money an order never took
/// cover no items; they may return what the payment still holds.
pub(super) fn recheck(
    conn: &Connection,
    refund: &Refund,
    order: &OrderFacts,
    payment: &Payment,
    rules: &Rules,
) -> Result<Scoped, AppError> {
    let facts = facts(conn, order, payment, Some(&refund.id), rules)?;
    let refundable = if refund.automatic {
        (facts.paid.captured_cents - facts.paid.committed_cents).max(0)
    } else {
        refundable_cents(&facts.paid, Ask::Items(&refund.item_ids))
            .map_err(refused)?
            .cents
    };
    if refund.amount_cents > refundable {
        return Err(too_much(refund.amount_cents, refundable));
    }
    Ok(scoped(
        &facts,
        refund.item_ids.clone(),
        refund.amount_cents,
        rules,
    ))
}

fn scoped(facts: &Facts, item_ids: Vec<String>, amount_cents: i64, rules: &Rules) -> Scoped {
    let chosen: Vec<RefundItem> = facts
        .items
        .iter()
        .zip(&facts.refund_items)
        .filter(|(item, _)| item_ids.contains(&item.id))
        .map(|(_, facts)| facts.clone())
        .collect();
    Scoped {
        verdict: refund_eligibility(&rules.policy, facts.paid_at, rules.now, &chosen),
        item_ids,
        amount_cents,
    }
}

/// The buyer's completion of a course (percent of required lessons) and whether a
/// certificate stands, from the learning records.
fn course_facts(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> Result<(u32, bool), AppError> {
    use crate::learning::store::{certificates, enrollments, progress};
    let Some(enrollment) = enrollments::find(conn, user_id, course_id)? else {
        return Ok((0, false));
    };
    let lessons = progress::lesson_facts(conn, &enrollment.id, course_id)?;
    let counts = crate::learning::completion::required_lessons(&lessons);
    let percent =
        crate::learning::progress::percent(counts.completed, counts.required).clamp(0, 100);
    let certificate = certificates::current(conn, &enrollment.id)?.is_some();
    Ok((u32::try_from(percent).unwrap_or(100), certificate))
}

/// The eligibility input for `items` of `order_id`: course progress and certificates,
/// whether digital goods were downloaded, which goods must come back.
fn eligibility_items(
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
            "bundle" => {
                let mut courses = Vec::new();
                for course_id in crate::learning::store::grants::line_courses(conn, &item.id)? {
                    let (progress_percent, certificate_issued) =
                        course_facts(conn, user_id, &course_id)?;
                    courses.push(CourseProgress {
                        course_id,
                        progress_percent,
                        certificate_issued,
                    });
                }
                RefundItem::Bundle {
                    bundle_id: item.item_id.clone(),
                    courses,
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
