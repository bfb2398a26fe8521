//! Stripe Billing webhooks (`customer.subscription.*`, `invoice.paid|payment_succeeded|
//! payment_failed`): read from the verified event's JSON and applied to the membership they
//! name, in the same write as the event's ledger row.

use rusqlite::Connection;
use serde_json::Value;

use super::apply::{self, Actor, paid_off, step};
use super::billing::Subscription;
use super::mails::{self, Mail};
use super::model::{Invoice, InvoiceStatus, Membership};
use super::store;
use super::transition::MembershipEvent;
use crate::access::MembershipStatus;
use crate::clock::{parse_rfc3339, rfc3339};
use crate::http::AppError;

/// The event types memberships handle.
pub const KINDS: &[&str] = &[
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BillingEvent {
    /// `created`: when Stripe made the event (its clock, unix seconds; 0 when absent).
    Subscription {
        kind: String,
        sub: Subscription,
        created: i64,
    },
    Invoice(InvoiceFacts),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    pub id: String,
    pub subscription_id: String,
    pub paid: bool,
    pub amount_cents: i64,
    pub currency: String,
    pub period_end: Option<i64>,
}

/// Reads a handled event (the whole verified event); `None` when it is not one of ours to
/// read (no subscription named), which is acknowledged and ignored.
pub fn classify(kind: &str, event: &Value) -> Option<BillingEvent> {
    let object = &event["data"]["object"];
    if kind.starts_with("customer.subscription.") {
        return Some(BillingEvent::Subscription {
            kind: kind.to_string(),
            sub: Subscription::from_json(object)?,
            created: event["created"].as_i64().unwrap_or(0),
        });
    }
    let subscription_id = object["subscription"]
        .as_str()
        .or_else(|| object["parent"]["subscription_details"]["subscription"].as_str())?
        .to_string();
    let paid = kind != "invoice.payment_failed";
    let amount = if paid {
        object["amount_paid"].as_i64().or(object["total"].as_i64())
    } else {
        object["amount_due"].as_i64().or(object["total"].as_i64())
    };
    Some(BillingEvent::Invoice(InvoiceFacts {
        id: object["id"].as_str()?.to_string(),
        subscription_id,
        paid,
        amount_cents: amount.unwrap_or(0),
        currency: object["currency"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_uppercase(),
        period_end: object["lines"]["data"][0]["period"]["end"]
            .as_i64()
            .or(object["period_end"].as_i64()),
    }))
}

/// What the webhook does after its write commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FollowUp {
    /// A payment plan is paid off: stop the subscription so it charges no more.
    EndSubscription(String),
}

pub struct Applied {
    pub outcome: &'static str,
    pub membership_id: Option<String>,
    pub follow_up: Option<FollowUp>,
}

fn ignored() -> Applied {
    Applied {
        outcome: "ignored",
        membership_id: None,
        follow_up: None,
    }
}

fn unix_text(at: i64) -> Option<String> {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .map(rfc3339)
}

/// Period ends only move forward (events arrive out of order).
fn advance_period(m: &mut Membership, end: Option<i64>) -> bool {
    let Some(end) = end.and_then(unix_text) else {
        return false;
    };
    let later = m
        .current_period_end
        .as_deref()
        .and_then(parse_rfc3339)
        .zip(parse_rfc3339(&end))
        .is_none_or(|(old, new)| new > old);
    if later {
        m.current_period_end = Some(end);
    }
    later
}

pub fn apply(
    conn: &Connection,
    event: &BillingEvent,
    grace_days: i64,
    now: &str,
) -> Result<Applied, AppError> {
    let sub_id = match event {
        BillingEvent::Subscription { sub, .. } => &sub.id,
        BillingEvent::Invoice(i) => &i.subscription_id,
    };
    // Every registered endpoint gets every event: a subscription not ours is ignored.
    let Some(mut m) = store::by_subscription(conn, sub_id)? else {
        return Ok(ignored());
    };
    let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
    let mut follow_up = None;
    let outcome = match event {
        BillingEvent::Subscription { kind, sub, created } => {
            if kind != "customer.subscription.deleted"
                && store::subscription_event_is_stale(conn, &m.id, *created)?
            {
                return Ok(Applied {
                    outcome: "stale",
                    membership_id: Some(m.id),
                    follow_up: None,
                });
            }
            store::mark_subscription_event(conn, &m.id, *created)?;
            subscription(conn, &mut m, &plan, kind, sub, now)?
        }
        BillingEvent::Invoice(i) => {
            let (outcome, end) = invoice(conn, &mut m, &plan, i, grace_days, now)?;
            if end {
                follow_up = Some(FollowUp::EndSubscription(sub_id.clone()));
            }
            outcome
        }
    };
    Ok(Applied {
        outcome,
        membership_id: Some(m.id),
        follow_up,
    })
}

fn subscription(
    conn: &Connection,
    m: &mut Membership,
    plan: &super::model::Plan,
    kind: &str,
    sub: &Subscription,
    now: &str,
) -> Result<&'static str, AppError> {
    let ended = kind == "customer.subscription.deleted" || sub.status == "canceled";
    let event = match (kind, sub.status.as_str()) {
        _ if ended => Some(
            if m.status == MembershipStatus::PastDue || paid_off(m, plan) {
                MembershipEvent::Ended
            } else {
                MembershipEvent::Cancelled
            },
        ),
        ("customer.subscription.paused", _) | (_, "paused") => Some(MembershipEvent::Paused),
        ("customer.subscription.resumed", _) => Some(MembershipEvent::Resumed),
        (_, "trialing") => Some(MembershipEvent::Trial),
        (_, "active") => Some(MembershipEvent::Resumed),
        (_, "past_due" | "unpaid") => Some(MembershipEvent::PaymentFailed),
        (_, "incomplete_expired") => Some(MembershipEvent::Ended),
        _ => None,
    };
    let mut changed = false;
    if !m.status.is_final() {
        changed |= advance_period(m, sub.current_period_end);
        if m.cancel_at_period_end != sub.cancel_at_period_end && !ended {
            m.cancel_at_period_end = sub.cancel_at_period_end;
            changed = true;
        }
        if changed {
            m.updated_at = now.to_string();
            store::update(conn, m)?;
        }
    }
    let switched = match &sub.plan {
        Some(stripe_plan) if !m.status.is_final() && !ended => {
            follow_plan(conn, m, plan, stripe_plan, now)?
        }
        _ => None,
    };
    let plan = switched.as_ref().unwrap_or(plan);
    // An ended membership stays ended: late events about it change nothing.
    let moved = match event {
        Some(e) if !m.status.is_final() => step(conn, m, plan, e, &Actor::default(), now)?,
        _ => false,
    };
    Ok(if moved || changed || switched.is_some() {
        "membership_updated"
    } else {
        "no_change"
    })
}

