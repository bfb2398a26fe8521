//! `/api/admin/tax/*`: the tax report and the OSS return (JSON or CSV), the VIES re-check
//! run on demand, and the orders whose card contradicted their evidence. Admins only.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::{Date, Month};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::card::{EvidenceConflict, conflicts};
use super::recheck::{RecheckRun, run};
use super::report::{OssLine, TaxRow, build_rows, oss_lines};
use super::store;
use crate::analytics::csv_out::{self, Table};
use crate::analytics::period::{DateRange, day_text};
use crate::auth::require_roles;
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;
use crate::users::Role;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    require_roles(
        OpenApiRouter::new()
            .routes(routes!(tax_report))
            .routes(routes!(oss_report))
            .routes(routes!(vies_recheck))
            .routes(routes!(evidence_conflicts)),
        state,
        &[Role::Admin],
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxReportParams {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, inclusive (default: today, UTC).
    pub to: Option<String>,
    /// The OSS quarter, `YYYY-Qn` (OSS return only; required there).
    pub quarter: Option<String>,
    /// json (default) or csv.
    pub format: Option<String>,
}

fn wants_csv(format: Option<&str>) -> Result<bool, AppError> {
    match format.map(str::trim) {
        None | Some("") | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(AppError::field("format", "must be json or csv")),
    }
}

/// Sums of the report's rows; `sales_cents`, `refunds_cents` and `net_cents` equal the
/// sales analytics' `gross_cents`, `refunds_cents` and `net_cents` for the same days.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct TaxTotals {
    pub sales_cents: i64,
    pub sales_tax_cents: i64,
    pub refunds_cents: i64,
    pub refunds_tax_cents: i64,
    pub net_cents: i64,
    pub tax_due_cents: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TaxReport {
    pub from: String,
    pub to: String,
    pub currency: String,
    pub eu_vat_enabled: bool,
    pub home_country: String,
    pub rows: Vec<TaxRow>,
    pub totals: TaxTotals,
}

fn totals(rows: &[TaxRow]) -> TaxTotals {
    let mut t = TaxTotals::default();
    for r in rows {
        t.sales_cents += r.sales_cents;
        t.sales_tax_cents += r.sales_tax_cents;
        t.refunds_cents += r.refunds_cents;
        t.refunds_tax_cents += r.refunds_tax_cents;
        t.tax_due_cents += r.tax_due_cents;
    }
    t.net_cents = t.sales_cents - t.refunds_cents;
    t
}

async fn rows_for(state: &AppState, range: DateRange) -> Result<Vec<TaxRow>, AppError> {
    let (start, end) = (range.start_text(), range.end_text());
    let (sales, credit_notes, refunds) = state
        .db
        .read(move |conn| {
            let mut sales = store::issued_documents(conn, "invoice", &start, &end)?;
            sales.extend(store::uninvoiced_sold_orders(conn, &start, &end)?);
            Ok((
                sales,
                store::issued_documents(conn, "credit_note", &start, &end)?,
                store::uninvoiced_refunds(conn, &start, &end)?,
            ))
        })
        .await?;
    Ok(build_rows(
        &state.config.tax.eu_vat,
        &sales,
        &credit_notes,
        &refunds,
    ))
}

/// Sales, refunds and tax due per country, scheme (`domestic`, `oss`, `reverse_charge`,
/// `outside_eu`), kind (`goods`, `shipping`) and rate, for orders paid and refunds processed
/// in the range.
#[utoipa::path(get, path = "/api/admin/tax/report", tag = "tax",
    security(("bearer" = [])), params(TaxReportParams),
    responses(
        (status = 200, description = "the report (JSON, or CSV with format=csv)",
            content((TaxReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "bad from, to or format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn tax_report(
    State(state): State<AppState>,
    Query(params): Query<TaxReportParams>,
) -> Result<Response, AppError> {
    let csv = wants_csv(params.format.as_deref())?;
    let today = state.now().to_offset(time::UtcOffset::UTC).date();
    let range = DateRange::parse(params.from.as_deref(), params.to.as_deref(), today)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let rows = rows_for(&state, range).await?;
    let totals = totals(&rows);
    if csv {
        return csv_out::response("tax-report.csv", &rows_table(&rows, &totals));
    }
    let eu = &state.config.tax.eu_vat;
    Ok(Json(TaxReport {
        from: day_text(range.from),
        to: day_text(range.to),
        currency: state.config.store.currency.clone(),
        eu_vat_enabled: eu.enabled,
        home_country: eu.home_country.clone(),
        rows,
        totals,
    })
    .into_response())
}

fn rows_table(rows: &[TaxRow], totals: &TaxTotals) -> Table {
    let mut table = Table::new(&[
        "country",
        "scheme",
        "kind",
        "rate_bps",
        "sales_cents",
        "sales_taxable_cents",
        "sales_tax_cents",
        "refunds_cents",
        "refunds_taxable_cents",
        "refunds_tax_cents",
        "net_taxable_cents",
        "tax_due_cents",
    ]);
    for r in rows {
        let mut cells = vec![r.country.clone(), r.scheme.clone(), r.kind.clone()];
        cells.extend(
            [
                r.rate_bps,
                r.sales_cents,
                r.sales_taxable_cents,
                r.sales_tax_cents,
                r.refunds_cents,
                r.refunds_taxable_cents,
                r.refunds_tax_cents,
                r.net_taxable_cents,
                r.tax_due_cents,
            ]
            .iter()
            .map(i64::to_string),
        );
        table.push(cells);
    }
    let t = totals;
    table.push(vec![
        "total".into(),
        String::new(),
        String::new(),
        String::new(),
        t.sales_cents.to_string(),
        (t.sales_cents - t.sales_tax_cents).to_string(),
        t.sales_tax_cents.to_string(),
        t.refunds_cents.to_string(),
        (t.refunds_cents - t.refunds_tax_cents).to_string(),
        t.refunds_tax_cents.to_string(),
        (t.net_cents - t.tax_due_cents).to_string(),
        t.tax_due_cents.to_string(),
    ]);
    table
}

/// One member state of consumption's total in the OSS return.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct OssCountry {
    pub country: String,
    pub taxable_cents: i64,
    pub vat_cents: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OssReport {
    pub quarter: String,
    pub from: String,
    pub to: String,
    pub currency: String,
    /// The member state of identification (the seller's home).
    pub home_country: String,
    /// Per member state of consumption and rate.
    pub lines: Vec<OssLine>,
    pub countries: Vec<OssCountry>,
    pub taxable_cents: i64,
    pub vat_cents: i64,
}

/// `2026-Q1` as the inclusive range of its days.
pub fn quarter_range(text: &str) -> Option<DateRange> {
    let (year, q) = text.trim().split_once("-Q")?;
    let year: i32 = year.parse().ok().filter(|y| (2000..=9999).contains(y))?;
    let q: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    let first = Month::try_from(3 * q - 2).ok()?;
    let from = Date::from_calendar_date(year, first, 1).ok()?;
    let next = if q == 4 {
        Date::from_calendar_date(year + 1, Month::January, 1).ok()?
    } else {
        Date::from_calendar_date(year, Month::try_from(3 * q + 1).ok()?, 1).ok()?
    };
    Some(DateRange {
        from,
        to: next.previous_day()?,
    })
}

/// The quarterly OSS return: per member state of consumption and rate, the taxable amount
/// and VAT of sales to consumers in other member states, net of refunds processed in the
/// quarter.
#[utoipa::path(get, path = "/api/admin/tax/oss", tag = "tax",
    security(("bearer" = [])), params(TaxReportParams),
    responses(
        (status = 200, description = "the return (JSON, or CSV with format=csv)",
            content((OssReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "missing or bad quarter, bad format", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn oss_report(
    State(state): State<AppState>,
    Query(params): Query<TaxReportParams>,
) -> Result<Response, AppError> {
    let csv = wants_csv(params.format.as_deref())?;
    let quarter = params
        .quarter
        .as_deref()
        .unwrap_or_default()
        .trim()
        .to_string();
    let range = quarter_range(&quarter)
        .ok_or_else(|| AppError::field("quarter", "must be a quarter like 2026-Q1"))?;
    let lines = oss_lines(&rows_for(&state, range).await?);
    let mut countries: Vec<OssCountry> = Vec::new();
    for line in &lines {
        if countries.last().is_none_or(|c| c.country != line.country) {
            countries.push(OssCountry {
                country: line.country.clone(),
                ..OssCountry::default()
            });
        }
        if let Some(c) = countries.last_mut() {
            c.taxable_cents += line.taxable_cents;
            c.vat_cents += line.vat_cents;
        }
    }
    let taxable_cents: i64 = lines.iter().map(|l| l.taxable_cents).sum();
    let vat_cents: i64 = lines.iter().map(|l| l.vat_cents).sum();
    if csv {
        let mut table = Table::new(&["country", "rate_bps", "taxable_cents", "vat_cents"]);
        for l in &lines {
            table.push(vec![
                l.country.clone(),
                l.rate_bps.to_string(),
                l.taxable_cents.to_string(),
                l.vat_cents.to_string(),
            ]);
        }
        table.push(vec![
            "total".into(),
            String::new(),
            taxable_cents.to_string(),
            vat_cents.to_string(),
        ]);
        return csv_out::response(&format!("oss-{quarter}.csv"), &table);
    }
    Ok(Json(OssReport {
        quarter,
        from: day_text(range.from),
        to: day_text(range.to),
        currency: state.config.store.currency.clone(),
        home_country: state.config.tax.eu_vat.home_country.clone(),
        lines,
        countries,
        taxable_cents,
        vat_cents,
    })
    .into_response())
}

/// Re-checks now every VAT number VIES could not answer (orders stay taxed as charged).
#[utoipa::path(post, path = "/api/admin/tax/vies-recheck", tag = "tax",
    security(("bearer" = [])),
    responses(
        (status = 200, body = RecheckRun),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn vies_recheck(State(state): State<AppState>) -> Result<Json<RecheckRun>, AppError> {
    Ok(Json(run(&state, true).await?))
}

/// Paid orders whose card country contradicted the evidence they were taxed on (newest
/// first, at most 500): they keep their tax; the admin decides whether to correct them.
#[utoipa::path(get, path = "/api/admin/tax/evidence-conflicts", tag = "tax",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<EvidenceConflict>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn evidence_conflicts(
    State(state): State<AppState>,
) -> Result<Json<Vec<EvidenceConflict>>, AppError> {
    Ok(Json(state.db.read(|conn| conflicts(conn, 500)).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_cover_their_three_months_and_nothing_else() {
        let q1 = quarter_range("2026-Q1").unwrap();
        assert_eq!(
            (day_text(q1.from), day_text(q1.to)),
            ("2026-01-01".into(), "2026-03-31".into())
        );
        let q4 = quarter_range("2026-Q4").unwrap();
        assert_eq!(
            (day_text(q4.from), day_text(q4.to)),
            ("2026-10-01".into(), "2026-12-31".into())
        );
        for bad in ["2026-Q5", "2026-Q0", "2026Q1", "Q1-2026", "", "1999-Q1"] {
            assert!(quarter_range(bad).is_none(), "{bad}");
        }
    }
}
