//! SQL for the access rule: the learner's enrolment and how it is held, their memberships
//! covering a course, and their payment plan for it (read only; payments writes them).

use rusqlite::{Connection, OptionalExtension, Row};

use super::rule::{EnrolmentFacts, Holding, MembershipFacts, MembershipStatus};
use crate::clock::parse_rfc3339;

pub fn enrolment(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Option<EnrolmentFacts>> {
    conn.prepare_cached(
        "SELECT e.status = 'active' OR e.status = 'completed', h.kind
         FROM enrollments e LEFT JOIN enrollment_holds h ON h.enrollment_id = e.id
         WHERE e.user_id = ?1 AND e.course_id = ?2",
    )?
    .query_row([user_id, course_id], |r| {
        let kind: Option<String> = r.get(1)?;
        Ok(EnrolmentFacts {
            has_access: r.get(0)?,
            holding: match kind.as_deref() {
                Some("membership") => Holding::Membership,
                Some("plan") => Holding::Plan,
                _ => Holding::Owned,
            },
        })
    })
    .optional()
}

/// `p` covers course `?2`: every course, its category, or listed.
const COVERS: &str = "(p.scope = 'all'
      OR (p.scope = 'category' AND p.category_id = (SELECT category_id FROM courses WHERE id = ?2))
      OR (p.scope = 'courses' AND EXISTS (SELECT 1 FROM membership_plan_courses pc
                                          WHERE pc.plan_id = p.id AND pc.course_id = ?2)))";

fn facts(r: &Row<'_>) -> rusqlite::Result<MembershipFacts> {
    let since: Option<String> = r.get(1)?;
    let cycles: Option<i64> = r.get(2)?;
    let paid: i64 = r.get(3)?;
    let paid_through: Option<String> = r.get(4)?;
    Ok(MembershipFacts {
        status: r.get::<_, MembershipStatus>(0)?,
        covers: true,
        past_due_since: since.as_deref().and_then(parse_rfc3339),
        cycles: cycles.map(|owed| (paid, owed)),
        paid_through: paid_through.as_deref().and_then(parse_rfc3339),
    })
}

/// The learner's memberships (not payment plans) whose plan covers the course.
pub fn covering_memberships(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Vec<MembershipFacts>> {
    conn.prepare_cached(&format!(
        "SELECT m.status, m.past_due_since, p.cycles, m.cycles_paid,
                CASE WHEN m.gateway = 'manual' THEN m.current_period_end END
         FROM memberships m JOIN membership_plans p ON p.id = m.plan_id
         WHERE m.user_id = ?1 AND p.cycles IS NULL AND {COVERS}"
    ))?
    .query_map([user_id, course_id], facts)?
    .collect()
}

/// The learner's payment plans that sell the course: for the course itself, or for a bundle
/// that held it when the plan was made.
pub fn payment_plans(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Vec<MembershipFacts>> {
    conn.prepare_cached(
        "SELECT m.status, m.past_due_since, p.cycles, m.cycles_paid,
                CASE WHEN m.gateway = 'manual' THEN m.current_period_end END
         FROM memberships m JOIN membership_plans p ON p.id = m.plan_id
         WHERE m.user_id = ?1 AND p.cycles IS NOT NULL
           AND (p.course_id = ?2 OR (p.bundle_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM membership_plan_courses pc WHERE pc.plan_id = p.id AND pc.course_id = ?2)))
         ORDER BY m.started_at DESC",
    )?
    .query_map([user_id, course_id], facts)?
    .collect()
}

/// Marks an enrolment as held through a membership or plan (replacing any earlier hold).
pub fn hold(
    conn: &Connection,
    enrollment_id: &str,
    membership_id: &str,
    kind: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO enrollment_holds (enrollment_id, membership_id, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT (enrollment_id) DO UPDATE SET membership_id = ?2, kind = ?3",
    )?
    .execute([enrollment_id, membership_id, kind])?;
    Ok(())
}

/// The enrolment is owned from now on (bought, or its plan paid off).
pub fn release(conn: &Connection, user_id: &str, course_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM enrollment_holds WHERE enrollment_id =
           (SELECT id FROM enrollments WHERE user_id = ?1 AND course_id = ?2)",
    )?
    .execute([user_id, course_id])?;
    Ok(())
}

/// A live membership (or payment plan) of `user_id` covering `course_id` to hold an
/// enrolment through: its id and the hold's kind (`plan` or `membership`), a plan first.
pub fn covering_live(
    conn: &Connection,
    user_id: &str,
    course_id: &str,
) -> rusqlite::Result<Option<(String, &'static str)>> {
    conn.prepare_cached(&format!(
        "SELECT m.id, p.cycles IS NOT NULL FROM memberships m
         JOIN membership_plans p ON p.id = m.plan_id
         WHERE m.user_id = ?1 AND m.status <> 'cancelled' AND m.status <> 'expired' AND {COVERS}
         ORDER BY p.cycles IS NOT NULL DESC, m.status = 'active' DESC LIMIT 1"
    ))?
    .query_row([user_id, course_id], |r| {
        let plan: bool = r.get(1)?;
        Ok((r.get(0)?, if plan { "plan" } else { "membership" }))
    })
    .optional()
}
