//! Member self-service: subscribing with a card through Stripe Billing, cancelling at the
//! period's end, resuming, switching monthly/yearly, and the member's own view. Each Stripe
//! call happens between two writes, never inside one; calls on one membership are serialised
//! so the stored flags always match Stripe's last answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::json;

use super::apply::{self, Actor, hold_enrolment};
use super::billing::{self, Subscription};
use super::events::FollowUp;
use super::mails::{self, Mail};
use super::model::{Invoice, InvoiceStatus, Membership, MembershipGateway, MembershipView, Plan};
use super::store;
use crate::access::MembershipStatus;
use crate::http::AppError;
use crate::mail::render::PhraseArg::Date;
use crate::mail::render::{phrase, phrase_with};
use crate::payments::config::GatewayKind;
use crate::state::AppState;

/// One async lock per key (a membership, or a member and plan), so concurrent requests on
/// the same membership run one after another.
pub(super) async fn serialised(key: &str) -> tokio::sync::OwnedMutexGuard<()> {
    static LOCKS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>> = OnceLock::new();
    let lock = {
        let mut locks = LOCKS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        locks.retain(|_, l| Arc::strong_count(l) > 1);
        locks.entry(key.to_string()).or_default().clone()
    };
    lock.lock_owned().await
}

pub fn view(conn: &rusqlite::Connection, m: Membership) -> Result<MembershipView, AppError> {
    let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
    let invoices = store::invoices(conn, &m.id)?;
    Ok(MembershipView::new(m, plan, invoices))
}

/// The caller's memberships (newest first) with plans, next charge and invoices.
pub async fn mine(state: &AppState, user_id: String) -> Result<Vec<MembershipView>, AppError> {
    state
        .db
        .read(move |conn| {
            store::for_user(conn, &user_id)?
                .into_iter()
                .map(|m| view(conn, m))
                .collect()
        })
        .await
}

fn stripe_status(sub: &Subscription) -> Option<MembershipStatus> {
    match sub.status.as_str() {
        "trialing" => Some(MembershipStatus::Trialing),
        "active" => Some(MembershipStatus::Active),
        _ => None,
    }
}

/// 422 unless cards are on and `payment_method` looks like a Stripe PaymentMethod id, so
/// nothing else reaches Stripe's form.
pub(super) fn check_card(state: &AppState, payment_method: &str) -> Result<(), AppError> {
    if !state.config.payments.enabled(GatewayKind::Stripe) {
        return Err(AppError::field(
            "gateway",
            "card payments (Stripe) are not enabled here",
        ));
    }
    let valid = payment_method.starts_with("pm_")
        && payment_method.len() <= 255
        && payment_method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !valid {
        return Err(AppError::field(
            "payment_method",
            "must be a Stripe PaymentMethod id (pm_...)",
        ));
    }
    Ok(())
}

fn unix_text(at: Option<i64>) -> Option<String> {
    at.and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
        .map(crate::clock::rfc3339)
}

/// Subscribes the caller to `plan_id`, paying with `payment_method` (a card Stripe.js
/// collected). 402 when the first charge is declined; nothing is kept then.
pub async fn subscribe(
    state: &AppState,
    user_id: &str,
    plan_id: String,
    payment_method: String,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    check_card(state, &payment_method)?;
    let _turn = serialised(&format!("{user_id}/{plan_id}")).await;
    let uid = user_id.to_string();
    let (plan, email) = state
        .db
        .read(move |conn| super::plans::to_subscribe(conn, &uid, &plan_id))
        .await?;
    let config = &state.config.payments.stripe;
    let stripe_plan = billing::ensure_plan(config, &plan).await?;
    let membership_id = uuid::Uuid::now_v7().to_string();
    let customer =
        billing::create_customer(config, &membership_id, &email, &payment_method).await?;
    let sub = billing::create_subscription(
        config,
        &membership_id,
        &customer,
        &stripe_plan,
        plan.trial_days,
    )
    .await?;
    let Some(status) = stripe_status(&sub) else {
        // The first charge failed: end the attempt at Stripe so it is not retried later.
        let _ = billing::cancel_now(config, &sub.id).await;
        return Err(AppError::PaymentRequired(
            "the card was declined; nothing was charged and no membership was started".into(),
        ));
    };
    let now = state.now_text();
    let m = Membership {
        id: membership_id,
        user_id: user_id.to_string(),
        plan_id: plan.id.clone(),
        status,
        gateway: MembershipGateway::Stripe,
        stripe_customer_id: Some(customer),
        stripe_subscription_id: Some(sub.id.clone()),
        current_period_end: unix_text(sub.current_period_end),
        past_due_since: None,
        cancel_at_period_end: false,
        cycles_paid: 0,
        started_at: now.clone(),
        ended_at: None,
        updated_at: now.clone(),
    };
    state
        .db
        .write(move |conn| {
            if plan.stripe_plan_id.is_none() {
                store::set_stripe_plan(conn, &plan.id, &stripe_plan)?;
            }
            start(
                conn,
                m.clone(),
                &plan,
                sub.latest_invoice.as_deref(),
                &actor,
                &now,
            )
        })
        .await
}

