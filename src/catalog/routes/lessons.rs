//! `/api/courses/:courseId/lessons`: the outline for everyone and lesson content for those
//! allowed (authoring is in `lesson_authoring`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::common;
use crate::auth::{AuthUser, MaybeUser};
use crate::catalog::model::{ContentType, Course, Status};
use crate::catalog::outline::{self, Access, LessonView, Lock, OutlineView, Render};
use crate::catalog::signed_media_url;
use crate::catalog::store::{courses as cstore, outline as ostore};
use crate::http::{AppError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_outline))
        .routes(routes!(get_lesson))
        .merge(super::lesson_authoring::router())
}

/// The course as seen by the caller, and their access; drafts are 404 except to managers
/// and enrolled learners.
fn course_access(
    conn: &rusqlite::Connection,
    course_id: &str,
    user: &Option<AuthUser>,
) -> Result<(Course, Access), AppError> {
    let course = cstore::get(conn, course_id)?.ok_or(AppError::NotFound("course"))?;
    let access = if common::may_manage(user, &course.instructor_id) {
        Access::Manager
    } else if let Some(u) = user
        && let Some(since) = cstore::access_enrollment(conn, &course.id, &u.user_id)?
    {
        let since = crate::clock::parse_rfc3339(&since)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad enrolled_at `{since}`")))?;
        Access::Enrolled(since)
    } else {
        Access::None
    };
    if course.status != Status::Published && access == Access::None {
        return Err(AppError::NotFound("course"));
    }
    Ok((course, access))
}

/// The outline: sections and lessons with their lock state for the caller, and the content
/// of the lessons the caller may open (enrolled, owner, admin, or preview lessons). Quiz
/// answers are never included. Sends a weak ETag.
#[utoipa::path(get, path = "/api/courses/{course_id}/lessons", tag = "course content",
    params(("course_id" = String, Path)),
    responses(
        (status = 200, body = OutlineView),
        (status = 304, description = "not modified"),
    ))]
pub async fn get_outline(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    headers: HeaderMap,
    Path(course_id): Path<String>,
) -> Result<Response, AppError> {
    let now = state.now();
    let st = state.clone();
    let view = state
        .db
        .read(move |conn| {
            let (course, access) = course_access(conn, &course_id, &user)?;
            let sections = ostore::sections(conn, &course.id)?;
            let lessons = ostore::lessons(conn, &course.id)?;
            let quiz_ids: Vec<String> = lessons
                .iter()
                .filter(|l| l.content_type == ContentType::Quiz)
                .map(|l| l.id.clone())
                .collect();
            let questions = ostore::questions_for(conn, &quiz_ids)?;
            // The outline is for learning: answers stay out even for managers.
            let shown = if access == Access::Manager {
                Access::Enrolled(time::OffsetDateTime::UNIX_EPOCH)
            } else {
                access
            };
            let sign = |id: &str| signed_media_url(&st, id);
            let render = Render {
                access: shown,
                now,
                with_content: true,
                sign: &sign,
            };
            Ok(OutlineView {
                course_id: course.id,
                access: access.label().into(),
                sections: outline::sections_view(&sections, &lessons, &questions, &render),
            })
        })
        .await?;
    Ok(common::with_etag(&headers, &view))
}

/// One lesson with its content; 403 when locked (not enrolled, or not open yet). Managers
/// (owner and admins) also get the Markdown source and the correct quiz answers.
#[utoipa::path(get, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    params(("course_id" = String, Path), ("lesson_id" = String, Path)),
    responses(
        (status = 200, body = LessonView),
        (status = 403, description = "locked: not enrolled, or not open yet (`available_at`)", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_lesson(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<Json<LessonView>, AppError> {
    let now = state.now();
    let st = state.clone();
    let view = state
        .db
        .read(move |conn| {
            let (course, access) = course_access(conn, &course_id, &user)?;
            let lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            match outline::lock(access, lesson.is_preview, lesson.available_after_days, now) {
                Lock::Open => {}
                Lock::NeedsEnrolment => {
                    return Err(AppError::Forbidden(
                        "enrol in this course to open this lesson".into(),
                    ));
                }
                Lock::OpensAt(at) => {
                    let opens = crate::clock::rfc3339(at);
                    return Err(Problem::new(
                        StatusCode::FORBIDDEN,
                        format!("this lesson opens on {opens}"),
                    )
                    .with("available_at", opens)
                    .into_error());
                }
            }
            let questions = ostore::questions_for(conn, std::slice::from_ref(&lesson.id))?;
            let qs = questions.get(&lesson.id).map(Vec::as_slice).unwrap_or(&[]);
            let sign = |id: &str| signed_media_url(&st, id);
            let render = Render {
                access,
                now,
                with_content: true,
                sign: &sign,
            };
            Ok(outline::lesson_view(&lesson, qs, &render))
        })
        .await?;
    Ok(Json(view))
}
