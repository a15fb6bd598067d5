//! Gathering one account's overview from its cloud, in the background:
//! every call is counted as background filling (at most a fifth of each
//! API's budget, after people; see `scanport_cloud::budget`), waits for
//! its slot rather than failing, and stops at a deadline with what it has.
//!
//! - HSS: the SWR private images (`ListImages`, 200 a page), the running
//!   scan and sync tasks (`ListImageTasks`), the most widespread CVEs
//!   (`ListGeneralImageVuls`), and each image's severities from its own
//!   vulnerability list: from the findings cache, or fetched into it one
//!   image at a time (HSS's image list carries a count, not severities).
//! - TCSS: the registry images (`DescribeAssetImageRegistryList`, 100 a
//!   page, with counts by level), the one-key scan's status and the most
//!   widespread CVEs (`DescribeSystemVulList`).

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
use std::time::Duration;
use tokio::time::Instant;

/// At most this many images are counted per account (the lists' pages
/// cost a call each).
pub const MAX_IMAGES: i64 = 5_000;

/// When a gathering stops waiting for calls and publishes what it has.
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

/// One account's overview. The caller runs it as background filling.
pub async fn gather(
    state: &AppState,
    account: &str,
    deadline: Deadline,
) -> Result<AccountOverview, AppError> {
    let mut overview = match state.provider_of(account)? {
        Provider::Huawei => hss(state, account, deadline).await?,
        Provider::Tencent => tcss(state, account, deadline).await?,
    };
    let filter = &AccountVulnerabilityFilter::default();
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
    Ok(overview)
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

async fn hss(
    state: &AppState,
    account: &str,
    deadline: Deadline,
) -> Result<AccountOverview, AppError> {
    let client = state.hss(Some(account))?;
    let mut overview = blank();
    let mut vulnerable: Vec<SwrImage> = Vec::new();
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
        for image in page.data_list {
            counts.total += 1;
            match image.scan_status.as_deref().and_then(ScanStatus::parse) {
                Some(ScanStatus::Unscan) | None => counts.never_scanned += 1,
                Some(ScanStatus::Failed) => counts.failed += 1,
                Some(ScanStatus::Scanning | ScanStatus::WaitingForScan) => counts.scanning += 1,
                Some(ScanStatus::Success) if image.vul_num.unwrap_or(0) == 0 => {
                    counts.severity.add(None);
                }
                Some(ScanStatus::Success) => vulnerable.push(image),
                Some(_) => {}
            }
        }
        if counts.total >= page.total_num.min(MAX_IMAGES) || request.offset == Some(counts.total) {
            break;
        }
    }
    // Scan tasks only: sync tasks are short, and the list's second type
    // would take a second minute of this API's background share.
    let mut running = ListTasksRequest::new(TaskListType::ImageScan);
    running.task_status = Some(TaskStatusFilter::Scanning);
    running.limit = Some(10);
    let running = &running;
    let tasks = patiently(deadline, move || async move {
        Ok(client.list_tasks(running).await?)
    })
    .await?;
    overview.running_tasks = tasks.total_num;
    // Each vulnerable image's worst severity, from its own list: cached
    // ones cost nothing; the others one call each, until the deadline.
    let mut stopped = false;
    for image in &vulnerable {
        let worst_found = if stopped {
            None
        } else {
            match hss_worst(state, account, image, deadline).await {
                Ok(worst_found) => worst_found,
                Err(err) => {
                    stopped = true;
                    if !matches!(err, AppError::RateLimited { .. }) {
                        overview.error = Some(err.to_string());
                    }
                    None
                }
            }
        };
        match worst_found {
            Some(severity) => overview.images.severity.add(Some(severity)),
            None => {
                overview.images.severity.unknown += 1;
                overview.complete = false;
            }
        }
    }
    Ok(overview)
}

/// An HSS image's worst vulnerability, from its list (`None` when it
/// names none, or has no findings page).
async fn hss_worst(
    state: &AppState,
    account: &str,
    image: &SwrImage,
    deadline: Deadline,
) -> Result<Option<Severity>, AppError> {
    let (Some(image_id), Some(image_type)) = (
        image.image_id.clone().filter(|i| !i.is_empty()),
        image
            .image_type
            .as_deref()
            .and_then(FindingsImageType::parse),
    ) else {
        return Ok(None);
    };
    let image_ref = ImageRef::Hss {
        image_id,
        image_type,
        namespace: image.namespace.clone(),
        image_name: image.image_name.clone(),
        tag_name: image.image_version.clone(),
    };
    // The scan time as the image page passes it, so both share the cache.
    let scanned_at = image
        .latest_scan_time
        .filter(|t| *t > 0)
        .map(|t| t.to_string());
    let (vulnerabilities, _, _) = patiently(deadline, async || {
        image_vulnerabilities(state, account, &image_ref, scanned_at.as_deref()).await
    })
    .await?;
    Ok(worst(vulnerabilities.iter().map(|v| v.severity)))
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
