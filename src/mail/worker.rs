//! The background sender: takes due mail from the outbox, sends it outside any database
//! transaction, then records the outcome (sent, or a retry time with exponential back-off).

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

use super::smtp_pool::SmtpPool;
use super::store::{self, OutboxMail};
use super::templates::Rendered;
use super::transport::{Mailer, Ready, prepare, write_file};
use crate::clock::{parse_rfc3339, rfc3339};
use crate::state::AppState;

/// Mail taken from the outbox at once: rendered in one job, sent (SMTP: over the pool's
/// connections at once), then recorded in one write, so a big sale's mail costs the writer
/// one commit per batch.
const BATCH: u32 = 200;
/// The table whose changes mean there may be mail to send.
pub(crate) const OUTBOX: &[&str] = &["outbox"];
const MAX_DELAY_SECONDS: u64 = 6 * 60 * 60;

/// Delay before the next attempt after `attempts` failures: base, 2x base, 4x base, ...
pub fn retry_delay(base_seconds: u64, attempts: u32) -> Duration {
    let factor = 1u64 << attempts.saturating_sub(1).min(32);
    Duration::from_secs(base_seconds.saturating_mul(factor).min(MAX_DELAY_SECONDS))
}

/// Starts the sender; it stops after the mail in hand when `shutdown` turns true.
pub fn spawn(state: AppState, shutdown: watch::Receiver<bool>) -> anyhow::Result<JoinHandle<()>> {
    let mailer = Mailer::from_config(&state.config.mail, &state.config.data_dir)?;
    let from: Mailbox = state
        .config
        .mail
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("mail.from is not a valid address: {e}"))?;
    Ok(tokio::spawn(run(state, Arc::new(mailer), from, shutdown)))
}

async fn run(
    state: AppState,
    mailer: Arc<Mailer>,
    from: Mailbox,
    mut shutdown: watch::Receiver<bool>,
) {
    let poll = Duration::from_secs(state.config.mail.poll_interval_seconds);
    loop {
        if *shutdown.borrow() {
            break;
        }
        // Read before the outbox is, so mail committed meanwhile still counts as new.
        let seen = state.db.generation(OUTBOX);
        let wait = match send_due(&state, &mailer, &from, &shutdown).await {
            Ok(true) => Duration::ZERO,
            Ok(false) => until_next_due(&state).await.unwrap_or(poll).min(poll),
            Err(e) => {
                tracing::error!(error = %e, "mail outbox: cannot read or update the queue");
                crate::audit::errors::record_job_failure(&state, "mail", &e.to_string());
                poll
            }
        };
        if wait.is_zero() {
            continue;
        }
        let deadline = tokio::time::sleep(wait);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                // Handlers wake the sender after every write that may queue mail; only a
                // committed outbox change is worth reading the queue again.
                () = state.mail_wakeup.notified() => {
                    if state.db.generation(OUTBOX) != seen {
                        break;
                    }
                }
                () = &mut deadline => break,
                _ = shutdown.changed() => break,
            }
        }
    }
    if let Mailer::Smtp { transport, .. } = &*mailer {
        transport.close().await;
    }
    tracing::debug!("mail outbox sender stopped");
}

/// Sends one batch; `Ok(true)` when the batch was full (more may be waiting). A crash
/// between a send and the batch's record sends those mails again: at least once, and at
/// most one batch twice.
async fn send_due(
    state: &AppState,
    mailer: &Arc<Mailer>,
    from: &Mailbox,
    shutdown: &watch::Receiver<bool>,
) -> Result<bool, crate::http::AppError> {
    let (now, max) = (state.now_text(), state.config.mail.max_attempts);
    let batch = state
        .db
        .read(move |conn| Ok(store::due(conn, &now, max, BATCH)?))
        .await?;
    if batch.is_empty() {
        return Ok(false);
    }
    let full = batch.len() == BATCH as usize;
    let outcomes = match &**mailer {
        Mailer::File { dir } => {
            let (dir, from) = (dir.clone(), from.clone());
            // One job renders and writes the whole batch: a thread hop per batch, not per
            // mail, and at low priority, so request handling keeps its cores.
            state
                .blocking(move || {
                    let write = |mail: &OutboxMail| {
                        let ready = prepare(&from, mail)?;
                        Ok((write_file(&dir, &ready)?, ready.content))
                    };
                    batch
                        .into_iter()
                        .map(|mail| {
                            let outcome = write(&mail);
                            (mail, outcome)
                        })
                        .collect()
                })
                .await?
        }
        Mailer::Smtp { relay, transport } => {
            let from = from.clone();
            let prepared = state
                .blocking(move || {
                    let ready: Vec<_> = batch.iter().map(|m| prepare(&from, m)).collect();
                    batch.into_iter().zip(ready).collect::<Vec<_>>()
                })
                .await?;
            send_over_smtp(transport, relay, prepared, shutdown).await
        }
    };
    record(state, outcomes).await?;
    Ok(full && !*shutdown.borrow())
}

