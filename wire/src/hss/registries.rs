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
    /// The registry's address (`registry_addr`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_addr: Option<String>,
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
        opt_str_len("registry_addr", self.registry_addr.as_deref(), 1, 256)?;
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
            .opt("registry_addr", self.registry_addr.as_ref())
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
    /// `V1` or `V2`.
    pub api_version: Option<String>,
    /// `http` or `https`.
    pub protocol: Option<String>,
    pub registry_addr: Option<String>,
    /// The user HSS signs in to the registry as.
    pub registry_username: Option<String>,
    /// Where the scan component is uploaded (with
    /// `get_scan_image_channel` `Other`).
    pub namespace: Option<String>,
    /// The cluster that reaches the registry.
    pub connect_cluster_id: Option<String>,
    /// How the scan component is fetched: `Swr` or `Other`.
    pub get_scan_image_channel: Option<String>,
    pub status: Option<String>,
    /// `CREATE_JOB_FAILED`, `REQUEST_API_ERROR` or `SERVER_ERROR`.
    pub fail_reason: Option<String>,
    pub images_num: Option<i64>,
    pub latest_sync_time: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_addr_is_a_query_filter() {
        let req = ListRegistriesRequest {
            registry_addr: Some("harbor.corp.example".into()),
            ..Default::default()
        };
        assert!(req.validate().is_ok());
        assert!(
            req.query()
                .contains(&("registry_addr".to_owned(), "harbor.corp.example".to_owned()))
        );
        let empty = ListRegistriesRequest {
            registry_addr: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(empty.validate().unwrap_err().field, "registry_addr");
    }

    #[test]
    fn a_registry_keeps_every_field_the_sdk_model_has() {
        let body = r#"{"id": "r1", "registry_name": "Harbor", "registry_type": "Harbor",
            "api_version": "V2", "protocol": "https", "registry_addr": "harbor.example",
            "registry_username": "robot$scan", "namespace": "hss", "connect_cluster_id": "c-1",
            "get_scan_image_channel": "Other", "status": "fail",
            "fail_reason": "REQUEST_API_ERROR", "images_num": 3, "latest_sync_time": 1}"#;
        let r: Registry = serde_json::from_str(body).expect("parses");
        assert_eq!(r.api_version.as_deref(), Some("V2"));
        assert_eq!(r.protocol.as_deref(), Some("https"));
        assert_eq!(r.registry_username.as_deref(), Some("robot$scan"));
        assert_eq!(r.namespace.as_deref(), Some("hss"));
        assert_eq!(r.connect_cluster_id.as_deref(), Some("c-1"));
        assert_eq!(r.get_scan_image_channel.as_deref(), Some("Other"));
        let back = serde_json::to_value(&r).expect("json");
        let original: serde_json::Value = serde_json::from_str(body).expect("json");
        assert_eq!(
            back, original,
            "nothing is dropped on the way to the browser"
        );
    }
}
