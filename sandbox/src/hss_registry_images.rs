//! The sandbox's registry images (`ListRegistryImages`) and the
//! registries of its sync tasks (`ListAssociateRegistries`), as HSS
//! answers them: SWR images come from the SWR image list, third-party
//! registries (Harbor, JFrog) have images of their own; a sync task
//! records how each registry it read went, and a registry the cluster
//! cannot reach fails with the registry's reason.

use super::SandboxState;
use super::hss_api::{invalid, not_found, ok_json};
use super::inventory::{Inventory, NAMESPACES, Target};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scanport_wire::hss::{
    AssociateRegistry, ListAssociateRegistriesRequest, ListAssociateRegistriesResponse,
    ListRegistryImagesRequest, ListRegistryImagesResponse, Registry, RegistryImageInfo,
    RegistrySyncStatus, RegistryType, SeverityLevel, SortDir, SwrImage, TaskListType,
};
use std::sync::Arc;

const REPOSITORIES: [&str; 6] = [
    "billing",
    "gateway",
    "ledger",
    "search",
    "notifier",
    "ci-runner",
];
const HOUR_MS: i64 = 3_600_000;

/// How risky a scanned image is, from what its scan found (HSS shows a
/// level only once an image has been scanned).
pub(crate) fn severity(scanned: bool, vul: i64, malicious: i64) -> Option<SeverityLevel> {
    scanned.then_some(match (vul, malicious) {
        (_, m) if m > 0 => SeverityLevel::High,
        (v, _) if v >= 20 => SeverityLevel::High,
        (v, _) if v >= 6 => SeverityLevel::Medium,
        (v, _) if v > 0 => SeverityLevel::Low,
        _ => SeverityLevel::Security,
    })
}

fn image_type_of(registry_type: &str) -> &'static str {
    match registry_type {
        "Jfrog" => "jfrog",
        _ => "harbor",
    }
}

/// The third-party registries' images: as many as each registry's
/// `images_num`, from a random stream of their own.
pub(crate) fn generate(seed: u64, now: i64, registries: &[Registry]) -> Vec<RegistryImageInfo> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x4853_5f52_4547);
    let mut images = Vec::new();
    let mut id = 50_000;
    for registry in registries
        .iter()
        .filter(|r| matches!(r.registry_type.as_str(), "Harbor" | "Jfrog"))
    {
        let count = usize::try_from(registry.images_num.unwrap_or(0)).unwrap_or(0);
        for n in 0..count {
            id += 1;
            let repo = REPOSITORIES[n % REPOSITORIES.len()];
            let namespace = NAMESPACES[(n / REPOSITORIES.len()) % NAMESPACES.len()];
            let version = n / (REPOSITORIES.len() * NAMESPACES.len());
            let scanned = rng.random_range(0..10) < 7;
            let failed = scanned && rng.random_range(0..10) == 0;
            let vul = if scanned && !failed {
                rng.random_range(0..45)
            } else {
                0
            };
            let malicious = i64::from(scanned && !failed && rng.random_range(0..20) == 0);
            let updated = now - rng.random_range(HOUR_MS..60 * HOUR_MS);
            let digest: String = (0..64)
                .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
                .collect();
            images.push(RegistryImageInfo {
                id: Some(id),
                namespace: namespace.to_owned(),
                image_name: repo.to_owned(),
                image_id: Some(format!("sha256:{}", &digest[..12])),
                image_digest: Some(format!("sha256:{digest}")),
                image_version: format!("v{}.{}", 1 + version, n % 7),
                image_type: Some(image_type_of(&registry.registry_type).to_owned()),
                registry_id: Some(registry.id.clone()),
                registry_name: Some(registry.registry_name.clone()),
                registry_type: Some(registry.registry_type.clone()),
                latest_version: Some(version == 0),
                scan_status: Some(
                    match (scanned, failed) {
                        (false, _) => "unscan",
                        (true, true) => "failed",
                        (true, false) => "success",
                    }
                    .to_owned(),
                ),
                scan_failed_desc: failed.then(|| "download_failed".to_owned()),
                scan_failed_code: failed.then(|| "download_failed".to_owned()),
                image_size: Some(rng.random_range(15_000_000..1_500_000_000)),
                latest_update_time: Some(updated),
                latest_scan_time: scanned.then(|| updated + rng.random_range(0..HOUR_MS)),
                latest_sync_time: registry.latest_sync_time,
                vul_num: Some(vul),
                unsafe_setting_num: Some(if scanned { rng.random_range(0..3) } else { 0 }),
                malicious_file_num: Some(malicious),
                scannable: Some(true),
                is_multiple_arch: Some(false),
                ..RegistryImageInfo::default()
            });
        }
    }
    images
}

