//! Lesson authoring for a course's instructor and admins: create, update, delete and
//! reorder lessons, with quiz questions and audit rows.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::audit::{self as catalog_audit, Change};
use super::common::{self, COURSE_AUTHORS, Refs};
use super::sections::{authoring_sections, check_permutation, managed_course};
use crate::auth::AuthUser;
use crate::auth::extract::ClientIp;
use crate::catalog::lesson::{LessonBody, LessonDraft, LessonFields};
use crate::catalog::model::{ContentType, Lesson};
use crate::catalog::outline::{self, Access, LessonView, Render, SectionView};
use crate::catalog::signed_media_url;
use crate::catalog::store::{self, outline as ostore};
use crate::http::{AppError, FieldError, Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_lesson))
        .routes(routes!(update_lesson, delete_lesson))
        .routes(routes!(reorder_lessons))
}

/// The authoring view of one lesson (with answers).
fn authoring_lesson(
    state: &AppState,
    conn: &rusqlite::Connection,
    lesson: &Lesson,
) -> Result<LessonView, AppError> {
    let questions = ostore::questions_for(conn, std::slice::from_ref(&lesson.id))?;
    let qs = questions.get(&lesson.id).map(Vec::as_slice).unwrap_or(&[]);
    let sign = |id: &str| signed_media_url(state, id);
    let render = Render {
        access: Access::Manager,
        now: state.now(),
        with_content: true,
        sign: &sign,
    };
    Ok(outline::lesson_view(lesson, qs, &render))
}

/// Stores a checked lesson: section and media checks, then row and questions.
fn write_lesson(
    conn: &rusqlite::Connection,
    user: &AuthUser,
    fields: LessonFields,
    lesson: &mut Lesson,
) -> Result<(), AppError> {
    ostore::section(conn, &lesson.course_id, &fields.section_id)?.ok_or_else(|| {
        AppError::Validation(vec![FieldError::new(
            "section_id",
            "no such section in this course",
        )])
    })?;
    common::check_refs(
        conn,
        &Refs {
            category_id: None,
            tag_ids: &[],
            media: vec![("media_id", fields.media_id.iter().cloned().collect())],
        },
        user,
    )?;
    let moved_from = (lesson.section_id != fields.section_id && !lesson.section_id.is_empty())
        .then(|| lesson.section_id.clone());
    if lesson.section_id != fields.section_id {
        lesson.position = ostore::section_lesson_ids(conn, &fields.section_id)?.len() as i64;
    }
    lesson.section_id = fields.section_id;
    lesson.title = fields.title;
    lesson.content_type = fields.content_type;
    lesson.is_preview = fields.is_preview;
    lesson.required = fields.required;
    lesson.available_after_days = fields.available_after_days;
    lesson.duration_seconds = fields.duration_seconds;
    lesson.content_url = fields.content_url;
    lesson.media_id = fields.media_id;
    lesson.body_markdown = fields.body_markdown;
    lesson.pass_percent = fields.pass_percent;
    lesson.max_attempts = fields.max_attempts;
    lesson.instructions = fields.instructions;
    lesson.max_score = fields.max_score;
    lesson.pass_score = fields.pass_score;
    ostore::save_lesson(conn, lesson)?;
    if let Some(section) = moved_from {
        ostore::renumber_lessons(conn, &section)?;
    }
    match fields.questions {
        Some(questions) => ostore::replace_questions(conn, &lesson.id, &questions)?,
        None if lesson.content_type != ContentType::Quiz => {
            ostore::clear_questions(conn, &lesson.id)?
        }
        None => {}
    }
    Ok(())
}

