//! Administration (admin role): users, API tokens and the audit log. Every
//! change is itself audited.

mod audit;
mod tokens;
mod users;

pub use audit::*;
pub use tokens::*;
pub use users::*;

#[cfg(feature = "ssr")]
async fn record_change(
    state: &crate::state::AppState,
    caller: &scanport_portal::Principal,
    action: &str,
    request: serde_json::Value,
    result: &Result<(), scanport_portal::PortalError>,
) -> Result<(), crate::error::AppError> {
    use scanport_portal::Outcome;
    use scanport_portal::audit::{self, Finish, NewEntry};
    let detail = result.as_ref().err().map(ToString::to_string);
    audit::record(
        &state.portal.db,
        NewEntry {
            actor: &caller.name,
            via: &caller.via_label(),
            action,
            account: None,
            request: Some(request.to_string()),
        },
        if result.is_ok() {
            Outcome::Ok
        } else {
            Outcome::Failed
        },
        Finish {
            detail: detail.as_deref(),
            upstream_request_id: None,
        },
    )
    .await?;
    Ok(())
}