/// A scan's result written back to a third-party image.
pub(crate) fn record_scan(image: &mut RegistryImageInfo, failure: Option<&str>, now: i64) {
    image.latest_scan_time = Some(now);
    image.scan_status = Some(
        if failure.is_some() {
            "failed"
        } else {
            "success"
        }
        .to_owned(),
    );
    image.scan_failed_desc = failure.map(str::to_owned);
    image.scan_failed_code = failure.map(str::to_owned);
}

/// An SWR image as the registry image list shows it.
fn from_swr(image: &SwrImage, registries: &[Registry]) -> RegistryImageInfo {
    let registry_type = super::inventory::registry_type_of(image.image_type.as_deref());
    let registry = registries.iter().find(|r| r.registry_type == registry_type);
    RegistryImageInfo {
        id: image.id,
        namespace: image.namespace.clone(),
        image_name: image.image_name.clone(),
        image_id: image.image_id.clone(),
        image_digest: image.image_digest.clone(),
        image_version: image.image_version.clone(),
        image_type: image.image_type.clone(),
        registry_id: registry.map(|r| r.id.clone()),
        registry_name: registry.map(|r| r.registry_name.clone()),
        registry_type: Some(registry_type.to_owned()),
        latest_version: image.latest_version,
        scan_status: image.scan_status.clone(),
        scan_failed_desc: image.scan_failed_desc.clone(),
        scan_failed_code: image.scan_failed_desc.clone(),
        image_size: image.image_size,
        latest_update_time: image.latest_update_time,
        latest_scan_time: image.latest_scan_time,
        latest_sync_time: registry.and_then(|r| r.latest_sync_time),
        vul_num: image.vul_num,
        unsafe_setting_num: image.unsafe_setting_num,
        malicious_file_num: image.malicious_file_num,
        domain_name: image.domain_name.clone(),
        shared_status: image.shared_status.clone(),
        scannable: image.scannable,
        is_multiple_arch: Some(!image.association_images.is_empty()),
        instance_name: image.instance_name.clone(),
        instance_id: image.instance_id.clone(),
        instance_url: image.instance_url.clone(),
        ..RegistryImageInfo::default()
    }
}

/// Every registry image as the service lists it now: SWR's (local images
/// are no registry's) and the third-party registries', each with its
/// current severity.
fn all_images(inv: &Inventory) -> Vec<RegistryImageInfo> {
    inv.images
        .iter()
        .filter(|i| i.image_type.as_deref() != Some("local_image"))
        .map(|i| from_swr(i, &inv.registries))
        .chain(inv.registry_images.iter().cloned())
        .map(|mut i| {
            let scanned = i.scan_status.as_deref() == Some("success");
            i.severity_level = severity(
                scanned,
                i.vul_num.unwrap_or(0),
                i.malicious_file_num.unwrap_or(0),
            )
            .map(|s| s.as_str().to_owned());
            i
        })
        .collect()
}

fn contains(haystack: &str, needle: Option<&String>) -> bool {
    needle.is_none_or(|n| haystack.contains(n.as_str()))
}

fn within(value: Option<i64>, start: Option<i64>, end: Option<i64>) -> bool {
    if start.is_none() && end.is_none() {
        return true;
    }
    value.is_some_and(|v| start.is_none_or(|s| v >= s) && end.is_none_or(|e| v <= e))
}

/// Whether an image has any finding: vulnerabilities, malicious files or
/// unsafe settings.
fn risky(image: &RegistryImageInfo) -> bool {
    image.vul_num.unwrap_or(0)
        + image.malicious_file_num.unwrap_or(0)
        + image.unsafe_setting_num.unwrap_or(0)
        > 0
}

