use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// `accounts/retry` request: the account whose key the operator says is
/// worth trying again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryAccountRequest {}

/// `accounts/retry` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryAccountAnswer {
    /// Whether the account was paused (a retry of a running account does
    /// nothing).
    pub resumed: bool,
}

/// `accounts/retry`: lets a paused account's calls through again, after
/// the key was fixed at the cloud (operator, audited). Calls the cloud only
/// through the task monitor's next refresh, asked for at once: a key still
/// refused pauses the account again after two refusals, well short of the
/// five that lock a Huawei AK.
#[server(prefix = "/api/v1", endpoint = "accounts/retry", input = Json)]
pub async fn retry_account(
    account: String,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<RetryAccountAnswer, AppError> {
    use crate::ops::{Mutation, mutate};
    use scanport_wire::hss::TaskListType;
    let caller = crate::ops::caller_for(&crate::endpoints::ACCOUNTS_RETRY).await?;
    let state = crate::state::app_state()?;
    let found = match state.named(&account) {
        Ok(found) => found,
        Err(err) => {
            let endpoint = &crate::endpoints::ACCOUNTS_RETRY;
            crate::ops::record_beyond_scope(endpoint, Some(&account), &err).await;
            return Err(err);
        }
    };
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: crate::endpoints::ACCOUNTS_RETRY.path,
            account: &account,
            request: &RetryAccountRequest {},
            idempotency_key,
        },
        || async {
            // Answered once every replica can see it: the page the
            // browser loads next may come from any of them.
            let resumed = found
                .client
                .guard()
                .resume_everywhere(std::time::Duration::from_secs(2))
                .await;
            if resumed {
                tracing::info!(account = %account, actor = %caller.name, "paused account resumed");
            }
            Ok((RetryAccountAnswer { resumed }, None))
        },
    )
    .await?;
    if answer.resumed {
        if let Some(hub) = state.hubs.hss.get(&account) {
            hub.refresh_soon(TaskListType::ImageScan);
            hub.refresh_soon(TaskListType::ImageSync);
        }
        if let Some(hub) = state.hubs.tcss.get(&account) {
            hub.refresh_soon(());
        }
    }
    Ok(answer)
}
