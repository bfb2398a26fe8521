//! `schoolhouse demo [--reset]`: fills a data dir with a small, living school (accounts of
//! every role, courses, products, coupons, orders, progress, a certificate, reviews).

mod activity;
mod courses;
mod data;
mod load;

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;

use crate::commerce::lifecycle::OrderStatus;
use crate::config::Config;
use crate::state::{AppState, DataDirLock, LOCK_FILE};

pub use data::{DEMO_STUDENT, PEOPLE, Person};

/// Entries of a data dir that schoolhouse itself writes; `--reset` refuses to wipe a
/// directory holding anything else (a mistyped `--data-dir` must not cost someone's files).
const KNOWN_ENTRIES: &[&str] = &[
    crate::db::DB_FILE,
    "schoolhouse.db-wal",
    "schoolhouse.db-shm",
    "schoolhouse.db-journal",
    crate::auth::keys::SECRETS_DIR,
    "media",
    crate::mail::transport::MAIL_DIR,
    LOCK_FILE,
    "backups",
    crate::ops::schedule::STATE_FILE,
];

/// Kept by `--reset`: backup archives and their record are history, not state.
const KEPT_ON_RESET: &[&str] = &[LOCK_FILE, "backups", crate::ops::schedule::STATE_FILE];

/// What the demo created, for the summary.
#[derive(Debug, Clone)]
pub struct Summary {
    pub url: String,
    pub courses: usize,
    pub products: usize,
    pub coupons: Vec<String>,
    pub orders: Vec<OrderStatus>,
    pub certificate_serial: Option<String>,
}

/// `schoolhouse demo [--reset]`: loads the demo and prints how to look at it.
pub async fn run(config: Config, reset: bool) -> anyhow::Result<()> {
    let dir = config.data_dir.clone();
    let summary = load(config, reset).await?;
    print!("{}", render(&summary, &dir));
    Ok(())
}

/// Loads the demo into `config.data_dir`, holding the data dir lock throughout so no server
/// starts on half-loaded data. Without `reset` a data dir that has accounts is refused.
pub async fn load(config: Config, reset: bool) -> anyhow::Result<Summary> {
    let dir = config.data_dir.clone();
    crate::ops::upgrade::guard(&config)?;
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the data dir {}", dir.display()))?;
    let lock = DataDirLock::acquire(&dir)
        .map_err(|e| anyhow::anyhow!("refusing to load the demo: {e}; stop the server first"))?;
    if reset {
        wipe(&dir)?;
    }
    let state = AppState::open(config)?;
    let result = fill(&state, reset).await;
    state.db.close();
    drop(lock);
    result
}

async fn fill(state: &AppState, reset: bool) -> anyhow::Result<Summary> {
    let accounts = state
        .db
        .read(|conn| Ok(crate::users::store::all_by_created(conn)?.len()))
        .await?;
    if accounts > 0 && !reset {
        anyhow::bail!(
            "the data dir {} already has {accounts} account(s); the demo only loads into an \
             empty one. Use `schoolhouse demo --reset` to wipe it first (backups are kept), \
             or choose another with --data-dir",
            state.config.data_dir.display()
        );
    }
    let loaded = load::catalogue(state).await?;
    let orders = activity::orders(state, &loaded).await?;
    activity::learning(state, &loaded).await?;
    let (student, garden) = (
        loaded.user_id(DEMO_STUDENT)?,
        load::find(&loaded.courses, "course", "garden")?.clone(),
    );
    let certificate_serial = state
        .db
        .read(move |conn| {
            let Some(enrollment) =
                crate::learning::store::enrollments::find(conn, &student, &garden)?
            else {
                return Ok(None);
            };
            let certificate = crate::learning::store::certificates::current(conn, &enrollment.id)?;
            Ok(certificate.map(|c| c.serial))
        })
        .await?;
    Ok(Summary {
        url: state.config.public_url(),
        courses: loaded.courses.len(),
        products: loaded.products.len(),
        coupons: loaded.coupons,
        orders,
        certificate_serial,
    })
}

/// Empties `dir` except for the lock and backups, refusing if it holds unknown entries.
fn wipe(dir: &Path) -> anyhow::Result<()> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        entries.push(entry?);
    }
    let unknown: Vec<String> = entries
        .iter()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !KNOWN_ENTRIES.contains(&name.as_str()))
        .collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "refusing to wipe {}: it holds files schoolhouse did not create ({}); move them \
             away or choose another --data-dir",
            dir.display(),
            unknown.join(", ")
        );
    }
    for entry in entries {
        let name = entry.file_name();
        if KEPT_ON_RESET.contains(&name.to_string_lossy().as_ref()) {
            continue;
        }
        let path = entry.path();
        let removed = if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// The text printed after loading: where to go and who to log in as.
pub fn render(summary: &Summary, dir: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Demo school loaded into {}.\n", dir.display());
    let _ = writeln!(out, "Log in with any of these accounts (demo passwords):\n");
    for p in PEOPLE {
        let star = if p.key == DEMO_STUDENT {
            "  <- start here"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<11} {:<20} {:<26} {}{star}",
            p.role.as_str(),
            p.name,
            p.email,
            p.password
        );
    }
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for status in &summary.orders {
        match counts.iter_mut().find(|(s, _)| *s == status.as_str()) {
            Some((_, n)) => *n += 1,
            None => counts.push((status.as_str(), 1)),
        }
    }
    let orders: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let _ = writeln!(
        out,
        "\n{} courses, {} products, coupons {}, {} orders ({}).",
        summary.courses,
        summary.products,
        summary.coupons.join(", "),
        summary.orders.len(),
        orders.join(", ")
    );
    if let Some(serial) = &summary.certificate_serial {
        let _ = writeln!(
            out,
            "Sam finished \"Vegetable Gardening Basics\": certificate {serial}."
        );
    }
    let _ = writeln!(
        out,
        "\nStart the server with `schoolhouse --data-dir {} serve` and open {}\n\
         These passwords are public: never use demo data on a server others can reach.",
        dir.display(),
        summary.url
    );
    out
}
