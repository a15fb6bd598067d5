//! The scheduled ("cycle") image scan policy: `ListImageScanPolicy` reads
//! it, `ModifyImageScanPolicy` changes it. Names, enumerations and
//! required fields are the SDK's (`ListImageScanPolicyRequest`,
//! `ListImageScanPolicyResponse`, `CycleImageScanPolicyReqInfo`).

use super::{GlobalImageType, RegistryType, validate_enterprise_project_id};
use crate::macros::wire_enum;
use crate::query::Query;
use crate::validate::{FieldError, no_control_chars, str_len};
use serde::{Deserialize, Serialize};

wire_enum! {
    /// `type` of the policy read: the scheduled scan or manual scans.
    ScanPolicyType { Cycle = "cycle", Manual = "manual" }
}

/// The days between scheduled scans the service offers.
pub const SCAN_CYCLES: [i64; 3] = [3, 7, 14];
/// `time_scope`: scan images pushed in the last N days; 0 is every image.
pub const TIME_SCOPES: [i64; 4] = [0, 1, 3, 7];
/// `rate_limit` is images per hour, 0 unlimited; the service's scan tasks
/// take at most 1000 (`rate_limit` of a scan task).
pub const MAX_RATE_LIMIT: i64 = 1000;

/// What a scan looks for: one `scan_scope` bit group per kind.
pub const SCOPE_VULNERABILITIES: i64 = 0x000f_0000;
pub const SCOPE_BASELINE: i64 = 0x0000_f000;
pub const SCOPE_MALICIOUS_FILES: i64 = 0x0000_0f00;
pub const SCOPE_SENSITIVE_INFO: i64 = 0x0000_00f0;
pub const SCOPE_SOFTWARE_COMPLIANCE: i64 = 0x0000_000f;
/// Every kind, as the answer spells it (the union of the five groups).
pub const SCOPE_ALL: i64 = 0x000f_ffff;
/// Every kind, as the request model spells it.
pub const SCOPE_ALL_REQUEST: i64 = 0x7fff_ffff;
/// The five kinds, in the order the console lists them.
pub const SCOPE_KINDS: [i64; 5] = [
    SCOPE_VULNERABILITIES,
    SCOPE_BASELINE,
    SCOPE_MALICIOUS_FILES,
    SCOPE_SENSITIVE_INFO,
    SCOPE_SOFTWARE_COMPLIANCE,
];

/// The kinds a `scan_scope` covers (either spelling of "all" is all five).
pub fn scope_kinds(scan_scope: i64) -> Vec<i64> {
    if scan_scope == SCOPE_ALL_REQUEST {
        return SCOPE_KINDS.to_vec();
    }
    SCOPE_KINDS
        .into_iter()
        .filter(|kind| scan_scope & kind == *kind)
        .collect()
}

/// `GET /v5/{project_id}/image/scanner-policies` query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanPolicyRequest {
    /// Required by the SDK model.
    #[serde(rename = "type")]
    pub r#type: ScanPolicyType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_image_type: Option<GlobalImageType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
}

impl ScanPolicyRequest {
    /// The scheduled scan's policy.
    pub fn cycle() -> Self {
        Self {
            r#type: ScanPolicyType::Cycle,
            global_image_type: None,
            enterprise_project_id: None,
        }
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .put("type", self.r#type)
            .opt("global_image_type", self.global_image_type)
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .into_pairs()
    }
}

/// A registry of the policy's answer, and whether the policy scans it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanPolicyRegistry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_selected: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_id: Option<String>,
    /// `SwrPrivate`, `SwrShared`, `SwrEnterprise`, `Harbor`, `Jfrog`,
    /// `Other`; kept as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry_type: Option<String>,
}

/// The answer of `ListImageScanPolicy`. Every member is optional in the
/// SDK's model; an absent one reads as the service's default.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ScanPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_all: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Days: 3, 7 or 14.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_cycle: Option<i64>,
    /// The `SCOPE_*` bit groups; `0x0fffff` is all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_scope: Option<i64>,
    /// Images per hour; 0 unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<i64>,
    /// Days back (0 every image, 1, 3, 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_scope: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_registry_num: Option<i64>,
    pub registry_list: Vec<ScanPolicyRegistry>,
}

