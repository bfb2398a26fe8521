//! A short-lived in-memory cache of session checks, so hot authenticated paths skip the
//! database; every change that must take effect at once invalidates it explicitly. Changes
//! made by another process (the CLI against a running server) are signalled through a marker
//! file in the data dir whose modification time every lookup compares.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::RwLock;
use std::time::{Duration, Instant, SystemTime};

use time::OffsetDateTime;

use crate::users::Role;

/// How long a checked session is trusted without asking the database again; a safety net
/// behind the explicit invalidation.
pub const TTL: Duration = Duration::from_secs(5);

/// In the data dir: touched whenever sessions or users change (see the module docs).
pub const MARKER_FILE: &str = ".sessions-changed";

/// Entries kept at most; when full, stale entries go first, then everything.
const CAPACITY: usize = 50_000;

/// The facts about a session that authentication needs.
#[derive(Debug, Clone)]
pub struct CachedSession {
    pub user_id: String,
    pub revoked: bool,
    /// `None` when the stored expiry could not be read (treated as expired).
    pub expires_at: Option<OffsetDateTime>,
    pub role: Role,
    pub disabled: bool,
    pub mfa_enabled: bool,
    /// The user's chosen locale, for the language of problems told to them.
    pub locale: Option<String>,
}

struct Entry {
    session: CachedSession,
    cached_at: Instant,
}

struct Inner {
    entries: HashMap<String, Entry>,
    /// Bumped by every invalidation, so a check read before it is never stored after it.
    generation: u64,
    /// The marker file's modification time when last looked at.
    seen_marker: Option<SystemTime>,
}

/// Session id -> checked session, with a short TTL and explicit invalidation.
pub struct SessionCache {
    inner: RwLock<Inner>,
    ttl: Duration,
    /// Touched by every invalidation, in any process sharing the data dir.
    marker: Option<PathBuf>,
}

/// Taken before reading the database; a fill carrying a stale ticket is dropped.
#[derive(Debug, Clone, Copy)]
pub struct Ticket(u64);

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache::new(TTL)
    }
}

impl SessionCache {
    pub fn new(ttl: Duration) -> SessionCache {
        SessionCache {
            inner: RwLock::new(Inner {
                entries: HashMap::new(),
                generation: 0,
                seen_marker: None,
            }),
            ttl,
            marker: None,
        }
    }

    /// A cache that also honours invalidations by other processes through `marker`.
    pub fn with_marker(marker: PathBuf) -> SessionCache {
        let cache = SessionCache {
            marker: Some(marker),
            ..SessionCache::new(TTL)
        };
        let stamp = cache.marker_stamp();
        cache.write().seen_marker = stamp;
        cache
    }

    fn marker_stamp(&self) -> Option<SystemTime> {
        let marker = self.marker.as_ref()?;
        std::fs::metadata(marker).and_then(|m| m.modified()).ok()
    }

    /// Drops everything when another process signalled a change since we last looked.
    fn follow_marker(&self) {
        if self.marker.is_none() {
            return;
        }
        let stamp = self.marker_stamp();
        if self.read().seen_marker == stamp {
            return;
        }
        let mut inner = self.write();
        inner.generation += 1;
        inner.entries.clear();
        inner.seen_marker = stamp;
    }

    /// Tells other processes that sessions changed (after our own invalidation).
    fn signal(&self, inner: &mut Inner) {
        let Some(marker) = &self.marker else {
            return;
        };
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        if let Err(e) = std::fs::write(marker, nanos.to_string()) {
            tracing::warn!(error = %e, path = %marker.display(), "cannot touch the session marker");
        }
        inner.seen_marker = self.marker_stamp();
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The cached check of `session_id` if it is fresh and belongs to `user_id`.
    pub fn get(&self, session_id: &str, user_id: &str) -> Option<CachedSession> {
        self.follow_marker();
        let inner = self.read();
        let entry = inner.entries.get(session_id)?;
        (entry.cached_at.elapsed() < self.ttl && entry.session.user_id == user_id)
            .then(|| entry.session.clone())
    }

    /// Call before reading the session from the database.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.read().generation)
    }

    /// Stores a check read from the database, unless an invalidation happened since `ticket`.
    pub fn put(&self, ticket: Ticket, session_id: &str, session: CachedSession) {
        let mut inner = self.write();
        if inner.generation != ticket.0 {
            return;
        }
        if inner.entries.len() >= CAPACITY {
            let ttl = self.ttl;
            inner.entries.retain(|_, e| e.cached_at.elapsed() < ttl);
            if inner.entries.len() >= CAPACITY {
                inner.entries.clear();
            }
        }
        inner.entries.insert(
            session_id.to_string(),
            Entry {
                session,
                cached_at: Instant::now(),
            },
        );
    }

    /// Forgets one session (logout, refresh-token reuse). Call after the change committed.
    pub fn forget_session(&self, session_id: &str) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.entries.remove(session_id);
        self.signal(&mut inner);
    }

    /// Forgets every session of a user (role, disabled, MFA, password, sessions revoked).
    /// Call after the change committed.
    pub fn forget_user(&self, user_id: &str) {
        let mut inner = self.write();
        inner.generation += 1;
        inner.entries.retain(|_, e| e.session.user_id != user_id);
        self.signal(&mut inner);
    }

    pub fn len(&self) -> usize {
        self.read().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(user: &str) -> CachedSession {
        CachedSession {
            locale: None,
            user_id: user.into(),
            revoked: false,
            expires_at: None,
            role: Role::Student,
            disabled: false,
            mfa_enabled: false,
        }
    }

    #[test]
    fn a_stored_check_is_served_only_to_its_own_user() {
        let cache = SessionCache::default();
        cache.put(cache.ticket(), "s1", session("u1"));
        assert!(cache.get("s1", "u1").is_some());
        assert!(cache.get("s1", "u2").is_none());
        assert!(cache.get("s2", "u1").is_none());
    }

    #[test]
    fn forgetting_a_session_or_user_drops_its_entries() {
        let cache = SessionCache::default();
        cache.put(cache.ticket(), "s1", session("u1"));
        cache.put(cache.ticket(), "s2", session("u1"));
        cache.put(cache.ticket(), "s3", session("u2"));
        cache.forget_session("s3");
        assert!(cache.get("s3", "u2").is_none());
        cache.forget_user("u1");
        assert!(cache.is_empty());
    }

    #[test]
    fn a_check_read_before_an_invalidation_is_not_stored() {
        let cache = SessionCache::default();
        let ticket = cache.ticket();
        cache.forget_user("u1");
        cache.put(ticket, "s1", session("u1"));
        assert!(cache.get("s1", "u1").is_none());
    }

    #[test]
    fn an_invalidation_by_another_process_empties_the_cache() {
        let dir = std::env::temp_dir().join(format!("session-marker-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let (server, cli) = (
            SessionCache::with_marker(dir.join("marker")),
            SessionCache::with_marker(dir.join("marker")),
        );
        server.put(server.ticket(), "s1", session("u1"));
        assert!(server.get("s1", "u1").is_some());
        cli.forget_user("u1");
        assert!(server.get("s1", "u1").is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn entries_older_than_the_ttl_are_not_served() {
        let cache = SessionCache::new(Duration::ZERO);
        cache.put(cache.ticket(), "s1", session("u1"));
        assert!(cache.get("s1", "u1").is_none());
    }
}
