//! The sandbox's world, generated deterministically from a seed: SWR
//! images, registries, TCSS registry images, past tasks, and tasks that
//! progress over time when launched.

use super::tcss_registries::TcssRegistries;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use scanport_wire::hss::{
    AssociateImage, FailedImage, ImageScanTaskInfo, Registry, RegistryImageInfo, SwrImage,
    TaskListType,
};
use scanport_wire::tcss::{RegistryImage, TimingScanTask, UpdateTimingScanRequest, scan_status};
use std::time::{Duration, Instant};

/// Documented `failed_reason` values used for images that fail a scan.
const FAILED_REASONS: [&str; 6] = [
    "download_failed",
    "image_oversized",
    "authentication_failed",
    "failed_to_scan_vulnerability",
    "response_timed_out",
    "failed_to_query_basic_image_information",
];
pub(crate) const NAMESPACES: [&str; 6] = ["payments", "platform", "web", "data", "ml", "infra"];
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
const HOUR_MS: i64 = 3_600_000;
/// The accounts that share images with this one (`domain_name`).
const SHARING_ACCOUNTS: [&str; 3] = ["partner-devops", "vendor-acme", "group-platform"];
/// Repositories whose latest tag is a multi-arch image.
const MULTI_ARCH: [&str; 2] = ["nginx", "redis"];
/// About one image in eight fails a scan, for a documented reason.
const FAILURE_ONE_IN: u32 = 8;

/// Who an image in a task is.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Index into `Inventory::images`, when the image is known.
    pub image: Option<usize>,
    /// Index into `Inventory::registry_images` (a third-party registry's
    /// image), when the image is one.
    pub registry_image: Option<usize>,
    /// Index into `Inventory::registries`: the registry a sync reads.
    pub registry: Option<usize>,
    pub namespace: String,
    pub image_name: String,
    pub image_version: String,
    pub registry_type: String,
    /// Set when this image will fail, with the documented reason.
    pub failure: Option<&'static str>,
}

/// A task launched in this sandbox's lifetime, progressing with time.
#[derive(Debug, Clone)]
pub struct Live {
    pub started: Instant,
    /// Time per image.
    pub pace: Duration,
    pub targets: Vec<Target>,
    /// Images whose results were already written back to the inventory.
    pub applied: usize,
    pub stopped: bool,
}

/// What a launch call asked for.
#[derive(Debug, Clone)]
pub struct NewTask {
    pub list: TaskListType,
    pub task_type: &'static str,
    pub name: String,
    pub scan_scope: Option<i64>,
    pub is_all: bool,
}

impl NewTask {
    /// A manual scan task.
    pub fn scan(name: String, scan_scope: i64, is_all: bool) -> Self {
        Self {
            list: TaskListType::ImageScan,
            task_type: "manual",
            name,
            scan_scope: Some(scan_scope),
            is_all,
        }
    }

    /// A manual sync task.
    pub fn sync(name: String, is_all: bool) -> Self {
        Self {
            list: TaskListType::ImageSync,
            task_type: "manualSync",
            name,
            scan_scope: None,
            is_all,
        }
    }
}

/// A task and which list it belongs to.
#[derive(Debug, Clone)]
pub struct Task {
    pub list: TaskListType,
    pub info: ImageScanTaskInfo,
    pub live: Option<Live>,
    /// A sync task's registries and how each went.
    pub synced: Vec<super::hss_registry_images::SyncedRegistry>,
}

/// A TCSS one-key registry scan: one image per `pace`, in order.
#[derive(Debug, Clone)]
pub struct TcssScan {
    pub id: i64,
    pub started: Instant,
    /// `started` on the wall clock (ms), for the images' `ScanTime`.
    pub started_ms: i64,
    pub pace: Duration,
    pub image_ids: Vec<i64>,
    /// When `ModifyAssetImageRegistryScanStopOneKey` stopped it.
    pub stopped: Option<Instant>,
}

impl TcssScan {
    /// Images finished (scanned or failed) by `now`.
    pub fn done(&self, now: Instant) -> usize {
        let total = self.image_ids.len();
        if self.pace.is_zero() {
            return if self.stopped.is_some() { 0 } else { total };
        }
        let until = self.stopped.map_or(now, |s| s.min(now));
        let elapsed = until.saturating_duration_since(self.started);
        usize::try_from(elapsed.as_nanos() / self.pace.as_nanos())
            .unwrap_or(usize::MAX)
            .min(total)
    }

    /// Whether it still runs at `now`.
    pub fn running(&self, now: Instant) -> bool {
        self.stopped.is_none() && self.done(now) < self.image_ids.len()
    }

