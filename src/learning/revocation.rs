//! Which enrolments go when the money for some order lines is taken back (a processed
//! refund, a PayPal reversal, a cancelled order that cost nothing): every course those lines
//! granted (a course line, or each course a bundle line held when bought), unless the learner
//! holds that course some other way. One pure rule, [`enrolments_to_revoke`], and the one step
//! every such path calls, [`revoke_released`].

use rusqlite::Connection;

use super::model::EnrollmentSource;
use super::store::{enrollments, grants};
use crate::http::AppError;

/// How the learner holds a course that a refunded line granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holding {
    pub course_id: String,
    /// The enrolment gives access now (active or completed).
    pub has_access: bool,
    /// The enrolment did not come from an order: staff added it, or it was taken free.
    pub outside_orders: bool,
    /// Paid order lines besides the refunded ones that grant the course (the course bought
    /// on its own, or another bundle holding it), not covered by a processed refund.
    pub other_paid_lines: u32,
}

/// The courses whose enrolment goes, each once, in the order the refund granted them: those
/// with access that no other paid line and no grant outside orders keeps.
pub fn enrolments_to_revoke(holdings: &[Holding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for h in holdings {
        let kept = !h.has_access || h.outside_orders || h.other_paid_lines > 0;
        if !kept && !out.contains(&h.course_id) {
            out.push(h.course_id.clone());
        }
    }
    out
}

/// Revokes (with their certificates; progress is kept) the enrolments the rule takes away
/// once the money for `user_id`'s order lines `line_ids` is back. Returns the courses revoked.
pub fn revoke_released(
    conn: &Connection,
    user_id: &str,
    line_ids: &[String],
    now: &str,
) -> Result<Vec<String>, AppError> {
    let mut holdings = Vec::new();
    let mut found = Vec::new();
    for course_id in grants::courses_of_lines(conn, line_ids)? {
        let Some(enrollment) = enrollments::find(conn, user_id, &course_id)? else {
            continue;
        };
        holdings.push(Holding {
            has_access: enrollment.status.has_access(),
            outside_orders: enrollment.source != EnrollmentSource::Order,
            other_paid_lines: grants::other_paid_lines(conn, user_id, &course_id, line_ids)?,
            course_id,
        });
        found.push(enrollment);
    }
    let revoke = enrolments_to_revoke(&holdings);
    for enrollment in found.iter().filter(|e| revoke.contains(&e.course_id)) {
        super::service::revoke_enrollment(conn, enrollment, now)?;
    }
    Ok(revoke)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(course_id: &str) -> Holding {
        Holding {
            course_id: course_id.into(),
            has_access: true,
            outside_orders: false,
            other_paid_lines: 0,
        }
    }

    #[test]
    fn a_refunded_bundle_takes_away_every_course_it_alone_granted() {
        let holdings = [held("a"), held("b"), held("c")];
        assert_eq!(enrolments_to_revoke(&holdings), ["a", "b", "c"]);
    }

    #[test]
    fn a_course_bought_separately_stays_when_the_bundle_is_refunded() {
        let holdings = [
            held("a"),
            Holding {
                other_paid_lines: 1,
                ..held("b")
            },
        ];
        assert_eq!(enrolments_to_revoke(&holdings), ["a"]);
    }

    #[test]
    fn a_course_a_later_bundle_holds_stays_when_the_course_is_refunded() {
        // The course's own line is refunded; another paid bundle line still grants it.
        let holdings = [Holding {
            other_paid_lines: 1,
            ..held("a")
        }];
        assert!(enrolments_to_revoke(&holdings).is_empty());
    }

    #[test]
    fn an_enrolment_staff_gave_or_taken_free_stays() {
        let holdings = [Holding {
            outside_orders: true,
            ..held("a")
        }];
        assert!(enrolments_to_revoke(&holdings).is_empty());
    }

    #[test]
    fn an_enrolment_already_revoked_is_not_revoked_again() {
        let holdings = [Holding {
            has_access: false,
            ..held("a")
        }];
        assert!(enrolments_to_revoke(&holdings).is_empty());
    }

    #[test]
    fn a_course_granted_by_two_refunded_lines_is_revoked_once() {
        let holdings = [held("a"), held("a"), held("b")];
        assert_eq!(enrolments_to_revoke(&holdings), ["a", "b"]);
    }

    #[test]
    fn a_refund_granting_no_course_revokes_nothing() {
        assert!(enrolments_to_revoke(&[]).is_empty());
    }
}
