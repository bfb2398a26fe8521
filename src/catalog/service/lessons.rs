//! Lesson authoring for a course's instructor and admins: create, update, delete and
//! reorder lessons, with quiz questions and audit rows.

use rusqlite::Connection;
use serde_json::{Value, json};

use super::Author;
use super::audit::{self as catalog_audit, Change};
use super::sections::{authoring_sections, managed_course};
use super::shared::{self, COURSE_AUTHORS, Refs};
use crate::auth::AuthUser;
use crate::catalog::lesson::{LessonBody, LessonDraft, LessonFields};
use crate::catalog::model::{ContentType, Lesson};
use crate::catalog::outline::{self, Access, LessonView, Render, SectionView};
use crate::catalog::signed_media_url;
use crate::catalog::store::{self, outline as ostore};
use crate::http::{AppError, FieldError};
use crate::state::AppState;

/// The authoring view of one lesson (with answers).
fn authoring_lesson(
    state: &AppState,
    conn: &Connection,
    lesson: &Lesson,
) -> Result<LessonView, AppError> {
    let questions = ostore::questions_for(conn, std::slice::from_ref(&lesson.id))?;
    let qs = questions.get(&lesson.id).map(Vec::as_slice).unwrap_or(&[]);
    let captions = super::content::lesson_captions(conn, &lesson.id)?;
    let sign = |id: &str| signed_media_url(state, id);
    let render = Render {
        access: Access::Manager,
        now: state.now(),
        with_content: true,
        sign: &sign,
        captions: &captions,
    };
    Ok(outline::lesson_view(lesson, qs, &render))
}

/// Stores a checked lesson: section and media checks, then row and questions. A lesson
/// moved to another section goes to its end, and the old section closes ranks.
fn write_lesson(
    conn: &Connection,
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
    let refs = Refs {
        category_id: None,
        tag_ids: &[],
        media: vec![("media_id", fields.media_id.iter().cloned().collect())],
    };
    shared::check_refs(conn, &refs, user)?;
    let moved_from = (lesson.section_id != fields.section_id && !lesson.section_id.is_empty())
        .then(|| lesson.section_id.clone());
    if lesson.section_id != fields.section_id {
        lesson.position = ostore::section_lesson_ids(conn, &fields.section_id)?.len() as i64;
    }
    let mut fields = fields;
    let questions = fields.questions.take();
    fields.fill(lesson);
    ostore::save_lesson(conn, lesson)?;
    if let Some(section) = moved_from {
        ostore::renumber_lessons(conn, &section)?;
    }
    match questions {
        Some(questions) => ostore::replace_questions(conn, &lesson.id, &questions)?,
        None if lesson.content_type != ContentType::Quiz => {
            ostore::clear_questions(conn, &lesson.id)?
        }
        None => {}
    }
    Ok(())
}

/// Adds a lesson at the end of a section.
pub async fn create(
    state: &AppState,
    author: Author,
    course_id: String,
    body: LessonBody,
) -> Result<LessonView, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &author.user)?;
            let fields = LessonDraft::new().apply(body.clone())?;
            let id = uuid::Uuid::now_v7().to_string();
            let mut lesson = Lesson::blank(id, &course_id, fields.content_type, &now);
            let questions = fields.questions.as_ref().map(Vec::len);
            write_lesson(conn, &author.user, fields, &mut lesson)?;
            let change = Change::new("lesson.created", "lesson", &lesson.id)
                .after(lesson_summary(&lesson, questions));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            authoring_lesson(&st, conn, &lesson)
        })
        .await
}

/// Updates a lesson (any fields; `questions` replaces them all; a new `section_id` moves it
/// to the end of that section).
pub async fn update(
    state: &AppState,
    author: Author,
    course_id: String,
    lesson_id: String,
    body: LessonBody,
) -> Result<LessonView, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    let st = state.clone();
    state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &author.user)?;
            let mut lesson = ostore::lesson(conn, &course.id, &lesson_id)?
                .ok_or(AppError::NotFound("lesson"))?;
            let has_questions = ostore::has_questions(conn, &lesson.id)?;
            let fields = LessonDraft::from_lesson(&lesson, has_questions).apply(body.clone())?;
            let before = lesson_summary(&lesson, None);
            lesson.updated_at = now.clone();
            let questions = fields.questions.as_ref().map(Vec::len);
            write_lesson(conn, &author.user, fields, &mut lesson)?;
            let (user, ip) = (&author.user, author.ip.as_deref());
            let change = Change::new("lesson.updated", "lesson", &lesson.id)
                .before(before)
                .after(lesson_summary(&lesson, questions));
            catalog_audit::record(conn, &now, user, ip, change)?;
            if let Some(count) = questions {
                let change = Change::new("quiz.questions_replaced", "lesson", &lesson.id)
                    .after(json!({"questions": count}));
                catalog_audit::record(conn, &now, user, ip, change)?;
            }
            authoring_lesson(&st, conn, &lesson)
        })
        .await
}

/// Deletes a lesson; the rest of its section closes ranks. A 409 when learners have
/// records for it.
pub async fn delete(
    state: &AppState,
    author: Author,
    course_id: String,
    lesson_id: String,
) -> Result<(), AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &author.user)?;
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
            let change = Change::new("lesson.deleted", "lesson", &lesson.id)
                .before(lesson_summary(&lesson, None));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)
        })
        .await
}

/// Puts a section's lessons in a new order; answers with the whole authoring outline.
pub async fn reorder(
    state: &AppState,
    author: Author,
    course_id: String,
    section_id: String,
    lesson_ids: Vec<String>,
) -> Result<Vec<SectionView>, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            let course = managed_course(conn, &course_id, &author.user)?;
            ostore::section(conn, &course.id, &section_id)?
                .ok_or_else(|| AppError::field("section_id", "no such section in this course"))?;
            let current = ostore::section_lesson_ids(conn, &section_id)?;
            shared::check_permutation("lesson_ids", &lesson_ids, &current)?;
            ostore::set_lesson_order(conn, &lesson_ids)?;
            let change = Change::new("section.lessons_reordered", "section", &section_id)
                .before(json!({"lesson_ids": current}))
                .after(json!({"lesson_ids": lesson_ids}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            authoring_sections(conn, &course.id)
        })
        .await
}

/// What the audit log keeps of a lesson before and after a change (`questions`: how many
/// quiz questions were written, when they were).
fn lesson_summary(l: &Lesson, questions: Option<usize>) -> Value {
    json!({
        "course_id": l.course_id,
        "section_id": l.section_id,
        "title": l.title,
        "content_type": l.content_type.as_str(),
        "questions": questions,
    })
}