impl ScanPolicy {
    /// The registries the policy scans.
    pub fn selected(&self) -> impl Iterator<Item = &ScanPolicyRegistry> {
        self.registry_list
            .iter()
            .filter(|r| r.is_selected == Some(true))
    }
}

/// A registry the policy is to scan; the SDK requires all three fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRegistryRef {
    pub registry_id: String,
    pub registry_name: String,
    pub registry_type: RegistryType,
}

/// `PUT /v5/{project_id}/image/scanner-policies`: the scheduled scan's
/// policy (`CycleImageScanPolicyReqInfo`, every field required).
/// `enterprise_project_id` travels in the query, the rest is the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateScanPolicyRequest {
    pub enabled: bool,
    pub scan_cycle: i64,
    pub scan_scope: i64,
    pub rate_limit: i64,
    pub time_scope: i64,
    pub registry_info: Vec<PolicyRegistryRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_project_id: Option<String>,
}

/// The body the service takes: the request without its query parameter.
#[derive(Debug, Serialize)]
pub struct UpdateScanPolicyBody<'a> {
    pub enabled: bool,
    pub scan_cycle: i64,
    pub scan_scope: i64,
    pub rate_limit: i64,
    pub time_scope: i64,
    pub registry_info: &'a [PolicyRegistryRef],
}

