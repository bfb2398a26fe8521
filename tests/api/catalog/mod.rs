//! Catalogue: products and courses, course content and media, the public response cache.

mod course_content;
mod products_and_courses;
mod response_cache;

pub use course_content::enrol;
pub use products_and_courses::{cast, course, names};