/// Sends prepared mail with as many in flight as the pool has connections; mail not
/// started when `shutdown` turns true is left queued (not recorded).
async fn send_over_smtp(
    pool: &Arc<SmtpPool>,
    relay: &str,
    prepared: Vec<(OutboxMail, Result<Ready, String>)>,
    shutdown: &watch::Receiver<bool>,
) -> Vec<Outcome> {
    let mut waiting = prepared.into_iter();
    let mut in_flight = JoinSet::new();
    let mut outcomes = Vec::new();
    loop {
        while in_flight.len() < pool.size() && !*shutdown.borrow() {
            let Some((mail, ready)) = waiting.next() else {
                break;
            };
            let ready = match ready {
                Ok(ready) => ready,
                Err(error) => {
                    outcomes.push((mail, Err(error)));
                    continue;
                }
            };
            let (pool, relay) = (pool.clone(), relay.to_string());
            in_flight.spawn(async move {
                let sent = pool.send(&ready.envelope, &ready.bytes).await;
                let outcome = sent.map(|()| (format!("smtp://{relay}"), ready.content));
                (mail, outcome)
            });
        }
        match in_flight.join_next().await {
            Some(Ok(done)) => outcomes.push(done),
            Some(Err(e)) => tracing::error!(error = %e, "mail outbox: a send task failed"),
            None => break,
        }
    }
    outcomes
}

/// A mail and how its send went: where it went and what was sent, or the error.
type Outcome = (OutboxMail, Result<(String, Rendered), String>);

/// Records a batch's outcomes in one write: sent, or the next attempt after a back-off.
async fn record(state: &AppState, outcomes: Vec<Outcome>) -> Result<(), crate::http::AppError> {
    if outcomes.is_empty() {
        return Ok(());
    }
    let now = state.now();
    let mut marks = Vec::with_capacity(outcomes.len());
    for (mail, outcome) in outcomes {
        let id = mail.id.clone();
        match outcome {
            Ok((destination, sent)) => {
                tracing::info!(mail_id = %id, template = %mail.template, to = %mail.to_address,
                    %destination, "mail sent");
                marks.push((id, Ok(sent)));
            }
            Err(error) => {
                let attempts = mail.attempts + 1;
                let delay = retry_delay(state.config.mail.retry_base_seconds, attempts);
                let give_up = attempts >= state.config.mail.max_attempts;
                tracing::warn!(mail_id = %id, template = %mail.template, attempts, give_up,
                    retry_in_seconds = delay.as_secs(), %error, "mail not sent");
                let message = format!(
                    "mail {id} ({}) not sent, attempt {attempts}: {error}",
                    mail.template
                );
                crate::audit::errors::record_job_failure(state, "mail", &message);
                marks.push((id, Err((error, rfc3339(now + delay)))));
            }
        }
    }
    let now = rfc3339(now);
    state
        .db
        .write(move |conn| {
            for (id, mark) in &marks {
                match mark {
                    Ok(sent) => store::mark_sent(conn, id, sent, &now)?,
                    Err((error, next)) => store::mark_failed(conn, id, error, next)?,
                }
            }
            Ok(())
        })
        .await
}

async fn until_next_due(state: &AppState) -> Option<Duration> {
    let max = state.config.mail.max_attempts;
    let next = state
        .db
        .read(move |conn| Ok(store::next_due_at(conn, max)?))
        .await
        .ok()??;
    let at = parse_rfc3339(&next)?;
    let seconds = (at - state.now()).as_seconds_f64().max(0.0);
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_six_hours() {
        assert_eq!(retry_delay(30, 1), Duration::from_secs(30));
        assert_eq!(retry_delay(30, 2), Duration::from_secs(60));
        assert_eq!(retry_delay(30, 5), Duration::from_secs(480));
        assert_eq!(retry_delay(30, 40), Duration::from_secs(6 * 60 * 60));
        assert_eq!(retry_delay(u64::MAX, 3), Duration::from_secs(6 * 60 * 60));
    }
}