    /// The scan's state as TCSS names it.
    pub fn status(&self, now: Instant) -> &'static str {
        if self.stopped.is_some() && self.done(now) < self.image_ids.len() {
            scan_status::CANCELED
        } else if self.running(now) {
            scan_status::SCANNING
        } else {
            scan_status::SCANNED
        }
    }
}

/// Whether scanning this image fails (a few do, always the same ones).
pub(crate) fn scan_fails(image_id: i64) -> bool {
    image_id % 17 == 0
}

/// Why a TCSS image's scan failed, as the service words it
/// (`ScanVulError`).
pub(crate) const TCSS_SCAN_ERROR: &str = "pull image failed: unauthorized: authentication required";

/// Whether a scanned image showed anything.
pub(crate) fn is_risky(image: &RegistryImage) -> bool {
    image.vul_cnt.unwrap_or(0) + image.virus_cnt.unwrap_or(0) + image.risk_cnt.unwrap_or(0) > 0
}

/// `YYYY-MM-DD HH:MM:SS` in China Standard Time (UTC+8), TCSS's time format.
pub(crate) fn tencent_time(ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(time::macros::offset!(+8));
    t.format(time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second]"
    ))
    .unwrap_or_default()
}

#[derive(Debug, Clone)]
pub struct Inventory {
    pub images: Vec<SwrImage>,
    pub registries: Vec<Registry>,
    /// Images of the third-party registries (Harbor, JFrog); SWR's are
    /// `images`.
    pub registry_images: Vec<RegistryImageInfo>,
    pub tasks: Vec<Task>,
    pub tcss_images: Vec<RegistryImage>,
    pub tcss_scans: Vec<TcssScan>,
    /// TCSS's connected registries and their syncs.
    pub tcss_registries: TcssRegistries,
    /// TCSS's registry scan schedule.
    pub timing_scan: TimingScanTask,
    /// HSS's scheduled scan policy.
    pub scan_policy: super::hss_policy::CyclePolicy,
    rng: StdRng,
    next_task: u64,
}

pub(crate) use scanport_wire::clock::now_ms;

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn hex(rng: &mut StdRng, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect()
}

