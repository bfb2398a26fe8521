//! What a caller may read of a course's content: the outline with each lesson's lock state,
//! and one lesson with its content when it is open to them.

use std::collections::HashMap;

use axum::http::StatusCode;
use rusqlite::Connection;

use super::shared;
use crate::access::Gate;
use crate::auth::AuthUser;
use crate::catalog::captions::Caption;
use crate::catalog::model::{ContentType, Course, Status};
use crate::catalog::outline::{self, Access, LessonView, Lock, OutlineView, Render};
use crate::catalog::signed_media_url;
use crate::catalog::store::{captions as capstore, courses as cstore, outline as ostore};
use crate::http::{AppError, Problem};
use crate::state::AppState;

/// The course as seen by the caller, and their access; drafts are 404 except to managers
/// and enrolled learners.
fn course_access(
    conn: &Connection,
    course_id: &str,
    user: &Option<AuthUser>,
    gate: Gate,
) -> Result<(Course, Access), AppError> {
    let course = cstore::get(conn, course_id)?.ok_or(AppError::NotFound("course"))?;
    let access = if shared::may_manage(user, &course.instructor_id) {
        Access::Manager
    } else if let Some(u) = user
        && crate::access::for_course(conn, &u.user_id, &course.id, gate)?.is_open()
    {
        // Drip counts from the enrolment; a member not yet enrolled counts from now.
        let since = match cstore::access_enrollment(conn, &course.id, &u.user_id)? {
            Some(since) => crate::clock::parse_rfc3339(&since)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad enrolled_at `{since}`")))?,
            None => gate.now,
        };
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
/// answers are never included.
pub async fn outline(
    state: &AppState,
    user: Option<AuthUser>,
    course_id: String,
) -> Result<OutlineView, AppError> {
    let gate = crate::access::Gate::of(state);
    let now = gate.now;
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let (course, access) = course_access(conn, &course_id, &user, gate)?;
            let sections = ostore::sections(conn, &course.id)?;
            let lessons = ostore::lessons(conn, &course.id)?;
            let quiz_ids: Vec<String> = lessons
                .iter()
                .filter(|l| l.content_type == ContentType::Quiz)
                .map(|l| l.id.clone())
                .collect();
            let questions = ostore::questions_for(conn, &quiz_ids)?;
            let captions = capstore::for_course(conn, &course.id)?;
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
                captions: &captions,
            };
            Ok(OutlineView {
                course_id: course.id,
                access: access.label().into(),
                sections: outline::sections_view(&sections, &lessons, &questions, &render),
            })
        })
        .await
}

/// One lesson's captions, keyed as [`Render`] wants them.
pub fn lesson_captions(
    conn: &Connection,
    lesson_id: &str,
) -> Result<HashMap<String, Vec<Caption>>, AppError> {
    let captions = capstore::for_lesson(conn, lesson_id)?;
    Ok(HashMap::from([(lesson_id.to_string(), captions)]))
}

/// The refusal for a lesson the caller may not open yet (403, naming the date when there
/// is one).
fn locked(lock: Lock) -> Result<(), AppError> {
    match lock {
        Lock::Open => Ok(()),
        Lock::NeedsEnrolment => Err(AppError::Forbidden(
            "enrol in this course to open this lesson".into(),
        )),
        Lock::OpensAt(at) => {
            let opens = crate::clock::rfc3339(at);
            Err(Problem::new(
                StatusCode::FORBIDDEN,
                crate::msg!("problem-lesson-opens-on", opens = opens.as_str()),
            )
            .with("available_at", opens)
            .into_error())
        }
    }
}

/// One lesson with its content; 403 when locked (not enrolled, or not open yet). Managers
/// (owner and admins) also get the Markdown source and the correct quiz answers.
pub async fn lesson(
    state: &AppState,
    user: Option<AuthUser>,
    course_id: String,
    lesson_id: String,
) -> Result<LessonView, AppError> {
    let gate = crate::access::Gate::of(state);
    let now = gate.now;
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let (course, access) = course_access(conn, &course_id, &user, gate)?;
            let lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            locked(outline::lock(
                access,
                lesson.is_preview,
                lesson.available_after_days,
                now,
            ))?;
            let questions = ostore::questions_for(conn, std::slice::from_ref(&lesson.id))?;
            let qs = questions.get(&lesson.id).map(Vec::as_slice).unwrap_or(&[]);
            let captions = lesson_captions(conn, &lesson.id)?;
            let sign = |id: &str| signed_media_url(&st, id);
            let render = Render {
                access,
                now,
                with_content: true,
                sign: &sign,
                captions: &captions,
            };
            Ok(outline::lesson_view(&lesson, qs, &render))
        })
        .await
}
