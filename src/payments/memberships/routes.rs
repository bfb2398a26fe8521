//! `/api/membership-plans`, `/api/memberships` (the member's own) and
//! `/api/admin/memberships`, `/api/admin/membership-plans`: thin handlers.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin::{self, GiveMembership, NewPlan};
use super::apply::Actor;
use super::model::{MemberRow, MembershipView, Plan};
use super::report::{self, MembershipReport};
use super::{card, service, store};
use crate::access::MembershipStatus;
use crate::auth::extract::ClientIp;
use crate::auth::{AuthUser, require_roles};
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query, optional_filter};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let admin = require_roles(
        OpenApiRouter::new()
            .routes(routes!(create_plan))
            .routes(routes!(list_members, give_membership))
            .routes(routes!(record_period))
            .routes(routes!(admin_cancel))
            .routes(routes!(report)),
        state,
        &[Role::Admin],
    );
    OpenApiRouter::new()
        .routes(routes!(list_plans))
        .routes(routes!(my_memberships, subscribe))
        .routes(routes!(cancel))
        .routes(routes!(resume))
        .routes(routes!(switch_plan))
        .routes(routes!(update_card))
        .merge(admin)
}

fn actor(user: &AuthUser, ip: Option<String>) -> Actor {
    Actor {
        user_id: Some(user.user_id.clone()),
        ip,
    }
}

/// The plans on sale: memberships first, then payment plans.
#[utoipa::path(get, path = "/api/membership-plans", tag = "memberships",
    responses((status = 200, body = Vec<Plan>)))]
pub async fn list_plans(State(state): State<AppState>) -> Result<Json<Vec<Plan>>, AppError> {
    let plans = state.db.read(|conn| Ok(store::plans(conn, true)?)).await?;
    Ok(Json(plans))
}

/// The caller's memberships and payment plans: plan, status, next charge, invoices.
#[utoipa::path(get, path = "/api/memberships", tag = "memberships", security(("bearer" = [])),
    responses((status = 200, body = Vec<MembershipView>)))]