impl Inventory {
    /// The same seed always gives the same inventory (times are relative
    /// to now, so the console always shows recent activity).
    pub fn generate(seed: u64, pace: Duration) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let now = now_ms();
        let images = generate_images(&mut rng, now);
        let registries = generate_registries(&mut rng, now, &images);
        let mut tasks = Vec::new();
        for i in 0..24 {
            tasks.push(past_scan_task(&mut rng, i, now));
        }
        for i in 0..12 {
            tasks.push(past_sync_task(&mut rng, i, now));
        }
        let tcss_images = generate_tcss_images(&mut rng);
        // From a stream of their own, so the rest of the world stays as
        // the seed always made it.
        let registry_images = super::hss_registry_images::generate(seed, now, &registries);
        for task in tasks
            .iter_mut()
            .filter(|t| t.list == TaskListType::ImageSync)
        {
            task.synced = super::hss_registry_images::past_results(&registries);
        }
        let mut inventory = Self {
            images,
            registries,
            registry_images,
            tasks,
            tcss_images,
            tcss_scans: Vec::new(),
            tcss_registries: TcssRegistries::generate(now),
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
            scan_policy: super::hss_policy::CyclePolicy::default(),
            rng,
            next_task: 1,
        };
        inventory.set_running_past_task(pace);
        inventory
    }

    /// The newest past scan (frozen at 35 % in the seed) really runs: it
    /// continues from where it stands, one image per `pace`, over the first
    /// images of the inventory.
    fn set_running_past_task(&mut self, pace: Duration) {
        let Some(index) = self.tasks.iter().position(|t| t.info.task_status == 35) else {
            return;
        };
        // 80 images: at the default pace it runs for minutes after start.
        let total = 80.min(self.images.len());
        let targets: Vec<Target> = (0..total).map(|i| self.target(i)).collect();
        let targets = self.plan_targets(targets);
        let done = total * 35 / 100;
        let task = &mut self.tasks[index];
        task.info.total_num = i64::try_from(total).unwrap_or(0);
        task.live = Some(Live {
            started: Instant::now()
                .checked_sub(pace * u32::try_from(done).unwrap_or(0))
                .unwrap_or_else(Instant::now),
            pace,
            targets,
            applied: done,
            stopped: false,
        });
    }

    /// Decides, for each image of a new task, whether it will fail.
    pub fn plan_targets(&mut self, images: Vec<Target>) -> Vec<Target> {
        images
            .into_iter()
            .map(|mut t| {
                if t.failure.is_none() && self.rng.random_range(0..FAILURE_ONE_IN) == 0 {
                    t.failure =
                        Some(FAILED_REASONS[self.rng.random_range(0..FAILED_REASONS.len())]);
                }
                t
            })
            .collect()
    }

    /// A target for a known image.
    pub fn target(&self, index: usize) -> Target {
        let image = &self.images[index];
        Target {
            image: Some(index),
            namespace: image.namespace.clone(),
            image_name: image.image_name.clone(),
            image_version: image.image_version.clone(),
            registry_type: registry_type_of(image.image_type.as_deref()).to_owned(),
            ..Target::default()
        }
    }

    /// Starts a task over `targets`, which progress one per `pace`.
    pub fn launch(&mut self, task: NewTask, targets: Vec<Target>, pace: Duration) -> String {
        let synced = if task.list == TaskListType::ImageSync {
            super::hss_registry_images::live_results(&self.registries, &targets)
        } else {
            Vec::new()
        };
        let NewTask {
            list,
            task_type,
            name,
            scan_scope,
            is_all,
        } = task;
        let id = format!(
            "{}-live-{:04}-{}",
            list_prefix(list),
            self.next_task,
            hex(&mut self.rng, 8)
        );
        self.next_task += 1;
        let total = i64::try_from(targets.len()).unwrap_or(i64::MAX);
        self.tasks.push(Task {
            list,
            info: ImageScanTaskInfo {
                task_id: id.clone(),
                task_name: name,
                begin_time: Some(now_ms()),
                task_type: Some(task_type.to_owned()),
                image_type: Some("registry".to_owned()),
                task_status: 0,
                scan_scope,
                rate_limit: Some(0),
                is_all: Some(is_all),
                total_num: total,
                remain_min: Some(remaining_minutes(targets.len(), pace)),
                sync_task_type: (list == TaskListType::ImageSync).then(|| "manual".to_owned()),
                ..ImageScanTaskInfo::default()
            },
            live: Some(Live {
                started: Instant::now(),
                pace,
                targets,
                applied: 0,
                stopped: false,
            }),
            synced,
        });
        id
    }

    /// Moves every live task forward to `now`, writing finished images'
    /// results back to the image list.
    pub fn advance(&mut self, now: Instant) {
        let now_wall = now_ms();
        for task in &mut self.tasks {
            let Some(live) = task.live.as_mut() else {
                continue;
            };
            if live.stopped || task.info.task_status == 100 {
                continue;
            }
            let total = live.targets.len();
            let elapsed = now.saturating_duration_since(live.started);
            let done = if live.pace.is_zero() {
                total
            } else {
                usize::try_from(elapsed.as_nanos() / live.pace.as_nanos())
                    .unwrap_or(usize::MAX)
                    .min(total)
            };
            for target in &live.targets[live.applied..done] {
                if task.list == TaskListType::ImageScan
                    && let Some(image) = target
                        .registry_image
                        .and_then(|i| self.registry_images.get_mut(i))
                {
                    super::hss_registry_images::record_scan(image, target.failure, now_wall);
                }
                if task.list == TaskListType::ImageScan
                    && let Some(image) = target.image.and_then(|i| self.images.get_mut(i))
                {
                    image.latest_scan_time = Some(now_wall);
                    image.scan_status = Some(
                        if target.failure.is_some() {
                            "failed"
                        } else {
                            "success"
                        }
                        .to_owned(),
                    );
                    image.scan_failed_desc = target.failure.map(str::to_owned);
                }
            }
            live.applied = done;
            let info = &mut task.info;
            let failed: Vec<FailedImage> = live.targets[..done]
                .iter()
                .enumerate()
                .filter_map(|(n, t)| {
                    let (registry_id, registry_name) = match t
                        .registry
                        .and_then(|r| self.registries.get(r))
                    {
                        Some(r) => (r.id.clone(), r.registry_name.clone()),
                        None => match t.registry_image.and_then(|i| self.registry_images.get(i)) {
                            Some(i) => (
                                i.registry_id.clone().unwrap_or_default(),
                                i.registry_name.clone().unwrap_or_default(),
                            ),
                            None => (
                                registry_id_of(&t.registry_type).to_owned(),
                                registry_name_of(&t.registry_type).to_owned(),
                            ),
                        },
                    };
                    t.failure.map(|reason| FailedImage {
                        id: Some(i64::try_from(n).unwrap_or(0) + 1),
                        registry_id: Some(registry_id),
                        registry_name: Some(registry_name),
                        image_name: t.image_name.clone(),
                        image_version: t.image_version.clone(),
                        namespace: t.namespace.clone(),
                        registry_type: Some(t.registry_type.clone()),
                        failed_reason: Some(reason.to_owned()),
                    })
                })
                .collect();
            info.failed_num = i64::try_from(failed.len()).unwrap_or(0);
            info.success_num = i64::try_from(done).unwrap_or(0) - info.failed_num;
            info.risky_num = live.targets[..done]
                .iter()
                .filter(|t| t.failure.is_none())
                .filter(|t| {
                    t.image.and_then(|i| self.images.get(i)).is_some_and(|img| {
                        img.vul_num.unwrap_or(0) + img.malicious_file_num.unwrap_or(0) > 0
                    })
                })
                .count()
                .try_into()
                .unwrap_or(0);
            info.failed_images = failed;
            info.remain_min = Some(remaining_minutes(total - done, live.pace));
            if done == total {
                info.task_status = 100;
                info.end_time = Some(now_wall);
                info.remain_min = Some(0);
            } else {
                info.task_status = i64::try_from(done * 100 / total.max(1))
                    .unwrap_or(0)
                    .min(99);
            }
        }
    }

    /// Stops a running task, as `PUT …/stop` does.
    pub fn stop(&mut self, task_id: &str) -> Result<(), &'static str> {
        let task = self
            .tasks
            .iter_mut()
            .find(|t| t.info.task_id == task_id && t.list == TaskListType::ImageScan)
            .ok_or("the task does not exist")?;
        if task.info.is_all == Some(true) {
            return Err("a scan of all images cannot be stopped once started");
        }
        if !(0..100).contains(&task.info.task_status) {
            return Err("the task is not running");
        }
        let live = task.live.as_mut().ok_or("the task is not running")?;
        live.stopped = true;
        task.info.task_status = -1;
        task.info.end_time = Some(now_ms());
        task.info.remain_min = Some(0);
        Ok(())
    }

    /// Stores a validated schedule update, as Describe will read it back.
    pub fn apply_timing_scan(&mut self, req: UpdateTimingScanRequest) {
        let t = &mut self.timing_scan;
        t.scan_period = req.scan_period;
        t.enable = req.enable;
        t.scan_time = req.scan_time;
        if let Some(v) = req.scan_type {
            t.scan_type = v.iter().map(|s| s.as_str().to_owned()).collect();
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
            t.registry_type = v;
        }
        if let Some(v) = req.namespace {
            t.namespace = v;
        }
        if let Some(v) = req.exclude_image_asset_ids {
            t.exclude_image_asset_ids = v;
        }
    }

    /// Starts a TCSS one-key scan over image asset ids.
    pub fn launch_tcss_scan(&mut self, image_ids: Vec<i64>, pace: Duration) -> i64 {
        let id = i64::try_from(self.next_task).unwrap_or(0) + 10_000;
        self.next_task += 1;
        self.tcss_scans.push(TcssScan {
            id,
            started: Instant::now(),
            started_ms: now_ms(),
            pace,
            image_ids,
            stopped: None,
        });
        self.advance_tcss(Instant::now());
        id
    }

    /// Stops the TCSS scans `which` picks that still run; a finished scan
    /// is left as it is. Returns how many were stopped.
    pub fn stop_tcss_scans(&mut self, which: impl Fn(&TcssScan) -> bool) -> usize {
        let now = Instant::now();
        let mut stopped = 0;
        for scan in self.tcss_scans.iter_mut().filter(|s| which(s)) {
            if scan.running(now) {
                scan.stopped = Some(now);
                stopped += 1;
            }
        }
        self.advance_tcss(now);
        stopped
    }

    /// Brings the registry images up to date with the scans, oldest first
    /// so the newest scan of an image has the last word: finished images
    /// are `SCANNED` (or `SCAN_ERR`) with the time they finished, the rest
    /// `SCANNING`, or `CANCELED` once their scan was stopped.
    pub fn advance_tcss(&mut self, now: Instant) {
        self.tcss_registries.advance(now);
        for scan in &self.tcss_scans {
            let done = scan.done(now);
            let pace_ms = i64::try_from(scan.pace.as_millis()).unwrap_or(i64::MAX);
            for (n, id) in scan.image_ids.iter().enumerate() {
                let Some(image) = self.tcss_images.iter_mut().find(|i| i.id == *id) else {
                    continue;
                };
                let status = if n < done {
                    let finished = i64::try_from(n + 1)
                        .unwrap_or(i64::MAX)
                        .saturating_mul(pace_ms)
                        .saturating_add(scan.started_ms);
                    image.scan_time = Some(tencent_time(finished));
                    let failed = scan_fails(*id);
                    image.scan_vul_error = failed.then(|| TCSS_SCAN_ERROR.to_owned());
                    if failed {
                        scan_status::SCAN_ERR
                    } else {
                        scan_status::SCANNED
                    }
                } else if scan.stopped.is_some() {
                    scan_status::CANCELED
                } else {
                    scan_status::SCANNING
                };
                image.scan_status = Some(status.to_owned());
            }
        }
    }
}

