use crate::accounts::AccountInfo;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

/// The configured accounts, without any secret or endpoint, each with
/// whether its calls are paused.
#[server(prefix = "/api/v1", endpoint = "accounts", input = GetUrl)]
pub async fn list_accounts() -> Result<Vec<AccountInfo>, AppError> {
    crate::ops::authorize(&crate::endpoints::ACCOUNTS)?;
    let state = crate::state::app_state()?;
    Ok(state
        .visible_accounts()
        .map(crate::state::Account::current_info)
        .collect())
}
