//! The cloud accounts as anyone outside the server may see them: which
//! provider and region, never a credential or an endpoint. Shared by the
//! config (server), the API answers and the browser.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Huawei,
    Tencent,
}

impl Provider {
    pub const fn label(self) -> &'static str {
        match self {
            Self::Huawei => "Huawei Cloud HSS",
            Self::Tencent => "Tencent Cloud TCSS",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountInfo {
    pub id: String,
    pub provider: Provider,
    pub region: String,
    /// Served by the embedded sandbox, not a real cloud.
    pub sandbox: bool,
    /// The cloud refused this account's key twice in a row: polling and
    /// calls are paused until an operator retries (`accounts/retry`).
    #[serde(default)]
    pub paused: bool,
}