fn list_prefix(list: TaskListType) -> &'static str {
    match list {
        TaskListType::ImageScan => "scan",
        TaskListType::ImageSync => "sync",
    }
}

fn remaining_minutes(images: usize, pace: Duration) -> i64 {
    let secs = pace.as_secs_f64() * images as f64;
    (secs / 60.0).ceil() as i64
}

pub(crate) fn registry_type_of(image_type: Option<&str>) -> &'static str {
    match image_type {
        Some("shared_image") => "SwrShared",
        Some("instance_image") => "SwrEnterprise",
        Some("local_image") => "Local",
        _ => "SwrPrivate",
    }
}

fn registry_id_of(registry_type: &str) -> &'static str {
    match registry_type {
        "SwrShared" => "reg-swr-shared",
        "SwrEnterprise" => "reg-swr-ee",
        "Harbor" => "reg-harbor",
        "Jfrog" => "reg-jfrog",
        "Other" => "reg-other",
        "Local" => "local",
        _ => "reg-swr-private",
    }
}

fn registry_name_of(registry_type: &str) -> &'static str {
    match registry_type {
        "SwrShared" => "SWR shared",
        "SwrEnterprise" => "SWR enterprise: prod",
        "Harbor" => "Harbor (corp)",
        "Jfrog" => "JFrog Artifactory",
        "Other" => "GitLab registry",
        "Local" => "Local images",
        _ => "SWR private",
    }
}

