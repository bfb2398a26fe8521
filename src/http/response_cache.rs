//! Ready-made JSON responses (the public catalogue's lists, search and detail pages), each
//! kept until a table it is built from changes: callers pass the change counter
//! (`Db::generation`) of the tables the response is built from.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;

/// Writes made by another process (a CLI command while the server runs) do not raise the
/// change counters, so no entry is served for longer than this.
const MAX_AGE: Duration = Duration::from_secs(5);
/// Bound on the bodies held, in bytes.
const MAX_BYTES: usize = 4 * 1024 * 1024;

/// A JSON body and its weak ETag.
#[derive(Clone)]
pub struct Rendered {
    pub etag: String,
    pub body: Bytes,
}

struct Entry {
    generation: u64,
    stored: Instant,
    rendered: Rendered,
}

#[derive(Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

/// Responses by request key (path and query).
#[derive(Default)]
pub struct ResponseCache {
    entries: Mutex<Entries>,
}

impl Entry {
    fn fresh(&self, generation: u64, now: Instant) -> bool {
        self.generation == generation && now.duration_since(self.stored) < MAX_AGE
    }

    fn size(key: &str, rendered: &Rendered) -> usize {
        key.len() + rendered.etag.len() + rendered.body.len()
    }
}

impl ResponseCache {
    /// The response stored under `key` when the source tables were at `generation`.
    pub fn get(&self, key: &str, generation: u64) -> Option<Rendered> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .map
            .get(key)
            .filter(|e| e.fresh(generation, Instant::now()))
            .map(|e| e.rendered.clone())
    }

    /// Stores `rendered`, built from data read after the sources were at `generation` (read
    /// the generation before the data, so a write in between leaves the entry stale).
    pub fn put(&self, key: String, generation: u64, rendered: Rendered) {
        let size = Entry::size(&key, &rendered);
        if size > MAX_BYTES / 4 {
            return;
        }
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.bytes + size > MAX_BYTES {
            entries.map.retain(|_, e| e.fresh(generation, now));
            entries.bytes = entries
                .map
                .iter()
                .map(|(k, e)| Entry::size(k, &e.rendered))
                .sum();
            if entries.bytes + size > MAX_BYTES {
                entries.map.clear();
                entries.bytes = 0;
            }
        }
        let entry = Entry {
            generation,
            stored: now,
            rendered,
        };
        let key_len = key.len();
        if let Some(old) = entries.map.insert(key, entry) {
            let old_size = key_len + old.rendered.etag.len() + old.rendered.body.len();
            entries.bytes = entries.bytes.saturating_sub(old_size);
        }
        entries.bytes += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(body: &str) -> Rendered {
        Rendered {
            etag: "W/\"x\"".into(),
            body: Bytes::copy_from_slice(body.as_bytes()),
        }
    }

    #[test]
    fn an_entry_is_served_only_at_the_generation_it_was_built_for() {
        let cache = ResponseCache::default();
        cache.put("/api/courses".into(), 3, rendered("[1]"));
        assert_eq!(cache.get("/api/courses", 3).unwrap().body, "[1]");
        assert!(cache.get("/api/courses", 4).is_none());
        assert!(cache.get("/api/courses?page=2", 3).is_none());
    }

    #[test]
    fn the_held_bytes_stay_bounded() {
        let cache = ResponseCache::default();
        let body = "x".repeat(MAX_BYTES / 8);
        for i in 0..20 {
            cache.put(format!("/k{i}"), 1, rendered(&body));
        }
        assert!(cache.get("/k19", 1).is_some(), "the newest entry is kept");
        let entries = cache.entries.lock().unwrap();
        assert!(entries.bytes <= MAX_BYTES, "{} bytes held", entries.bytes);
    }

    #[test]
    fn replacing_an_entry_does_not_count_it_twice() {
        let cache = ResponseCache::default();
        cache.put("/k".into(), 1, rendered("abc"));
        cache.put("/k".into(), 2, rendered("abcd"));
        let entries = cache.entries.lock().unwrap();
        assert_eq!(entries.bytes, Entry::size("/k", &rendered("abcd")));
    }
}
