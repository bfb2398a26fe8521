//! Learning-side reports: top courses, users and activity, and one course's funnel.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use time::Duration;

use super::csv_out::{self, Table};
use super::figures;
use super::model::*;
use super::period::day_text;
use super::routes::{ReportParams, days, owner_of, scope_name};
use super::store;
use crate::auth::extract::AuthUser;
use crate::http::{AppError, Json, Problem, Query};
use crate::state::AppState;

/// Courses with the most revenue and enrolments in the range, with completion rate,
/// average progress and rating.
#[utoipa::path(get, path = "/api/admin/analytics/top-courses", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the list (JSON, or CSV with format=csv)",
            content((TopList<TopCourse> = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn top_courses(
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
            let mut courses = store::rollups::top_courses(conn, &range, o.as_deref(), limit)?;
            for course in &mut courses {
                let standings = store::standings(conn, &course.course_id, Some(&range))?;
                let funnel = figures::funnel(&standings);
                course.completion_rate = figures::ratio(funnel.completed, funnel.enrolled);
                course.average_progress_percent = funnel.average_progress_percent;
            }
            Ok(courses)
        })
        .await?;
    if checked.csv {
        let mut table = Table::new(&[
            "course_id",
            "title",
            "enrolments",
            "revenue_cents",
            "completion_rate",
            "average_progress_percent",
            "rating",
            "rating_count",
        ]);
        for c in &items {
            table.push(vec![
                c.course_id.clone(),
                c.title.clone(),
                c.enrolments.to_string(),
                c.revenue_cents.to_string(),
                c.completion_rate.to_string(),
                c.average_progress_percent.to_string(),
                c.rating.map(|r| r.to_string()).unwrap_or_default(),
                c.rating_count.to_string(),
            ]);
        }
        return csv_out::response("top-courses.csv", &table);
    }
    Ok(Json(TopList {
        from: day_text(range.from),
        to: day_text(range.to),
        scope: scope_name(&owner),
        items,
    })
    .into_response())
}

/// Users by role, sign-ups and active users per period, DAU/WAU/MAU as of `to`, and
/// learners active per course. Instructors and vendors count their learners and customers.
#[utoipa::path(get, path = "/api/admin/analytics/users", tag = "analytics",
    security(("bearer" = [])), params(ReportParams),
    responses(
        (status = 200, description = "the report (JSON, or CSV of the periods with format=csv)",
            content((UsersReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn users(
    State(state): State<AppState>,
    user: AuthUser,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    let checked = params.check(&state)?;
    let owner = owner_of(&user);
    let (range, interval, o) = (checked.range, checked.interval, owner.clone());
    let to = range.to;
    let (by_role, signups, active, counts, per_course) = state
        .db
        .read(move |conn| {
            let o = o.as_deref();
            let last = day_text(to);
            let since = |n: i64| day_text(to - Duration::days(n - 1));
            let counts = [
                store::active_between(conn, &last, &last, o)?,
                store::active_between(conn, &since(7), &last, o)?,
                store::active_between(conn, &since(30), &last, o)?,
            ];
            Ok((
                store::users_by_role(conn, o)?,
                store::daily_signups(conn, &range, o)?,
                store::active_per_period(conn, &range, interval, o)?,
                counts,
                store::learners_active_per_course(conn, &range, o)?,
            ))
        })
        .await?;
    let signups = super::period::bucket(
        range,
        interval,
        &days(signups.into_iter().map(|(d, n)| (d, [n])).collect()),
    );
    // Active users are distinct per period already; key each by a day inside the range.
    let active: Vec<(time::Date, [i64; 1])> =
        days(active.into_iter().map(|(d, n)| (d, [n])).collect())
            .into_iter()
            .map(|(d, v)| (d.max(range.from), v))
            .collect();
    let active = super::period::bucket(range, interval, &active);
    let periods: Vec<UserPeriod> = signups
        .iter()
        .zip(active.iter())
        .map(|((start, [s]), (_, [a]))| UserPeriod {
            period: day_text(*start),
            signups: *s,
            active_users: *a,
        })
        .collect();
    if checked.csv {
        let mut table = Table::new(&["period", "signups", "active_users"]);
        for p in &periods {
            table.push(vec![
                p.period.clone(),
                p.signups.to_string(),
                p.active_users.to_string(),
            ]);
        }
        return csv_out::response("users.csv", &table);
    }
    Ok(Json(UsersReport {
        from: day_text(range.from),
        to: day_text(range.to),
        interval,
        scope: scope_name(&owner),
        by_role,
        periods,
        dau: counts[0],
        wau: counts[1],
        mau: counts[2],
        learners_active_per_course: per_course,
    })
    .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParams {
    /// json (default) or csv.
    pub format: Option<String>,
}

/// The learning funnel of one course: enrolled, started, 25/50/75/100 % progress,
/// completed, average time spent, and quiz pass rates. 404 for another's course.
#[utoipa::path(get, path = "/api/admin/analytics/courses/{course_id}", tag = "analytics",
    security(("bearer" = [])), params(("course_id" = String, Path), FormatParams),
    responses(
        (status = 200, description = "the report (JSON, or CSV with format=csv)",
            content((CourseReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn course(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Query(params): Query<FormatParams>,
) -> Result<Response, AppError> {
    let csv = ReportParams {
        from: None,
        to: None,
        interval: None,
        limit: None,
        format: params.format,
    }
    .check(&state)?
    .csv;
    let owner = owner_of(&user);
    let report = state
        .db
        .read(move |conn| {
            let Some((title, instructor)) = store::course(conn, &course_id)? else {
                return Ok(None);
            };
            if owner.as_deref().is_some_and(|o| o != instructor) {
                return Ok(None);
            }
            let funnel = figures::funnel(&store::standings(conn, &course_id, None)?);
            let quizzes = store::quiz_pass_rates(conn, &course_id)?;
            Ok(Some(CourseReport {
                course_id,
                title,
                funnel,
                quizzes,
            }))
        })
        .await?
        .ok_or(AppError::NotFound("course"))?;
    if csv {
        let f = &report.funnel;
        let mut table = Table::new(&["measure", "value"]);
        for (name, value) in [
            ("enrolled", f.enrolled),
            ("started", f.started),
            ("reached_25", f.reached_25),
            ("reached_50", f.reached_50),
            ("reached_75", f.reached_75),
            ("reached_100", f.reached_100),
            ("completed", f.completed),
            ("average_time_spent_seconds", f.average_time_spent_seconds),
        ] {
            table.push(vec![name.to_string(), value.to_string()]);
        }
        table.push(vec![
            "average_progress_percent".into(),
            f.average_progress_percent.to_string(),
        ]);
        for q in &report.quizzes {
            table.push(vec![
                format!("quiz pass rate: {}", q.title),
                q.pass_rate.to_string(),
            ]);
        }
        return csv_out::response("course.csv", &table);
    }
    Ok(Json(report).into_response())
}
