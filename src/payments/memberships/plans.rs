//! Plans: a new membership or payment plan (staff: the body's rules, the monthly/yearly
//! sibling, the bundle a payment plan may sell), and the plan a member may subscribe to.

use serde::Deserialize;
use serde_json::json;

use super::apply::Actor;
use super::model::{Plan, PlanInterval, PlanScope};
use super::store;
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
    /// A payment plan: this many instalments of `price_cents` for `course_ids[0]` (one course)
    /// or for `bundle_id`.
    pub cycles: Option<i64>,
    /// A payment plan for a published bundle (instead of `course_ids`): it opens, and after the
    /// last instalment owns, every course the bundle holds now.
    pub bundle_id: Option<String>,
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
        PlanScope::Courses if p.course_ids.is_empty() && p.bundle_id.is_none() => {
            bad("course_ids", "must name at least one course")
        }
        _ => {}
    }
    if p.bundle_id.is_some() && p.cycles.is_none() {
        bad(
            "bundle_id",
            "only a payment plan (with `cycles`) sells a bundle",
        );
    }
    if let Some(n) = p.cycles {
        if !(2..=60).contains(&n) {
            bad("cycles", "must be between 2 and 60");
        }
        if p.bundle_id.is_some() && !p.course_ids.is_empty() {
            bad(
                "bundle_id",
                "a payment plan sells one course or one bundle, not both",
            );
        } else if p.scope != PlanScope::Courses {
            bad(
                "scope",
                "a payment plan sells one course or one bundle (scope `courses`)",
            );
        } else if p.bundle_id.is_none() && p.course_ids.len() != 1 {
            bad(
                "course_ids",
                "a payment plan sells exactly one course (scope `courses`), or a bundle",
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

/// The bundle a new payment plan sells: published, with every course in it published (what
/// the cart asks of a bundle for sale), else 422 naming `bundle_id`.
fn bundle_for_plan(
    conn: &rusqlite::Connection,
    id: &str,
) -> Result<crate::catalog::bundles::BundleView, AppError> {
    let bundle = crate::catalog::bundles::service::for_sale(conn, id)?.ok_or_else(|| {
        AppError::field(
            "bundle_id",
            "must name a published bundle whose courses are all published",
        )
    })?;
    if !bundle.products.is_empty() {
        // Goods need an order (stock, shipping, a download link); instalments make none.
        return Err(AppError::field(
            "bundle_id",
            "a bundle that includes products is sold in the shop only, not in instalments",
        ));
    }
    Ok(bundle)
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
            let bundle = match &body.bundle_id {
                Some(b) => Some(bundle_for_plan(conn, b)?),
                None => None,
            };
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
                course_ids: match (&bundle, body.scope) {
                    (Some(b), _) => b.courses.iter().map(|c| c.id.clone()).collect(),
                    (None, PlanScope::Courses) => body.course_ids.clone(),
                    (None, _) => Vec::new(),
                },
                bundle_id: bundle.as_ref().map(|b| b.id.clone()),
                bundle_name: bundle.as_ref().map(|b| b.name.clone()),
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
                    detail: Some(json!({"price_cents": plan.price_cents, "interval": plan.interval, "cycles": plan.cycles, "bundle_id": plan.bundle_id})),
                },
            )?;
            Ok(plan)
        })
        .await
}

/// The plan `user_id` asks to subscribe to, and their email: on sale, not already held, and
/// for a bundle's plan, the bundle still for sale (409).
pub(super) fn to_subscribe(
    conn: &rusqlite::Connection,
    user_id: &str,
    plan_id: &str,
) -> Result<(Plan, String), AppError> {
    let plan = store::plan(conn, plan_id)?
        .filter(|p| p.active)
        .ok_or(AppError::NotFound("plan"))?;
    if store::live(conn, user_id, &plan.id)?.is_some() {
        return Err(AppError::conflict("you already have this plan"));
    }
    if let Some(bundle) = &plan.bundle_id
        && crate::catalog::bundles::service::for_sale(conn, bundle)?.is_none()
    {
        return Err(AppError::conflict(
            "this plan's bundle is no longer for sale",
        ));
    }
    let (_, email) = store::recipient(conn, user_id)?.ok_or(AppError::NotFound("user"))?;
    Ok((plan, email))
}
