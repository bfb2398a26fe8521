//! The mail context (store name, public URL) of each open database, so domain code that
//! only holds a `&Connection` inside a write transaction can queue mail in the outbox.
//!
//! Status changes, course completion and grading are called from several domains (commerce,
//! learning, payments) with just a connection; `AppState::open` registers the context once
//! per database file and [`for_conn`] finds it again from the connection's file name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;

use super::templates::MailContext;

fn registry() -> &'static Mutex<HashMap<PathBuf, MailContext>> {
    static CONTEXTS: OnceLock<Mutex<HashMap<PathBuf, MailContext>>> = OnceLock::new();
    CONTEXTS.get_or_init(|| Mutex::new(HashMap::new()))
}

fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Remembers the mail context for the database file at `db_path`.
pub fn register(db_path: &Path, ctx: MailContext) {
    let mut contexts = registry().lock().unwrap_or_else(|p| p.into_inner());
    contexts.insert(key(db_path), ctx);
}

/// The mail context registered for the database `conn` is open on, if any.
pub fn for_conn(conn: &Connection) -> Option<MailContext> {
    let path = conn.path().filter(|p| !p.is_empty())?;
    let contexts = registry().lock().unwrap_or_else(|p| p.into_inner());
    contexts
        .get(Path::new(path))
        .or_else(|| contexts.get(&key(Path::new(path))))
        .cloned()
}

/// Queues `compose(ctx)` for `to` in the current transaction, using the context registered
/// for this database. Without one (a connection opened outside `AppState`) nothing is queued
/// and the omission is logged: the event itself must not fail for want of a mail.
pub fn enqueue_with(
    conn: &Connection,
    now: &str,
    to: &str,
    compose: impl FnOnce(&MailContext) -> super::templates::Draft,
) -> rusqlite::Result<()> {
    match for_conn(conn) {
        Some(ctx) => {
            let mail = compose(&ctx);
            super::store::enqueue(conn, now, to, &mail).map(|_| ())
        }
        None => {
            tracing::error!("no mail context for this database; a mail to {to} was not queued");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_is_found_again_from_a_connection_on_the_same_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        let conn = Connection::open(&path).unwrap();
        assert!(for_conn(&conn).is_none());
        let ctx = MailContext {
            store_name: "Ada's".into(),
            public_url: "https://school.example".into(),
            return_instructions: String::new(),
            default_locale: "en".into(),
        };
        register(&path, ctx);
        let found = for_conn(&conn).unwrap();
        assert_eq!(found.public_url, "https://school.example");
        let memory = Connection::open_in_memory().unwrap();
        assert!(for_conn(&memory).is_none());
    }
}
