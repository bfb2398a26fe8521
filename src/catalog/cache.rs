//! Ready-made JSON responses of the public catalogue (lists, search, detail pages), each kept
//! until a table it is built from changes. The cache itself is the kernel's
//! `http::response_cache` (held in `AppState`); this names the catalogue's source tables.

pub use crate::http::response_cache::{Rendered, ResponseCache};

/// Tables a course view or course list is built from (course counters such as ratings and
/// enrolments live on `courses` itself).
pub const COURSE_SOURCES: &[&str] = &[
    "courses",
    "course_tags",
    "tags",
    "categories",
    "users",
    "media",
];
/// Tables a product view or product list is built from (stock and sales live on `products`).
pub const PRODUCT_SOURCES: &[&str] = &[
    "products",
    "product_tags",
    "product_images",
    "tags",
    "categories",
    "media",
];
