//! The learning rollups against a full recomputation from the enrolments, lesson progress
//! and users, on random enrolments, progress, lesson changes and sign-ups.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};

use super::learning_rollups as rollups;
use super::tests::{day_of, ranges, rows_of, school};
use crate::analytics::figures::{EnrolmentStanding, funnel};
use crate::analytics::model::{CourseActivity, RoleCount};
use crate::analytics::period::DateRange;

const COURSES: usize = 4;
const LESSONS_PER_COURSE: usize = 5;

/// Lessons for the school's courses (one in four optional) and `students` students.
fn learning_school(students: usize, rng: &mut StdRng) -> Connection {
    let conn = school();
    add_lessons(&conn);
    for n in 0..students {
        add_user(&conn, rng, n);
    }
    conn
}

fn add_lessons(conn: &Connection) {
    for c in 0..COURSES {
        for l in 0..LESSONS_PER_COURSE {
            conn.execute(
                "INSERT INTO lessons (id, course_id, section_id, title, content_type, position,
                    required, created_at, updated_at)
                 VALUES (?1, ?2, 's', ?1, 'reading', ?3, ?4, 'x', 'x')",
                params![lesson(c, l), format!("c{c}"), l as i64, (l % 4 != 3) as i64],
            )
            .unwrap();
        }
    }
}

fn lesson(course: usize, n: usize) -> String {
    format!("l{course}-{n}")
}

fn add_user(conn: &Connection, rng: &mut StdRng, n: usize) {
    let role = ["student", "student", "instructor", "vendor"][rng.random_range(0..4)];
    conn.execute(
        "INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at)
         VALUES (?1, ?1 || '@example.com', ?1, 'x', ?2, ?3, ?3)",
        params![format!("s{n}"), role, day_of(rng)],
    )
    .unwrap();
}

/// A random enrolment's id and course number, if there is one.
fn some_enrolment(conn: &Connection) -> Option<(String, usize)> {
    conn.query_row(
        "SELECT id, course_id FROM enrollments ORDER BY random() LIMIT 1",
        [],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )
    .ok()
    .map(|(id, course)| (id, course[1..].parse().unwrap()))
}

/// `steps` random writes of the kinds the app makes (enrolments, progress heartbeats,
/// lessons completed and reset, status changes) and the rarer ones staff or repairs make
/// (a lesson made optional or deleted, an enrolment or progress row deleted, a role change).
fn random_learning(conn: &Connection, rng: &mut StdRng, students: usize, steps: usize) {
    let mut users = students;
    let mut enrolments = 0;
    for _ in 0..steps {
        let at = day_of(rng);
        match rng.random_range(0..100) {
            0..=14 => {
                let status =
                    ["active", "active", "active", "completed", "revoked"][rng.random_range(0..5)];
                conn.execute(
                    "INSERT OR IGNORE INTO enrollments (id, user_id, course_id, status, source,
                        enrolled_at, updated_at, time_spent_seconds)
                     VALUES (?1, ?2, ?3, ?4, 'free', ?5, ?5, ?6)",
                    params![
                        format!("e{enrolments}"),
                        format!("s{}", rng.random_range(0..users)),
                        format!("c{}", rng.random_range(0..COURSES)),
                        status,
                        at,
                        rng.random_range(0..500)
                    ],
                )
                .unwrap();
                enrolments += 1;
            }
            15..=54 => {
                let Some((enrolment, course)) = some_enrolment(conn) else {
                    continue;
                };
                let done = rng.random_bool(0.5).then_some(at.clone());
                conn.execute(
                    "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at,
                        time_spent_seconds, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET
                        time_spent_seconds = time_spent_seconds + excluded.time_spent_seconds,
                        updated_at = excluded.updated_at",
                    params![
                        enrolment,
                        lesson(course, rng.random_range(0..LESSONS_PER_COURSE)),
                        done,
                        rng.random_range(0..300),
                        at
                    ],
                )
                .unwrap();
            }
            55..=69 => {
                let completed = rng.random_bool(0.7).then_some(at.clone());
                conn.execute(
                    "UPDATE lesson_progress SET completed_at = ?1, updated_at = ?2
                     WHERE (enrollment_id, lesson_id) = (SELECT enrollment_id, lesson_id
                        FROM lesson_progress ORDER BY random() LIMIT 1)",
                    params![completed, at],
                )
                .unwrap();
            }
            70..=79 => {
                let Some((enrolment, _)) = some_enrolment(conn) else {
                    continue;
                };
                let status = ["active", "completed", "revoked"][rng.random_range(0..3)];
                conn.execute(
                    "UPDATE enrollments SET status = ?2,
                        time_spent_seconds = time_spent_seconds + ?3, updated_at = ?4
                     WHERE id = ?1",
                    params![enrolment, status, rng.random_range(0..200), at],
                )
                .unwrap();
            }
            80..=84 => {
                conn.execute(
                    "DELETE FROM lesson_progress WHERE (enrollment_id, lesson_id) = (
                        SELECT enrollment_id, lesson_id FROM lesson_progress
                        ORDER BY random() LIMIT 1)",
                    [],
                )
                .unwrap();
            }
            85..=91 => {
                let course = rng.random_range(0..COURSES);
                let id = lesson(course, rng.random_range(0..LESSONS_PER_COURSE));
                // Mostly made optional or required again; now and then deleted.
                let sql = if rng.random_bool(0.3) {
                    "DELETE FROM lessons WHERE id = ?1"
                } else {
                    "UPDATE lessons SET required = 1 - required WHERE id = ?1"
                };
                conn.execute(sql, [id]).unwrap();
            }
            92..=93 => {
                if let Some((enrolment, _)) = some_enrolment(conn) {
                    conn.execute("DELETE FROM enrollments WHERE id = ?1", [enrolment])
                        .unwrap();
                }
            }
            94..=96 => {
                add_user(conn, rng, users);
                users += 1;
            }
            _ => {
                conn.execute(
                    "UPDATE users SET role = ?2 WHERE id = ?1",
                    params![
                        format!("s{}", rng.random_range(0..users)),
                        ["student", "instructor", "admin"][rng.random_range(0..3)]
                    ],
                )
                .unwrap();
            }
        }
    }
}

