//! Refund eligibility rules, case by case.

use super::*;
use time::macros::datetime;

const PAID_AT: OffsetDateTime = datetime!(2026-03-01 10:00 UTC);

fn course(course_id: &str, progress_percent: u32, certificate_issued: bool) -> RefundItem {
    RefundItem::Course {
        course_id: course_id.to_owned(),
        progress_percent,
        certificate_issued,
    }
}

fn physical(product_id: &str) -> RefundItem {
    RefundItem::PhysicalProduct {
        product_id: product_id.to_owned(),
    }
}

fn digital(product_id: &str, downloaded: bool) -> RefundItem {
    RefundItem::DigitalProduct {
        product_id: product_id.to_owned(),
        downloaded,
    }
}

fn check(now: OffsetDateTime, items: &[RefundItem]) -> Eligibility {
    refund_eligibility(&RefundPolicy::default(), PAID_AT, now, items)
}

#[test]
fn refund_window_runs_until_just_before_the_last_day_ends() {
    // (now, window days, expected days since payment when outside)
    let cases: &[(OffsetDateTime, u32, Option<i64>)] = &[
        (PAID_AT, 14, None),
        (datetime!(2026-03-08 10:00 UTC), 14, None),
        (datetime!(2026-03-15 09:59:59 UTC), 14, None),
        (datetime!(2026-03-15 10:00 UTC), 14, Some(14)),
        (datetime!(2026-03-15 12:00 +2), 14, Some(14)),
        (datetime!(2026-03-15 11:59 +2), 14, None),
        (datetime!(2026-03-21 10:00 UTC), 14, Some(20)),
        (datetime!(2027-03-01 10:00 UTC), 14, Some(365)),
        (datetime!(2026-03-31 09:00 UTC), 30, None),
        (datetime!(2026-03-01 10:00:01 UTC), 0, Some(0)),
        (PAID_AT, 0, Some(0)),
        // Clock skew: a payment "in the future" counts as just made.
        (datetime!(2026-02-28 10:00 UTC), 14, None),
        (datetime!(2026-02-28 10:00 UTC), 0, Some(0)),
    ];
    for &(now, window_days, expected_days) in cases {
        let policy = RefundPolicy {
            window_days,
            ..RefundPolicy::default()
        };
        let result = refund_eligibility(&policy, PAID_AT, now, &[physical("mug")]);
        let expected_reasons: Vec<IneligibleReason> = expected_days
            .map(|days_since_payment| IneligibleReason::OutsideWindow {
                days_since_payment,
                window_days,
            })
            .into_iter()
            .collect();
        assert_eq!(
            result.reasons, expected_reasons,
            "{now} window {window_days}"
        );
        assert_eq!(result.eligible, expected_days.is_none());
    }
}

#[test]
fn course_refund_depends_on_progress_and_certificate() {
    // (progress, certificate issued, max progress, expected reason codes)
    let cases: &[(u32, bool, u32, &[&str])] = &[
        (0, false, 30, &[]),
        (29, false, 30, &[]),
        (30, false, 30, &[]),
        (31, false, 30, &["course_progress_too_high"]),
        (100, false, 30, &["course_progress_too_high"]),
        (10, true, 30, &["certificate_issued"]),
        (
            100,
            true,
            30,
            &["course_progress_too_high", "certificate_issued"],
        ),
        (50, false, 50, &[]),
        (1, false, 0, &["course_progress_too_high"]),
        (0, false, 0, &[]),
    ];
    for &(progress, certificate, max, expected_codes) in cases {
        let policy = RefundPolicy {
            max_course_progress_percent: max,
            ..RefundPolicy::default()
        };
        let result = refund_eligibility(
            &policy,
            PAID_AT,
            PAID_AT + Duration::days(1),
            &[course("rust-101", progress, certificate)],
        );
        let codes: Vec<&str> = result.reasons.iter().map(|reason| reason.code()).collect();
        assert_eq!(
            codes, expected_codes,
            "{progress}% cert={certificate} max={max}"
        );
        assert_eq!(result.eligible, expected_codes.is_empty());
        assert!(!result.return_required);
    }
    let result = check(PAID_AT, &[course("rust-101", 45, false)]);
    assert_eq!(
        result.reasons,
        [IneligibleReason::CourseProgressTooHigh {
            course_id: "rust-101".into(),
            progress_percent: 45,
            max_progress_percent: 30,
        }]
    );
}

#[test]
fn digital_product_is_refundable_only_before_download() {
    let cases = [(false, true), (true, false)];
    for (downloaded, eligible) in cases {
        let result = check(PAID_AT, &[digital("ebook", downloaded)]);
        assert_eq!(result.eligible, eligible, "downloaded={downloaded}");
        assert!(!result.return_required);
    }
    assert_eq!(
        check(PAID_AT, &[digital("ebook", true)]).reasons,
        [IneligibleReason::DigitalItemDownloaded {
            product_id: "ebook".into()
        }]
    );
}

