use crate::error::AppError;
use crate::server_fns::Empty;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::{ImageSyncTaskRequest, SynchronizeRequest, SynchronizeResponse};

/// `hss/synchronize`: refresh the SWR private or shared image list
/// (operator).
#[server(prefix = "/api/v1", endpoint = "hss/synchronize", input = Json)]
pub async fn hss_synchronize(
    account: String,
    request: SynchronizeRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<SynchronizeResponse, AppError> {
    use crate::ops::{Mutation, mutate};
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.hss(Some(&account))?;
    mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "hss/synchronize",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async { Ok((client.synchronize(&request).await?, None)) },
    )
    .await
}

/// `hss/image-sync-tasks`: sync all or chosen registries (operator).
#[server(prefix = "/api/v1", endpoint = "hss/image-sync-tasks", input = Json)]
pub async fn hss_image_sync_task(
    account: String,
    request: ImageSyncTaskRequest,
    #[server(default)] idempotency_key: Option<String>,
) -> Result<Empty, AppError> {
    use crate::ops::{Mutation, mutate};
    use scanport_wire::hss::TaskListType;
    let caller = crate::auth::require(scanport_portal::Role::Operator)?;
    request.validate()?;
    let state = crate::state::app_state()?;
    let client = state.hss(Some(&account))?;
    let answer = mutate(
        Mutation {
            state: &state,
            caller: &caller,
            action: "hss/image-sync-tasks",
            account: &account,
            request: &request,
            idempotency_key,
        },
        || async {
            client.create_image_sync_task(&request).await?;
            Ok((Empty {}, None))
        },
    )
    .await;
    state.refresh_tasks_after(&account, TaskListType::ImageSync, &answer);
    answer
}