fn matches(req: &ListRegistryImagesRequest, i: &RegistryImageInfo) -> bool {
    let flag =
        |want: Option<bool>, count: Option<i64>| want.is_none_or(|w| w == (count.unwrap_or(0) > 0));
    contains(&i.namespace, req.namespace.as_ref())
        && contains(&i.image_name, req.image_name.as_ref())
        && contains(&i.image_version, req.image_version.as_ref())
        && contains(
            i.registry_name.as_deref().unwrap_or(""),
            req.registry_name.as_ref(),
        )
        && req
            .image_type
            .is_none_or(|t| i.image_type.as_deref() == Some(t.as_str()))
        && req
            .latest_version
            .is_none_or(|l| !l || i.latest_version == Some(true))
        && req
            .image_size
            .is_none_or(|s| i.image_size.unwrap_or(0) <= s)
        && req
            .scan_status
            .is_none_or(|s| i.scan_status.as_deref() == Some(s.as_str()))
        && within(
            i.latest_update_time,
            req.start_latest_update_time,
            req.end_latest_update_time,
        )
        && within(
            i.latest_scan_time,
            req.start_latest_scan_time,
            req.end_latest_scan_time,
        )
        && within(
            i.latest_sync_time,
            req.start_latest_sync_time,
            req.end_latest_sync_time,
        )
        && flag(req.has_vul, i.vul_num)
        && flag(req.has_malicious_file, i.malicious_file_num)
        && flag(req.has_unsafe_setting, i.unsafe_setting_num)
        && req.risky.is_none_or(|r| r == risky(i))
        && req
            .instance_id
            .as_ref()
            .is_none_or(|id| id.is_empty() || i.instance_id.as_ref() == Some(id))
        && contains(
            i.instance_name.as_deref().unwrap_or(""),
            req.instance_name.as_ref(),
        )
        && req
            .is_multarch
            .is_none_or(|m| m == (i.is_multiple_arch == Some(true)))
        && req
            .severity_level
            .is_none_or(|s| i.severity_level.as_deref() == Some(s.as_str()))
}

/// `GET /v5/{project_id}/image/registries/images`.
pub(crate) async fn list(State(state): State<Arc<SandboxState>>, request: Request) -> Response {
    let req: ListRegistryImagesRequest = match super::hss_api::query(&request) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = super::hss_api::inventory(&state);
    let mut matching: Vec<RegistryImageInfo> = all_images(&inv)
        .into_iter()
        .filter(|i| matches(&req, i))
        .collect();
    // The one sortable field; never-scanned images count as time 0.
    if req.sort_key.is_some() {
        matching.sort_by_key(|i| i.latest_scan_time.unwrap_or(0));
        if req.sort_dir == Some(SortDir::Desc) {
            matching.reverse();
        }
    }
    let total = i64::try_from(matching.len()).unwrap_or(i64::MAX);
    let offset = usize::try_from(req.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.unwrap_or(10)).unwrap_or(10);
    ok_json(&ListRegistryImagesResponse {
        total_num: total,
        data_list: matching.into_iter().skip(offset).take(limit).collect(),
    })
}

/// One registry a sync task reads: how its sync ends, and the last of the
/// task's images that belongs to it (its sync runs until then).
#[derive(Debug, Clone)]
pub struct SyncedRegistry {
    pub result: AssociateRegistry,
    /// Index of the registry's last image in the task's targets.
    pub last_target: usize,
}

fn result_of(registry: &Registry) -> AssociateRegistry {
    let failed = registry.status.as_deref() == Some("fail");
    AssociateRegistry {
        registry_id: Some(registry.id.clone()),
        registry_name: Some(registry.registry_name.clone()),
        registry_type: Some(registry.registry_type.clone()),
        sync_status: Some(
            if failed {
                RegistrySyncStatus::Failed
            } else {
                RegistrySyncStatus::Finished
            }
            .as_str()
            .to_owned(),
        ),
        failed_reason: failed.then(|| {
            registry
                .fail_reason
                .clone()
                .unwrap_or_else(|| "REQUEST_API_ERROR".to_owned())
        }),
    }
}

