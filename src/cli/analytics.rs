//! `schoolhouse analytics rebuild`: recomputes the rollups the reports read (sales from the
//! orders and refunds, learning from the enrolments, lesson progress and users). Triggers keep them current in every write, so this is for repair (a
//! database edited by hand, a restore of doubtful origin); it works while the server runs.

use clap::Subcommand;

use crate::config::Config;
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum AnalyticsAction {
    /// Recompute the rollups the reports read (sales by day, items sold by day and month,
    /// course standings, learners' active days, sign-ups) from every order, refund,
    /// enrolment, lesson progress row and user, in one write.
    Rebuild,
}

pub async fn run(config: Config, action: AnalyticsAction) -> anyhow::Result<()> {
    let AnalyticsAction::Rebuild = action;
    crate::ops::upgrade::guard(&config)?;
    let state = AppState::open(config)?;
    let rebuilt = state
        .db
        .write(|conn| {
            let sales = crate::analytics::store::rollups::rebuild(conn)?;
            let learning = crate::analytics::store::learning_rollups::rebuild(conn)?;
            Ok((sales, learning))
        })
        .await;
    state.db.close();
    let ((days, item_days, item_months, item_years), learning) = rebuilt?;
    println!(
        "sales rollups rebuilt: {days} day(s), {item_days} item-day(s), {item_months} item-month(s), {item_years} item-year(s)"
    );
    println!(
        "learning rollups rebuilt: {} course standing(s), {} learner-day(s), {} sign-up day(s); \
         {} enrolment(s) had wrong lesson counts",
        learning.standings,
        learning.learner_days,
        learning.signup_days,
        learning.enrolments_corrected
    );
    Ok(())
}
