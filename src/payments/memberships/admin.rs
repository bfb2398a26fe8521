//! Staff side of memberships: plans, giving a membership (comp, or manual with its first
//! period paid), recording a period paid by hand, and cancelling at once.

use serde::Deserialize;
use serde_json::json;

use super::apply::{self, Actor, step};
use super::billing;
use super::model::{
    Invoice, InvoiceStatus, MemberRow, Membership, MembershipGateway, MembershipView, Plan,
    PlanInterval, PlanScope,
};
use super::service::{serialised, start, view};
use super::store;
use super::transition::MembershipEvent;
use crate::access::MembershipStatus;
use crate::http::{AppError, FieldError};
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlan {
    pub name: String,
    pub interval: PlanInterval,
    pub price_cents: i64,
    #[serde(default)]
    pub trial_days: i64,
    /// `all`, `category` (with `category_id`) or `courses` (with `course_ids`).
    pub scope: PlanScope,
    pub category_id: Option<String>,
    #[serde(default)]
    pub course_ids: Vec<String>,
    /// A payment plan: this many instalments of `price_cents` for `course_ids[0]` (one course).
    pub cycles: Option<i64>,
    /// The monthly/yearly sibling members may switch to.
    pub switch_plan_id: Option<String>,
}

fn check(p: &NewPlan) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let mut bad = |f: &str, m: &'static str| errors.push(FieldError::new(f, m));
    if p.name.trim().is_empty() || p.name.chars().count() > 200 {
        bad("name", "must be 1 to 200 characters");
    }
    if !(1..=100_000_000).contains(&p.price_cents) {
        bad("price_cents", "must be between 1 and 100000000");
    }
    if !(0..=365).contains(&p.trial_days) {
        bad("trial_days", "must be between 0 and 365");
    }
    match p.scope {
        PlanScope::Category if p.category_id.is_none() => {
            bad("category_id", "is required for scope `category`")
        }
        PlanScope::Courses if p.course_ids.is_empty() => {
            bad("course_ids", "must name at least one course")
        }
        _ => {}
    }
    if let Some(n) = p.cycles {
        if !(2..=60).contains(&n) {
            bad("cycles", "must be between 2 and 60");
        }
        if p.scope != PlanScope::Courses || p.course_ids.len() != 1 {
            bad(
                "course_ids",
                "a payment plan sells exactly one course (scope `courses`)",
            );
        }
        if p.trial_days != 0 {
            bad("trial_days", "a payment plan has no trial");
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The monthly/yearly sibling named by a new plan: an existing membership plan billed at
/// the other interval.
fn check_sibling(
    found: Option<Plan>,
    interval: PlanInterval,
    cycles: Option<i64>,
) -> Result<Plan, AppError> {
    let sibling = found.ok_or_else(|| AppError::field("switch_plan_id", "no such plan"))?;
    if cycles.is_some() || sibling.cycles.is_some() {
        return Err(AppError::field(
            "switch_plan_id",
            "a payment plan has no monthly/yearly alternative",
        ));
    }
    if sibling.interval == interval {
        return Err(AppError::field(
            "switch_plan_id",
            "must name a plan billed at the other interval (monthly <-> yearly)",
        ));
    }
    Ok(sibling)
}

pub async fn create_plan(state: &AppState, body: NewPlan, actor: Actor) -> Result<Plan, AppError> {
    check(&body)?;
    let now = state.now_text();
    let currency = state.config.store.currency.clone();
    state
        .db
        .write(move |conn| {
            for c in &body.course_ids {
                if !store::course_exists(conn, c)? {
                    return Err(AppError::field("course_ids", crate::msg!("problem-no-course", id = c)));
                }
            }
            if let Some(c) = &body.category_id
                && !store::category_exists(conn, c)?
            {
                return Err(AppError::field("category_id", "no such category"));
            }
            let sibling = match &body.switch_plan_id {
                Some(s) => Some(check_sibling(
                    store::plan(conn, s)?,
                    body.interval,
                    body.cycles,
                )?),
                None => None,
            };
            let plan = Plan {
                id: uuid::Uuid::now_v7().to_string(),
                name: body.name.trim().to_string(),
                interval: body.interval,
                price_cents: body.price_cents,
                currency: currency.clone(),
                trial_days: body.trial_days,
                scope: body.scope,
                category_id: body.category_id.clone().filter(|_| body.scope == PlanScope::Category),
                course_id: body.cycles.and(body.course_ids.first().cloned()),
                course_ids: if body.scope == PlanScope::Courses { body.course_ids.clone() } else { Vec::new() },
                cycles: body.cycles,
                switch_plan_id: body.switch_plan_id.clone(),
                stripe_plan_id: None,
                active: true,
                created_at: now.clone(),
            };
            store::insert_plan(conn, &plan)?;
            // The pair is linked both ways, so members can switch back.
            if let Some(sibling) = sibling.filter(|s| s.switch_plan_id.is_none()) {
                store::set_switch_plan(conn, &sibling.id, &plan.id)?;
            }
            crate::audit::store::record(
                conn,
                &now,
                &crate::audit::Entry {
                    actor_id: actor.user_id.as_deref(),
                    action: "membership_plan.created",
                    target_type: Some("membership_plan"),
                    target_id: Some(&plan.id),
                    ip: actor.ip.as_deref(),
                    detail: Some(json!({"price_cents": plan.price_cents, "interval": plan.interval, "cycles": plan.cycles})),
                },
            )?;
            Ok(plan)
        })
        .await
}

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
                    status = m.status.as_str()
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
