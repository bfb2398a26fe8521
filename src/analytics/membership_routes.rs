//! `/api/admin/analytics/memberships`: the membership report beside the sales report (admins
//! only: it is the whole school's recurring revenue).

use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::csv_out::{self, Table};
use super::memberships::{self, MembershipsReport};
use super::period::day_text;
use super::routes::ReportParams;
use super::store;
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;

/// Membership figures per period: MRR and active members at each period's end, new and
/// churned members, membership revenue, failed payments and how many were recovered.
#[utoipa::path(get, path = "/api/admin/analytics/memberships", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the report (JSON, or CSV with format=csv)",
            content((MembershipsReport = "application/json"), (String = "text/csv"))),
        (status = 403, description = "admins only", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad from, to, interval or format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn memberships(
    State(state): State<AppState>,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    let checked = params.check(&state)?;
    let (range, interval, now) = (checked.range, checked.interval, state.now());
    let (periods, totals) = state
        .db
        .read(move |conn| {
            let members = store::memberships::members(conn)?;
            let invoices = store::memberships::invoices(conn)?;
            Ok(memberships::report(
                &members, &invoices, range, interval, now,
            ))
        })
        .await?;
    if checked.csv {
        let mut table = Table::new(memberships::CSV_HEADER);
        for p in periods.iter().chain(std::iter::once(&totals)) {
            table.push(memberships::csv_cells(p));
        }
        return csv_out::response("memberships.csv", &table);
    }
    Ok(Json(MembershipsReport {
        from: day_text(range.from),
        to: day_text(range.to),
        interval,
        currency: state.config.store.currency.clone(),
        periods,
        totals,
    })
    .into_response())
}
