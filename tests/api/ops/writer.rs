//! The single writer: a write bigger than the page cache commits or rolls back whole, and the
//! writer thread runs ahead of request handling where the system allows.

use schoolhouse::http::AppError;

use crate::support::spawn_app;

/// Rows of about 600 bytes: 20,000 of them outgrow the writer's page cache (8 MiB), so the
/// write's pages and their savepoint copies also spill out of memory.
async fn write_big_rows(app: &crate::support::TestApp, fail: bool) -> Result<usize, AppError> {
    app.state
        .db
        .write(move |conn| {
            let changed = if conn.query_row(
                "SELECT COUNT(*) FROM counters WHERE name LIKE 'big-%'",
                [],
                |r| r.get::<_, i64>(0),
            )? == 0
            {
                let mut insert = conn.prepare(
                    "INSERT INTO counters (name, value) VALUES ('big-' || ?1 || ?2, ?1)",
                )?;
                for n in 0..20_000 {
                    insert.execute(rusqlite::params![n, "x".repeat(600)])?;
                }
                20_000
            } else {
                conn.execute(
                    "UPDATE counters SET value = value + 1 WHERE name LIKE 'big-%'",
                    [],
                )?
            };
            if fail {
                return Err(AppError::conflict("refused after writing"));
            }
            Ok(changed)
        })
        .await
}

#[tokio::test]
async fn a_write_bigger_than_the_page_cache_commits_or_rolls_back_whole() {
    let app = spawn_app().await;
    assert_eq!(write_big_rows(&app, false).await.unwrap(), 20_000);
    assert!(write_big_rows(&app, true).await.is_err());
    assert_eq!(write_big_rows(&app, false).await.unwrap(), 20_000);
    let values = app
        .state
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT MIN(value - CAST(substr(name, 5) AS INTEGER)), MAX(value - CAST(substr(name, 5) AS INTEGER)) FROM counters WHERE name LIKE 'big-%'",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(
        values,
        (1, 1),
        "one update kept, the refused one rolled back"
    );
}

#[tokio::test]
async fn the_writer_runs_ahead_of_request_handling_where_allowed() {
    let nice_of = |tid| rustix::process::getpriority_process(Some(tid)).unwrap();
    let app = spawn_app().await;
    let writer_nice = app
        .state
        .db
        .write(move |_| Ok::<_, AppError>(nice_of(rustix::thread::gettid())))
        .await
        .unwrap();
    // Whether this process may raise a thread's priority: try on a throwaway thread.
    let allowed = std::thread::spawn(|| {
        let me = Some(rustix::thread::gettid());
        rustix::process::setpriority_process(me, schoolhouse::db::WRITER_NICENESS).is_ok()
    })
    .join()
    .unwrap();
    let process_nice = nice_of(rustix::thread::gettid());
    if allowed {
        assert_eq!(
            writer_nice,
            process_nice.min(schoolhouse::db::WRITER_NICENESS)
        );
    } else {
        assert_eq!(writer_nice, process_nice, "a refusal leaves it as it was");
    }
}
