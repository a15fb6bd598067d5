use crate::accounts::AccountInfo;
use crate::error::AppError;
use leptos::prelude::*;

/// The configured accounts, without any secret or endpoint.
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountInfo>, AppError> {
    let state = crate::state::app_state()?;
    Ok(state.accounts.iter().map(|a| a.info.clone()).collect())
}
