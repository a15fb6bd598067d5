//! The sandbox's world: tasks (and, as it grows, images and registries),
//! generated deterministically from a seed.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scanport_wire::hss::{FailedImage, ImageScanTaskInfo, TaskListType};
use scanport_wire::tcss::{TimingScanTask, UpdateTimingScanRequest};

/// Documented `failed_reason` values the sandbox uses for failed images.
const FAILED_REASONS: [&str; 5] = [
    "download_failed",
    "image_oversized",
    "authentication_failed",
    "failed_to_scan_vulnerability",
    "response_timed_out",
];
const NAMESPACES: [&str; 6] = ["payments", "platform", "web", "data", "ml", "infra"];
const IMAGES: [&str; 8] = [
    "api-gateway",
    "checkout",
    "nginx",
    "postgres",
    "redis",
    "worker",
    "frontend",
    "trainer",
];

/// A task and which list it belongs to.
#[derive(Debug, Clone)]
pub struct Task {
    pub list: TaskListType,
    pub info: ImageScanTaskInfo,
}

#[derive(Debug, Clone)]
pub struct Inventory {
    pub tasks: Vec<Task>,
    /// TCSS's registry scan schedule.
    pub timing_scan: TimingScanTask,
}

impl Inventory {
    /// The same seed always gives the same inventory (times are relative
    /// to now, so the console always shows recent activity).
    pub fn generate(seed: u64) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let now_ms = now_ms();
        let mut tasks = Vec::new();
        for i in 0..24 {
            tasks.push(scan_task(&mut rng, i, now_ms));
        }
        for i in 0..12 {
            tasks.push(sync_task(&mut rng, i, now_ms));
        }
        Self {
            tasks,
            timing_scan: TimingScanTask {
                enable: true,
                scan_time: "03:00:00".to_owned(),
                scan_period: 1,
                scan_type: vec!["CVE".to_owned(), "VIRUS".to_owned()],
                all: true,
                latest: true,
                registry_type: vec!["tcr".to_owned(), "ccr".to_owned()],
                scan_scope: 0,
                last_scan_time: Some("2026-11-21 03:00:00".to_owned()),
                scan_result: Some("Success".to_owned()),
                ..TimingScanTask::default()
            },
        }
    }

    /// Stores a validated schedule update, as Describe will read it back.
    pub fn apply_timing_scan(&mut self, req: UpdateTimingScanRequest) {
        let t = &mut self.timing_scan;
        t.scan_period = req.scan_period;
        t.enable = req.enable;
        t.scan_time = req.scan_time;
        if let Some(v) = req.scan_type {
            t.scan_type = v
                .iter()
                .filter_map(|s| serde_json::to_value(s).ok())
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        if let Some(v) = req.images {
            t.images = v;
        }
        if let Some(v) = req.all {
            t.all = v;
        }
        if let Some(v) = req.id {
            t.id = v;
        }
        if let Some(v) = req.latest {
            t.latest = v;
        }
        if let Some(v) = req.container_running {
            t.container_running = v;
        }
        if req.scan_end_time.is_some() {
            t.scan_end_time = req.scan_end_time;
        }
        if let Some(v) = req.scan_scope {
            t.scan_scope = v;
        }
        if let Some(v) = req.registry_type {
            t.registry_type = v
                .iter()
                .filter_map(|s| serde_json::to_value(s).ok())
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
        }
        if let Some(v) = req.namespace {
            t.namespace = v;
        }
        if let Some(v) = req.exclude_image_asset_ids {
            t.exclude_image_asset_ids = v;
        }
    }
}

pub(crate) fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis(),
    )
    .unwrap_or(i64::MAX)
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn failed_images(rng: &mut StdRng, count: i64, task: usize) -> Vec<FailedImage> {
    (0..count)
        .map(|n| FailedImage {
            id: Some(format!("img-{task:03}-{n:03}")),
            registry_id: Some("swr-private".to_owned()),
            registry_name: Some("SWR private".to_owned()),
            image_name: pick(rng, &IMAGES).to_owned(),
            image_version: format!(
                "v{}.{}.{}",
                rng.random_range(1..4),
                rng.random_range(0..10),
                n
            ),
            namespace: pick(rng, &NAMESPACES).to_owned(),
            registry_type: Some("SwrPrivate".to_owned()),
            failed_reason: Some(pick(rng, &FAILED_REASONS).to_owned()),
        })
        .collect()
}

