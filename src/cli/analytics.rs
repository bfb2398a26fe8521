//! `schoolhouse analytics rebuild`: recomputes the sales rollups the reports read from the
//! orders and refunds. Triggers keep them current in every write, so this is for repair (a
//! database edited by hand, a restore of doubtful origin); it works while the server runs.

use clap::Subcommand;

use crate::config::Config;
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum AnalyticsAction {
    /// Recompute the sales rollups (sales by day, items sold by day and month) from every
    /// order and refund, in one write.
    Rebuild,
}

pub async fn run(config: Config, action: AnalyticsAction) -> anyhow::Result<()> {
    let AnalyticsAction::Rebuild = action;
    crate::ops::upgrade::guard(&config)?;
    let state = AppState::open(config)?;
    let rebuilt = state
        .db
        .write(|conn| Ok(crate::analytics::store::rollups::rebuild(conn)?))
        .await;
    state.db.close();
    let (days, item_days, item_months) = rebuilt?;
    println!(
        "sales rollups rebuilt: {days} day(s), {item_days} item-day(s), {item_months} item-month(s)"
    );
    Ok(())
}
