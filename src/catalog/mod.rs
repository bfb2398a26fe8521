//! Catalogue: products, courses with sections and lessons, categories, tags, search and media.

pub mod bundles;
pub mod cache;
pub mod captions;
pub mod lesson;
pub mod listing;
pub mod markdown;
pub mod model;
pub mod outline;
pub mod quiz;
pub mod routes;
pub mod service;
pub mod slug;
pub mod sniff;
pub mod store;
pub mod validate;

pub use crate::http::signing::signed_media_url;
