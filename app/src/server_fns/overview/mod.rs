//! What the Overview page reads: every account's overview as it was last
//! gathered in the background ([`gather`]). A view reads the database
//! only, so any number of people looking costs the clouds nothing.

#[cfg(feature = "ssr")]
pub mod gather;

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::overview::OverviewRow;

/// `ui/overview`: each configured account, in the configuration's order,
/// with its last gathered overview (viewer).
#[server(prefix = "/api/v1", endpoint = "ui/overview", input = Json)]
pub async fn ui_overview() -> Result<Vec<OverviewRow>, AppError> {
    use scanport_portal::overviews;
    crate::ops::authorize(&crate::endpoints::UI_OVERVIEW)?;
    let state = crate::state::app_state()?;
    let mut stored = overviews::all(&state.portal.db).await?;
    Ok(state
        .visible_accounts()
        .map(|account| {
            let info = &account.info;
            let found = stored
                .iter()
                .position(|s| s.account == info.id)
                .map(|i| stored.swap_remove(i));
            // A body this version cannot read is shown as not gathered
            // yet: the next gathering replaces it.
            let overview = found
                .as_ref()
                .and_then(|s| serde_json::from_str::<gather::Gathered>(&s.body).ok())
                .map(|g| g.overview);
            OverviewRow {
                account: info.id.clone(),
                provider: info.provider,
                fetched_at_ms: found
                    .filter(|_| overview.is_some())
                    .map_or(0, |s| s.fetched_at_ms),
                overview,
            }
        })
        .collect())
}
