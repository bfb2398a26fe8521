//! SQL for learning, one file per table group; plain `fn(&Connection, ..)` that compose
//! inside one write transaction.

pub mod certificates;
pub mod course_order;
pub mod courses;
pub mod enrollments;
pub mod grants;
pub mod lists;
pub mod progress;
pub mod quiz;
pub mod reviews;
pub mod submissions;

#[cfg(test)]
mod standing_tests;