fn generate_images(rng: &mut StdRng, now: i64) -> Vec<SwrImage> {
    let mut images = Vec::new();
    let mut id = 1000;
    for (n, namespace) in NAMESPACES.iter().enumerate() {
        for (m, name) in IMAGES.iter().enumerate() {
            // Which registry kind this repository lives in.
            let image_type = match (n + m) % 10 {
                0..=5 => "private_image",
                6 | 7 => "shared_image",
                8 => "instance_image",
                _ => "local_image",
            };
            let versions = 6 + (n * 3 + m) % 3; // 6..8 tags per repository
            for v in 0..versions {
                id += 1;
                let latest = v + 1 == versions;
                let scanned = rng.random_range(0..10) < 8;
                let failed = scanned && rng.random_range(0..12) == 0;
                let updated = now
                    - i64::try_from(versions - v).unwrap_or(0) * 36 * HOUR_MS
                    - rng.random_range(0..HOUR_MS);
                let instance = image_type == "instance_image";
                let shared = image_type == "shared_image";
                images.push(SwrImage {
                    id: Some(id),
                    namespace: (*namespace).to_owned(),
                    image_name: (*name).to_owned(),
                    image_id: Some(format!("sha256:{}", hex(rng, 12))),
                    image_digest: Some(format!("sha256:{}", hex(rng, 64))),
                    image_version: format!("v{}.{}.{}", 1 + v / 4, v % 4, rng.random_range(0..10)),
                    image_type: Some(image_type.to_owned()),
                    latest_version: Some(latest),
                    scan_status: Some(
                        match (scanned, failed) {
                            (false, _) => "unscan",
                            (true, true) => "failed",
                            (true, false) => "success",
                        }
                        .to_owned(),
                    ),
                    scan_failed_desc: failed.then(|| pick(rng, &FAILED_REASONS).to_owned()),
                    image_size: Some(rng.random_range(20_000_000..1_800_000_000)),
                    latest_update_time: Some(updated),
                    latest_scan_time: scanned.then(|| updated + rng.random_range(0..12 * HOUR_MS)),
                    vul_num: Some(if scanned && !failed {
                        rng.random_range(0..40)
                    } else {
                        0
                    }),
                    unsafe_setting_num: Some(if scanned { rng.random_range(0..4) } else { 0 }),
                    malicious_file_num: Some(if scanned && rng.random_range(0..15) == 0 {
                        1
                    } else {
                        0
                    }),
                    // Shared images belong to another account; one
                    // repository's share has lapsed.
                    domain_name: shared
                        .then(|| SHARING_ACCOUNTS[m % SHARING_ACCOUNTS.len()].to_owned()),
                    shared_status: shared
                        .then(|| if m == 7 { "expired" } else { "effective" }.to_owned()),
                    scannable: Some(true),
                    instance_id: instance.then(|| "swr-ee-7f3a".to_owned()),
                    instance_name: instance.then(|| "swr-ee-prod".to_owned()),
                    instance_url: instance.then(|| "swr-ee-prod.ap-southeast-1.example".to_owned()),
                    association_images: Vec::new(),
                });
                // Latest tags of a few repositories are multi-arch: one
                // image per architecture, derived without the seed's
                // random numbers so the rest of the world stays as it was.
                if latest && MULTI_ARCH.contains(name) && image_type != "local_image" {
                    let index = images.len() - 1;
                    let image = &images[index];
                    let arch = |suffix: &str, k: i64| AssociateImage {
                        image_name: Some(image.image_name.clone()),
                        image_version: Some(format!("{}-{suffix}", image.image_version)),
                        image_type: image.image_type.clone(),
                        namespace: Some(image.namespace.clone()),
                        image_digest: Some(format!("sha256:{:064x}", (id * 7919 + k) * 104_729)),
                        scan_status: image.scan_status.clone(),
                    };
                    let archs = vec![arch("amd64", 1), arch("arm64", 2)];
                    images[index].association_images = archs;
                }
            }
        }
    }
    images
}