/// Add a lesson at the end of a section.
#[utoipa::path(post, path = "/api/courses/{course_id}/lessons", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = LessonBody,
    responses(
        (status = 201, body = LessonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<LessonBody>,
) -> Result<(StatusCode, Json<LessonView>), AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let st = state.clone();
    let view = state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &user)?;
            let fields = LessonDraft::new().apply(body.clone())?;
            let mut lesson = Lesson {
                id: uuid::Uuid::now_v7().to_string(),
                course_id: course_id.clone(),
                section_id: String::new(),
                title: String::new(),
                content_type: fields.content_type,
                position: 0,
                is_preview: false,
                required: true,
                available_after_days: 0,
                duration_seconds: 0,
                content_url: None,
                media_id: None,
                body_markdown: None,
                pass_percent: None,
                max_attempts: None,
                instructions: None,
                max_score: None,
                pass_score: None,
                created_at: now.clone(),
                updated_at: now.clone(),
            };
            let questions = fields.questions.as_ref().map(Vec::len);
            write_lesson(conn, &user, fields, &mut lesson)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("lesson.created", "lesson", &lesson.id)
                    .after(lesson_summary(&lesson, questions)),
            )?;
            authoring_lesson(&st, conn, &lesson)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Update a lesson (any fields; `questions` replaces them all; a new `section_id` moves it
/// to the end of that section).
#[utoipa::path(put, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path)), request_body = LessonBody,
    responses(
        (status = 200, body = LessonView),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id)): Path<(String, String)>,
    Json(body): Json<LessonBody>,
) -> Result<Json<LessonView>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let st = state.clone();
    let view = state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &user)?;
            let mut lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            let draft = LessonDraft {
                section_id: lesson.section_id.clone(),
                content_type: Some(lesson.content_type),
                title: lesson.title.clone(),
                is_preview: lesson.is_preview,
                required: lesson.required,
                available_after_days: lesson.available_after_days,
                duration_seconds: lesson.duration_seconds,
                content_url: lesson.content_url.clone(),
                media_id: lesson.media_id.clone(),
                body_markdown: lesson.body_markdown.clone(),
                pass_percent: lesson.pass_percent,
                max_attempts: lesson.max_attempts,
                instructions: lesson.instructions.clone(),
                max_score: lesson.max_score,
                pass_score: lesson.pass_score,
                has_questions: ostore::has_questions(conn, &lesson.id)?,
            };
            let fields = draft.apply(body.clone())?;
            let before = lesson_summary(&lesson, None);
            lesson.updated_at = now.clone();
            let questions = fields.questions.as_ref().map(Vec::len);
            write_lesson(conn, &user, fields, &mut lesson)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("lesson.updated", "lesson", &lesson.id)
                    .before(before)
                    .after(lesson_summary(&lesson, questions)),
            )?;
            if let Some(count) = questions {
                catalog_audit::record(
                    conn,
                    &now,
                    &user,
                    ip.as_deref(),
                    Change::new("quiz.questions_replaced", "lesson", &lesson.id)
                        .after(serde_json::json!({"questions": count})),
                )?;
            }
            authoring_lesson(&st, conn, &lesson)
        })
        .await?;
    Ok(Json(view))
}

/// Delete a lesson; the rest of its section closes ranks.
#[utoipa::path(delete, path = "/api/courses/{course_id}/lessons/{lesson_id}", tag = "course content",
    security(("bearer" = [])),
    params(("course_id" = String, Path), ("lesson_id" = String, Path)),
    responses(
        (status = 204, description = "deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "learners have records for it", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_lesson(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path((course_id, lesson_id)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &user)?;
            let lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            ostore::delete_lesson(conn, &lesson.id).map_err(|e| {
                if store::is_foreign_key_violation(&e) {
                    AppError::conflict("learners have records for this lesson")
                } else {
                    e.into()
                }
            })?;
            ostore::renumber_lessons(conn, &lesson.section_id)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("lesson.deleted", "lesson", &lesson.id)
                    .before(lesson_summary(&lesson, None)),
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReorderLessons {
    pub section_id: String,
    /// Every lesson id of the section, in the new order.
    pub lesson_ids: Vec<String>,
}

/// Put a section's lessons in a new order; answers with the whole authoring outline.
#[utoipa::path(post, path = "/api/courses/{course_id}/lessons/reorder", tag = "course content",
    security(("bearer" = [])), params(("course_id" = String, Path)), request_body = ReorderLessons,
    responses(
        (status = 200, body = Vec<SectionView>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reorder_lessons(
    State(state): State<AppState>,
    user: AuthUser,
    ClientIp(ip): ClientIp,
    Path(course_id): Path<String>,
    Json(body): Json<ReorderLessons>,
) -> Result<Json<Vec<SectionView>>, AppError> {
    user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let sections = state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &user)?;
            ostore::section(conn, &course.id, &body.section_id)?
                .ok_or_else(|| AppError::field("section_id", "no such section in this course"))?;
            let current = ostore::section_lesson_ids(conn, &body.section_id)?;
            check_permutation("lesson_ids", &body.lesson_ids, &current)?;
            ostore::set_lesson_order(conn, &body.lesson_ids)?;
            catalog_audit::record(
                conn,
                &now,
                &user,
                ip.as_deref(),
                Change::new("section.lessons_reordered", "section", &body.section_id)
                    .before(serde_json::json!({"lesson_ids": current}))
                    .after(serde_json::json!({"lesson_ids": body.lesson_ids})),
            )?;
            authoring_sections(conn, &course.id)
        })
        .await?;
    Ok(Json(sections))
}

/// What the audit log keeps of a lesson before and after a change (`questions`: how many
/// quiz questions were written, when they were).
fn lesson_summary(l: &Lesson, questions: Option<usize>) -> serde_json::Value {
    serde_json::json!({
        "course_id": l.course_id,
        "section_id": l.section_id,
        "title": l.title,
        "content_type": l.content_type.as_str(),
        "questions": questions,
    })
}
