//! A course's sections: the authoring outline, adding, renaming, deleting and reordering
//! (the course's instructor and admins).

use std::collections::HashMap;

use rusqlite::Connection;
use serde_json::json;

use super::Author;
use super::audit::{self as catalog_audit, Change};
use super::shared::{self, COURSE_AUTHORS};
use crate::auth::AuthUser;
use crate::catalog::model::{Course, Section};
use crate::catalog::outline::{self, Access, Render, SectionView};
use crate::catalog::store::{self, courses as cstore, outline as ostore};
use crate::catalog::validate::short_text;
use crate::http::AppError;
use crate::state::AppState;

/// The course if `user` may author it; someone else's course is a 404.
pub fn managed_course(
    conn: &Connection,
    course_id: &str,
    user: &AuthUser,
) -> Result<Course, AppError> {
    let caller = Some(user.clone());
    cstore::get(conn, course_id)?
        .filter(|c| c.id == course_id && shared::may_manage(&caller, &c.instructor_id))
        .ok_or(AppError::NotFound("course"))
}

/// The authoring outline: every section with its lessons (no content).
pub fn authoring_sections(
    conn: &Connection,
    course_id: &str,
) -> Result<Vec<SectionView>, AppError> {
    let sections = ostore::sections(conn, course_id)?;
    let lessons = ostore::lessons(conn, course_id)?;
    let render = Render {
        access: Access::Manager,
        now: time::OffsetDateTime::now_utc(),
        with_content: false,
        sign: &|_| String::new(),
        captions: &HashMap::new(),
    };
    Ok(outline::sections_view(
        &sections,
        &lessons,
        &HashMap::new(),
        &render,
    ))
}

/// Sections of a course with their lessons, for its authors.
pub async fn list(
    state: &AppState,
    user: AuthUser,
    course_id: String,
) -> Result<Vec<SectionView>, AppError> {
    user.require(COURSE_AUTHORS)?;
    state
        .db
        .read(move |conn| {
            managed_course(conn, &course_id, &user)?;
            authoring_sections(conn, &course_id)
        })
        .await
}

/// Adds a section at the end of the course.
pub async fn create(
    state: &AppState,
    author: Author,
    course_id: String,
    title: &str,
) -> Result<SectionView, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let title = short_text(title, "title", 200)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &author.user)?;
            let section = Section {
                id: uuid::Uuid::now_v7().to_string(),
                course_id: course_id.clone(),
                title: title.clone(),
                position: 0,
                created_at: now.clone(),
                updated_at: now.clone(),
            };
            let position = ostore::insert_section(conn, &section)?;
            let change = Change::new("section.created", "section", &section.id)
                .after(json!({"course_id": section.course_id, "title": section.title}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            Ok(SectionView {
                id: section.id,
                title: section.title,
                position,
                lessons: Vec::new(),
            })
        })
        .await
}

/// Renames a section.
pub async fn rename(
    state: &AppState,
    author: Author,
    course_id: String,
    section_id: String,
    title: &str,
) -> Result<SectionView, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let title = short_text(title, "title", 200)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &author.user)?;
            let old = ostore::section(conn, &course_id, &section_id)?
                .ok_or(AppError::NotFound("section"))?;
            ostore::rename_section(conn, &section_id, &title, &now)?;
            let change = Change::new("section.updated", "section", &section_id)
                .before(json!({"title": old.title}))
                .after(json!({"title": title}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            authoring_sections(conn, &course_id)?
                .into_iter()
                .find(|s| s.id == section_id)
                .ok_or(AppError::NotFound("section"))
        })
        .await
}

/// Deletes a section with its lessons; the others close ranks. A 409 when learners have
/// records in its lessons.
pub async fn delete(
    state: &AppState,
    author: Author,
    course_id: String,
    section_id: String,
) -> Result<(), AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &author.user)?;
            let old = ostore::section(conn, &course_id, &section_id)?
                .ok_or(AppError::NotFound("section"))?;
            ostore::delete_section(conn, &course_id, &section_id).map_err(|e| {
                if store::is_foreign_key_violation(&e) {
                    AppError::conflict("learners have records in this section's lessons")
                } else {
                    AppError::from(e)
                }
            })?;
            let change = Change::new("section.deleted", "section", &section_id)
                .before(json!({"course_id": course_id, "title": old.title}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)
        })
        .await
}

/// Puts the sections in a new order (`section_ids`: every one of them, once).
pub async fn reorder(
    state: &AppState,
    author: Author,
    course_id: String,
    section_ids: Vec<String>,
) -> Result<Vec<SectionView>, AppError> {
    author.user.require(COURSE_AUTHORS)?;
    let now = state.now_text();
    state
        .db
        .write(move |conn| {
            managed_course(conn, &course_id, &author.user)?;
            let current: Vec<String> = ostore::sections(conn, &course_id)?
                .into_iter()
                .map(|s| s.id)
                .collect();
            shared::check_permutation("section_ids", &section_ids, &current)?;
            ostore::set_section_order(conn, &section_ids)?;
            let change = Change::new("course.sections_reordered", "course", &course_id)
                .before(json!({"section_ids": current}))
                .after(json!({"section_ids": section_ids}));
            catalog_audit::record(conn, &now, &author.user, author.ip.as_deref(), change)?;
            authoring_sections(conn, &course_id)
        })
        .await
}
