use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::portal::{AuditEntry, AuditQuery};
use serde::{Deserialize, Serialize};

/// One page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: i64,
}

/// `admin/audit`: the audit log, newest first, filtered (admin). The same
/// filters as query parameters on `GET /api/v1/admin/audit.csv` give CSV.
#[server(prefix = "/api/v1", endpoint = "admin/audit", input = Json)]
pub async fn audit_log(#[server(default)] query: AuditQuery) -> Result<AuditPage, AppError> {
    crate::ops::authorize(&crate::endpoints::ADMIN_AUDIT)?;
    let state = crate::state::app_state()?;
    let (entries, total) = scanport_portal::audit::list(&state.portal.db, &query).await?;
    Ok(AuditPage { entries, total })
}