/// A finished sync of every registry (the seeded past tasks): those the
/// cluster cannot reach failed, with their reason.
pub(crate) fn past_results(registries: &[Registry]) -> Vec<SyncedRegistry> {
    registries
        .iter()
        .map(|r| SyncedRegistry {
            result: result_of(r),
            last_target: 0,
        })
        .collect()
}

/// A launched sync's registries, in the order its images are read.
pub(crate) fn live_results(registries: &[Registry], targets: &[Target]) -> Vec<SyncedRegistry> {
    let mut synced: Vec<(usize, SyncedRegistry)> = Vec::new();
    for (n, target) in targets.iter().enumerate() {
        let Some(r) = target.registry else { continue };
        match synced.iter_mut().find(|(index, _)| *index == r) {
            Some((_, s)) => s.last_target = n,
            None => {
                if let Some(registry) = registries.get(r) {
                    synced.push((
                        r,
                        SyncedRegistry {
                            result: result_of(registry),
                            last_target: n,
                        },
                    ));
                }
            }
        }
    }
    synced.into_iter().map(|(_, s)| s).collect()
}

/// `task_id`'s registries as they stand now: a registry whose images are
/// still being read is `running`, with no result yet.
fn results_now(inv: &Inventory, task_id: &str) -> Option<Vec<AssociateRegistry>> {
    let task = inv
        .tasks
        .iter()
        .find(|t| t.list == TaskListType::ImageSync && t.info.task_id == task_id)?;
    let done = task.live.as_ref().map(|l| (l.applied, l.stopped));
    Some(
        task.synced
            .iter()
            .map(|s| match done {
                Some((applied, false)) if applied <= s.last_target => AssociateRegistry {
                    sync_status: Some(RegistrySyncStatus::Running.as_str().to_owned()),
                    failed_reason: None,
                    ..s.result.clone()
                },
                _ => s.result.clone(),
            })
            .collect(),
    )
}

/// The query of `ListAssociateRegistries`: `registry_type` is a
/// comma-separated list.
fn parse_query(
    task_id: &str,
    raw: Vec<(String, String)>,
) -> Result<ListAssociateRegistriesRequest, String> {
    let mut req = ListAssociateRegistriesRequest::new(task_id);
    for (key, value) in raw {
        let num = |v: &str| {
            v.parse::<i64>()
                .map_err(|_| format!("{key} must be an integer"))
        };
        match key.as_str() {
            "enterprise_project_id" => req.enterprise_project_id = Some(value.clone()),
            "registry_name" => req.registry_name = Some(value.clone()),
            "offset" => req.offset = Some(num(&value)?),
            "limit" => req.limit = Some(num(&value)?),
            "registry_type" => {
                for ty in value.split(',') {
                    req.registry_type.push(
                        RegistryType::parse(ty)
                            .ok_or_else(|| format!("registry_type: unknown value {ty:?}"))?,
                    );
                }
            }
            "sync_status" => {
                req.sync_status = Some(
                    RegistrySyncStatus::parse(&value)
                        .ok_or_else(|| format!("sync_status: unknown value {value:?}"))?,
                );
            }
            _ => {}
        }
    }
    Ok(req)
}

