use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::hss::ListRegistriesResponse;

/// The registries connected to an HSS account.
#[server(prefix = "/api/v1", endpoint = "ui/registries", input = Json)]
pub async fn list_registries(account: Option<String>) -> Result<ListRegistriesResponse, AppError> {
    use scanport_wire::hss::ListRegistriesRequest;
    crate::ops::authorize(&crate::endpoints::UI_REGISTRIES)?;
    let state = crate::state::app_state()?;
    let client = state.hss(account.as_deref())?;
    let request = ListRegistriesRequest {
        limit: Some(200),
        ..ListRegistriesRequest::default()
    };
    Ok(crate::ops::as_caller(client.list_registries(&request)).await?)
}