/// The subscription bills another of our plans than the row says (a switch, made here or
/// at Stripe): the row follows. Returns the plan it now has, when it moved.
fn follow_plan(
    conn: &Connection,
    m: &mut Membership,
    plan: &super::model::Plan,
    stripe_plan: &str,
    now: &str,
) -> Result<Option<super::model::Plan>, AppError> {
    if plan.stripe_plan_id.as_deref() == Some(stripe_plan) {
        return Ok(None);
    }
    let Some(target) = store::plan_by_stripe_id(conn, stripe_plan)? else {
        return Ok(None);
    };
    if target.id == m.plan_id {
        return Ok(None);
    }
    let from = std::mem::replace(&mut m.plan_id, target.id.clone());
    m.updated_at = now.to_string();
    store::update(conn, m)?;
    let detail = serde_json::json!({"from": from, "to": target.id, "by": "stripe"});
    apply::audit(
        conn,
        m,
        &Actor::default(),
        "membership.switched",
        detail,
        now,
    )?;
    Ok(Some(target))
}

/// Returns the outcome and whether the subscription must now be ended (plan paid off).
fn invoice(
    conn: &Connection,
    m: &mut Membership,
    plan: &super::model::Plan,
    i: &InvoiceFacts,
    grace_days: i64,
    now: &str,
) -> Result<(&'static str, bool), AppError> {
    let record = Invoice {
        id: uuid::Uuid::now_v7().to_string(),
        membership_id: m.id.clone(),
        stripe_invoice_id: Some(i.id.clone()),
        status: if i.paid {
            InvoiceStatus::Paid
        } else {
            InvoiceStatus::Failed
        },
        amount_cents: i.amount_cents,
        currency: if i.currency.is_empty() {
            plan.currency.clone()
        } else {
            i.currency.clone()
        },
        period_end: i.period_end.and_then(unix_text),
        at: now.to_string(),
    };
    // `invoice.paid` and `invoice.payment_succeeded` both come for one payment: count it once.
    if !store::insert_invoice(conn, &record, None)? {
        return Ok(("no_change", false));
    }
    if m.status.is_final() {
        return Ok(("invoice_recorded", false));
    }
    if i.paid {
        paid(conn, m, plan, i, now)
    } else {
        failed(conn, m, plan, i, grace_days, now)
    }
}

/// A period paid: counted, the period moved on, a receipt; a payment plan's last one owns
/// the course and ends the membership.
fn paid(
    conn: &Connection,
    m: &mut Membership,
    plan: &super::model::Plan,
    i: &InvoiceFacts,
    now: &str,
) -> Result<(&'static str, bool), AppError> {
    m.cycles_paid += 1;
    advance_period(m, i.period_end);
    store::update(conn, m)?;
    let by = Actor::default();
    step(conn, m, plan, MembershipEvent::Paid, &by, now)?;
    let done = paid_off(m, plan);
    let note = if done && plan.bundle_id.is_some() {
        crate::mail::render::phrase("membership-note-paid-off-bundle")
    } else if done {
        crate::mail::render::phrase("membership-note-paid-off")
    } else {
        String::new()
    };
    let (amount_cents, note) = (i.amount_cents, note.as_str());
    mails::send(conn, m, plan, Mail::Receipt { amount_cents, note }, now)?;
    if done {
        apply::own_plan_course(conn, m, plan, now)?;
        step(conn, m, plan, MembershipEvent::Ended, &by, now)?;
    }
    Ok(("membership_paid", done))
}

/// A payment failed: past due (grace starts at the first failure) and a mail with the
/// date access ends and the link to update the card.
fn failed(
    conn: &Connection,
    m: &mut Membership,
    plan: &super::model::Plan,
    i: &InvoiceFacts,
    grace_days: i64,
    now: &str,
) -> Result<(&'static str, bool), AppError> {
    step(
        conn,
        m,
        plan,
        MembershipEvent::PaymentFailed,
        &Actor::default(),
        now,
    )?;
    let since = m.past_due_since.as_deref().and_then(parse_rfc3339);
    let until = since
        .map(|s| rfc3339(s + time::Duration::days(grace_days)))
        .unwrap_or_default();
    let mail = Mail::PaymentFailed {
        amount_cents: i.amount_cents,
        grace_until: &until,
    };
    mails::send(conn, m, plan, mail, now)?;
    Ok(("membership_payment_failed", false))
}
