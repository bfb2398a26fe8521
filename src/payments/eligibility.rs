//! Refund eligibility: whether the items of a paid order may be refunded now, and every reason they may not.
//!
//! Rules, all checked, every failure reported (not just the first):
//!
//! - **Window**: a refund must be requested less than `window_days` whole
//!   24-hour days after payment: with 14 days, a payment at 10:00 on the 1st
//!   can be refunded until 09:59:59 on the 15th. `0` turns refunds off. A
//!   payment time in the future (clock skew) counts as just paid.
//! - **Courses**: refundable while the buyer's progress is at most
//!   `max_course_progress_percent` (30 % by default: exactly 30 % still
//!   qualifies) and no certificate has been issued, since a certificate is
//!   the course's finished product and cannot be taken back.
//! - **Bundles**: judged as one course whose progress is the `maximum` (default) or the
//!   `average` of its courses' (`[refunds] bundle_progress`, see `bundle.rs`); a certificate
//!   in any of its courses refuses it.
//! - **Digital products**: refundable only if never downloaded; a downloaded
//!   file cannot be returned (the same line EU law draws for digital content).
//! - **Physical products**: refundable, but the goods must come back first,
//!   so `return_required` is set. It describes what an approved refund would
//!   need and is reported whether or not the request is eligible.
//! - A request naming no items is not eligible.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use time::{Duration, OffsetDateTime};

pub use crate::config::payments::BundleProgress;
pub use bundle::{CourseProgress, bundle_progress_percent};

mod bundle;

pub const DEFAULT_REFUND_WINDOW_DAYS: u32 = 14;
pub const DEFAULT_MAX_COURSE_PROGRESS_PERCENT: u32 = 30;

/// The store's refund policy; every field may be omitted in configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundPolicy {
    pub window_days: u32,
    pub max_course_progress_percent: u32,
    /// How a bundle's progress is read from its courses'.
    pub bundle_progress: BundleProgress,
}

impl Default for RefundPolicy {
    fn default() -> Self {
        Self {
            window_days: DEFAULT_REFUND_WINDOW_DAYS,
            max_course_progress_percent: DEFAULT_MAX_COURSE_PROGRESS_PERCENT,
            bundle_progress: BundleProgress::Maximum,
        }
    }
}

/// An order item the buyer wants refunded, with the facts the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundItem {
    Course {
        course_id: String,
        /// The buyer's completion, 0..=100.
        progress_percent: u32,
        certificate_issued: bool,
    },
    PhysicalProduct {
        product_id: String,
    },
    DigitalProduct {
        product_id: String,
        downloaded: bool,
    },
    /// A bundle, judged over the courses its order line granted.
    Bundle {
        bundle_id: String,
        courses: Vec<CourseProgress>,
    },
}

/// The verdict on a refund request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    /// True exactly when `reasons` is empty.
    pub eligible: bool,
    pub reasons: Vec<IneligibleReason>,
    /// Physical goods must be sent back before the money is.
    pub return_required: bool,
}

/// One reason a refund is refused. Serialized as
/// `{"code": "...", "message": "...", <the variant's fields>}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IneligibleReason {
    NoItems,
    OutsideWindow {
        days_since_payment: i64,
        window_days: u32,
    },
    CourseProgressTooHigh {
        course_id: String,
        progress_percent: u32,
        max_progress_percent: u32,
    },
    CertificateIssued {
        course_id: String,
    },
    BundleProgressTooHigh {
        bundle_id: String,
        progress_percent: u32,
        max_progress_percent: u32,
        rule: BundleProgress,
    },
    DigitalItemDownloaded {
        product_id: String,
    },
}

impl IneligibleReason {
    /// Stable machine-readable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoItems => "no_items",
            Self::OutsideWindow { .. } => "outside_window",
            Self::CourseProgressTooHigh { .. } => "course_progress_too_high",
            Self::CertificateIssued { .. } => "certificate_issued",
            Self::BundleProgressTooHigh { .. } => "bundle_progress_too_high",
            Self::DigitalItemDownloaded { .. } => "digital_item_downloaded",
        }
    }
}

fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_owned()
    } else {
        format!("{count} days")
    }
}

