use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::tcss::{
    ImageRiskInfoListRequest, ImageRiskList, ImageVirusList, ImageVirusListRequest, ImageVulList,
    ImageVulListRequest,
};

/// Every vulnerability of the image `request` names, from the findings
/// cache or the cloud, for a caller already checked. (The image page, its
/// CSV download and `tcss/image-vulnerabilities` share the cached lists.)
#[cfg(feature = "ssr")]
pub async fn vulnerability_list(
    state: &crate::state::AppState,
    account: &str,
    request: &ImageVulListRequest,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::tcss::ImageVul>, bool, i64), AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::image_findings(
        state,
        account,
        request,
        scanned_at,
        async |c: &TcssClient, r| c.all_image_vulnerabilities(r).await,
    )
    .await
}

/// `tcss/image-vulnerabilities`: one registry image's vulnerabilities
/// (viewer), as `DescribeAssetImageRegistryVulList` answers them, from the
/// findings cache. `scanned_at` is the image's `ScanTime` as the registry
/// image list showed it: while it is unchanged, the cached list answers.
#[server(prefix = "/api/v1", endpoint = "tcss/image-vulnerabilities", input = Json)]
pub async fn tcss_image_vulnerabilities(
    account: String,
    request: ImageVulListRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageVulList>, AppError> {
    crate::ops::authorize(&crate::endpoints::TCSS_IMAGE_VULNERABILITIES)?;
    let state = crate::state::app_state()?;
    let list = vulnerability_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageVulList {
            total_count: page.total,
            list: page.items,
            request_id: None,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}

/// Every malicious file of the registry image `request` names.
#[cfg(feature = "ssr")]
pub async fn virus_list(
    state: &crate::state::AppState,
    account: &str,
    request: &ImageVirusListRequest,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::tcss::ImageVirus>, bool, i64), AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::image_findings(
        state,
        account,
        request,
        scanned_at,
        async |c: &TcssClient, r| c.all_image_viruses(r).await,
    )
    .await
}

/// Every risky build setting of the registry image `request` names.
#[cfg(feature = "ssr")]
pub async fn risk_list(
    state: &crate::state::AppState,
    account: &str,
    request: &ImageRiskInfoListRequest,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::tcss::ImageRisk>, bool, i64), AppError> {
    use scanport_cloud::tcss::TcssClient;
    crate::ops::image_findings(
        state,
        account,
        request,
        scanned_at,
        async |c: &TcssClient, r| c.all_image_risks(r).await,
    )
    .await
}

/// `tcss/image-viruses`: one registry image's malicious files (viewer), as
/// `DescribeAssetImageRegistryVirusList` answers them, from the findings
/// cache (`scanned_at` as for `tcss/image-vulnerabilities`).
#[server(prefix = "/api/v1", endpoint = "tcss/image-viruses", input = Json)]
pub async fn tcss_image_viruses(
    account: String,
    request: ImageVirusListRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageVirusList>, AppError> {
    crate::ops::authorize(&crate::endpoints::TCSS_IMAGE_VIRUSES)?;
    let state = crate::state::app_state()?;
    let list = virus_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageVirusList {
            total_count: page.total,
            list: page.items,
            request_id: None,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}

/// `tcss/image-risks`: one registry image's risky build settings (viewer),
/// as `DescribeAssetImageRegistryRiskInfoList` answers them (sorted by
/// `Level` when `By`/`Order` ask), from the findings cache.
#[server(prefix = "/api/v1", endpoint = "tcss/image-risks", input = Json)]
pub async fn tcss_image_risks(
    account: String,
    request: ImageRiskInfoListRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageRiskList>, AppError> {
    crate::ops::authorize(&crate::endpoints::TCSS_IMAGE_RISKS)?;
    let state = crate::state::app_state()?;
    let (mut all, complete, at) =
        risk_list(&state, &account, &request, scanned_at.as_deref()).await?;
    request.arrange(&mut all);
    let page = crate::ops::findings_page(&request, (all, complete, at));
    Ok(Cached {
        answer: ImageRiskList {
            total_count: page.total,
            list: page.items,
            request_id: None,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}
