//! The sandbox's TCSS registries and their asset syncs: three registries
//! holding the seeded TCSS images (one per registry kind the images use),
//! and syncs that take one `pace` per registry, in order. A registry whose
//! connection check fails (the seeded Harbor) fails every sync with the
//! reason, as the service reports it.

use super::inventory::tencent_time;
use scanport_wire::tcss::{ConnDetectResult, RegistrySyncStatus, TcssRegistry, sync_status};
use std::time::{Duration, Instant};

const HOUR_MS: i64 = 3_600_000;
/// Why the Harbor registry's syncs fail: its robot account was revoked.
const HARBOR_FAILURE: &str = "registry authentication failed: 401 Unauthorized";
const HARBOR_SOLUTION: &str = "Update the registry's username and password, then sync again.";

/// A sync started by `SyncAssetImageRegistryAsset`.
#[derive(Debug, Clone)]
struct Sync {
    started: Instant,
    started_ms: i64,
    pace: Duration,
    /// Registry ids, in the order they are synced.
    registries: Vec<i64>,
}

impl Sync {
    /// Registries finished by `now`.
    fn done(&self, now: Instant) -> usize {
        if self.pace.is_zero() {
            return self.registries.len();
        }
        let elapsed = now.saturating_duration_since(self.started);
        usize::try_from(elapsed.as_nanos() / self.pace.as_nanos())
            .unwrap_or(usize::MAX)
            .min(self.registries.len())
    }

    /// When the `n`th registry finished (ms).
    fn finished_ms(&self, n: usize) -> i64 {
        let pace = i64::try_from(self.pace.as_millis()).unwrap_or(i64::MAX);
        i64::try_from(n + 1)
            .unwrap_or(i64::MAX)
            .saturating_mul(pace)
            .saturating_add(self.started_ms)
    }
}

/// The registries and the state of the latest sync.
#[derive(Debug, Clone)]
pub struct TcssRegistries {
    pub list: Vec<TcssRegistry>,
    sync: Option<Sync>,
    /// The answer of `DescribeAssetImageRegistryAssetStatus` before the
    /// latest sync (at first, the seeded last run): where the last success
    /// time comes from while a sync runs or after one fails.
    previous: RegistrySyncStatus,
}

/// Whether a sync of this registry fails: its connection check failed.
fn fails(registry: &TcssRegistry) -> bool {
    registry
        .conn_detect_detail
        .iter()
        .any(|c| c.conn_detect_status.as_deref() == Some(sync_status::FAILED))
}

fn registry(id: i64, kind: &str, region: &str, synced_ms: i64) -> TcssRegistry {
    TcssRegistry {
        registry_id: id,
        name: format!("{kind}-prod"),
        registry_type: Some(kind.to_owned()),
        // The address the seeded images of this kind live at.
        url: Some(format!("https://{kind}.tencentcloudcr.example")),
        net_type: Some("public".to_owned()),
        registry_region: Some(region.to_owned()),
        registry_version: Some("V2".to_owned()),
        conn_detect_type: Some("backend".to_owned()),
        conn_detect_host_count: Some(0),
        conn_detect_detail: vec![ConnDetectResult {
            quuid: Some("backend".to_owned()),
            uuid: Some("backend".to_owned()),
            conn_detect_status: Some(sync_status::SUCCESS.to_owned()),
            ..ConnDetectResult::default()
        }],
        instance_id: Some(format!("{kind}-ins-01")),
        latest_sync_time: Some(tencent_time(synced_ms)),
        sync_status: Some(sync_status::SUCCESS.to_owned()),
        sync_mode: Some(1),
        ..TcssRegistry::default()
    }
}

impl TcssRegistries {
    /// The seeded registries: `tcr`, `ccr` and `harbor`, the kinds of the
    /// seeded TCSS images. The last sync (an hour ago) failed for Harbor,
    /// whose credentials were revoked since its last good sync a day ago.
    pub fn generate(now_ms: i64) -> Self {
        let last_run = now_ms - HOUR_MS;
        let mut harbor = registry(3, "harbor", "default", now_ms - 26 * HOUR_MS);
        harbor.sync_status = Some(sync_status::FAILED.to_owned());
        harbor.sync_fail_reason = Some(HARBOR_FAILURE.to_owned());
        harbor.sync_message = Some(HARBOR_FAILURE.to_owned());
        harbor.sync_solution = Some(HARBOR_SOLUTION.to_owned());
        harbor.connect_msg = Some(HARBOR_FAILURE.to_owned());
        harbor.conn_detect_detail[0].conn_detect_status = Some(sync_status::FAILED.to_owned());
        harbor.conn_detect_detail[0].conn_detect_message = Some(HARBOR_FAILURE.to_owned());
        harbor.conn_detect_detail[0].fail_reason = Some(HARBOR_FAILURE.to_owned());
        harbor.conn_detect_detail[0].solution = Some(HARBOR_SOLUTION.to_owned());
        Self {
            list: vec![
                registry(1, "tcr", "ap-guangzhou", last_run),
                registry(2, "ccr", "ap-shanghai", last_run),
                harbor,
            ],
            sync: None,
            previous: RegistrySyncStatus {
                status: Some(sync_status::FAILED.to_owned()),
                err: Some(format!("harbor-prod: {HARBOR_FAILURE}")),
                latest_sync_success_time: Some(tencent_time(now_ms - 26 * HOUR_MS)),
                request_id: None,
            },
        }
    }

