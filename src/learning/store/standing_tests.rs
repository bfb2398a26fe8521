//! An enrolment's standing as the writer answers it (through the course order it keeps)
//! against a direct query, while lessons, sections and progress change: in earlier writes,
//! earlier in the same write, in writes rolled back, and through another connection.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};

use super::course_order::OrderedLesson;
use super::progress::{Standing, standing};
use crate::db::Db;
use crate::http::error::AppError;

const COURSES: usize = 3;

/// What the progress answer read before the writer kept course orders: one statement over
/// the completed rows, their lessons and sections, and a count of the required lessons.
fn expected(conn: &Connection, enrolment: &str, course: &str) -> Standing {
    let completed = conn
        .prepare(
            "SELECT p.lesson_id, l.required FROM lesson_progress p
             JOIN lessons l ON l.id = p.lesson_id
             JOIN sections s ON s.id = l.section_id
             WHERE p.enrollment_id = ?1 AND p.completed_at IS NOT NULL AND l.course_id = ?2
             ORDER BY s.position, l.position, l.id",
        )
        .unwrap()
        .query_map([enrolment, course], |r| {
            Ok(OrderedLesson {
                lesson_id: r.get(0)?,
                required: r.get(1)?,
            })
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let required_lessons = conn
        .query_row(
            "SELECT COUNT(*) FROM lessons WHERE course_id = ?1 AND required = 1",
            [course],
            |r| r.get(0),
        )
        .unwrap();
    Standing {
        completed,
        required_lessons,
    }
}

/// Every enrolment's standing, read with `standing` and directly; they must agree.
fn compare_all(conn: &Connection, when: &str) -> Result<(), AppError> {
    for c in 0..COURSES {
        let (enrolment, course) = (format!("e{c}"), format!("c{c}"));
        let got = standing(conn, &enrolment, &course)?;
        assert_eq!(
            got,
            expected(conn, &enrolment, &course),
            "{when}, course {c}"
        );
    }
    Ok(())
}

fn school(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         VALUES ('u1', 'u1@example.com', 'U', 'x', 'student', 'x', 'x')",
        [],
    )?;
    for c in 0..COURSES {
        conn.execute(
            "INSERT INTO courses (id, instructor_id, title, slug, price_cents, currency, status,
                created_at, updated_at)
             VALUES (?1, 'u1', ?1, ?1, 0, 'USD', 'published', 'x', 'x')",
            [format!("c{c}")],
        )?;
        conn.execute(
            "INSERT INTO enrollments (id, user_id, course_id, source, enrolled_at, updated_at)
             VALUES (?1, 'u1', ?2, 'free', 'x', 'x')",
            [format!("e{c}"), format!("c{c}")],
        )?;
        for s in 0..3 {
            conn.execute(
                "INSERT INTO sections (id, course_id, title, position, created_at, updated_at)
                 VALUES (?1, ?2, ?1, ?3, 'x', 'x')",
                params![format!("s{c}-{s}"), format!("c{c}"), 2 - s],
            )?;
        }
    }
    Ok(())
}