pub async fn my_memberships(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<Vec<MembershipView>>, AppError> {
    Ok(Json(service::mine(&state, user.user_id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Subscribe {
    pub plan_id: String,
    /// The card Stripe.js collected (`pm_...`).
    pub payment_method: String,
}

/// Subscribe to a plan with a card (Stripe Billing). The first period is charged at once
/// (or the trial starts).
#[utoipa::path(post, path = "/api/memberships", tag = "memberships", security(("bearer" = [])), request_body = Subscribe,
    responses(
        (status = 201, body = MembershipView),
        (status = 402, description = "the card was declined; nothing kept", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such plan on sale", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the caller already has this plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe failed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn subscribe(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<Subscribe>,
) -> Result<(StatusCode, Json<MembershipView>), AppError> {
    let by = actor(&user, ip);
    let view =
        service::subscribe(&state, &user.user_id, body.plan_id, body.payment_method, by).await?;
    crate::mail::wake(&state);
    Ok((StatusCode::CREATED, Json(view)))
}

/// Cancel at the end of the paid period (access stays until then).
#[utoipa::path(post, path = "/api/memberships/{id}/cancel", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = MembershipView),
        (status = 404, description = "no such membership of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already cancelled, ended, or a payment plan", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<MembershipView>, AppError> {
    let by = actor(&user, ip);
    let view = service::set_cancel(&state, &user.user_id, &id, true, by).await?;
    crate::mail::wake(&state);
    Ok(Json(view))
}

/// Take back a cancellation before the period ends.
#[utoipa::path(post, path = "/api/memberships/{id}/resume", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = MembershipView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not cancelled, or already ended", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn resume(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<MembershipView>, AppError> {
    let by = actor(&user, ip);
    Ok(Json(
        service::set_cancel(&state, &user.user_id, &id, false, by).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchPlan {
    /// The plan the member means to move to (its plan's `switch_plan_id`); with it, a
    /// repeated request is a 409 instead of a switch back. The body is optional.
    pub plan_id: Option<String>,
}

/// Switch to the plan's monthly/yearly sibling; Stripe prorates the unused time.
#[utoipa::path(post, path = "/api/memberships/{id}/switch", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)), request_body(content = Option<SwitchPlan>),
    responses(
        (status = 200, body = MembershipView),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already on that plan, no sibling plan, or not a live card membership", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "plan_id is not the sibling", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn switch_plan(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<MembershipView>, AppError> {
    // No body, or `{}`, keeps the old call working: switch to the sibling.
    let want = if body.iter().all(u8::is_ascii_whitespace) {
        SwitchPlan::default()
    } else {
        crate::http::json::parse::<SwitchPlan>(&body)?
    };
    let by = actor(&user, ip);
    let view = service::switch(&state, &user.user_id, &id, want.plan_id, by).await?;
    Ok(Json(view))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCard {
    /// The new card Stripe.js collected (`pm_...`).
    pub payment_method: String,
}

/// Replace the card of a card membership or payment plan: it becomes the default of the
/// member's Stripe customer and subscription; a past-due membership pays its open invoice
/// with it at once and is active again.
#[utoipa::path(post, path = "/api/memberships/{id}/payment-method", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewCard,
    responses(
        (status = 200, description = "the card is saved (and the overdue invoice paid)", body = MembershipView),
        (status = 402, description = "the card was declined; nothing charged or kept, the membership unchanged", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "no such membership of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "a manual or comp membership, or one that has ended", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "payment_method is not a Stripe card id Stripe can use", body = Problem, content_type = "application/problem+json"),
        (status = 502, description = "Stripe failed", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_card(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Json(body): Json<NewCard>,
) -> Result<Json<MembershipView>, AppError> {
    let by = actor(&user, ip);
    let view = card::update_card(&state, &user.user_id, &id, body.payment_method, by).await;
    crate::mail::wake(&state);
    Ok(Json(view?))
}

/// Create a membership plan or a payment plan (prices in the store currency).
#[utoipa::path(post, path = "/api/admin/membership-plans", tag = "memberships", security(("bearer" = [])), request_body = NewPlan,
    responses(
        (status = 201, body = Plan),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_plan(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<NewPlan>,
) -> Result<(StatusCode, Json<Plan>), AppError> {
    let plan = admin::create_plan(&state, body, actor(&user, ip)).await?;
    Ok((StatusCode::CREATED, Json(plan)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// trialing, active, past_due, paused, cancelled or expired.
    pub status: Option<String>,
    pub plan_id: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// Members (with their name and email), newest first, filtered by state or plan.
#[utoipa::path(get, path = "/api/admin/memberships", tag = "memberships", security(("bearer" = [])),
    params(MemberQuery),
    responses(
        (status = 200, body = ListResponse<MemberRow>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_members(
    State(state): State<AppState>,
    Query(query): Query<MemberQuery>,
) -> Result<Json<ListResponse<MemberRow>>, AppError> {
    let page = PageParams {
        page: query.page,
        per_page: query.per_page,
    }
    .checked()?;
    let status = optional_filter::<MembershipStatus>("status", query.status.as_deref())?;
    let plan_id = query.plan_id.filter(|p| !p.is_empty());
    let (items, total) = admin::list(&state, status, plan_id, page.limit(), page.offset()).await?;
    Ok(Json(ListResponse::new(items, total, page)))
}

/// Give a membership: `comp` (free) or `manual` (first period recorded as paid now).
#[utoipa::path(post, path = "/api/admin/memberships", tag = "memberships", security(("bearer" = [])), request_body = GiveMembership,
    responses(
        (status = 201, body = MembershipView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "the member already has this plan", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn give_membership(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Json(body): Json<GiveMembership>,
) -> Result<(StatusCode, Json<MembershipView>), AppError> {
    let view = admin::give(&state, body, actor(&user, ip)).await?;
    crate::mail::wake(&state);
    Ok((StatusCode::CREATED, Json(view)))
}

/// Record the next period of a manual membership as paid (at the office, by transfer).
#[utoipa::path(post, path = "/api/admin/memberships/{id}/periods", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = MembershipView),
        (status = 403, description = "admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "not a manual membership, or ended", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn record_period(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<MembershipView>, AppError> {
    let view = admin::record_period(&state, id, actor(&user, ip)).await?;
    crate::mail::wake(&state);
    Ok(Json(view))
}

/// End a membership now (and its Stripe subscription).
#[utoipa::path(post, path = "/api/admin/memberships/{id}/cancel", tag = "memberships", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses(
        (status = 200, body = MembershipView),
        (status = 403, description = "admins only", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already ended", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn admin_cancel(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
) -> Result<Json<MembershipView>, AppError> {
    let view = admin::cancel_now(&state, id, actor(&user, ip)).await?;
    crate::mail::wake(&state);
    Ok(Json(view))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today, UTC).
    pub to: Option<String>,
    /// json (default) or csv.
    pub format: Option<String>,
}

/// Membership figures: MRR and active members now; new, churned, failed and recovered
/// payments in the period. The same figures per period are at
/// `/api/admin/analytics/memberships`, beside the sales report.
#[utoipa::path(get, path = "/api/admin/memberships/report", tag = "memberships", security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "the figures (JSON, or CSV with format=csv)", body = MembershipReport),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn report(
    State(state): State<AppState>,
    Query(query): Query<ReportQuery>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let day =
        |field: &'static str, text: &Option<String>| -> Result<Option<time::Date>, AppError> {
            match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => Ok(None),
                Some(t) => crate::clock::parse_day(t)
                    .map(Some)
                    .ok_or_else(|| AppError::field(field, "must be a date YYYY-MM-DD")),
            }
        };
    let csv = match query.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(AppError::field("format", "must be json or csv")),
    };
    let today = state.now().date();
    let to = day("to", &query.to)?.unwrap_or(today);
    let from = day("from", &query.from)?.unwrap_or(to - time::Duration::days(29));
    if from > to {
        return Err(AppError::field("from", "must not be after `to`"));
    }
    let (currency, now) = (state.config.store.currency.clone(), state.now());
    let figures = state
        .db
        .read(move |conn| report::build(conn, from, to, now, &currency))
        .await?;
    if csv {
        let mut response = report::csv(&figures).into_response();
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        return Ok(response);
    }
    Ok(Json(figures).into_response())
}
