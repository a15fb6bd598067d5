//! Gathering one account's overview from its cloud, in the background:
//! every call is counted as background filling (at most a fifth of each
//! API's budget, after people; see `scanport_cloud::budget`).
//!
//! A *count* asks for everything, each call waiting for its slot until a
//! deadline:
//! - HSS: the SWR private images (`ListImages`, 200 a page), the running
//!   scan tasks (`ListImageTasks`) and the most widespread CVEs
//!   (`ListGeneralImageVuls`);
//! - TCSS: the registry images (`DescribeAssetImageRegistryList`, 100 a
//!   page, with counts by level), the one-key scan's status and the most
//!   widespread CVEs (`DescribeSystemVulList`).
//!
//! HSS's image list carries a vulnerability count but no severities, so
//! an HSS image's worst severity comes from its own vulnerability list:
//! from the findings cache (free when its image page was opened), or
//! fetched into it while the background share has a call free now. The
//! images still to do are kept with the overview, and *filling* rounds, a
//! minute apart, take them up one by one without counting again.

use crate::accounts::Provider;
use crate::error::AppError;
use crate::server_fns::findings::{Rows, account_vulnerabilities, image_vulnerabilities};
use crate::state::AppState;
use scanport_wire::findings::{ImageRef, Severity};
use scanport_wire::hss::{
    FindingsImageType, ListImagesRequest, ListTasksRequest, ScanStatus, SwrImage, SwrImageType,
    TaskListType, TaskStatusFilter,
};
use scanport_wire::overview::{AccountOverview, ImageCounts, TOP_VULNERABILITIES, worst};
use scanport_wire::tcss::{
    DescribeRegistryImagesRequest, RegistryImage, RegistryScanStatusRequest,
};
use scanport_wire::vulnerabilities::AccountVulnerabilityFilter;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::time::Instant;

/// At most this many images are counted per account (the lists' pages
/// cost a call each).
pub const MAX_IMAGES: i64 = 5_000;
/// How long a count stands before the images are counted again.
pub const RECOUNT_AFTER: Duration = Duration::from_secs(10 * 60);
/// How soon an incomplete overview is taken up again.
pub const AGAIN: Duration = Duration::from_secs(60);

/// What is kept of a gathering.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gathered {
    pub overview: AccountOverview,
    /// When the images were last counted (ms since the epoch).
    pub counted_at_ms: i64,
    /// HSS images whose severities are still to be fetched (counted as
    /// `unknown` meanwhile).
    #[serde(default)]
    pub pending: Vec<PendingImage>,
}

/// An HSS image whose vulnerability list is still to be read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingImage {
    pub image: ImageRef,
    /// Its last scan time, as the image page passes it (so both share
    /// the findings cache).
    pub scanned_at: Option<String>,
}

impl Gathered {
    /// When the next round is due.
    pub fn next_in(&self) -> Duration {
        if self.overview.complete {
            RECOUNT_AFTER
        } else {
            AGAIN
        }
    }
}

/// When a count stops waiting for calls and publishes what it has.
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

impl Deadline {
    pub fn after(budget: Duration) -> Self {
        Self(Instant::now() + budget)
    }
}

/// Runs `call` until it is not refused by the budget, sleeping as long as
/// the refusal says, while that still ends before `deadline`.
async fn patiently<T, Fut>(deadline: Deadline, mut call: impl FnMut() -> Fut) -> Result<T, AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    loop {
        match call().await {
            Err(AppError::RateLimited {
                retry_after_secs, ..
            }) if Instant::now() + Duration::from_secs(retry_after_secs.max(1)) < deadline.0 => {
                tokio::time::sleep(Duration::from_secs(retry_after_secs.max(1))).await;
            }
            other => return other,
        }
    }
}

/// The next round of an account's overview after `previous`: filling in
/// its pending images if its count is recent, else a new count. The caller
/// runs it as background filling.
pub async fn gather(
    state: &AppState,
    account: &str,
    previous: Option<Gathered>,
    deadline: Deadline,
) -> Result<Gathered, AppError> {
    let now = scanport_wire::clock::now_ms();
    let recount_ms = i64::try_from(RECOUNT_AFTER.as_millis()).unwrap_or(i64::MAX);
    if let Some(mut previous) = previous
        && !previous.pending.is_empty()
        && now - previous.counted_at_ms < recount_ms
    {
        previous.overview.error = None;
        fill(state, account, &mut previous).await;
        return Ok(previous);
    }
    let mut gathered = match state.provider_of(account)? {
        Provider::Huawei => hss(state, account, deadline).await?,
        Provider::Tencent => Gathered {
            overview: tcss(state, account, deadline).await?,
            counted_at_ms: now,
            pending: Vec::new(),
        },
    };
    let filter = &AccountVulnerabilityFilter::default();
    let overview = &mut gathered.overview;
    match patiently(deadline, move || {
        account_vulnerabilities(state, account, filter, Rows::Page)
    })
    .await
    {
        Ok((mut top, _)) => {
            top.sort_by_key(|v| std::cmp::Reverse(v.images));
            top.truncate(TOP_VULNERABILITIES);
            overview.top_vulnerabilities = top;
        }
        Err(err) => {
            overview.complete = false;
            overview.error.get_or_insert(err.to_string());
        }
    }
    fill(state, account, &mut gathered).await;
    Ok(gathered)
}

fn blank() -> AccountOverview {
    AccountOverview {
        images: ImageCounts::default(),
        running_tasks: 0,
        top_vulnerabilities: Vec::new(),
        complete: true,
        error: None,
    }
}