/// Stores a new membership (and its first paid period, if any), holds its courses for a
/// payment plan (one course, or every course of its bundle), audits and sends the welcome mail.
pub(super) fn start(
    conn: &rusqlite::Connection,
    mut m: Membership,
    plan: &Plan,
    first_invoice: Option<&str>,
    actor: &Actor,
    now: &str,
) -> Result<MembershipView, AppError> {
    if store::live(conn, &m.user_id, &plan.id)?.is_some() {
        return Err(AppError::conflict("this member already has this plan"));
    }
    let paid_now = m.status == MembershipStatus::Active && m.gateway != MembershipGateway::Comp;
    if paid_now {
        m.cycles_paid = 1;
    }
    store::insert(conn, &m)?;
    if paid_now {
        store::insert_invoice(
            conn,
            &Invoice {
                id: uuid::Uuid::now_v7().to_string(),
                membership_id: m.id.clone(),
                stripe_invoice_id: first_invoice.map(str::to_string),
                status: InvoiceStatus::Paid,
                amount_cents: plan.price_cents,
                currency: plan.currency.clone(),
                period_end: m.current_period_end.clone(),
                at: now.to_string(),
            },
            actor
                .user_id
                .as_deref()
                .filter(|_| m.gateway == MembershipGateway::Manual),
        )?;
    }
    for course_id in plan.sold_courses() {
        hold_enrolment(conn, &m.user_id, course_id, &m.id, "plan", now)?;
    }
    let detail = json!({"plan_id": plan.id, "gateway": m.gateway, "status": m.status});
    apply::audit(conn, &m, actor, "membership.created", detail, now)?;
    mails::send(conn, &m, plan, Mail::Welcome, now)?;
    view(conn, m)
}

/// The caller's own live Stripe membership (404 for anyone else's, so ids reveal nothing).
pub(super) async fn own(
    state: &AppState,
    user_id: &str,
    id: &str,
) -> Result<(Membership, Plan), AppError> {
    let (uid, id) = (user_id.to_string(), id.to_string());
    state
        .db
        .read(move |conn| {
            let m = store::get(conn, &id)?
                .filter(|m| m.user_id == uid)
                .ok_or(AppError::NotFound("membership"))?;
            let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
            Ok((m, plan))
        })
        .await
}

