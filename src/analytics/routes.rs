//! `/api/admin/analytics/*` and the orders CSV export: thin handlers over the store and the
//! pure figures. Admins see the whole school; instructors and vendors their own items.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::csv_out::{self, Table};
use super::figures;
use super::model::*;
use super::period::{DateRange, Interval, day_text, parse_day};
use super::store;
use crate::auth::extract::AuthUser;
use crate::auth::require_roles;
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let reports = OpenApiRouter::new()
        .routes(routes!(sales))
        .routes(routes!(top_products))
        .routes(routes!(top_bundles))
        .routes(routes!(super::learner_routes::top_courses))
        .routes(routes!(super::learner_routes::users))
        .routes(routes!(super::learner_routes::course));
    let export = OpenApiRouter::new()
        .routes(routes!(orders_export))
        .routes(routes!(super::membership_routes::memberships));
    require_roles(
        reports,
        state,
        &[Role::Admin, Role::Instructor, Role::Vendor],
    )
    .merge(require_roles(export, state, &[Role::Admin]))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today, UTC).
    pub to: Option<String>,
    /// day (default), week (ISO, from Monday) or month.
    pub interval: Option<String>,
    /// Rows of a top list, 1..=100 (default 10).
    pub limit: Option<i64>,
    /// json (default) or csv.
    pub format: Option<String>,
}

pub(super) struct Checked {
    pub range: DateRange,
    pub interval: Interval,
    pub limit: i64,
    pub csv: bool,
}

impl ReportParams {
    pub(super) fn check(&self, state: &AppState) -> Result<Checked, AppError> {
        let today = state.now().to_offset(time::UtcOffset::UTC).date();
        let range = DateRange::parse(self.from.as_deref(), self.to.as_deref(), today)
            .map_err(|e| AppError::Validation(vec![e]))?;
        let interval = match self.interval.as_deref().map(str::trim) {
            None | Some("") | Some("day") => Interval::Day,
            Some("week") => Interval::Week,
            Some("month") => Interval::Month,
            Some(_) => return Err(AppError::field("interval", "must be day, week or month")),
        };
        let limit = self.limit.unwrap_or(10);
        if !(1..=100).contains(&limit) {
            return Err(AppError::field("limit", "must be between 1 and 100"));
        }
        let csv = match self.format.as_deref().map(str::trim) {
            None | Some("") | Some("json") => false,
            Some("csv") => true,
            Some(_) => return Err(AppError::field("format", "must be json or csv")),
        };
        Ok(Checked {
            range,
            interval,
            limit,
            csv,
        })
    }
}

/// None for admins (everything), else the caller's id.
pub(super) fn owner_of(user: &AuthUser) -> Option<String> {
    (!user.is_admin()).then(|| user.user_id.clone())
}

pub(super) fn scope_name(owner: &Option<String>) -> String {
    if owner.is_some() {
        "own".into()
    } else {
        "all".into()
    }
}

pub(super) fn days<const N: usize>(rows: Vec<(String, [i64; N])>) -> Vec<(time::Date, [i64; N])> {
    rows.into_iter()
        .filter_map(|(day, values)| parse_day(&day).map(|d| (d, values)))
        .collect()
}

fn cents_cells(f: &figures::SalesFigures) -> Vec<String> {
    [
        f.gross_cents,
        f.refunds_cents,
        f.net_cents,
        f.orders,
        f.average_order_cents,
    ]
    .iter()
    .map(i64::to_string)
    .collect()
}

