//! Everything the admin page lists, loaded as one resource.
//!
//! One resource rather than three: resources are matched between the
//! server's HTML and the browser by the order they are created in, and the
//! server may create the header's resources while this page is being
//! built. One creation leaves one chance for that race instead of three.

use super::audit_filters::AuditFilters;
use crate::accounts::AccountInfo;
use crate::error::AppError;
use crate::server_fns::accounts::list_accounts;
use crate::server_fns::admin::{AuditPage, audit_log, list_tokens, list_users};
use scanport_wire::portal::{TokenInfo, UserInfo};
use serde::{Deserialize, Serialize};

/// The page's lists; each may fail on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminData {
    pub users: Result<Vec<UserInfo>, AppError>,
    pub tokens: Result<Vec<TokenInfo>, AppError>,
    pub audit: Result<AuditPage, AppError>,
    /// What a token may be limited to.
    pub accounts: Result<Vec<AccountInfo>, AppError>,
}

impl AdminData {
    pub async fn load(filters: AuditFilters) -> Self {
        Self {
            users: list_users().await,
            tokens: list_tokens().await,
            audit: audit_log(filters.query()).await,
            accounts: list_accounts().await,
        }
    }
}