impl fmt::Display for IneligibleReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoItems => f.write_str("choose at least one item to refund"),
            Self::OutsideWindow {
                days_since_payment,
                window_days,
            } => write!(
                f,
                "refunds must be requested within {} of payment, and this order was paid {} ago",
                days(i64::from(*window_days)),
                days(*days_since_payment)
            ),
            Self::CourseProgressTooHigh {
                course_id,
                progress_percent,
                max_progress_percent,
            } => write!(
                f,
                "course {course_id} is {progress_percent}% complete; \
                 refunds are only possible up to {max_progress_percent}%"
            ),
            Self::CertificateIssued { course_id } => {
                write!(f, "a certificate has been issued for course {course_id}")
            }
            Self::BundleProgressTooHigh {
                bundle_id,
                progress_percent,
                max_progress_percent,
                rule,
            } => write!(
                f,
                "bundle {bundle_id} is {progress_percent}% complete (the {} of its courses); \
                 refunds are only possible up to {max_progress_percent}%",
                rule.as_str()
            ),
            Self::DigitalItemDownloaded { product_id } => {
                write!(f, "product {product_id} has already been downloaded")
            }
        }
    }
}

impl Serialize for IneligibleReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("message", &self.to_string())?;
        match self {
            Self::NoItems => {}
            Self::OutsideWindow {
                days_since_payment,
                window_days,
            } => {
                map.serialize_entry("days_since_payment", days_since_payment)?;
                map.serialize_entry("window_days", window_days)?;
            }
            Self::CourseProgressTooHigh {
                course_id,
                progress_percent,
                max_progress_percent,
            } => {
                map.serialize_entry("course_id", course_id)?;
                map.serialize_entry("progress_percent", progress_percent)?;
                map.serialize_entry("max_progress_percent", max_progress_percent)?;
            }
            Self::CertificateIssued { course_id } => {
                map.serialize_entry("course_id", course_id)?;
            }
            Self::BundleProgressTooHigh {
                bundle_id,
                progress_percent,
                max_progress_percent,
                rule,
            } => {
                map.serialize_entry("bundle_id", bundle_id)?;
                map.serialize_entry("progress_percent", progress_percent)?;
                map.serialize_entry("max_progress_percent", max_progress_percent)?;
                map.serialize_entry("rule", rule.as_str())?;
            }
            Self::DigitalItemDownloaded { product_id } => {
                map.serialize_entry("product_id", product_id)?;
            }
        }
        map.end()
    }
}

/// Applies the refund rules to `items` of an order paid at `paid_at`.
pub fn refund_eligibility(
    policy: &RefundPolicy,
    paid_at: OffsetDateTime,
    now: OffsetDateTime,
    items: &[RefundItem],
) -> Eligibility {
    let mut reasons = Vec::new();
    if items.is_empty() {
        reasons.push(IneligibleReason::NoItems);
    }

    let since_payment = (now - paid_at).max(Duration::ZERO);
    if since_payment >= Duration::days(i64::from(policy.window_days)) {
        reasons.push(IneligibleReason::OutsideWindow {
            days_since_payment: since_payment.whole_days(),
            window_days: policy.window_days,
        });
    }

    let mut return_required = false;
    for item in items {
        match item {
            RefundItem::Course {
                course_id,
                progress_percent,
                certificate_issued,
            } => {
                if *progress_percent > policy.max_course_progress_percent {
                    reasons.push(IneligibleReason::CourseProgressTooHigh {
                        course_id: course_id.clone(),
                        progress_percent: *progress_percent,
                        max_progress_percent: policy.max_course_progress_percent,
                    });
                }
                if *certificate_issued {
                    reasons.push(IneligibleReason::CertificateIssued {
                        course_id: course_id.clone(),
                    });
                }
            }
            RefundItem::DigitalProduct {
                product_id,
                downloaded,
            } => {
                if *downloaded {
                    reasons.push(IneligibleReason::DigitalItemDownloaded {
                        product_id: product_id.clone(),
                    });
                }
            }
            RefundItem::PhysicalProduct { .. } => return_required = true,
            RefundItem::Bundle { bundle_id, courses } => {
                reasons.extend(bundle::reasons(policy, bundle_id, courses));
            }
        }
    }

    Eligibility {
        eligible: reasons.is_empty(),
        reasons,
        return_required,
    }
}

#[cfg(test)]
mod tests;

impl crate::config::payments::RefundsConfig {
    /// The refund window and progress limit as the eligibility rules read them.
    pub fn policy(&self) -> RefundPolicy {
        RefundPolicy {
            window_days: self.window_days,
            max_course_progress_percent: self.max_course_progress_percent,
            bundle_progress: self.bundle_progress,
        }
    }
}
