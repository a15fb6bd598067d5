use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::portal::Me;

/// `auth/me`: the signed-in user and role, or `null` (anyone).
#[server(prefix = "/api/v1", endpoint = "auth/me", input = Json)]
pub async fn current_user() -> Result<Option<Me>, AppError> {
    Ok(crate::auth::caller().map(|c| c.me()))
}
