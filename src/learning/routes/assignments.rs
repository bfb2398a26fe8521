//! Assignment endpoints: hand in, list a course's submissions, grade, see my submissions.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::AuthUser;
use crate::http::{AppError, FieldError, Json, ListResponse, PageParams, Problem, Query};
use crate::learning::activity::{self, SubmissionInput};
use crate::learning::model::{LessonType, QueuedSubmission, Submission, SubmissionStatus};
use crate::learning::service;
use crate::learning::store::submissions;
use crate::state::AppState;

const MAX_TEXT_CHARS: usize = 20_000;
const MAX_URL_CHARS: usize = 2_000;
const MAX_FEEDBACK_CHARS: usize = 5_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit))
        .routes(routes!(my_submissions))
        .routes(routes!(course_submissions))
        .routes(routes!(grade))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitRequest {
    pub text: Option<String>,
    pub url: Option<String>,
    pub media_id: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn validate(body: SubmitRequest) -> Result<SubmissionInput, AppError> {
    let input = SubmissionInput {
        text: non_empty(body.text),
        url: non_empty(body.url),
        media_id: non_empty(body.media_id),
    };
    let mut errors = Vec::new();
    if input.text.is_none() && input.url.is_none() && input.media_id.is_none() {
        errors.push(FieldError::new("text", "send a text, a url or a media_id"));
    }
    if input
        .text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TEXT_CHARS)
    {
        errors.push(FieldError::new(
            "text",
            crate::msg!("problem-max-chars", max = MAX_TEXT_CHARS),
        ));
    }
    if let Some(url) = &input.url
        && (url.chars().count() > MAX_URL_CHARS
            || !(url.starts_with("https://") || url.starts_with("http://"))
            || url.chars().any(char::is_whitespace))
    {
        errors.push(FieldError::new(
            "url",
            "must be an http(s) URL of at most 2000 characters",
        ));
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Hand in an assignment; replaces the open submission until it is graded.
#[utoipa::path(post, path = "/api/lessons/{lessonId}/submissions", tag = "learning", security(("bearer" = [])),
    params(("lessonId" = String, Path)), request_body = SubmitRequest,
    responses(
        (status = 201, description = "new submission", body = Submission),
        (status = 200, description = "open submission replaced", body = Submission),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "already passed", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn submit(
    State(state): State<AppState>,
    user: AuthUser,
    Path(lesson_id): Path<String>,
    Json(body): Json<SubmitRequest>,
) -> Result<(StatusCode, Json<Submission>), AppError> {
    let input = validate(body)?;
    let gate = crate::access::Gate::of(&state);
    let (submission, created) = state
        .db
        .write(move |conn| {
            activity::submit_assignment(conn, &user.user_id, &lesson_id, input.clone(), gate)
        })
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(submission)))
}

/// The caller's submissions for an assignment with grades and feedback, newest first.
#[utoipa::path(get, path = "/api/lessons/{lessonId}/submissions/mine", tag = "learning", security(("bearer" = [])),
    params(("lessonId" = String, Path)),
    responses(
        (status = 200, body = ListResponse<Submission>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn my_submissions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(lesson_id): Path<String>,
) -> Result<Json<ListResponse<Submission>>, AppError> {
    let items = state
        .db
        .read(move |conn| {
            let lesson =
                service::lesson_of_kind(conn, &lesson_id, LessonType::Assignment, "assignment")?;
            let enrollment = service::active_enrollment(conn, &user.user_id, &lesson.course_id)?;
            Ok(submissions::for_enrollment_lesson(
                conn,
                &enrollment.id,
                &lesson.id,
            )?)
        })
        .await?;
    let total = items.len() as i64;
    let per_page = u32::try_from(items.len().max(1)).unwrap_or(u32::MAX);
    Ok(Json(ListResponse {
        items,
        total,
        page: 1,
        per_page,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionFilter {
    pub status: Option<SubmissionStatus>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

/// A course's submissions, oldest first, optionally by status (owner or admin), each with the
/// learner's name and email and the lesson's title.
#[utoipa::path(get, path = "/api/courses/{courseId}/submissions", tag = "learning", security(("bearer" = [])),
    params(("courseId" = String, Path), SubmissionFilter),
    responses(
        (status = 200, body = ListResponse<QueuedSubmission>),
        (status = 400, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn course_submissions(
    State(state): State<AppState>,
    user: AuthUser,
    Path(course_id): Path<String>,
    Query(filter): Query<SubmissionFilter>,
) -> Result<Json<ListResponse<QueuedSubmission>>, AppError> {
    let page = PageParams {
        page: filter.page,
        per_page: filter.per_page,
    }
    .checked()?;
    let list = state
        .db
        .read(move |conn| {
            service::owned_course(conn, &user.user_id, user.is_admin(), &course_id)?;
            let (items, total) = submissions::for_course(
                conn,
                &course_id,
                filter.status,
                page.limit(),
                page.offset(),
            )?;
            Ok(ListResponse::new(items, total, page))
        })
        .await?;
    Ok(Json(list))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeRequest {
    /// 0..=max_score of the assignment.
    pub score: i64,
    #[serde(default)]
    pub feedback: String,
}

/// Grade a submission (owner or admin); at or above the pass score completes the lesson.
#[utoipa::path(put, path = "/api/submissions/{id}/grade", tag = "learning", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = GradeRequest,
    responses(
        (status = 200, body = Submission),
        (status = 409, description = "already graded", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn grade(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    Json(body): Json<GradeRequest>,
) -> Result<Json<Submission>, AppError> {
    let feedback = body.feedback.trim().to_string();
    if feedback.chars().count() > MAX_FEEDBACK_CHARS {
        return Err(AppError::field(
            "feedback",
            crate::msg!("problem-max-chars", max = MAX_FEEDBACK_CHARS),
        ));
    }
    let now = state.now_text();
    let graded = state
        .db
        .write(move |conn| {
            activity::grade_submission(
                conn,
                &user.user_id,
                user.is_admin(),
                &id,
                body.score,
                &feedback,
                &now,
            )
        })
        .await?;
    crate::mail::wake(&state);
    Ok(Json(graded))
}