fn generate_registries(rng: &mut StdRng, now: i64, images: &[SwrImage]) -> Vec<Registry> {
    let count = |t: &str| {
        i64::try_from(
            images
                .iter()
                .filter(|i| i.image_type.as_deref() == Some(t))
                .count(),
        )
        .unwrap_or(0)
    };
    /// How one registry is connected.
    struct Conn<'a> {
        addr: &'a str,
        protocol: &'a str,
        api_version: &'a str,
        username: Option<&'a str>,
        /// Third-party registries are reached through a cluster.
        cluster: Option<&'a str>,
        channel: Option<&'a str>,
        namespace: Option<&'a str>,
    }
    let swr = |addr| Conn {
        addr,
        protocol: "https",
        api_version: "V2",
        username: None,
        cluster: None,
        channel: None,
        namespace: None,
    };
    let entry = |id: &str,
                 name: &str,
                 ty: &str,
                 conn: Conn<'_>,
                 status: &str,
                 fail: Option<&str>,
                 n: i64,
                 ago: i64| Registry {
        id: id.to_owned(),
        registry_name: name.to_owned(),
        registry_type: ty.to_owned(),
        api_version: Some(conn.api_version.to_owned()),
        protocol: Some(conn.protocol.to_owned()),
        registry_addr: Some(conn.addr.to_owned()),
        registry_username: conn.username.map(str::to_owned),
        namespace: conn.namespace.map(str::to_owned),
        connect_cluster_id: conn.cluster.map(str::to_owned),
        get_scan_image_channel: conn.channel.map(str::to_owned),
        status: Some(status.to_owned()),
        fail_reason: fail.map(str::to_owned),
        images_num: Some(n),
        latest_sync_time: Some(now - ago),
    };
    vec![
        entry(
            "reg-swr-private",
            "SWR private",
            "SwrPrivate",
            swr("swr.ap-southeast-1.myhuaweicloud.com"),
            "success",
            None,
            count("private_image"),
            2 * HOUR_MS,
        ),
        entry(
            "reg-swr-shared",
            "SWR shared",
            "SwrShared",
            swr("swr.ap-southeast-1.myhuaweicloud.com"),
            "success",
            None,
            count("shared_image"),
            2 * HOUR_MS,
        ),
        entry(
            "reg-swr-ee",
            "SWR enterprise: prod",
            "SwrEnterprise",
            swr("swr-ee-prod.ap-southeast-1.example"),
            "success",
            None,
            count("instance_image"),
            5 * HOUR_MS,
        ),
        entry(
            "reg-harbor",
            "Harbor (corp)",
            "Harbor",
            Conn {
                addr: "harbor.corp.example",
                protocol: "https",
                api_version: "V2",
                username: Some("robot$hss-scanner"),
                cluster: Some("4f2c9a1e-cce-prod"),
                channel: Some("Swr"),
                namespace: None,
            },
            "success",
            None,
            rng.random_range(40..90),
            9 * HOUR_MS,
        ),
        // A Harbor the cluster no longer reaches: its images are the ones
        // its last good sync listed, and every sync of it fails.
        entry(
            "reg-harbor-legacy",
            "Harbor (legacy)",
            "Harbor",
            Conn {
                addr: "harbor-legacy.corp.example",
                protocol: "https",
                api_version: "V2",
                username: Some("robot$hss-legacy"),
                cluster: Some("b81d07c3-cce-staging"),
                channel: Some("Swr"),
                namespace: None,
            },
            "fail",
            Some("REQUEST_API_ERROR"),
            12,
            30 * HOUR_MS,
        ),
        entry(
            "reg-jfrog",
            "JFrog Artifactory",
            "Jfrog",
            Conn {
                addr: "jfrog.corp.example",
                protocol: "https",
                api_version: "V2",
                username: Some("hss-readonly"),
                cluster: Some("4f2c9a1e-cce-prod"),
                channel: Some("Other"),
                namespace: Some("security-tools"),
            },
            "accessing",
            None,
            rng.random_range(10..40),
            26 * HOUR_MS,
        ),
        entry(
            "reg-other",
            "GitLab registry",
            "Other",
            Conn {
                addr: "registry.gitlab.example:5050",
                protocol: "http",
                api_version: "V2",
                username: Some("gitlab-ci-token"),
                cluster: Some("b81d07c3-cce-staging"),
                channel: Some("Swr"),
                namespace: None,
            },
            "fail",
            // A documented code: the cluster cannot reach the registry.
            Some("REQUEST_API_ERROR"),
            0,
            72 * HOUR_MS,
        ),
    ]
}

