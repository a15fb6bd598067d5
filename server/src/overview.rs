//! Keeps every account's overview gathered, in the background: one task
//! per account looks every few seconds whether its next gathering is due
//! (in the database, so replicas take turns rather than each gathering),
//! and if it takes the turn gathers it as background filling, so the
//! overview never costs more than a fifth of any API's budget and never
//! holds a person's call back (`scanport_cloud::budget`).
//!
//! A complete overview is gathered again after ten minutes; one still
//! filling (an HSS account's severities come one image at a time) a
//! minute later, until it is complete (`gather::Gathered::next_in`).

use scanport_app::server_fns::overview::gather::{AGAIN, Deadline, Gathered, gather};
use scanport_app::state::AppState;
use scanport_cloud::budget::in_background;
use scanport_portal::overviews;
use std::sync::Arc;
use std::time::Duration;

/// How long one gathering may wait for calls before it publishes what it
/// has; the turn is held a minute longer.
const GATHER_FOR: Duration = Duration::from_secs(4 * 60);
const HOLD: Duration = Duration::from_secs(5 * 60);
/// How often each account's task looks whether a gathering is due.
const LOOK_EVERY: Duration = Duration::from_secs(5);

/// Starts one gathering task per account.
pub fn spawn(state: &AppState) {
    let holder = crate::replicas::holder();
    for account in state.accounts.iter() {
        let state = state.clone();
        let holder = Arc::clone(&holder);
        let id = account.info.id.clone();
        tokio::spawn(async move {
            loop {
                gather_if_due(&state, &id, &holder).await;
                tokio::time::sleep(LOOK_EVERY).await;
            }
        });
    }
}

async fn gather_if_due(state: &AppState, account: &str, holder: &str) {
    let db = &state.portal.db;
    let paused = state
        .accounts
        .iter()
        .any(|a| a.info.id == account && a.client.guard().paused().is_some());
    if paused {
        return;
    }
    match overviews::take_turn(db, account, holder, HOLD).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(err) => {
            tracing::warn!(account, error = %err, "cannot read the overview's schedule");
            return;
        }
    }
    let previous = match overviews::get(db, account).await {
        Ok(stored) => stored.and_then(|s| serde_json::from_str::<Gathered>(&s.body).ok()),
        Err(err) => {
            tracing::warn!(account, error = %err, "cannot read the last overview; counting anew");
            None
        }
    };
    let started = std::time::Instant::now();
    let deadline = Deadline::after(GATHER_FOR);
    let gathered = in_background(gather(state, account, previous, deadline)).await;
    let published = match gathered {
        Ok(gathered) => {
            tracing::info!(
                account,
                complete = gathered.overview.complete,
                pending = gathered.pending.len(),
                took_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                "overview gathered"
            );
            let body = serde_json::to_string(&gathered).unwrap_or_default();
            overviews::publish(db, account, holder, &body, gathered.next_in()).await
        }
        Err(err) => {
            // The last overview stays shown, with its age.
            tracing::warn!(account, error = %err, "cannot gather the overview; trying again soon");
            overviews::release(db, account, holder, AGAIN).await
        }
    };
    if let Err(err) = published {
        tracing::warn!(account, error = %err, "cannot store the overview");
    }
}