/// Every enrolment's standing, computed from its lesson progress (what the rollup stands for).
fn live_standings(
    conn: &Connection,
    course_id: &str,
    range: Option<&DateRange>,
) -> Vec<EnrolmentStanding> {
    conn.prepare(
        "SELECT e.status = 'completed', e.time_spent_seconds,
            (SELECT COUNT(*) FROM lessons l WHERE l.course_id = e.course_id AND l.required = 1),
            (SELECT COUNT(*) FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id
               WHERE lp.enrollment_id = e.id AND l.required = 1 AND lp.completed_at IS NOT NULL),
            (SELECT COUNT(*) FROM lesson_progress lp WHERE lp.enrollment_id = e.id)
         FROM enrollments e
         WHERE e.course_id = ?1 AND e.status != 'revoked'
           AND (?2 IS NULL OR e.enrolled_at >= ?2) AND (?3 IS NULL OR e.enrolled_at < ?3)",
    )
    .unwrap()
    .query_map(
        params![
            course_id,
            range.map(DateRange::start_text),
            range.map(DateRange::end_text)
        ],
        |r| {
            Ok(EnrolmentStanding {
                completed: r.get(0)?,
                time_spent_seconds: r.get(1)?,
                required_lessons: r.get(2)?,
                completed_required: r.get(3)?,
                started: r.get::<_, i64>(4)? > 0,
                enrolments: 1,
            })
        },
    )
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn live_learners_active(
    conn: &Connection,
    range: &DateRange,
    owner: Option<&str>,
) -> Vec<CourseActivity> {
    conn.prepare(
        "SELECT c.id, c.title, COUNT(DISTINCT e.user_id) FROM courses c
         JOIN enrollments e ON e.course_id = c.id
         JOIN lesson_progress lp ON lp.enrollment_id = e.id
         WHERE (?3 IS NULL OR c.instructor_id = ?3)
           AND lp.updated_at >= ?1 AND lp.updated_at < ?2
         GROUP BY c.id ORDER BY 3 DESC, c.title, c.id",
    )
    .unwrap()
    .query_map(params![range.start_text(), range.end_text(), owner], |r| {
        Ok(CourseActivity {
            course_id: r.get(0)?,
            title: r.get(1)?,
            active_learners: r.get(2)?,
        })
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn live_signups(conn: &Connection, range: &DateRange) -> Vec<(String, i64)> {
    conn.prepare(
        "SELECT substr(created_at, 1, 10) AS d, COUNT(*) FROM users
         WHERE created_at >= ?1 AND created_at < ?2 GROUP BY d ORDER BY d",
    )
    .unwrap()
    .query_map(params![range.start_text(), range.end_text()], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn live_roles(conn: &Connection) -> Vec<RoleCount> {
    conn.prepare("SELECT role, COUNT(*) FROM users GROUP BY role ORDER BY role")
        .unwrap()
        .query_map([], |r| {
            Ok(RoleCount {
                role: r.get(0)?,
                users: r.get(1)?,
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every learning figure the rollups serve equals its recomputation.
fn assert_reconciles(conn: &Connection, why: &str) {
    let debug = |v: &dyn std::fmt::Debug| format!("{v:?}");
    assert_eq!(
        debug(&rollups::users_by_role(conn).unwrap()),
        debug(&live_roles(conn)),
        "{why}"
    );
    for c in 0..COURSES {
        let course = format!("c{c}");
        let all = funnel(&rollups::standings(conn, &course, None).unwrap());
        assert_eq!(all, funnel(&live_standings(conn, &course, None)), "{why}");
    }
    for range in ranges() {
        let why = format!("{why}, {range:?}");
        let mut signups = rollups::daily_signups(conn, &range).unwrap();
        signups.sort();
        assert_eq!(signups, live_signups(conn, &range), "{why}");
        for c in 0..COURSES {
            let course = format!("c{c}");
            let rolled = funnel(&rollups::standings(conn, &course, Some(&range)).unwrap());
            let live = funnel(&live_standings(conn, &course, Some(&range)));
            assert_eq!(rolled, live, "{why} {course}");
        }
        for owner in [None, Some("i1")] {
            assert_eq!(
                debug(&rollups::learners_active_per_course(conn, &range, owner).unwrap()),
                debug(&live_learners_active(conn, &range, owner)),
                "{why} {owner:?}"
            );
            assert_eq!(
                debug(&super::rollups::top_courses(conn, &range, owner, 100).unwrap()),
                debug(&super::top_courses(conn, &range, owner, 100).unwrap()),
                "{why} {owner:?}"
            );
        }
    }
}

fn rollup_rows(conn: &Connection) -> Vec<String> {
    rows_of(
        conn,
        &[
            "SELECT id, touched_lessons, completed_required_lessons FROM enrollments
             ORDER BY id",
            "SELECT * FROM course_standings WHERE enrolments <> 0 OR time_spent_seconds <> 0
             ORDER BY 1, 2, 3, 4, 5",
            "SELECT * FROM course_learner_days ORDER BY 1, 2, 3",
            "SELECT * FROM signups_by_day WHERE users <> 0 ORDER BY 1, 2",
        ],
    )
}

#[test]
fn the_learning_rollups_reconcile_with_the_enrolments_whatever_happened_to_them() {
    for seed in [1, 2, 3, 4, 5] {
        let mut rng = StdRng::seed_from_u64(seed);
        let conn = learning_school(40, &mut rng);
        random_learning(&conn, &mut rng, 40, 1500);
        let why = format!("seed {seed}");
        assert_reconciles(&conn, &why);
        // What the triggers kept is exactly what a rebuild computes.
        let kept = rollup_rows(&conn);
        assert!(kept.len() > 200, "{why}: {} rows", kept.len());
        let rebuilt = rollups::rebuild(&conn).unwrap();
        assert_eq!(rebuilt.enrolments_corrected, 0, "{why}");
        assert_eq!(rollup_rows(&conn), kept, "{why}");
    }
}

#[test]
fn deleting_a_lesson_or_an_enrolment_through_its_foreign_keys_keeps_the_rollups() {
    let mut rng = StdRng::seed_from_u64(11);
    let conn = learning_school(30, &mut rng);
    random_learning(&conn, &mut rng, 30, 800);
    conn.execute_batch(
        "DELETE FROM lesson_progress
            WHERE enrollment_id NOT IN (SELECT id FROM enrollments)
               OR lesson_id NOT IN (SELECT id FROM lessons);
         PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let busiest = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let enrolment = busiest(
        "SELECT enrollment_id FROM lesson_progress GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
    );
    let lesson = busiest(
        "SELECT lp.lesson_id FROM lesson_progress lp JOIN lessons l ON l.id = lp.lesson_id
         WHERE l.required = 1 AND lp.completed_at IS NOT NULL
         GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1",
    );
    conn.execute("DELETE FROM enrollments WHERE id = ?1", [&enrolment])
        .unwrap();
    conn.execute("DELETE FROM lessons WHERE id = ?1", [&lesson])
        .unwrap();
    assert_reconciles(&conn, "after the deletes");
    let kept = rollup_rows(&conn);
    assert_eq!(rollups::rebuild(&conn).unwrap().enrolments_corrected, 0);
    assert_eq!(rollup_rows(&conn), kept);
}

#[test]
fn the_migration_fills_the_learning_rollups_of_the_data_already_there() {
    let mut conn = Connection::open_in_memory().unwrap();
    crate::db::migrate_to(&mut conn, 39).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    let mut rng = StdRng::seed_from_u64(5);
    for n in 0..20 {
        add_user(&conn, &mut rng, n);
    }
    add_lessons(&conn);
    random_learning(&conn, &mut rng, 20, 600);
    crate::db::migrate(&mut conn).unwrap();
    let filled = rollup_rows(&conn);
    assert!(filled.len() > 100, "{} rows", filled.len());
    assert_eq!(rollups::rebuild(&conn).unwrap().enrolments_corrected, 0);
    assert_eq!(rollup_rows(&conn), filled);
}
