//! Catalogue: products and courses, course content and media, the public response cache.

mod course_content;
mod media_s3;
mod products_and_courses;
mod response_cache;

pub use course_content::{enrol, upload};
pub use products_and_courses::{cast, course, names};
