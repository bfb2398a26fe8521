//! Re-checking VAT numbers VIES could not answer at checkout. Chosen rule: the order stays
//! taxed as it was charged (its invoice cannot change); the answer is recorded as evidence,
//! so an admin can issue a credit note and a reverse-charge invoice when the buyer asks.

use serde::Serialize;

use super::number::parse_vat_number;
use super::store;
use super::vies::check;
use crate::http::AppError;
use crate::state::AppState;

/// Most numbers one run re-checks.
const BATCH: i64 = 50;

/// What one run did.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct RecheckRun {
    pub checked: u32,
    pub valid: u32,
    pub invalid: u32,
    pub still_unavailable: u32,
}

/// Re-checks the numbers VIES could not answer whose last try is older than
/// `tax.eu_vat.recheck_interval_minutes` (every one when `force`). VIES is called between
/// the read and each write, never inside a transaction.
pub async fn run(state: &AppState, force: bool) -> Result<RecheckRun, AppError> {
    let eu = state.config.tax.eu_vat.clone();
    let mut run = RecheckRun::default();
    if !eu.enabled {
        return Ok(run);
    }
    let now = state.now();
    let before = if force {
        "9999".to_string()
    } else {
        let wait = time::Duration::minutes(i64::from(eu.recheck_interval_minutes));
        crate::clock::rfc3339(now - wait)
    };
    let due = state
        .db
        .read(move |conn| Ok(store::unchecked_numbers(conn, &before, BATCH)?))
        .await?;
    for (order_id, raw) in due {
        let Ok(number) = parse_vat_number(&raw) else {
            continue;
        };
        let answer = check(&eu, &number).await;
        let status = answer.status;
        let at = crate::clock::rfc3339(state.now());
        state
            .db
            .write(move |conn| {
                store::record_recheck(
                    conn,
                    &order_id,
                    status.as_str(),
                    answer.consultation_number.as_deref(),
                    answer.name.as_deref(),
                    answer.error.as_deref(),
                    &at,
                )?;
                Ok(())
            })
            .await?;
        run.checked += 1;
        match status {
            super::rate::ViesStatus::Valid => run.valid += 1,
            super::rate::ViesStatus::Invalid => run.invalid += 1,
            super::rate::ViesStatus::Unavailable => run.still_unavailable += 1,
        }
    }
    Ok(run)
}