/// Cancel at the end of the period (`cancel`), or resume a cancelled-at-period-end one.
/// 409 when already so, or the membership has ended.
pub async fn set_cancel(
    state: &AppState,
    user_id: &str,
    id: &str,
    cancel: bool,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    let _turn = serialised(id).await;
    let (m, plan) = own(state, user_id, id).await?;
    if m.status.is_final() {
        return Err(AppError::conflict(crate::msg!(
            "problem-membership-status",
            status = crate::status::word(m.status)
        )));
    }
    if m.cancel_at_period_end == cancel {
        return Err(AppError::conflict(if cancel {
            "this membership already ends at the end of its period"
        } else {
            "this membership is not cancelled"
        }));
    }
    if plan.cycles.is_some() {
        return Err(AppError::conflict(
            "a payment plan runs to its last instalment; ask staff to cancel it",
        ));
    }
    let stripe_flag = match (&m.gateway, &m.stripe_subscription_id) {
        (MembershipGateway::Stripe, Some(sub)) => Some(
            billing::set_cancel_at_period_end(&state.config.payments.stripe, sub, cancel)
                .await?
                .cancel_at_period_end,
        ),
        _ => None,
    };
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let mut m = store::get(conn, &m.id)?.ok_or(AppError::NotFound("membership"))?;
            m.cancel_at_period_end = stripe_flag.unwrap_or(cancel);
            m.updated_at = now.clone();
            store::update(conn, &m)?;
            if stripe_flag.is_some() {
                apply::mark_own_change(conn, &m.id)?;
            }
            let action = if cancel {
                "membership.cancel_at_period_end"
            } else {
                "membership.resumed"
            };
            apply::audit(
                conn,
                &m,
                &actor,
                action,
                json!({"period_end": m.current_period_end}),
                &now,
            )?;
            if cancel {
                let when = match m.current_period_end.as_deref() {
                    Some(end) => phrase_with("membership-when-ends-on", &[("date", Date(end))]),
                    None => phrase("membership-when-ends-later"),
                };
                mails::send(conn, &m, &plan, Mail::Cancelled { when: &when }, &now)?;
            }
            view(conn, m)
        })
        .await
}

/// Moves the caller's membership to its plan's monthly/yearly sibling; Stripe prorates.
/// `want` (optional) names the plan the member means, so a repeated request does not switch
/// back: 409 when the membership already has it.
pub async fn switch(
    state: &AppState,
    user_id: &str,
    id: &str,
    want: Option<String>,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    let _turn = serialised(id).await;
    let (m, plan) = own(state, user_id, id).await?;
    if m.status.is_final() || m.gateway != MembershipGateway::Stripe {
        return Err(AppError::conflict(
            "only a live card membership can switch plans",
        ));
    }
    if want.as_deref() == Some(plan.id.as_str()) {
        return Err(AppError::conflict(
            "this membership is already on that plan",
        ));
    }
    let target_id = plan
        .switch_plan_id
        .clone()
        .ok_or_else(|| AppError::conflict("this plan has no monthly/yearly alternative"))?;
    if want.as_ref().is_some_and(|w| *w != target_id) {
        return Err(AppError::field(
            "plan_id",
            "is not this plan's monthly/yearly alternative",
        ));
    }
    let target = state
        .db
        .read(move |conn| {
            store::plan(conn, &target_id)?
                .filter(|p| p.active)
                .ok_or(AppError::NotFound("plan"))
        })
        .await?;
    let config = &state.config.payments.stripe;
    let stripe_plan = billing::ensure_plan(config, &target).await?;
    let sub = m
        .stripe_subscription_id
        .clone()
        .ok_or(AppError::NotFound("subscription"))?;
    let answer = billing::switch_plan(config, &sub, &stripe_plan).await?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            if target.stripe_plan_id.is_none() {
                store::set_stripe_plan(conn, &target.id, &stripe_plan)?;
            }
            let mut m = store::get(conn, &m.id)?.ok_or(AppError::NotFound("membership"))?;
            let from = std::mem::replace(&mut m.plan_id, target.id.clone());
            if let Some(end) = answer
                .current_period_end
                .and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok())
            {
                m.current_period_end = Some(crate::clock::rfc3339(end));
            }
            m.updated_at = now.clone();
            store::update(conn, &m)?;
            apply::mark_own_change(conn, &m.id)?;
            apply::audit(
                conn,
                &m,
                &actor,
                "membership.switched",
                json!({"from": from, "to": target.id}),
                &now,
            )?;
            view(conn, m)
        })
        .await
}

/// After a webhook's write: a paid-off payment plan's subscription is ended at Stripe.
pub async fn follow_up(state: &AppState, follow_up: FollowUp) {
    match follow_up {
        FollowUp::EndSubscription(sub) => {
            if let Err(e) = billing::cancel_now(&state.config.payments.stripe, &sub).await {
                tracing::warn!(error = %e, subscription = %sub, "could not end a paid-off payment plan at Stripe");
            }
        }
    }
}
