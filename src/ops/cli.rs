//! The operator commands `backup`, `backup verify` and `restore`.

use std::path::Path;

use super::{backup, restore, schedule, verify};
use crate::config::Config;

/// `schoolhouse backup [--out FILE]`: without `--out`, the same service the scheduler uses
/// (backups dir, verification, `copy_to`, retention); with it, one verified archive there.
pub fn backup(config: &Config, out: Option<&Path>) -> anyhow::Result<()> {
    let now = time::OffsetDateTime::now_utc();
    let entry = match out {
        None => schedule::run_once(config, now)?,
        Some(out) => {
            let mut entry = backup::create(config, Some(out), now)?;
            entry.verified = Some(verify::verify(&entry.path).ok());
            entry
        }
    };
    println!("wrote {} ({} bytes)", entry.path.display(), entry.size);
    if entry.verified == Some(true) {
        println!("verified: the archive is sound");
        println!(
            "note: the archive contains the server's secrets; store it as safely as the server itself"
        );
        Ok(())
    } else {
        anyhow::bail!(
            "the new archive failed verification; run `schoolhouse backup verify {}` for details",
            entry.path.display()
        )
    }
}

/// `schoolhouse backup verify FILE`.
pub fn verify(file: &Path) -> anyhow::Result<()> {
    let report = verify::verify(file);
    for line in report.lines() {
        println!("{line}");
    }
    if report.ok() {
        Ok(())
    } else {
        anyhow::bail!("{} failed verification", file.display())
    }
}

/// `schoolhouse restore FILE`.
pub fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    let done = restore::restore(
        file,
        &config.data_dir,
        &config.database,
        time::OffsetDateTime::now_utc(),
    )?;
    println!(
        "restored {} (created {}, schema V{}) into {}",
        file.display(),
        done.manifest.created_at,
        done.manifest.schema_version,
        config.data_dir.display()
    );
    for (table, count) in &done.manifest.row_counts {
        println!("  {table}: {count} rows");
    }
    if !done.applied_migrations.is_empty() {
        println!("applied newer migrations: {:?}", done.applied_migrations);
    }
    if let Some(previous) = done.previous {
        println!(
            "the previous data is kept in {}; delete it once you are satisfied",
            previous.display()
        );
    }
    Ok(())
}

/// `schoolhouse doctor [--json]`.
pub fn doctor(global: &crate::cli::GlobalArgs, json: bool) -> anyhow::Result<()> {
    use super::doctor;
    let checks = match crate::cli::load_config(global) {
        Ok(config) => doctor::run(&config, time::OffsetDateTime::now_utc()),
        Err(e) => doctor::config_failed(&e),
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "ok": !doctor::any_failed(&checks),
                "checks": checks,
            }))?
        );
    } else {
        print!("{}", doctor::render(&checks));
    }
    let failed = checks
        .iter()
        .filter(|c| c.status == doctor::Status::Fail)
        .count();
    if failed > 0 {
        anyhow::bail!("{failed} check(s) failed");
    }
    Ok(())
}