fn generate_tcss_images(rng: &mut StdRng) -> Vec<RegistryImage> {
    let types = ["tcr", "ccr", "harbor"];
    (1..=60)
        .map(|id: i64| {
            let ty = types[usize::try_from(id).unwrap_or(0) % types.len()];
            let ns = pick(rng, &NAMESPACES);
            let name = pick(rng, &IMAGES);
            let mut image = RegistryImage {
                id,
                image_digest: Some(format!("sha256:{}", hex(rng, 64))),
                image_repo_address: Some(format!("{ty}.tencentcloudcr.example/{ns}/{name}")),
                registry_type: Some(ty.to_owned()),
                image_name: format!("{ns}/{name}"),
                image_tag: format!("v1.{}.{}", id % 7, id % 3),
                image_size: Some(rng.random_range(20_000_000..900_000_000)),
                scan_time: Some("2026-11-21 03:10:00".to_owned()),
                scan_status: Some(scan_status::SCANNED.to_owned()),
                vul_cnt: Some(rng.random_range(0..30)),
                virus_cnt: Some(i64::from(rng.random_range(0..20) == 0)),
                risk_cnt: Some(rng.random_range(0..5)),
                instance_id: Some(format!("{ty}-ins-01")),
                instance_name: Some(format!("{ty}-prod")),
                namespace: Some(ns.to_owned()),
                is_latest_image: Some(id % 4 == 0),
                is_running: Some(id % 3 == 0),
                ..RegistryImage::default()
            };
            // Derived, not drawn: the rest of the world keeps its seed.
            seed_tcss_state(&mut image);
            image
        })
        .collect()
}

/// A seeded image's state beyond the drawn values: every tenth never
/// scanned, the ones that fail a scan failed, a few not authorized, and
/// the vulnerability count split by severity.
fn seed_tcss_state(image: &mut RegistryImage) {
    let id = image.id;
    if id % 10 == 0 {
        image.scan_status = Some(scan_status::NOT_SCAN.to_owned());
        image.scan_time = None;
        image.vul_cnt = Some(0);
        image.virus_cnt = Some(0);
        image.risk_cnt = Some(0);
    } else if scan_fails(id) {
        image.scan_status = Some(scan_status::SCAN_ERR.to_owned());
        image.scan_vul_error = Some(TCSS_SCAN_ERROR.to_owned());
    }
    let vul = image.vul_cnt.unwrap_or(0);
    let critical = vul / 10;
    let high = vul / 4;
    let medium = vul / 3;
    image.critical_level_vul_cnt = Some(critical);
    image.high_level_vul_cnt = Some(high);
    image.medium_level_vul_cnt = Some(medium);
    image.low_level_vul_cnt = Some(vul - critical - high - medium);
    image.has_need_fix_vul = Some(critical > 0);
    image.is_authorized = Some(i64::from(id % 9 != 0));
}

