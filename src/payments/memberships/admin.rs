//! Staff side of memberships: giving a membership (comp, or manual with its first
//! period paid), recording a period paid by hand, and cancelling at once.

use serde::Deserialize;
use serde_json::json;

pub use super::plans::{NewPlan, create_plan};

use super::apply::{self, Actor, step};
use super::billing;
use super::model::{
    Invoice, InvoiceStatus, MemberRow, Membership, MembershipGateway, MembershipView, PlanInterval,
};
use super::service::{serialised, start, view};
use super::store;
use super::transition::MembershipEvent;
use crate::access::MembershipStatus;
use crate::http::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveMembership {
    pub user_id: String,
    pub plan_id: String,
    /// `comp` (free, until cancelled) or `manual` (paid at the office: the first period is
    /// recorded as paid now).
    pub gateway: MembershipGateway,
    /// A `comp` for a limited time: it expires by itself after this many days (1 to 3650).
    /// Without it a comp lasts until cancelled.
    pub days: Option<i64>,
}

fn period_end(from: time::OffsetDateTime, interval: PlanInterval) -> String {
    let days = match interval {
        PlanInterval::Month => 30,
        PlanInterval::Year => 365,
    };
    crate::clock::rfc3339(from + time::Duration::days(days))
}

pub async fn give(
    state: &AppState,
    body: GiveMembership,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    if body.gateway == MembershipGateway::Stripe {
        return Err(AppError::field(
            "gateway",
            "must be `comp` or `manual`; card memberships are started by the member",
        ));
    }
    if let Some(days) = body.days {
        if body.gateway != MembershipGateway::Comp {
            return Err(AppError::field(
                "days",
                "only a comp has a set length; a manual membership runs by recorded periods",
            ));
        }
        if !(1..=3650).contains(&days) {
            return Err(AppError::field("days", "must be between 1 and 3650"));
        }
    }
    let now_at = state.now();
    let now = crate::clock::rfc3339(now_at);
    let comp_end = body
        .days
        .map(|d| crate::clock::rfc3339(now_at + time::Duration::days(d)));
    state
        .db
        .write(move |conn| {
            if store::recipient(conn, &body.user_id)?.is_none() {
                return Err(AppError::field("user_id", "no such user"));
            }
            let plan = store::plan(conn, &body.plan_id)?
                .ok_or_else(|| AppError::field("plan_id", "no such plan"))?;
            let m = Membership {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: body.user_id.clone(),
                plan_id: plan.id.clone(),
                status: MembershipStatus::Active,
                gateway: body.gateway,
                stripe_customer_id: None,
                stripe_subscription_id: None,
                current_period_end: match body.gateway {
                    MembershipGateway::Manual => Some(period_end(now_at, plan.interval)),
                    _ => comp_end.clone(),
                },
                past_due_since: None,
                cancel_at_period_end: false,
                cycles_paid: 0,
                started_at: now.clone(),
                ended_at: None,
                updated_at: now.clone(),
            };
            start(conn, m, &plan, None, &actor, &now)
        })
        .await
}

/// Staff record that a manual membership's next period was paid at the office.
pub async fn record_period(
    state: &AppState,
    id: String,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    let now_at = state.now();
    let now = crate::clock::rfc3339(now_at);
    state
        .db
        .write(move |conn| {
            let mut m = store::get(conn, &id)?.ok_or(AppError::NotFound("membership"))?;
            if m.gateway != MembershipGateway::Manual {
                return Err(AppError::conflict(
                    "only a manual membership has periods recorded by hand",
                ));
            }
            let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
            if m.status.is_final() {
                return Err(AppError::conflict(crate::msg!(
                    "problem-membership-status",
                    status = crate::status::word(m.status)
                )));
            }
            // The new period starts where the paid one ends (or now, if that has passed).
            let from = m
                .current_period_end
                .as_deref()
                .and_then(crate::clock::parse_rfc3339)
                .filter(|end| *end > now_at)
                .unwrap_or(now_at);
            m.current_period_end = Some(period_end(from, plan.interval));
            m.cycles_paid += 1;
            store::update(conn, &m)?;
            store::insert_invoice(
                conn,
                &Invoice {
                    id: uuid::Uuid::now_v7().to_string(),
                    membership_id: m.id.clone(),
                    stripe_invoice_id: None,
                    status: InvoiceStatus::Paid,
                    amount_cents: plan.price_cents,
                    currency: plan.currency.clone(),
                    period_end: m.current_period_end.clone(),
                    at: now.clone(),
                },
                actor.user_id.as_deref(),
            )?;
            step(conn, &mut m, &plan, MembershipEvent::Paid, &actor, &now)?;
            apply::audit(
                conn,
                &m,
                &actor,
                "membership.period_recorded",
                json!({"period_end": m.current_period_end}),
                &now,
            )?;
            if apply::paid_off(&m, &plan) {
                apply::own_plan_course(conn, &m, &plan, &now)?;
                step(conn, &mut m, &plan, MembershipEvent::Ended, &actor, &now)?;
            }
            view(conn, m)
        })
        .await
}

/// Ends a membership now (Stripe's subscription too). 409 when it has already ended.
pub async fn cancel_now(
    state: &AppState,
    id: String,
    actor: Actor,
) -> Result<MembershipView, AppError> {
    let _turn = serialised(&id).await;
    let mid = id.clone();
    let m = state
        .db
        .read(move |conn| store::get(conn, &mid)?.ok_or(AppError::NotFound("membership")))
        .await?;
    crate::payments::memberships::transition::transition(m.status, MembershipEvent::Cancelled)?;
    if let (MembershipGateway::Stripe, Some(sub)) = (m.gateway, &m.stripe_subscription_id) {
        billing::cancel_now(&state.config.payments.stripe, sub).await?;
    }
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let mut m = store::get(conn, &id)?.ok_or(AppError::NotFound("membership"))?;
            let plan = store::plan(conn, &m.plan_id)?.ok_or(AppError::NotFound("plan"))?;
            step(
                conn,
                &mut m,
                &plan,
                MembershipEvent::Cancelled,
                &actor,
                &now,
            )?;
            view(conn, m)
        })
        .await
}

pub async fn list(
    state: &AppState,
    status: Option<MembershipStatus>,
    plan_id: Option<String>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<MemberRow>, i64), AppError> {
    state
        .db
        .read(move |conn| {
            let (items, total) = store::list(conn, status, plan_id.as_deref(), limit, offset)?;
            let views = items
                .into_iter()
                .map(|m| {
                    let (member_name, member_email) =
                        store::recipient(conn, &m.user_id)?.unwrap_or_default();
                    Ok(MemberRow {
                        view: view(conn, m)?,
                        member_name,
                        member_email,
                    })
                })
                .collect::<Result<_, AppError>>()?;
            Ok((views, total))
        })
        .await
}