/// Sales per period: gross (sold orders by paid day), processed refunds, net, orders and
/// average order value, with totals.
#[utoipa::path(get, path = "/api/admin/analytics/sales", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the report (JSON, or CSV with format=csv)",
            content((SalesReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad from, to, interval or format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn sales(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    let checked = params.check(&state)?;
    let owner = owner_of(&user);
    let (range, query_owner) = (checked.range, owner.clone());
    let (daily, refunds) = state
        .db
        .read(move |conn| {
            Ok(store::rollups::sales_by_day(
                conn,
                &range,
                query_owner.as_deref(),
            )?)
        })
        .await?;
    let daily = days(daily.into_iter().map(|(d, g, n)| (d, [g, n])).collect());
    let refunds = days(refunds.into_iter().map(|(d, r)| (d, [r])).collect());
    let (periods, totals) = figures::sales(range, checked.interval, &daily, &refunds);
    if checked.csv {
        let mut table = Table::new(&[
            "period",
            "gross_cents",
            "refunds_cents",
            "net_cents",
            "orders",
            "average_order_cents",
        ]);
        for p in &periods {
            table.push([vec![p.period.clone()], cents_cells(p)].concat());
        }
        table.push([vec!["total".to_string()], cents_cells(&totals)].concat());
        return csv_out::response("sales.csv", &table);
    }
    Ok(Json(SalesReport {
        from: day_text(range.from),
        to: day_text(range.to),
        interval: checked.interval,
        scope: scope_name(&owner),
        currency: state.config.store.currency.clone(),
        periods,
        totals,
    })
    .into_response())
}

/// Best-selling products in the range: units and revenue (order item totals).
#[utoipa::path(get, path = "/api/admin/analytics/top-products", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the list (JSON, or CSV with format=csv)",
            content((TopList<TopProduct> = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn top_products(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    let checked = params.check(&state)?;
    let owner = owner_of(&user);
    let (range, limit, o) = (checked.range, checked.limit, owner.clone());
    let items = state
        .db
        .read(move |conn| {
            Ok(store::rollups::top_products(
                conn,
                &range,
                o.as_deref(),
                limit,
            )?)
        })
        .await?;
    if checked.csv {
        let mut table = Table::new(&["product_id", "name", "units", "revenue_cents"]);
        for p in &items {
            table.push(vec![
                p.product_id.clone(),
                p.name.clone(),
                p.units.to_string(),
                p.revenue_cents.to_string(),
            ]);
        }
        return csv_out::response("top-products.csv", &table);
    }
    Ok(Json(TopList {
        from: day_text(range.from),
        to: day_text(range.to),
        scope: scope_name(&owner),
        items,
    })
    .into_response())
}

/// Best-selling bundles in the range: units and revenue (order item totals).
#[utoipa::path(get, path = "/api/admin/analytics/top-bundles", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the list (JSON, or CSV with format=csv)",
            content((TopList<TopBundle> = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn top_bundles(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    let checked = params.check(&state)?;
    let owner = owner_of(&user);
    let (range, limit, o) = (checked.range, checked.limit, owner.clone());
    let items = state
        .db
        .read(move |conn| {
            Ok(store::rollups::top_bundles(
                conn,
                &range,
                o.as_deref(),
                limit,
            )?)
        })
        .await?;
    if checked.csv {
        let mut table = Table::new(&["bundle_id", "name", "units", "revenue_cents"]);
        for b in &items {
            table.push(vec![
                b.bundle_id.clone(),
                b.name.clone(),
                b.units.to_string(),
                b.revenue_cents.to_string(),
            ]);
        }
        return csv_out::response("top-bundles.csv", &table);
    }
    Ok(Json(TopList {
        from: day_text(range.from),
        to: day_text(range.to),
        scope: scope_name(&owner),
        items,
    })
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportParams {
    /// First day of order creation, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today, UTC).
    pub to: Option<String>,
}

/// Every order created in the range as CSV, one row per order (admin); `lines` lists its
/// items as `type:name xN` (`bundle:...` for bundles).
#[utoipa::path(get, path = "/api/admin/orders/export", tag = "analytics",
    security(("bearer" = [])), params(ExportParams),
    responses(
        (status = 200, description = "orders.csv", body = String, content_type = "text/csv"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn orders_export(
    State(state): State<AppState>,
    Query(params): Query<ExportParams>,
) -> Result<Response, AppError> {
    let range = ReportParams {
        from: params.from,
        to: params.to,
        interval: None,
        limit: None,
        format: None,
    }
    .check(&state)?
    .range;
    csv_out::streamed_response("orders.csv", export_pages(state, range))
}

/// Orders in one page of the streamed export: small enough to hold, large enough that the
/// reads' overhead does not show.
const EXPORT_PAGE: i64 = 1000;

/// The orders export as CSV, page after page, each page its own short read (a long export
/// neither holds a pooled connection nor keeps the WAL from being checkpointed).
fn export_pages(
    state: AppState,
    range: DateRange,
) -> impl futures::Stream<Item = Result<Vec<u8>, AppError>> {
    let first: Option<Option<store::ExportCursor>> = Some(None);
    futures::stream::unfold(first, move |cursor| {
        let state = state.clone();
        async move {
            let after = cursor?;
            let header = after.is_none().then_some(store::ORDER_EXPORT_HEADER);
            let rows = state
                .db
                .read(move |conn| {
                    Ok(store::orders_export_page(
                        conn,
                        &range,
                        after.as_ref(),
                        EXPORT_PAGE,
                    )?)
                })
                .await;
            let rows = match rows {
                Ok(rows) => rows,
                Err(e) => return Some((Err(e), None)),
            };
            let next = match rows.last() {
                Some(last) if rows.len() as i64 == EXPORT_PAGE => Some(Some(last.cursor())),
                _ => None,
            };
            let bytes = csv_out::rows_to_bytes(header, rows.iter().map(|r| r.cells.as_slice()))
                .map_err(|e| AppError::Internal(e.into()));
            Some((bytes, next))
        }
    })
}
