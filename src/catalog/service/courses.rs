//! Courses: the school's courses, as an [`Item`]; `items::{list, get, create, update, delete}`
//! do the rest (`items::create::<Course>`). Sections and lessons are in their own files.

use rusqlite::Connection;
use serde_json::Value;

use super::items::{Defaults, Item};
use super::shared::{self, COURSE_AUTHORS, Refs};
use crate::auth::AuthUser;
use crate::catalog::listing::{ListSql, Target};
use crate::catalog::model::{Course, CourseView, Level, Status};
use crate::catalog::store::{self, Table, TagLink, courses as cstore};
use crate::catalog::validate::{CourseBody, CourseDraft};
use crate::http::AppError;
use crate::users::Role;

impl Item for Course {
    type Body = CourseBody;
    type Draft = CourseDraft;
    type View = CourseView;

    const NAME: &'static str = "course";
    const TABLE: Table = Table::Courses;
    const TAGS: TagLink = TagLink::Courses;
    const TARGET: Target = Target::Courses;
    const AUTHORS: &'static [Role] = COURSE_AUTHORS;
    const OWNER_ROLE: Role = Role::Instructor;

    fn id(&self) -> &str {
        &self.id
    }
    fn owner_id(&self) -> &str {
        &self.instructor_id
    }
    fn status(&self) -> Status {
        self.status
    }
    fn slug(&self) -> &str {
        &self.slug
    }
    fn touch(&mut self, now: &str) {
        self.updated_at = now.to_string();
    }

    fn fetch(conn: &Connection, key: &str) -> rusqlite::Result<Option<Self>> {
        cstore::get(conn, key)
    }
    fn page(conn: &Connection, sql: &ListSql) -> rusqlite::Result<(Vec<Self>, i64)> {
        cstore::list(conn, sql)
    }
    /// Course views are the same for everyone who may see the course.
    fn views(
        conn: &Connection,
        items: Vec<Self>,
        _viewer: &Option<AuthUser>,
    ) -> Result<Vec<CourseView>, AppError> {
        shared::course_views(conn, items)
    }

    fn draft(body: CourseBody) -> Result<CourseDraft, AppError> {
        CourseDraft::create(body)
    }
    fn blank(id: String, owner: &str, site: &Defaults, now: &str, _draft: &CourseDraft) -> Self {
        let currency = site.currency.as_str();
        Course {
            id,
            instructor_id: owner.to_string(),
            instructor_name: String::new(),
            title: String::new(),
            slug: String::new(),
            description: String::new(),
            price_cents: 0,
            currency: currency.to_string(),
            category_id: None,
            cover_media_id: None,
            level: Level::All,
            status: Status::Draft,
            language: site.language.clone(),
            rating_sum: 0,
            rating_count: 0,
            enrollment_count: 0,
            lesson_count: 0,
            total_duration_seconds: 0,
            created_at: now.to_string(),
            updated_at: now.to_string(),
        }
    }
    fn redraft(&self, conn: &Connection, body: CourseBody) -> Result<CourseDraft, AppError> {
        let tag_ids = store::tags_for(conn, TagLink::Courses, std::slice::from_ref(&self.id))?
            .remove(&self.id)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.id)
            .collect();
        let mut draft = CourseDraft::from_existing(self, tag_ids);
        draft.apply(body)?;
        Ok(draft)
    }
    fn refs(draft: &CourseDraft) -> Refs<'_> {
        Refs {
            category_id: draft.category_id.as_deref(),
            tag_ids: &draft.tag_ids,
            media: vec![(
                "cover_media_id",
                draft.cover_media_id.iter().cloned().collect(),
            )],
        }
    }
    fn slug_source(draft: &CourseDraft) -> (Option<&str>, &str) {
        (draft.slug.as_deref(), &draft.title)
    }
    fn fill(&mut self, draft: &CourseDraft, slug: String) {
        self.slug = slug;
        self.title = draft.title.clone();
        self.description = draft.description.clone();
        self.price_cents = draft.price_cents;
        self.category_id = draft.category_id.clone();
        self.cover_media_id = draft.cover_media_id.clone();
        self.level = draft.level;
        self.status = draft.status;
        if let Some(language) = &draft.language {
            self.language = language.clone();
        }
    }
    fn insert(conn: &Connection, item: &Self) -> rusqlite::Result<()> {
        cstore::insert(conn, item)
    }
    fn update(conn: &Connection, item: &Self) -> rusqlite::Result<()> {
        cstore::update(conn, item)
    }
    /// A course has nothing beside its row and tags.
    fn write_extras(_conn: &Connection, _id: &str, _draft: &CourseDraft) -> rusqlite::Result<()> {
        Ok(())
    }
    fn tag_ids(draft: &CourseDraft) -> &[String] {
        &draft.tag_ids
    }

    /// Anyone is or was enrolled: the course is archived, never deleted.
    fn referenced(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
        cstore::has_enrollments(conn, id)
    }
    /// Goes with its sections and lessons.
    fn delete(conn: &Connection, id: &str) -> rusqlite::Result<()> {
        cstore::delete(conn, id)
    }
    fn archive(conn: &Connection, id: &str, now: &str) -> rusqlite::Result<()> {
        cstore::set_status(conn, id, Status::Archived, now)
    }
    fn summary(&self) -> Value {
        serde_json::json!({
            "title": self.title,
            "price_cents": self.price_cents,
            "status": self.status.as_str(),
        })
    }
}
