use crate::error::AppError;
use leptos::prelude::*;
use scanport_wire::hss::ListRegistriesResponse;

/// The registries connected to an HSS account.
#[server(prefix = "/api", endpoint = "list_registries")]
pub async fn list_registries(account: Option<String>) -> Result<ListRegistriesResponse, AppError> {
    use scanport_wire::hss::ListRegistriesRequest;
    let state = crate::state::app_state()?;
    let client = state.hss(account.as_deref())?;
    let request = ListRegistriesRequest {
        limit: Some(200),
        ..ListRegistriesRequest::default()
    };
    Ok(client.list_registries(&request).await?)
}
