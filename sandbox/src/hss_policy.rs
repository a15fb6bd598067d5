//! The sandbox's HSS scan policy (`/image/scanner-policies`): the
//! scheduled scan's settings, which a PUT changes and a GET reads back in
//! the SDK's answer shape, with the registries of the inventory marked
//! as chosen or not.

use super::SandboxState;
use super::hss_api::{invalid, inventory, not_found, ok_empty, ok_json, query};
use super::inventory::Inventory;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::Response;
use scanport_wire::hss::{
    GlobalImageType, SCOPE_ALL, SCOPE_ALL_REQUEST, ScanPolicy, ScanPolicyRegistry,
    ScanPolicyRequest, ScanPolicyType, UpdateScanPolicyRequest,
};
use std::sync::Arc;

/// What the scheduled scan is set to; registries by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CyclePolicy {
    pub enabled: bool,
    pub scan_cycle: i64,
    pub scan_scope: i64,
    pub rate_limit: i64,
    pub time_scope: i64,
    pub registries: Vec<String>,
}

impl Default for CyclePolicy {
    /// The seed: weekly, every kind of risk, images of the last 7 days,
    /// 200 an hour, the two SWR registries.
    fn default() -> Self {
        Self {
            enabled: true,
            scan_cycle: 7,
            scan_scope: SCOPE_ALL,
            rate_limit: 200,
            time_scope: 7,
            registries: vec!["reg-swr-private".to_owned(), "reg-swr-shared".to_owned()],
        }
    }
}

impl CyclePolicy {
    /// The answer to `type=cycle`.
    fn answer(&self, inv: &Inventory, local: bool) -> ScanPolicy {
        // Local images are on hosts, not in registries.
        let registry_list: Vec<ScanPolicyRegistry> = if local {
            Vec::new()
        } else {
            inv.registries
                .iter()
                .map(|r| ScanPolicyRegistry {
                    is_selected: Some(self.registries.contains(&r.id)),
                    registry_name: Some(r.registry_name.clone()),
                    registry_id: Some(r.id.clone()),
                    registry_type: Some(r.registry_type.clone()),
                })
                .collect()
        };
        ScanPolicy {
            is_all: Some(self.registries.len() == inv.registries.len()),
            enabled: Some(self.enabled),
            scan_cycle: Some(self.scan_cycle),
            scan_scope: Some(self.scan_scope),
            rate_limit: Some(self.rate_limit),
            time_scope: Some(self.time_scope),
            total_registry_num: Some(i64::try_from(registry_list.len()).unwrap_or(0)),
            registry_list,
        }
    }
}

/// `GET /v5/{project_id}/image/scanner-policies`.
pub(super) async fn read(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    let req: ScanPolicyRequest = match query(&request) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = inventory(&state);
    let local = req.global_image_type == Some(GlobalImageType::Local);
    let policy = match req.r#type {
        ScanPolicyType::Cycle => inv.scan_policy.answer(&inv, local),
        // Manual scans have no schedule and choose their images each time.
        ScanPolicyType::Manual => ScanPolicy {
            is_all: Some(true),
            enabled: Some(false),
            scan_scope: Some(SCOPE_ALL),
            rate_limit: Some(0),
            time_scope: Some(0),
            total_registry_num: Some(0),
            ..ScanPolicy::default()
        },
    };
    ok_json(&policy)
}

/// `PUT /v5/{project_id}/image/scanner-policies`: every field of the body
/// is required, and each registry must exist with its type.
pub(super) async fn update(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct PolicyQuery {
        #[serde(default)]
        enterprise_project_id: Option<String>,
    }
    let query: PolicyQuery = match query(&request) {
        Ok(q) => q,
        Err(rejection) => return rejection,
    };
    let Ok(bytes): Result<Bytes, _> =
        axum::body::to_bytes(request.into_body(), super::hss_api::MAX_BODY).await
    else {
        return invalid("the body cannot be read");
    };
    let mut req: UpdateScanPolicyRequest = match serde_json::from_slice(&bytes) {
        Ok(req) => req,
        Err(err) => return invalid(err),
    };
    if req.enterprise_project_id.is_some() {
        return invalid("enterprise_project_id is a query parameter, not a body field");
    }
    req.enterprise_project_id = query.enterprise_project_id;
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let mut inv = inventory(&state);
    for wanted in &req.registry_info {
        let known = inv.registries.iter().any(|r| {
            r.id == wanted.registry_id && r.registry_type == wanted.registry_type.as_str()
        });
        if !known {
            return not_found(&format!(
                "registry {} ({}) does not exist",
                wanted.registry_id, wanted.registry_type
            ));
        }
    }
    inv.scan_policy = CyclePolicy {
        enabled: req.enabled,
        scan_cycle: req.scan_cycle,
        // The answer spells "all" as the union of the kinds.
        scan_scope: if req.scan_scope == SCOPE_ALL_REQUEST {
            SCOPE_ALL
        } else {
            req.scan_scope
        },
        rate_limit: req.rate_limit,
        time_scope: req.time_scope,
        registries: req
            .registry_info
            .into_iter()
            .map(|r| r.registry_id)
            .collect(),
    };
    ok_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_seed_answers_with_every_registry_and_the_chosen_ones_marked() {
        let inv = Inventory::generate(7, Duration::from_secs(1));
        let policy = inv.scan_policy.answer(&inv, false);
        assert_eq!(policy.registry_list.len(), inv.registries.len());
        let chosen: Vec<_> = policy
            .selected()
            .filter_map(|r| r.registry_id.as_deref())
            .collect();
        assert_eq!(chosen, ["reg-swr-private", "reg-swr-shared"]);
        assert_eq!(policy.is_all, Some(false));
        assert!(inv.scan_policy.answer(&inv, true).registry_list.is_empty());
    }
}