#[test]
fn physical_products_need_a_return() {
    // (items, expected return_required)
    let cases: &[(&[RefundItem], bool)] = &[
        (&[], false),
        (&[physical("mug")], true),
        (&[course("rust-101", 0, false)], false),
        (&[digital("ebook", false)], false),
        (&[digital("ebook", false), physical("mug")], true),
    ];
    for (items, expected) in cases {
        let result = check(PAID_AT, items);
        assert_eq!(result.return_required, *expected, "{items:?}");
    }
    // Still reported when the request fails for another reason.
    let late = check(
        datetime!(2026-06-01 00:00 UTC),
        &[physical("mug"), digital("ebook", true)],
    );
    assert!(!late.eligible);
    assert!(late.return_required);
}

#[test]
fn every_reason_is_listed_not_just_the_first() {
    let items = [
        course("rust-101", 80, true),
        course("go-101", 10, false),
        course("sql-101", 31, false),
        digital("ebook", true),
        digital("poster-pdf", false),
        physical("mug"),
    ];
    let result = check(datetime!(2026-04-01 10:00 UTC), &items);
    assert_eq!(
        result,
        Eligibility {
            eligible: false,
            reasons: vec![
                IneligibleReason::OutsideWindow {
                    days_since_payment: 31,
                    window_days: 14,
                },
                IneligibleReason::CourseProgressTooHigh {
                    course_id: "rust-101".into(),
                    progress_percent: 80,
                    max_progress_percent: 30,
                },
                IneligibleReason::CertificateIssued {
                    course_id: "rust-101".into(),
                },
                IneligibleReason::CourseProgressTooHigh {
                    course_id: "sql-101".into(),
                    progress_percent: 31,
                    max_progress_percent: 30,
                },
                IneligibleReason::DigitalItemDownloaded {
                    product_id: "ebook".into(),
                },
            ],
            return_required: true,
        }
    );
}

#[test]
fn a_request_without_items_is_not_eligible() {
    let result = check(PAID_AT, &[]);
    assert!(!result.eligible);
    assert_eq!(result.reasons, [IneligibleReason::NoItems]);
}

#[test]
fn a_fresh_request_for_untouched_items_is_eligible() {
    let result = check(
        PAID_AT + Duration::days(3),
        &[
            course("rust-101", 12, false),
            digital("ebook", false),
            physical("mug"),
        ],
    );
    assert_eq!(
        result,
        Eligibility {
            eligible: true,
            reasons: vec![],
            return_required: true,
        }
    );
}

#[test]
fn reasons_serialize_with_code_message_and_details() {
    let result = check(
        datetime!(2026-03-16 10:00 UTC),
        &[course("rust-101", 45, true), digital("ebook", true)],
    );
    let json = serde_json::to_value(&result).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "eligible": false,
            "return_required": false,
            "reasons": [
                {
                    "code": "outside_window",
                    "message": "refunds must be requested within 14 days of payment, \
                                and this order was paid 15 days ago",
                    "days_since_payment": 15,
                    "window_days": 14
                },
                {
                    "code": "course_progress_too_high",
                    "message": "course rust-101 is 45% complete; \
                                refunds are only possible up to 30%",
                    "course_id": "rust-101",
                    "progress_percent": 45,
                    "max_progress_percent": 30
                },
                {
                    "code": "certificate_issued",
                    "message": "a certificate has been issued for course rust-101",
                    "course_id": "rust-101"
                },
                {
                    "code": "digital_item_downloaded",
                    "message": "product ebook has already been downloaded",
                    "product_id": "ebook"
                }
            ]
        })
    );
    assert_eq!(
        serde_json::to_value(IneligibleReason::NoItems).unwrap(),
        serde_json::json!({
            "code": "no_items",
            "message": "choose at least one item to refund"
        })
    );
}

#[test]
fn window_message_says_one_day_in_the_singular() {
    let reason = IneligibleReason::OutsideWindow {
        days_since_payment: 1,
        window_days: 1,
    };
    assert_eq!(
        reason.to_string(),
        "refunds must be requested within 1 day of payment, and this order was paid 1 day ago"
    );
}

#[test]
fn policy_defaults_to_fourteen_days_and_thirty_percent() {
    let cases: &[(&str, RefundPolicy)] = &[
        ("{}", RefundPolicy::default()),
        (
            r#"{"window_days": 30}"#,
            RefundPolicy {
                window_days: 30,
                max_course_progress_percent: 30,
                bundle_progress: BundleProgress::Maximum,
            },
        ),
        (
            r#"{"max_course_progress_percent": 10}"#,
            RefundPolicy {
                window_days: 14,
                max_course_progress_percent: 10,
                bundle_progress: BundleProgress::Maximum,
            },
        ),
    ];
    for (json, expected) in cases {
        let policy: RefundPolicy = serde_json::from_str(json).unwrap();
        assert_eq!(&policy, expected, "{json}");
    }
    assert_eq!(RefundPolicy::default().window_days, 14);
    assert_eq!(RefundPolicy::default().max_course_progress_percent, 30);
}