fn scan_task(rng: &mut StdRng, i: usize, now_ms: i64) -> Task {
    const HOUR: i64 = 3_600_000;
    let begin = now_ms - i64::try_from(i).unwrap_or(0) * 7 * HOUR - rng.random_range(0..HOUR);
    let total: i64 = rng.random_range(5..120);
    // The newest task is still running; a few older ones ended badly.
    let status: i64 = match i {
        0 => 35,
        5 => -1,
        9 => -2,
        14 => -3,
        _ => 100,
    };
    let done = if status == 100 || status < 0 {
        total
    } else {
        total * status / 100
    };
    let failed = if status == -3 {
        done
    } else {
        rng.random_range(0..=done.min(6))
    };
    let success = done - failed;
    let cycle = i.is_multiple_of(3);
    Task {
        list: TaskListType::ImageScan,
        info: ImageScanTaskInfo {
            task_id: format!("scan-{:04}-{:08x}", 24 - i, rng.random::<u32>()),
            policy_id: None,
            task_name: if cycle {
                format!("Scheduled scan #{}", 24 - i)
            } else {
                format!(
                    "Manual scan: {}/{}",
                    pick(rng, &NAMESPACES),
                    pick(rng, &IMAGES)
                )
            },
            begin_time: Some(begin),
            end_time: (status != 35).then(|| begin + rng.random_range(HOUR / 6..HOUR)),
            remain_min: (status == 35).then_some(rng.random_range(3..20)),
            task_type: Some(if cycle { "cycle" } else { "manual" }.to_owned()),
            image_type: Some("registry".to_owned()),
            task_status: status,
            scan_scope: Some(if cycle { 0x7fff_ffff } else { 0x000f_0f00 }),
            rate_limit: Some(0),
            is_all: Some(cycle),
            failed_num: failed,
            success_num: success,
            total_num: total,
            risky_num: rng.random_range(0..=success),
            sync_task_type: None,
            failed_reason: (status == -3).then(|| "response_timed_out".to_owned()),
            failed_images: failed_images(rng, failed, i),
        },
    }
}

fn sync_task(rng: &mut StdRng, i: usize, now_ms: i64) -> Task {
    const HOUR: i64 = 3_600_000;
    let begin = now_ms - i64::try_from(i).unwrap_or(0) * 11 * HOUR - rng.random_range(0..HOUR);
    let total: i64 = rng.random_range(10..400);
    let failed = if i == 3 { rng.random_range(1..5) } else { 0 };
    let auto = i.is_multiple_of(2);
    Task {
        list: TaskListType::ImageSync,
        info: ImageScanTaskInfo {
            task_id: format!("sync-{:04}-{:08x}", 12 - i, rng.random::<u32>()),
            policy_id: None,
            task_name: if auto {
                format!("Automatic registry sync #{}", 12 - i)
            } else {
                "Sync all registries".to_owned()
            },
            begin_time: Some(begin),
            end_time: Some(begin + rng.random_range(60_000..600_000)),
            remain_min: None,
            task_type: Some(if auto { "autoSync" } else { "manualSync" }.to_owned()),
            image_type: Some("registry".to_owned()),
            task_status: 100,
            scan_scope: None,
            rate_limit: None,
            is_all: Some(true),
            failed_num: failed,
            success_num: total - failed,
            total_num: total,
            risky_num: 0,
            sync_task_type: Some(if auto { "auto" } else { "manual" }.to_owned()),
            failed_reason: None,
            failed_images: failed_images(rng, failed, 100 + i),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_tasks_and_counts_add_up() {
        let a = Inventory::generate(7);
        let b = Inventory::generate(7);
        let ids = |inv: &Inventory| {
            inv.tasks
                .iter()
                .map(|t| t.info.task_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        for task in &a.tasks {
            let t = &task.info;
            assert!(t.success_num + t.failed_num <= t.total_num, "{t:?}");
            assert_eq!(
                t.failed_images.len(),
                usize::try_from(t.failed_num).unwrap_or(0)
            );
        }
    }
}
