//! The course order of each course's lessons, which the database writer keeps between
//! writes until a lesson or section changes.
//!
//! Every progress write answers with the learner's completed lessons in course order.
//! Sorting them through the lessons and sections tables in each write took about a third of
//! the writer's time on the benchmark's progress row (docs/performance.md).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rusqlite::Connection;

use crate::db::{Stamp, writer_stamp};

/// The tables a course's order is read from.
const SOURCES: &[&str] = &["lessons", "sections"];

/// Courses kept at most; past it the writer starts over (a few KB each).
const MOST_COURSES: usize = 512;

/// A lesson of a course, in course order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderedLesson {
    pub lesson_id: String,
    pub required: bool,
}

pub const COURSE_ORDER_SQL: &str = "SELECT l.id, l.required FROM lessons l
     JOIN sections s ON s.id = l.section_id
     WHERE l.course_id = ?1
     ORDER BY s.position, l.position, l.id";

/// The lessons of `course_id` in course order (sections by position, then lessons by
/// position): remembered on the writer thread while no lesson or section changes, read
/// afresh anywhere else.
pub fn lessons_in_order(
    conn: &Connection,
    course_id: &str,
) -> rusqlite::Result<Rc<[OrderedLesson]>> {
    let Some(stamp) = writer_stamp(conn, SOURCES)? else {
        return read(conn, course_id);
    };
    KEPT.with_borrow_mut(|kept| {
        if kept.stamp != Some(stamp) || kept.courses.len() >= MOST_COURSES {
            kept.courses.clear();
            kept.stamp = Some(stamp);
        }
        if let Some(lessons) = kept.courses.get(course_id) {
            return Ok(lessons.clone());
        }
        let lessons = read(conn, course_id)?;
        kept.courses.insert(course_id.to_string(), lessons.clone());
        Ok(lessons)
    })
}

#[derive(Default)]
struct Kept {
    stamp: Option<Stamp>,
    courses: HashMap<String, Rc<[OrderedLesson]>>,
}

thread_local! {
    static KEPT: RefCell<Kept> = RefCell::new(Kept::default());
}

fn read(conn: &Connection, course_id: &str) -> rusqlite::Result<Rc<[OrderedLesson]>> {
    conn.prepare_cached(COURSE_ORDER_SQL)?
        .query_map([course_id], |r| {
            Ok(OrderedLesson {
                lesson_id: r.get(0)?,
                required: r.get(1)?,
            })
        })?
        .collect()
}
