//! HTTP plumbing shared by every domain: errors, extractors, middleware.

pub mod error;
pub mod extract;
pub mod json;
pub mod listener;
pub mod middleware;
pub mod response_cache;
pub mod signing;

pub use error::{AppError, FieldError, Message, Problem};
pub use extract::{ListResponse, Page, PageParams, Query, optional_filter};
pub use json::Json;