/// `GET /v5/{project_id}/image/image-sync/tasks/{task_id}/registries`.
pub(crate) async fn associate_registries(
    State(state): State<Arc<SandboxState>>,
    Path((_project, task_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let raw: Vec<(String, String)> = match super::hss_api::query(&request) {
        Ok(pairs) => pairs,
        Err(rejection) => return rejection,
    };
    let req = match parse_query(&task_id, raw) {
        Ok(req) => req,
        Err(message) => return invalid(message),
    };
    if let Err(err) = req.validate() {
        return invalid(err);
    }
    let inv = super::hss_api::inventory(&state);
    let Some(results) = results_now(&inv, &req.task_id) else {
        return not_found("The image sync task does not exist");
    };
    let matching: Vec<AssociateRegistry> = results
        .into_iter()
        .filter(|r| {
            contains(
                r.registry_name.as_deref().unwrap_or(""),
                req.registry_name.as_ref(),
            )
        })
        .filter(|r| {
            req.registry_type.is_empty()
                || req
                    .registry_type
                    .iter()
                    .any(|t| r.registry_type.as_deref() == Some(t.as_str()))
        })
        .filter(|r| {
            req.sync_status
                .is_none_or(|s| r.sync_status.as_deref() == Some(s.as_str()))
        })
        .collect();
    let offset = usize::try_from(req.offset.unwrap_or(0)).unwrap_or(0);
    let limit = usize::try_from(req.limit.unwrap_or(10)).unwrap_or(10);
    ok_json(&ListAssociateRegistriesResponse {
        total_num: i64::try_from(matching.len()).unwrap_or(i64::MAX),
        data_list: matching.into_iter().skip(offset).take(limit).collect(),
    })
}

/// A third-party image named in a manual scan task, if the registry has it.
pub(crate) fn find_target(
    inv: &Inventory,
    registry_id: Option<&str>,
    registry_type: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
) -> Option<Target> {
    let index = inv.registry_images.iter().position(|i| {
        registry_id.is_none_or(|id| i.registry_id.as_deref() == Some(id))
            && i.registry_type.as_deref() == Some(registry_type)
            && namespace.is_none_or(|ns| i.namespace == ns)
            && i.image_name == name
            && i.image_version == version
    })?;
    let image = &inv.registry_images[index];
    Some(Target {
        registry_image: Some(index),
        namespace: image.namespace.clone(),
        image_name: image.image_name.clone(),
        image_version: image.image_version.clone(),
        registry_type: registry_type.to_owned(),
        ..Target::default()
    })
}

/// Third-party images of `image_type` (`harbor`, `jfrog`) an all-images
/// scan task selects.
pub(crate) fn select_all(inv: &Inventory, image_type: &str) -> Vec<Target> {
    inv.registry_images
        .iter()
        .enumerate()
        .filter(|(_, i)| i.image_type.as_deref() == Some(image_type))
        .map(|(index, i)| Target {
            registry_image: Some(index),
            namespace: i.namespace.clone(),
            image_name: i.image_name.clone(),
            image_version: i.image_version.clone(),
            registry_type: i.registry_type.clone().unwrap_or_default(),
            ..Target::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_third_party_registry_has_as_many_images_as_it_says() {
        let inv = Inventory::generate(1, Duration::from_secs(3));
        for r in inv
            .registries
            .iter()
            .filter(|r| matches!(r.registry_type.as_str(), "Harbor" | "Jfrog"))
        {
            let n = inv
                .registry_images
                .iter()
                .filter(|i| i.registry_id.as_deref() == Some(r.id.as_str()))
                .count();
            assert_eq!(i64::try_from(n).ok(), r.images_num, "{}", r.id);
            assert!(n > 0, "{}", r.id);
        }
        let all = all_images(&inv);
        for ty in ["SwrEnterprise", "Harbor", "Jfrog"] {
            assert!(
                all.iter().any(|i| i.registry_type.as_deref() == Some(ty)),
                "{ty}"
            );
        }
        assert!(
            all.iter()
                .any(|i| i.severity_level.as_deref() == Some("High")),
            "some images are high risk"
        );
        assert!(
            all.iter()
                .all(|i| (i.severity_level.is_some())
                    == (i.scan_status.as_deref() == Some("success"))),
            "a level only once scanned"
        );
    }

    #[test]
    fn a_sync_of_a_harbor_the_cluster_cannot_reach_fails_with_its_reason() {
        let inv = Inventory::generate(1, Duration::from_secs(3));
        let task = inv
            .tasks
            .iter()
            .find(|t| t.list == TaskListType::ImageSync)
            .expect("a sync task");
        let results = results_now(&inv, &task.info.task_id).expect("found");
        let legacy = results
            .iter()
            .find(|r| {
                r.registry_type.as_deref() == Some("Harbor")
                    && r.sync_status.as_deref() == Some("failed")
            })
            .expect("a failed Harbor");
        assert_eq!(legacy.failed_reason.as_deref(), Some("REQUEST_API_ERROR"));
        assert!(
            results
                .iter()
                .any(|r| r.registry_type.as_deref() == Some("Harbor")
                    && r.sync_status.as_deref() == Some("finished"))
        );
        assert!(results_now(&inv, "no-such-task").is_none());
    }
}
