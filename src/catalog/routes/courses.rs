//! `/api/courses`: the school's courses (the handlers are the ones products share).

use crate::catalog::cache::COURSE_SOURCES;
use crate::catalog::model::{Course, CourseView};
use crate::catalog::validate::CourseBody;

super::items::item_routes! {
    item: Course, view: CourseView, body: CourseBody, sources: COURSE_SOURCES,
    paths: "/api/courses", "/api/courses/{id}", cache_keys: "courses", "course",
    conflict: "slug taken",
    /// List courses: filters, sort, full-text search. Sends a weak ETag.
    list: list_courses,
    /// One course by id or slug (drafts only for their instructor and admins).
    get: get_course,
    /// Create a course (admins and instructors); the caller is its instructor.
    create: create_course,
    /// Update a course (admins, or its instructor; other instructors get 404). Send any fields.
    update: update_course,
    /// Delete a course (admins). A course anyone is or was enrolled in is archived instead (200
    /// with the archived course); otherwise it goes with its sections and lessons (204).
    delete: delete_course,
}
