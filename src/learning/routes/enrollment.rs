//! Enrolment endpoints: self-enrolment, enrolment by hand, my courses, a course's students.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access::CourseAccess;
use crate::audit;
use crate::auth::AuthUser;
use crate::http::{AppError, Json, ListResponse, PageParams, Problem, Query};
use crate::learning::model::{EnrollmentSource, EnrollmentStatus, EnrollmentView};
use crate::learning::progress;
use crate::learning::service::{self, Granted};
use crate::learning::store::quiz::QuizStanding;
use crate::learning::store::{courses, enrollments, lists};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enroll))
        .routes(routes!(add_enrollment))
        .routes(routes!(remove_enrollment))
        .routes(routes!(my_courses))
        .routes(routes!(students))
}

fn granted_response(g: Granted) -> (StatusCode, Json<EnrollmentView>) {
    let status = if g.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(EnrollmentView::from(&g.enrollment)))
}

/// Enrol the caller: free published courses at once (201); an existing enrolment is
/// returned (200); a paid course must be bought first (402 naming the price).
#[utoipa::path(post, path = "/api/courses/{courseId}/enroll", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)),
    responses(
        (status = 201, description = "enrolled now", body = EnrollmentView),
        (status = 200, description = "already enrolled", body = EnrollmentView),
        (status = 402, description = "paid course not bought; has `price_cents` and `currency`", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn enroll(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
) -> Result<(StatusCode, Json<EnrollmentView>), AppError> {
    let now = state.now_text();
    let gate = crate::access::Gate::of(&state);
    let granted = state
        .db
        .write(move |conn| {
            if let Some(existing) = enrollments::find(conn, &user.user_id, &course_id)?
                && existing.status.has_access()
            {
                return Ok(Granted {
                    enrollment: existing,
                    created: false,
                });
            }
            let course = courses::course(conn, &course_id)?
                .filter(|c| c.is_published())
                .ok_or(AppError::NotFound("course"))?;
            // A member (or instalment buyer) enrols in a paid course through the membership
            // that opens it; a free course is owned like anyone's.
            let access = match course.price_cents {
                0 => CourseAccess::Owned,
                _ => crate::access::for_course(conn, &user.user_id, &course.id, gate)?,
            };
            let held_by = match access {
                CourseAccess::Member { .. } | CourseAccess::Instalments { .. } => {
                    crate::access::store::covering_live(conn, &user.user_id, &course.id)?
                }
                _ => None,
            };
            if course.price_cents > 0 && held_by.is_none() {
                return Err(Problem::new(
                    StatusCode::PAYMENT_REQUIRED,
                    crate::msg!(
                        "problem-course-costs",
                        price = course.price_cents,
                        currency = course.currency.as_str()
                    ),
                )
                .with("price_cents", course.price_cents)
                .with("currency", &course.currency)
                .with("course_id", &course.id)
                .into_error());
            }
            let source = if held_by.is_some() {
                EnrollmentSource::Manual
            } else {
                EnrollmentSource::Free
            };
            let granted =
                service::grant_enrollment(conn, &user.user_id, &course_id, source, None, &now)?;
            if let Some((membership_id, kind)) = &held_by {
                crate::access::store::hold(conn, &granted.enrollment.id, membership_id, kind)?;
            }
            Ok(granted)
        })
        .await?;
    Ok(granted_response(granted))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddEnrollment {
    pub user_id: String,
}

/// Enrol a student by hand (the course's instructor or an admin).
#[utoipa::path(post, path = "/api/courses/{courseId}/enrollments", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path)), request_body = AddEnrollment,
    responses(
        (status = 201, body = EnrollmentView),
        (status = 200, description = "already enrolled", body = EnrollmentView),
        (status = 404, description = "no such course of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "unknown user", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn add_enrollment(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Json(body): Json<AddEnrollment>,
) -> Result<(StatusCode, Json<EnrollmentView>), AppError> {
    let now = state.now_text();
    let granted = state
        .db
        .write(move |conn| {
            service::owned_course(conn, &user.user_id, user.is_admin(), &course_id)?;
            if !courses::user_exists(conn, &body.user_id)? {
                return Err(AppError::field("user_id", "no user has this id"));
            }
            let granted = service::grant_enrollment(
                conn,
                &body.user_id,
                &course_id,
                EnrollmentSource::Manual,
                None,
                &now,
            )?;
            if granted.created {
                audit::store::record(
                    conn,
                    &now,
                    &audit::Entry {
                        actor_id: Some(&user.user_id),
                        action: "enrollment.granted",
                        target_type: Some("enrollment"),
                        target_id: Some(&granted.enrollment.id),
                        ip: None,
                        detail: Some(
                            serde_json::json!({ "course_id": course_id, "user_id": body.user_id }),
                        ),
                    },
                )?;
            }
            Ok(granted)
        })
        .await?;
    Ok(granted_response(granted))
}

/// Revoke a student's enrolment (and certificate); progress is kept.
#[utoipa::path(delete, path = "/api/courses/{courseId}/enrollments/{userId}", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path), ("userId" = String, Path)),
    responses(
        (status = 200, body = EnrollmentView),
        (status = 409, description = "already revoked", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_enrollment(
    State(state): State<AppState>,
    user: AuthUser,
    Path((course_id, user_id)): Path<(String, String)>,
) -> Result<Json<EnrollmentView>, AppError> {
    let now = state.now_text();
    let revoked = state
        .db
        .write(move |conn| {
            service::owned_course(conn, &user.user_id, user.is_admin(), &course_id)?;
            let enrollment = enrollments::find(conn, &user_id, &course_id)?
                .ok_or(AppError::NotFound("enrollment"))?;
            let revoked = service::revoke_enrollment(conn, &enrollment, &now)?;
            audit::store::record(
                conn,
                &now,
                &audit::Entry {
                    actor_id: Some(&user.user_id),
                    action: "enrollment.revoked",
                    target_type: Some("enrollment"),
                    target_id: Some(&revoked.id),
                    ip: None,
                    detail: Some(serde_json::json!({ "course_id": course_id, "user_id": user_id })),
                },
            )?;
            Ok(revoked)
        })
        .await?;
    Ok(Json(EnrollmentView::from(&revoked)))
}

/// One of the caller's courses.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MyCourse {
    pub course_id: String,
    pub title: String,
    pub status: EnrollmentStatus,
    pub percent: i64,
    pub last_lesson_id: Option<String>,
    pub enrolled_at: String,
    pub completed_at: Option<String>,
    /// Where to download the certificate, once issued (and not revoked).
    pub certificate_url: Option<String>,
    pub certificate_serial: Option<String>,
    /// Whether the learner has reviewed the course (the review form then edits it).
    pub reviewed: bool,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyCoursesQuery {
    /// Only this course: its enrolment, or an empty list when the caller is not enrolled
    /// (how a course page learns whether to offer "Enrol" or "Continue").
    pub course_id: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// The caller's enrolments with progress, newest first.
#[utoipa::path(get, path = "/api/users/me/courses", tag = "learning", security(("bearer" = [])),
    params(MyCoursesQuery),
    responses(
        (status = 200, body = ListResponse<MyCourse>),
    ))]
pub async fn my_courses(
    State(state): State<AppState>,
    user: AuthUser,
    Query(query): Query<MyCoursesQuery>,
) -> Result<Json<ListResponse<MyCourse>>, AppError> {
    let page = PageParams {
        page: query.page,
        per_page: query.per_page,
    }
    .checked()?;
    let list = state
        .db
        .read(move |conn| {
            let (total, page_items) = match &query.course_id {
                Some(course_id) => {
                    let one: Vec<_> = enrollments::find(conn, &user.user_id, course_id)?
                        .into_iter()
                        .collect();
                    (i64::try_from(one.len()).unwrap_or(0), one)
                }
                None => (
                    enrollments::count_for_user(conn, &user.user_id)?,
                    enrollments::for_user(conn, &user.user_id, page.limit(), page.offset())?,
                ),
            };
            let mut items = Vec::new();
            let ids: Vec<String> = page_items.iter().map(|e| e.id.clone()).collect();
            let mut figures = lists::figures(conn, &ids)?;
            for e in page_items {
                let f = figures.remove(&e.id).ok_or(AppError::NotFound("course"))?;
                items.push(MyCourse {
                    certificate_url: f
                        .certificate_serial
                        .as_ref()
                        .map(|_| format!("/api/courses/{}/certificate", e.course_id)),
                    certificate_serial: f.certificate_serial,
                    reviewed: f.reviewed,
                    course_id: e.course_id,
                    title: f.course_title,
                    status: e.status,
                    percent: progress::percent(f.completed_required, f.required_lessons),
                    last_lesson_id: e.last_lesson_id,
                    enrolled_at: e.enrolled_at,
                    completed_at: e.completed_at,
                });
            }
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(Json(list))
}

/// A student of a course as its instructor sees them.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Student {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub status: EnrollmentStatus,
    pub enrolled_at: String,
    pub completed_at: Option<String>,
    pub percent: i64,
    pub time_spent_seconds: i64,
    pub last_lesson_id: Option<String>,
    pub quiz_scores: Vec<QuizStanding>,
}

/// Students of a course with progress, time spent and best quiz scores (owner or admin).
#[utoipa::path(get, path = "/api/courses/{courseId}/students", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path), PageParams),
    responses(
        (status = 200, body = ListResponse<Student>),
        (status = 404, description = "no such course of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn students(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Query(params): Query<PageParams>,
) -> Result<Json<ListResponse<Student>>, AppError> {
    let page = params.checked()?;
    let list = state
        .db
        .read(move |conn| {
            service::owned_course(conn, &user.user_id, user.is_admin(), &course_id)?;
            let total = enrollments::count_for_course(conn, &course_id)?;
            let mut items = Vec::new();
            let page_items =
                enrollments::for_course(conn, &course_id, page.limit(), page.offset())?;
            let ids: Vec<String> = page_items.iter().map(|(e, _, _)| e.id.clone()).collect();
            let mut figures = lists::figures(conn, &ids)?;
            let mut standings = lists::standings(conn, &ids)?;
            for (e, name, email) in page_items {
                let percent = figures.remove(&e.id).map_or(0, |f| {
                    progress::percent(f.completed_required, f.required_lessons)
                });
                items.push(Student {
                    quiz_scores: standings.remove(&e.id).unwrap_or_default(),
                    user_id: e.user_id,
                    name,
                    email,
                    status: e.status,
                    enrolled_at: e.enrolled_at,
                    completed_at: e.completed_at,
                    percent,
                    time_spent_seconds: e.time_spent_seconds,
                    last_lesson_id: e.last_lesson_id,
                });
            }
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(Json(list))
}
