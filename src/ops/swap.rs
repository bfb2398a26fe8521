//! Putting restored data in place of the data dir: by renaming directories, or entry by entry inside a data dir that cannot be renamed.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::db::DB_FILE;
use crate::state::LOCK_FILE;

/// Written before the first entry moves and removed after the last: while it exists the data
/// dir holds a half-swapped mix, so no server may start on it and the next restore first
/// puts the previous entries back.
pub const JOURNAL: &str = ".restore-in-progress";
/// The prefix of the folder (inside the data dir) that keeps the previous entries.
pub const ASIDE_PREFIX: &str = ".before-restore-";
/// The prefix of the scratch directory the archive is unpacked into.
pub const STAGING_PREFIX: &str = ".schoolhouse-restore-";

/// How restored data replaces the current data dir.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Rename the data dir aside and the restored directory into its place.
    RenameDir,
    /// Move the data dir's entries into a folder inside it, then the restored entries in.
    InPlace,
}

/// What decides the strategy, read from the file system before anything is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirFacts {
    pub exists: bool,
    /// The data dir is on another file system than its parent (a Docker volume, a mount).
    pub is_mount_point: bool,
    /// This user may create and rename entries in the data dir's parent.
    pub parent_writable: bool,
}

impl DirFacts {
    pub fn probe(data_dir: &Path, parent: &Path) -> DirFacts {
        let exists = data_dir.is_dir();
        let is_mount_point = match (fs::metadata(data_dir), fs::metadata(parent)) {
            (Ok(dir), Ok(up)) => dir.dev() != up.dev() || dir.ino() == up.ino(),
            _ => false,
        };
        let parent_writable = rustix::fs::access(
            parent,
            rustix::fs::Access::WRITE_OK.union(rustix::fs::Access::EXEC_OK),
        )
        .is_ok();
        DirFacts {
            exists,
            is_mount_point,
            parent_writable,
        }
    }
}

/// A data dir is swapped in place when the operator asks (`restore --in-place`) or when it
/// cannot be renamed: a mount point, or a parent the service user may not write. A data dir
/// that does not exist yet is simply created by renaming.
pub fn restore_strategy(in_place_asked: bool, facts: DirFacts) -> Strategy {
    if !facts.exists {
        Strategy::RenameDir
    } else if in_place_asked || facts.is_mount_point || !facts.parent_writable {
        Strategy::InPlace
    } else {
        Strategy::RenameDir
    }
}

/// Renaming the data dir failed in a way that swapping its contents avoids: busy (a mount
/// point), another file system, or not permitted in the parent.
pub fn rename_refusal_means_in_place(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EBUSY | libc::EXDEV | libc::EACCES | libc::EPERM)
    )
}

/// Entries that stay where they are during an in-place swap: the lock the restore holds,
/// the swap's own bookkeeping, and history (backups and their record) unless the archive
/// brings its own.
fn stays(name: &str, restored: &[OsString]) -> bool {
    let history = name == "backups" || name == super::schedule::STATE_FILE;
    name == LOCK_FILE
        || name.starts_with(JOURNAL)
        || name.starts_with(ASIDE_PREFIX)
        || name.starts_with(STAGING_PREFIX)
        || (history && !restored.iter().any(|r| r == name))
}

/// The database and its WAL files move last, so an entry order never exposes a database
/// with another state's secrets or media beside it for longer than one rename.
fn database_last(names: &mut [OsString]) {
    names.sort_by_key(|n| (n.to_string_lossy().starts_with(DB_FILE), n.clone()));
}