/// One random change of the kinds that move a course's order or an enrolment's standing.
fn change(conn: &Connection, rng: &mut StdRng, next_lesson: &mut usize) -> rusqlite::Result<()> {
    let c = rng.random_range(0..COURSES);
    let some_lesson = |conn: &Connection| -> rusqlite::Result<Option<String>> {
        conn.query_row(
            "SELECT id FROM lessons WHERE course_id = ?1 ORDER BY random() LIMIT 1",
            [format!("c{c}")],
            |r| r.get(0),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
    };
    match rng.random_range(0..10) {
        0..=2 => {
            *next_lesson += 1;
            conn.execute(
                "INSERT INTO lessons (id, course_id, section_id, title, content_type, position,
                    required, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?1, 'reading', ?4, ?5, 'x', 'x')",
                params![
                    format!("l{next_lesson}"),
                    format!("c{c}"),
                    format!("s{c}-{}", rng.random_range(0..3)),
                    rng.random_range(0..4),
                    rng.random_bool(0.7)
                ],
            )?;
        }
        3 => {
            if let Some(lesson) = some_lesson(conn)? {
                conn.execute(
                    "UPDATE lessons SET position = ?2 WHERE id = ?1",
                    params![lesson, rng.random_range(0..4)],
                )?;
            }
        }
        4 => {
            conn.execute(
                "UPDATE sections SET position = ?2 WHERE id = ?1",
                params![
                    format!("s{c}-{}", rng.random_range(0..3)),
                    rng.random_range(0..3)
                ],
            )?;
        }
        5 => {
            if let Some(lesson) = some_lesson(conn)? {
                conn.execute(
                    "UPDATE lessons SET required = 1 - required WHERE id = ?1",
                    [lesson],
                )?;
            }
        }
        6 => {
            if let Some(lesson) = some_lesson(conn)? {
                conn.execute("DELETE FROM lessons WHERE id = ?1", [lesson])?;
            }
        }
        _ => {
            if let Some(lesson) = some_lesson(conn)? {
                conn.execute(
                    "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, updated_at)
                     VALUES (?1, ?2, ?3, 'x')
                     ON CONFLICT DO UPDATE SET completed_at = excluded.completed_at",
                    params![format!("e{c}"), lesson, rng.random_bool(0.7).then_some("x")],
                )?;
            }
        }
    }
    Ok(())
}

#[tokio::test]
async fn the_writer_answers_the_standing_a_direct_query_reads_whatever_changed_before() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open_in(dir.path());
    db.write(|conn| Ok(school(conn)?)).await.unwrap();
    let other = Connection::open(db.path()).unwrap();
    other
        .busy_timeout(std::time::Duration::from_secs(5))
        .unwrap();
    let mut rng = StdRng::seed_from_u64(32);
    let mut next_lesson = 0;
    for step in 0..400 {
        let seed: u64 = rng.random();
        // Lessons added in this step are numbered from here (one per change at most).
        let mut next = next_lesson;
        match step % 4 {
            // In a write of its own, then answered by the next write.
            0 => {
                db.write(move |conn| {
                    let mut rng = StdRng::seed_from_u64(seed);
                    Ok(change(conn, &mut rng, &mut next.clone())?)
                })
                .await
                .unwrap();
            }
            // By another process's connection.
            1 => change(&other, &mut StdRng::seed_from_u64(seed), &mut next).unwrap(),
            // Earlier in the write that answers, and in a write that fails (rolled back).
            2 => {
                db.write(move |conn| {
                    compare_all(conn, "before a change in the same write")?;
                    change(conn, &mut StdRng::seed_from_u64(seed), &mut next.clone())?;
                    compare_all(conn, "after a change in the same write")?;
                    change(conn, &mut StdRng::seed_from_u64(seed ^ 2), &mut (next + 2))?;
                    compare_all(conn, "after a second change in the same write")
                })
                .await
                .unwrap();
                let failed = db
                    .write(move |conn| {
                        change(conn, &mut StdRng::seed_from_u64(seed ^ 1), &mut (next + 4))?;
                        compare_all(conn, "in a write that fails")?;
                        Err::<(), _>(AppError::conflict("rolled back"))
                    })
                    .await;
                assert!(failed.is_err());
            }
            _ => {}
        }
        next_lesson += 10;
        db.write(move |conn| compare_all(conn, &format!("step {step} (writer)")))
            .await
            .unwrap();
        db.read(move |conn| compare_all(conn, &format!("step {step} (reader)")))
            .await
            .unwrap();
    }
    let lessons: i64 = other
        .query_row(
            "SELECT COUNT(*) FROM lesson_progress WHERE completed_at IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(lessons > 10, "the enrolments completed lessons: {lessons}");
    db.close();
}