impl UpdateScanPolicyRequest {
    pub fn body(&self) -> UpdateScanPolicyBody<'_> {
        UpdateScanPolicyBody {
            enabled: self.enabled,
            scan_cycle: self.scan_cycle,
            scan_scope: self.scan_scope,
            rate_limit: self.rate_limit,
            time_scope: self.time_scope,
            registry_info: &self.registry_info,
        }
    }

    pub fn query(&self) -> Vec<(String, String)> {
        Query::new()
            .opt("enterprise_project_id", self.enterprise_project_id.as_ref())
            .into_pairs()
    }

    /// The SDK model's enumerations and the service's ranges.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_enterprise_project_id(self.enterprise_project_id.as_deref())?;
        if !SCAN_CYCLES.contains(&self.scan_cycle) {
            return Err(FieldError::new(
                "scan_cycle",
                format!("must be 3, 7 or 14 days (got {})", self.scan_cycle),
            ));
        }
        let known = SCOPE_KINDS.iter().fold(0, |all, kind| all | kind);
        let whole_groups = SCOPE_KINDS
            .iter()
            .all(|kind| self.scan_scope & kind == 0 || self.scan_scope & kind == *kind);
        let scope_ok =
            self.scan_scope == SCOPE_ALL_REQUEST || (self.scan_scope & !known == 0 && whole_groups);
        if !scope_ok {
            return Err(FieldError::new(
                "scan_scope",
                format!(
                    "must be 0x7fffffff (all) or a sum of 0x0f0000, 0x00f000, 0x000f00, \
                     0x0000f0 and 0x00000f (got {:#x})",
                    self.scan_scope
                ),
            ));
        }
        if self.enabled && self.scan_scope == 0 {
            return Err(FieldError::new(
                "scan_scope",
                "a scheduled scan must look for at least one kind of risk",
            ));
        }
        if !(0..=MAX_RATE_LIMIT).contains(&self.rate_limit) {
            return Err(FieldError::new(
                "rate_limit",
                format!(
                    "must be 0 (unlimited) to {MAX_RATE_LIMIT} images an hour (got {})",
                    self.rate_limit
                ),
            ));
        }
        if !TIME_SCOPES.contains(&self.time_scope) {
            return Err(FieldError::new(
                "time_scope",
                format!(
                    "must be 0 (all images), 1, 3 or 7 days (got {})",
                    self.time_scope
                ),
            ));
        }
        if self.enabled && self.registry_info.is_empty() {
            return Err(FieldError::new(
                "registry_info",
                "a scheduled scan needs at least one registry",
            ));
        }
        for (i, registry) in self.registry_info.iter().enumerate() {
            let field = |name: &str| format!("registry_info[{i}].{name}");
            str_len(&field("registry_id"), &registry.registry_id, 1, 64)?;
            no_control_chars(&field("registry_id"), &registry.registry_id)?;
            str_len(&field("registry_name"), &registry.registry_name, 1, 256)?;
            no_control_chars(&field("registry_name"), &registry.registry_name)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> UpdateScanPolicyRequest {
        UpdateScanPolicyRequest {
            enabled: true,
            scan_cycle: 7,
            scan_scope: SCOPE_VULNERABILITIES | SCOPE_MALICIOUS_FILES,
            rate_limit: 100,
            time_scope: 3,
            registry_info: vec![PolicyRegistryRef {
                registry_id: "reg-harbor".into(),
                registry_name: "harbor-prod".into(),
                registry_type: RegistryType::Harbor,
            }],
            enterprise_project_id: None,
        }
    }

    #[test]
    fn the_body_has_the_sdk_fields_and_no_query_parameter() {
        let mut req = request();
        req.enterprise_project_id = Some("ep-1".into());
        assert_eq!(
            serde_json::to_value(req.body()).expect("json"),
            serde_json::json!({"enabled": true, "scan_cycle": 7, "scan_scope": 0x0f0f00,
                "rate_limit": 100, "time_scope": 3,
                "registry_info": [{"registry_id": "reg-harbor", "registry_name": "harbor-prod",
                    "registry_type": "Harbor"}]})
        );
        assert_eq!(
            req.query(),
            vec![("enterprise_project_id".to_owned(), "ep-1".to_owned())]
        );
    }

    #[test]
    fn each_rule_names_its_field() {
        assert!(request().validate().is_ok());
        type Break = fn(&mut UpdateScanPolicyRequest);
        let cases: [(&str, Break); 8] = [
            ("scan_cycle", |r| r.scan_cycle = 5),
            ("scan_scope", |r| r.scan_scope = 0x1),
            ("scan_scope", |r| r.scan_scope = 0x10_0000),
            ("scan_scope", |r| r.scan_scope = 0),
            ("rate_limit", |r| r.rate_limit = 1001),
            ("time_scope", |r| r.time_scope = 2),
            ("registry_info", |r| r.registry_info.clear()),
            ("registry_info[0].registry_name", |r| {
                r.registry_info[0].registry_name.clear();
            }),
        ];
        for (field, break_it) in cases {
            let mut req = request();
            break_it(&mut req);
            assert_eq!(req.validate().unwrap_err().field, field);
        }
    }

    #[test]
    fn an_off_policy_may_have_no_scope_and_no_registry() {
        let mut req = request();
        req.enabled = false;
        req.scan_scope = 0;
        req.registry_info.clear();
        assert!(req.validate().is_ok());
    }

    #[test]
    fn both_spellings_of_all_cover_every_kind() {
        assert_eq!(scope_kinds(SCOPE_ALL), SCOPE_KINDS.to_vec());
        assert_eq!(scope_kinds(SCOPE_ALL_REQUEST), SCOPE_KINDS.to_vec());
        assert_eq!(scope_kinds(SCOPE_BASELINE), vec![SCOPE_BASELINE]);
        let mut req = request();
        req.scan_scope = SCOPE_ALL_REQUEST;
        assert!(req.validate().is_ok());
        req.scan_scope = SCOPE_ALL;
        assert!(req.validate().is_ok());
    }

    #[test]
    fn every_field_is_required_as_in_the_sdk() {
        let missing: Result<UpdateScanPolicyRequest, _> = serde_json::from_value(
            serde_json::json!({"enabled": true, "scan_cycle": 7, "scan_scope": 1,
                "rate_limit": 0, "registry_info": []}),
        );
        assert!(missing.unwrap_err().to_string().contains("time_scope"));
    }

    #[test]
    fn the_query_names_the_type() {
        assert_eq!(
            ScanPolicyRequest::cycle().query(),
            vec![("type".to_owned(), "cycle".to_owned())]
        );
    }
}