/// Reads pending images' severities while the budget has a call free now
/// (a refusal ends the round; the next takes up where it stopped).
async fn fill(state: &AppState, account: &str, gathered: &mut Gathered) {
    let severity = &mut gathered.overview.images.severity;
    while let Some(next) = gathered.pending.first() {
        let scanned_at = next.scanned_at.as_deref();
        match image_vulnerabilities(state, account, &next.image, scanned_at).await {
            Ok((vulnerabilities, _, _)) => {
                severity.unknown -= 1;
                severity.add(worst(vulnerabilities.iter().map(|v| v.severity)));
                gathered.pending.remove(0);
            }
            Err(AppError::RateLimited { .. }) => break,
            Err(err) => {
                gathered.overview.error = Some(err.to_string());
                break;
            }
        }
    }
    let overview = &mut gathered.overview;
    overview.complete = gathered.pending.is_empty() && overview.error.is_none();
}

async fn hss(state: &AppState, account: &str, deadline: Deadline) -> Result<Gathered, AppError> {
    let client = state.hss(Some(account))?;
    let mut overview = blank();
    let mut pending = Vec::new();
    let mut request = ListImagesRequest::new(SwrImageType::PrivateImage);
    request.limit = Some(200);
    let counts = &mut overview.images;
    loop {
        request.offset = Some(counts.total);
        let asked = &request;
        let page = patiently(deadline, move || async move {
            Ok(client.list_images(asked).await?)
        })
        .await?;
        for image in &page.data_list {
            counts.total += 1;
            match image.scan_status.as_deref().and_then(ScanStatus::parse) {
                Some(ScanStatus::Unscan) | None => counts.never_scanned += 1,
                Some(ScanStatus::Failed) => counts.failed += 1,
                Some(ScanStatus::Scanning | ScanStatus::WaitingForScan) => counts.scanning += 1,
                Some(ScanStatus::Success) if image.vul_num.unwrap_or(0) == 0 => {
                    counts.severity.add(None);
                }
                Some(ScanStatus::Success) => {
                    // Unknown until its list is read (or for good, when
                    // HSS names it too little to ask).
                    counts.severity.unknown += 1;
                    pending.extend(pending_image(image));
                }
                Some(_) => {}
            }
        }
        if counts.total >= page.total_num.min(MAX_IMAGES) || page.data_list.is_empty() {
            break;
        }
    }
    // Scan tasks only: sync tasks are short, and a second list type would
    // take a second minute of this API's background share.
    let mut running = ListTasksRequest::new(TaskListType::ImageScan);
    running.task_status = Some(TaskStatusFilter::Scanning);
    running.limit = Some(10);
    let running = &running;
    let tasks = patiently(deadline, move || async move {
        Ok(client.list_tasks(running).await?)
    })
    .await?;
    overview.running_tasks = tasks.total_num;
    Ok(Gathered {
        overview,
        counted_at_ms: scanport_wire::clock::now_ms(),
        pending,
    })
}

/// How an image's page names it, if HSS lists findings for it.
fn pending_image(image: &SwrImage) -> Option<PendingImage> {
    let image_id = image.image_id.clone().filter(|i| !i.is_empty())?;
    let image_type = image
        .image_type
        .as_deref()
        .and_then(FindingsImageType::parse)?;
    Some(PendingImage {
        image: ImageRef::Hss {
            image_id,
            image_type,
            namespace: image.namespace.clone(),
            image_name: image.image_name.clone(),
            tag_name: image.image_version.clone(),
        },
        scanned_at: image
            .latest_scan_time
            .filter(|t| *t > 0)
            .map(|t| t.to_string()),
    })
}

async fn tcss(
    state: &AppState,
    account: &str,
    deadline: Deadline,
) -> Result<AccountOverview, AppError> {
    use scanport_wire::tcss::scan_status;
    let client = state.tcss(Some(account))?;
    let mut overview = blank();
    let counts = &mut overview.images;
    let mut request = DescribeRegistryImagesRequest {
        limit: Some(100),
        ..DescribeRegistryImagesRequest::default()
    };
    loop {
        request.offset = Some(counts.total);
        let asked = &request;
        let page = patiently(deadline, move || async move {
            Ok(client.describe_registry_images(asked).await?)
        })
        .await?;
        for image in &page.list {
            counts.total += 1;
            match image.scan_status.as_deref() {
                Some(scan_status::SCANNED) => counts.severity.add(tcss_worst(image)),
                Some(scan_status::SCAN_ERR) => counts.failed += 1,
                Some(scan_status::SCANNING) => counts.scanning += 1,
                Some(scan_status::NOT_SCAN) | None => counts.never_scanned += 1,
                Some(_) => {}
            }
        }
        if counts.total >= page.total_count.min(MAX_IMAGES) || page.list.is_empty() {
            break;
        }
    }
    let asked = &RegistryScanStatusRequest::default();
    let status = patiently(deadline, move || async move {
        Ok(client.registry_scan_status(asked).await?)
    })
    .await?;
    overview.running_tasks = i64::from(status.status.as_deref() == Some(scan_status::SCANNING));
    Ok(overview)
}

/// A TCSS image's worst level, from its counts by level.
fn tcss_worst(image: &RegistryImage) -> Option<Severity> {
    let by_level = [
        (Severity::Critical, image.critical_level_vul_cnt),
        (Severity::High, image.high_level_vul_cnt),
        (Severity::Medium, image.medium_level_vul_cnt),
        (Severity::Low, image.low_level_vul_cnt),
    ];
    by_level
        .into_iter()
        .find(|(_, n)| n.unwrap_or(0) > 0)
        .map(|(s, _)| s)
        .or_else(|| (image.vul_cnt.unwrap_or(0) > 0).then_some(Severity::Unknown))
}
