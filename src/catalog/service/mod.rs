//! The catalogue's one way in: every read and write of products, courses, sections,
//! lessons, media and taxonomy that the HTTP handlers, the CLI and the demo make.
//!
//! Where each entity lives:
//! - `items`: what products and courses share (the [`items::Item`] trait; one create,
//!   update, delete, list and get for both), with `products` and `courses` filling it in;
//! - `sections`: a course's sections (authoring, reordering) and the authoring outline;
//! - `lessons`: lesson authoring (with quiz questions);
//! - `content`: the outline and one lesson's content as the caller may see them (locks,
//!   drip dates, signed media URLs, no quiz answers for learners);
//! - `taxonomy`: categories and tags;
//! - `media`: uploads (streamed to a temp file, typed by their bytes, kept by the media
//!   store) and who may fetch a file; `media_migrate`: `media migrate --to s3`;
//! - `shared`: reference checks, slugs, views and the rules of who may see and manage what;
//! - `audit`: the audit rows every write leaves.
//!
//! Each write is one `state.db.write` transaction; the caller's role is checked here, so a
//! CLI or demo caller meets the same rules as an HTTP one. SQL stays in `catalog::store`.

pub mod audit;
pub mod captions;
pub mod content;
pub mod courses;
pub mod items;
pub mod lessons;
pub mod media;
pub mod media_migrate;
pub mod products;
pub mod sections;
pub mod shared;
pub mod taxonomy;

use crate::auth::AuthUser;

/// Who makes a change and from where (the audit log keeps both).
#[derive(Debug, Clone)]
pub struct Author {
    pub user: AuthUser,
    pub ip: Option<String>,
}

impl Author {
    pub fn new(user: AuthUser, ip: Option<String>) -> Self {
        Self { user, ip }
    }
}
