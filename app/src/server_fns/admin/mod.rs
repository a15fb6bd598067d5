//! Administration (admin role): users, API tokens and the audit log. Every
//! change is itself audited.

mod audit;
mod tokens;
mod users;

pub use audit::*;
pub use tokens::*;
pub use users::*;

/// The audit row of one admin change. The store writes it in the change's
/// own transaction when the change succeeds (both commit or neither); a
/// refused change, which changed nothing, gets its `failed` row here.
#[cfg(feature = "ssr")]
struct ChangeRow {
    actor: String,
    via: String,
    action: &'static str,
    request: String,
}

#[cfg(feature = "ssr")]
impl ChangeRow {
    fn new(
        caller: &scanport_portal::Principal,
        action: &'static str,
        request: serde_json::Value,
    ) -> Self {
        Self {
            actor: caller.name.clone(),
            via: caller.via_label(),
            action,
            request: request.to_string(),
        }
    }

    fn entry(&self) -> scanport_portal::audit::NewEntry<'_> {
        scanport_portal::audit::NewEntry {
            actor: &self.actor,
            via: &self.via,
            action: self.action,
            account: None,
            request: Some(self.request.clone()),
        }
    }

    /// Writes the `failed` row of a refused change.
    async fn record_if_failed<T>(
        &self,
        state: &crate::state::AppState,
        result: &Result<T, scanport_portal::PortalError>,
    ) -> Result<(), crate::error::AppError> {
        use scanport_portal::Outcome;
        use scanport_portal::audit::{self, Finish};
        if let Err(err) = result {
            let detail = err.to_string();
            audit::record(
                &state.portal.db,
                self.entry(),
                Outcome::Failed,
                Finish {
                    detail: Some(&detail),
                    upstream_request_id: None,
                },
            )
            .await?;
        }
        Ok(())
    }
}
