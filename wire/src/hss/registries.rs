//! `GET /v5/{project_id}/image/registries`: connected registries.

use super::{RegistryType, validate_enterprise_project_id};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, opt_range, opt_str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// Connection state of a registry.
    RegistryStatus { Success = "success", Fail = "fail", Accessing = "accessing" }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRegistriesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    /// Sent as a comma-separated list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registry_type: Vec<RegistryType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RegistryStatus>,
}

impl ListRegistriesRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        opt_range("offset", self.offset, 0, 2_000_000)?;
        opt_range("limit", self.limit, 10, 200)?;
        opt_str_len("registry_name", self.registry_name.as_deref(), 1, 128)?;
        opt_str_len("registry_id", self.registry_id.as_deref(), 1, 64)?;
        Ok(())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        let types = (!self.registry_type.is_empty()).then(|| {
            self.registry_type
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(",")
        });
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .opt("offset", self.offset)
            .opt("limit", self.limit)
            .opt("registry_name", self.registry_name.as_ref())
            .opt("registry_id", self.registry_id.as_ref())
            .opt("registry_type", types)
            .opt("status", self.status)
            .into_pairs()
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListRegistriesResponse {
    pub total_num: i64,
    pub data_list: Vec<Registry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Registry {
    pub id: String,
    pub registry_name: String,
    pub registry_type: String,
    pub registry_addr: Option<String>,
    pub status: Option<String>,
    pub fail_reason: Option<String>,
    pub images_num: Option<i64>,
    pub latest_sync_time: Option<i64>,
}