    /// Whether `id` names a registry.
    pub fn exists(&self, id: i64) -> bool {
        self.list.iter().any(|r| r.registry_id == id)
    }

    /// Starts a sync of `ids` (every registry when empty); a sync that
    /// still runs is replaced, as a new request supersedes it.
    pub fn start_sync(&mut self, ids: &[i64], pace: Duration, now_ms: i64) {
        self.previous = self.status(Instant::now());
        let registries: Vec<i64> = self
            .list
            .iter()
            .map(|r| r.registry_id)
            .filter(|id| ids.is_empty() || ids.contains(id))
            .collect();
        self.sync = Some(Sync {
            started: Instant::now(),
            started_ms: now_ms,
            pace,
            registries,
        });
        self.advance(Instant::now());
    }

    /// Brings each registry of the latest sync up to date: finished ones
    /// `success` (with the time) or `failed` (with the reason), the rest
    /// `doing`.
    pub fn advance(&mut self, now: Instant) {
        let Some(sync) = &self.sync else { return };
        let done = sync.done(now);
        for (n, id) in sync.registries.iter().enumerate() {
            let Some(r) = self.list.iter_mut().find(|r| r.registry_id == *id) else {
                continue;
            };
            let status = if n >= done {
                sync_status::DOING
            } else if fails(r) {
                sync_status::FAILED
            } else {
                r.latest_sync_time = Some(tencent_time(sync.finished_ms(n)));
                sync_status::SUCCESS
            };
            r.sync_status = Some(status.to_owned());
        }
    }

    /// The answer of `DescribeAssetImageRegistryAssetStatus` at `now`.
    pub fn status(&self, now: Instant) -> RegistrySyncStatus {
        let Some(sync) = &self.sync else {
            return self.previous.clone();
        };
        let done = sync.done(now);
        let failed: Vec<&TcssRegistry> = self
            .list
            .iter()
            .filter(|r| sync.registries.contains(&r.registry_id) && fails(r))
            .collect();
        let previous_success = self.previous.latest_sync_success_time.clone();
        if done < sync.registries.len() {
            return RegistrySyncStatus {
                status: Some(sync_status::DOING.to_owned()),
                latest_sync_success_time: previous_success,
                ..RegistrySyncStatus::default()
            };
        }
        match failed.first() {
            Some(r) => RegistrySyncStatus {
                status: Some(sync_status::FAILED.to_owned()),
                err: Some(format!(
                    "{}: {}",
                    r.name,
                    r.sync_fail_reason.as_deref().unwrap_or(HARBOR_FAILURE)
                )),
                latest_sync_success_time: previous_success,
                request_id: None,
            },
            None => RegistrySyncStatus {
                status: Some(sync_status::SUCCESS.to_owned()),
                latest_sync_success_time: Some(tencent_time(
                    sync.finished_ms(sync.registries.len().saturating_sub(1)),
                )),
                err: None,
                request_id: None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sync_runs_over_time_and_the_broken_registry_fails_with_its_reason() {
        let mut regs = TcssRegistries::generate(super::super::inventory::now_ms());
        assert_eq!(regs.list.len(), 3);
        assert_eq!(
            regs.status(Instant::now()).status.as_deref(),
            Some(sync_status::FAILED)
        );
        regs.start_sync(&[1], Duration::from_millis(200), 0);
        let now = Instant::now();
        assert_eq!(regs.status(now).status.as_deref(), Some(sync_status::DOING));
        assert_eq!(
            regs.list[0].sync_status.as_deref(),
            Some(sync_status::DOING)
        );
        let later = now + Duration::from_millis(250);
        regs.advance(later);
        let status = regs.status(later);
        assert_eq!(status.status.as_deref(), Some(sync_status::SUCCESS));
        assert_eq!(status.err, None);
        assert_eq!(
            regs.list[0].sync_status.as_deref(),
            Some(sync_status::SUCCESS)
        );

        regs.start_sync(&[], Duration::ZERO, 0);
        let status = regs.status(Instant::now());
        assert_eq!(status.status.as_deref(), Some(sync_status::FAILED));
        assert!(status.err.is_some_and(|e| e.starts_with("harbor-prod: ")));
        assert_eq!(
            regs.list[2].sync_status.as_deref(),
            Some(sync_status::FAILED)
        );
        assert_eq!(
            regs.list[1].sync_status.as_deref(),
            Some(sync_status::SUCCESS)
        );
    }
}
