//! The progress rule for a bundle: its courses' progress read as one figure (their maximum
//! or their average, rounded up), held to the single-course limit; any certificate refuses.

use serde::Serialize;

use super::{BundleProgress, IneligibleReason, RefundPolicy};

/// One course of a bundle with the buyer's completion (0..=100) and certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CourseProgress {
    pub course_id: String,
    pub progress_percent: u32,
    pub certificate_issued: bool,
}

/// A bundle's progress under `rule`. An empty bundle has made no progress. The average is
/// rounded up, so a bundle never counts as less consumed than it is.
pub fn bundle_progress_percent(rule: BundleProgress, percents: &[u32]) -> u32 {
    if percents.is_empty() {
        return 0;
    }
    match rule {
        BundleProgress::Maximum => percents.iter().copied().max().unwrap_or(0),
        BundleProgress::Average => {
            let sum: u64 = percents.iter().map(|&p| u64::from(p.min(100))).sum();
            let n = percents.len() as u64;
            u32::try_from(sum.div_ceil(n)).unwrap_or(100)
        }
    }
}

/// Every reason the bundle may not be refunded: progress past the limit, certificates.
pub(super) fn reasons(
    policy: &RefundPolicy,
    bundle_id: &str,
    courses: &[CourseProgress],
) -> Vec<IneligibleReason> {
    let percents: Vec<u32> = courses.iter().map(|c| c.progress_percent).collect();
    let progress = bundle_progress_percent(policy.bundle_progress, &percents);
    let mut reasons = Vec::new();
    if progress > policy.max_course_progress_percent {
        reasons.push(IneligibleReason::BundleProgressTooHigh {
            bundle_id: bundle_id.to_string(),
            progress_percent: progress,
            max_progress_percent: policy.max_course_progress_percent,
            rule: policy.bundle_progress,
        });
    }
    for course in courses.iter().filter(|c| c.certificate_issued) {
        reasons.push(IneligibleReason::CertificateIssued {
            course_id: course.course_id.clone(),
        });
    }
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(id: &str, progress_percent: u32, certificate_issued: bool) -> CourseProgress {
        CourseProgress {
            course_id: id.into(),
            progress_percent,
            certificate_issued,
        }
    }

    fn policy(rule: BundleProgress) -> RefundPolicy {
        RefundPolicy {
            bundle_progress: rule,
            ..RefundPolicy::default()
        }
    }

    #[test]
    fn a_bundles_progress_is_its_furthest_course_under_the_maximum_rule() {
        assert_eq!(
            bundle_progress_percent(BundleProgress::Maximum, &[0, 80, 10]),
            80
        );
    }

    #[test]
    fn a_bundles_progress_is_the_mean_rounded_up_under_the_average_rule() {
        assert_eq!(
            bundle_progress_percent(BundleProgress::Average, &[0, 80, 10]),
            30
        );
        assert_eq!(
            bundle_progress_percent(BundleProgress::Average, &[0, 0, 1]),
            1
        );
        assert_eq!(
            bundle_progress_percent(BundleProgress::Average, &[100, 100]),
            100
        );
    }

    #[test]
    fn an_empty_bundle_has_made_no_progress() {
        for rule in [BundleProgress::Average, BundleProgress::Maximum] {
            assert_eq!(bundle_progress_percent(rule, &[]), 0);
        }
    }

    #[test]
    fn one_course_finished_refuses_the_bundle_under_maximum_but_not_under_average() {
        // Four courses, one at 100 %: the average is 25 % (limit 30 %), the maximum 100 %.
        let courses = [
            course("a", 100, false),
            course("b", 0, false),
            course("c", 0, false),
            course("d", 0, false),
        ];
        let strict = reasons(&policy(BundleProgress::Maximum), "bun", &courses);
        assert_eq!(
            strict,
            [IneligibleReason::BundleProgressTooHigh {
                bundle_id: "bun".into(),
                progress_percent: 100,
                max_progress_percent: 30,
                rule: BundleProgress::Maximum,
            }]
        );
        assert!(reasons(&policy(BundleProgress::Average), "bun", &courses).is_empty());
    }

    #[test]
    fn a_bundle_exactly_at_the_limit_is_still_refundable() {
        let courses = [course("a", 30, false), course("b", 30, false)];
        for rule in [BundleProgress::Average, BundleProgress::Maximum] {
            assert!(
                reasons(&policy(rule), "bun", &courses).is_empty(),
                "{rule:?}"
            );
        }
    }

    #[test]
    fn an_average_just_past_the_limit_is_refused() {
        // 31 + 30 = 61, over two courses 30.5 %, rounded up to 31 %.
        let courses = [course("a", 31, false), course("b", 30, false)];
        let found = reasons(&policy(BundleProgress::Average), "bun", &courses);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code(), "bundle_progress_too_high");
    }

    #[test]
    fn a_certificate_in_any_course_refuses_the_bundle_whatever_the_rule() {
        let courses = [course("a", 0, false), course("b", 0, true)];
        for rule in [BundleProgress::Average, BundleProgress::Maximum] {
            assert_eq!(
                reasons(&policy(rule), "bun", &courses),
                [IneligibleReason::CertificateIssued {
                    course_id: "b".into()
                }]
            );
        }
    }
}