fn names_in(dir: &Path) -> io::Result<Vec<OsString>> {
    fs::read_dir(dir)?
        .map(|e| e.map(|e| e.file_name()))
        .collect()
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

/// The journal: the folder keeping the previous entries, the staging directory, and both
/// lists of names, one per line.
struct Journal {
    aside: PathBuf,
    staging: PathBuf,
    old: Vec<OsString>,
    new: Vec<OsString>,
}

impl Journal {
    fn write(&self, data_dir: &Path) -> io::Result<()> {
        use std::io::Write;
        let mut text = format!(
            "aside\t{}\nstaging\t{}\n",
            self.aside.display(),
            self.staging.display()
        );
        for (kind, names) in [("old", &self.old), ("new", &self.new)] {
            for name in names {
                text.push_str(&format!("{kind}\t{}\n", name.to_string_lossy()));
            }
        }
        let partial = data_dir.join(format!("{JOURNAL}.partial"));
        let mut file = fs::File::create(&partial)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        fs::rename(&partial, data_dir.join(JOURNAL))?;
        sync_dir(data_dir)
    }

    fn read(data_dir: &Path) -> anyhow::Result<Option<Journal>> {
        let text = match fs::read_to_string(data_dir.join(JOURNAL)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let mut journal = Journal {
            aside: PathBuf::new(),
            staging: PathBuf::new(),
            old: Vec::new(),
            new: Vec::new(),
        };
        for line in text.lines() {
            match line.split_once('\t') {
                Some(("aside", path)) => journal.aside = PathBuf::from(path),
                Some(("staging", path)) => journal.staging = PathBuf::from(path),
                Some(("old", name)) => journal.old.push(name.into()),
                Some(("new", name)) => journal.new.push(name.into()),
                _ => anyhow::bail!("unreadable line in {}: {line:?}", JOURNAL),
            }
        }
        if journal.aside.as_os_str().is_empty() {
            anyhow::bail!("{} names no folder for the previous data", JOURNAL);
        }
        Ok(Some(journal))
    }
}

/// Refuses a data dir an interrupted in-place restore left half swapped.
pub fn refuse_interrupted(data_dir: &Path) -> anyhow::Result<()> {
    if let Some(journal) = Journal::read(data_dir)? {
        anyhow::bail!(
            "a restore into {} was interrupted: the data dir is half swapped and the previous \
             data is in {}. Run the same `schoolhouse restore --in-place ARCHIVE` again (it \
             first puts the previous data back), or move the entries of {} back yourself and \
             delete {}",
            data_dir.display(),
            journal.aside.display(),
            journal.aside.display(),
            data_dir.join(JOURNAL).display()
        );
    }
    Ok(())
}

/// Undoes an interrupted in-place swap: restored entries go, previous ones come back.
/// Returns whether there was one.
pub fn undo_interrupted(data_dir: &Path) -> anyhow::Result<bool> {
    let Some(journal) = Journal::read(data_dir)? else {
        return Ok(false);
    };
    for name in &journal.new {
        let here = data_dir.join(name);
        let was_moved_aside = journal.aside.join(name).exists();
        let restored_copy = !journal.old.contains(name) || was_moved_aside;
        if restored_copy && fs::symlink_metadata(&here).is_ok() {
            if here.is_dir() {
                fs::remove_dir_all(&here)?;
            } else {
                fs::remove_file(&here)?;
            }
        }
    }
    for name in &journal.old {
        let kept = journal.aside.join(name);
        if fs::symlink_metadata(&kept).is_ok() {
            fs::rename(&kept, data_dir.join(name))?;
        }
    }
    sync_dir(data_dir)?;
    let _ = fs::remove_dir(&journal.aside);
    let _ = fs::remove_dir_all(&journal.staging);
    fs::remove_file(data_dir.join(JOURNAL))?;
    sync_dir(data_dir)?;
    Ok(true)
}

/// Moves the entries of `data_dir` into `aside` (created inside it), then those of `staging`
/// (a directory inside `data_dir`, complete and synced) into `data_dir`, the database last in
/// each direction. A journal covers the whole move: killed at any point, the data dir is
/// refused by `serve` and made whole again by the next restore.
pub fn swap_in_place(data_dir: &Path, staging: &Path, aside: &Path) -> anyhow::Result<()> {
    if fs::symlink_metadata(aside).is_ok() {
        anyhow::bail!("{} already exists; move it away first", aside.display());
    }
    let mut new = names_in(staging)?;
    let mut old: Vec<OsString> = names_in(data_dir)?
        .into_iter()
        .filter(|n| !stays(&n.to_string_lossy(), &new))
        .collect();
    database_last(&mut old);
    database_last(&mut new);
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new().mode(0o700).create(aside)?;
    }
    let journal = Journal {
        aside: aside.to_path_buf(),
        staging: staging.to_path_buf(),
        old,
        new,
    };
    journal.write(data_dir)?;
    for name in &journal.old {
        fs::rename(data_dir.join(name), aside.join(name))?;
    }
    sync_dir(aside)?;
    sync_dir(data_dir)?;
    for name in &journal.new {
        fs::rename(staging.join(name), data_dir.join(name))?;
    }
    sync_dir(data_dir)?;
    fs::remove_file(data_dir.join(JOURNAL))?;
    sync_dir(data_dir)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: DirFacts = DirFacts {
        exists: true,
        is_mount_point: false,
        parent_writable: true,
    };

    #[test]
    fn a_data_dir_with_a_writable_parent_is_renamed_as_a_whole() {
        assert_eq!(restore_strategy(false, PLAIN), Strategy::RenameDir);
    }

    #[test]
    fn a_mount_point_is_swapped_in_place() {
        let facts = DirFacts {
            is_mount_point: true,
            ..PLAIN
        };
        assert_eq!(restore_strategy(false, facts), Strategy::InPlace);
    }

    #[test]
    fn a_data_dir_whose_parent_is_not_writable_is_swapped_in_place() {
        let facts = DirFacts {
            parent_writable: false,
            ..PLAIN
        };
        assert_eq!(restore_strategy(false, facts), Strategy::InPlace);
    }

    #[test]
    fn the_operator_may_ask_for_an_in_place_swap() {
        assert_eq!(restore_strategy(true, PLAIN), Strategy::InPlace);
    }

    #[test]
    fn a_missing_data_dir_is_created_by_renaming_even_when_in_place_was_asked() {
        let facts = DirFacts {
            exists: false,
            ..PLAIN
        };
        assert_eq!(restore_strategy(true, facts), Strategy::RenameDir);
    }

    #[test]
    fn a_busy_cross_device_or_forbidden_rename_falls_back_to_in_place() {
        for errno in [libc::EBUSY, libc::EXDEV, libc::EACCES, libc::EPERM] {
            assert!(rename_refusal_means_in_place(
                &io::Error::from_raw_os_error(errno)
            ));
        }
        for errno in [libc::ENOSPC, libc::ENOENT, libc::EIO] {
            assert!(!rename_refusal_means_in_place(
                &io::Error::from_raw_os_error(errno)
            ));
        }
    }

    #[test]
    fn the_database_moves_after_every_other_entry() {
        let mut names: Vec<OsString> = ["schoolhouse.db", "media", "schoolhouse.db-wal", "secrets"]
            .map(OsString::from)
            .to_vec();
        database_last(&mut names);
        assert_eq!(
            names,
            ["media", "secrets", "schoolhouse.db", "schoolhouse.db-wal"].map(OsString::from)
        );
    }

    #[test]
    fn the_lock_bookkeeping_and_history_stay_in_place_unless_the_archive_brings_history() {
        let none: Vec<OsString> = Vec::new();
        for name in [
            LOCK_FILE,
            JOURNAL,
            ".before-restore-x",
            ".schoolhouse-restore-y",
            "backups",
        ] {
            assert!(stays(name, &none), "{name}");
        }
        assert!(!stays("media", &none));
        assert!(!stays("backups", &[OsString::from("backups")]));
    }

    #[test]
    fn an_interrupted_swap_is_undone_whatever_step_it_reached() {
        // Every prefix of the moves a swap makes, then undo: the previous data is back whole.
        let total_moves = 3 + 2; // old: media, secrets, db; new: media, db
        for done in 0..=total_moves {
            let root = tempfile::tempdir().unwrap();
            let data = root.path().join("data");
            fs::create_dir_all(data.join("media")).unwrap();
            fs::write(data.join("media/old.png"), "old").unwrap();
            fs::create_dir_all(data.join("secrets")).unwrap();
            fs::write(data.join(DB_FILE), "old db").unwrap();
            fs::create_dir_all(data.join("backups")).unwrap();
            let staging = data.join(format!("{STAGING_PREFIX}1"));
            fs::create_dir_all(staging.join("media")).unwrap();
            fs::write(staging.join(DB_FILE), "new db").unwrap();
            let aside = data.join(format!("{ASIDE_PREFIX}1"));
            let mut old = names_in(&data).unwrap();
            let mut new = names_in(&staging).unwrap();
            old.retain(|n| !stays(&n.to_string_lossy(), &new));
            database_last(&mut old);
            database_last(&mut new);
            fs::create_dir(&aside).unwrap();
            let journal = Journal {
                aside: aside.clone(),
                staging: staging.clone(),
                old: old.clone(),
                new: new.clone(),
            };
            journal.write(&data).unwrap();
            let moves = old
                .iter()
                .map(|n| (data.join(n), aside.join(n)))
                .chain(new.iter().map(|n| (staging.join(n), data.join(n))));
            for (from, to) in moves.take(done) {
                fs::rename(from, to).unwrap();
            }
            assert!(refuse_interrupted(&data).is_err());
            assert!(undo_interrupted(&data).unwrap());
            let mut now = names_in(&data).unwrap();
            now.sort();
            assert_eq!(
                now,
                ["backups", "media", "schoolhouse.db", "secrets"].map(OsString::from)
            );
            assert_eq!(fs::read_to_string(data.join(DB_FILE)).unwrap(), "old db");
            assert_eq!(
                fs::read_to_string(data.join("media/old.png")).unwrap(),
                "old"
            );
            assert!(refuse_interrupted(&data).is_ok());
        }
    }
}
