//! The sort orders of a list query; every order ends on the id, so pages never overlap.

use super::{Names, Target};
use crate::http::FieldError;

/// The `ORDER BY` for `sort`: by relevance when searching without a sort, newest first
/// otherwise; an unknown order is a field error (and an empty string).
pub(super) fn order_by(
    sort: Option<&str>,
    target: Target,
    n: &Names,
    ranked: bool,
    errors: &mut Vec<FieldError>,
) -> String {
    match sort {
        None | Some("") if ranked => "sort_rank, t.id".into(),
        None | Some("") | Some("-created_at") => "t.created_at DESC, t.id DESC".into(),
        Some("created_at") => "t.created_at ASC, t.id ASC".into(),
        Some("price") => "t.price_cents ASC, t.id ASC".into(),
        Some("-price") => "t.price_cents DESC, t.id DESC".into(),
        Some("title" | "name") => format!("{} COLLATE NOCASE ASC, t.id ASC", n.title),
        Some("-title" | "-name") => format!("{} COLLATE NOCASE DESC, t.id DESC", n.title),
        Some("popularity") => format!("{} DESC, t.id DESC", n.popularity),
        Some("-popularity") => format!("{} ASC, t.id ASC", n.popularity),
        Some("rating") if target == Target::Courses => {
            "CASE WHEN t.rating_count = 0 THEN 1 ELSE 0 END, \
             (t.rating_sum * 1.0 / MAX(t.rating_count, 1)) DESC, t.rating_count DESC, t.id DESC"
                .into()
        }
        Some(other) => {
            let allowed = match target {
                Target::Products => {
                    "price, -price, created_at, -created_at, name, -name, popularity"
                }
                Target::Courses => {
                    "price, -price, created_at, -created_at, title, -title, rating, popularity"
                }
            };
            errors.push(FieldError::new(
                "sort",
                crate::msg!("problem-sort-unknown", value = other, allowed = allowed),
            ));
            String::new()
        }
    }
}