fn past_failed_images(rng: &mut StdRng, count: i64, task: usize) -> Vec<FailedImage> {
    (0..count)
        .map(|n| FailedImage {
            id: Some(i64::try_from(task * 1000).unwrap_or(0) + n + 1),
            registry_id: Some("reg-swr-private".to_owned()),
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

fn past_scan_task(rng: &mut StdRng, i: usize, now: i64) -> Task {
    let begin = now - i64::try_from(i).unwrap_or(0) * 7 * HOUR_MS - rng.random_range(0..HOUR_MS);
    let total: i64 = rng.random_range(5..120);
    // The newest past task is frozen mid-way (a scan left running by another
    // user); a few older ones ended badly.
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
            task_id: format!("scan-{:04}-{}", 24 - i, hex(rng, 8)),
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
            end_time: (status != 35).then(|| begin + rng.random_range(HOUR_MS / 6..HOUR_MS)),
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
            failed_images: past_failed_images(rng, failed, i),
        },
        live: None,
        synced: Vec::new(),
    }
}

fn past_sync_task(rng: &mut StdRng, i: usize, now: i64) -> Task {
    let begin = now - i64::try_from(i).unwrap_or(0) * 11 * HOUR_MS - rng.random_range(0..HOUR_MS);
    let total: i64 = rng.random_range(10..400);
    let failed = if i == 3 { rng.random_range(1..5) } else { 0 };
    let auto = i.is_multiple_of(2);
    Task {
        list: TaskListType::ImageSync,
        info: ImageScanTaskInfo {
            task_id: format!("sync-{:04}-{}", 12 - i, hex(rng, 8)),
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
            failed_images: past_failed_images(rng, failed, 100 + i),
        },
        live: None,
        synced: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_world_and_counts_add_up() {
        let a = Inventory::generate(7, Duration::from_secs(3));
        let b = Inventory::generate(7, Duration::from_secs(3));
        let ids = |inv: &Inventory| {
            inv.tasks
                .iter()
                .map(|t| t.info.task_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        // Times are relative to now; everything else is the seed's.
        let shape = |inv: &Inventory| {
            inv.images
                .iter()
                .map(|i| {
                    (
                        i.id,
                        i.namespace.clone(),
                        i.image_version.clone(),
                        i.scan_status.clone(),
                        i.vul_num,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&a), shape(&b));
        for task in &a.tasks {
            let t = &task.info;
            assert!(t.success_num + t.failed_num <= t.total_num, "{t:?}");
            assert_eq!(
                t.failed_images.len(),
                usize::try_from(t.failed_num).unwrap_or(0)
            );
        }
    }

    #[test]
    fn the_world_is_big_and_varied_enough() {
        let inv = Inventory::generate(1, Duration::from_secs(3));
        assert!(inv.images.len() >= 300, "{} images", inv.images.len());
        for ns in NAMESPACES {
            assert!(inv.images.iter().any(|i| i.namespace == ns));
        }
        for ty in [
            "private_image",
            "shared_image",
            "instance_image",
            "local_image",
        ] {
            assert!(
                inv.images
                    .iter()
                    .any(|i| i.image_type.as_deref() == Some(ty)),
                "{ty}"
            );
        }
        for ty in [
            "SwrPrivate",
            "SwrShared",
            "SwrEnterprise",
            "Harbor",
            "Jfrog",
            "Other",
        ] {
            assert!(inv.registries.iter().any(|r| r.registry_type == ty), "{ty}");
        }
        assert!(
            inv.registries
                .iter()
                .any(|r| r.status.as_deref() == Some("fail") && r.fail_reason.is_some())
        );
        for ty in ["cycle", "manual", "autoSync", "manualSync"] {
            assert!(
                inv.tasks
                    .iter()
                    .any(|t| t.info.task_type.as_deref() == Some(ty)),
                "{ty}"
            );
        }
    }

    #[test]
    fn a_launched_task_climbs_to_100_with_counts_adding_up() {
        let mut inv = Inventory::generate(3, Duration::from_secs(3));
        let targets: Vec<Target> = (0..10).map(|i| inv.target(i)).collect();
        let targets = inv.plan_targets(targets);
        let pace = Duration::from_millis(10);
        let id = inv.launch(NewTask::scan("t".into(), 0x7fff_ffff, false), targets, pace);
        let started = inv
            .tasks
            .last()
            .and_then(|t| t.live.as_ref())
            .map(|l| l.started)
            .expect("live");
        inv.advance(started + Duration::from_millis(55));
        let mid = inv
            .tasks
            .iter()
            .find(|t| t.info.task_id == id)
            .expect("task")
            .info
            .clone();
        assert!((1..100).contains(&mid.task_status), "{}", mid.task_status);
        assert_eq!(mid.success_num + mid.failed_num, 5);
        inv.advance(started + Duration::from_secs(1));
        let end = &inv
            .tasks
            .iter()
            .find(|t| t.info.task_id == id)
            .expect("task")
            .info;
        assert_eq!(end.task_status, 100);
        assert_eq!(end.success_num + end.failed_num, end.total_num);
        assert_eq!(
            end.failed_images.len(),
            usize::try_from(end.failed_num).unwrap_or(0)
        );
        assert_eq!(end.remain_min, Some(0));
        // Scanned images carry their new status and time.
        assert!(
            inv.images[..10]
                .iter()
                .all(|i| i.latest_scan_time.is_some())
        );
    }

    #[test]
    fn stopping_a_running_task_marks_it_stopped_and_all_image_scans_cannot_be_stopped() {
        let mut inv = Inventory::generate(3, Duration::from_secs(3));
        let t = vec![inv.target(0), inv.target(1)];
        let id = inv.launch(
            NewTask::scan("t".into(), 0x7fff_ffff, false),
            t,
            Duration::from_secs(60),
        );
        inv.stop(&id).expect("stops");
        let task = inv
            .tasks
            .iter()
            .find(|t| t.info.task_id == id)
            .expect("task");
        assert_eq!(task.info.task_status, -1);
        let t = vec![inv.target(2)];
        let all = inv.launch(
            NewTask::scan("all".into(), 0x7fff_ffff, true),
            t,
            Duration::from_secs(60),
        );
        assert!(inv.stop(&all).is_err());
        assert!(inv.stop("nope").is_err());
    }
}
