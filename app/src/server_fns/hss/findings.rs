use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::hss::{ImageVulnerabilities, ImageVulnerabilitiesRequest};

/// Every vulnerability of the image `request` names, from the findings
/// cache or the cloud, for a caller already checked. (The image page, its
/// CSV download and `hss/image-vulnerabilities` share the cached lists.)
#[cfg(feature = "ssr")]
pub async fn vulnerability_list(
    state: &crate::state::AppState,
    account: &str,
    request: &ImageVulnerabilitiesRequest,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::hss::ImageVulnerability>, bool, i64), AppError> {
    use scanport_cloud::hss::HssClient;
    crate::ops::image_findings(
        state,
        account,
        request,
        scanned_at,
        async |c: &HssClient, r| c.all_image_vulnerabilities(r).await,
    )
    .await
}

/// `hss/image-vulnerabilities`: one image's vulnerabilities (viewer), as
/// `ListImageVulnerabilities` answers them, from the findings cache.
/// `scanned_at` is the image's `latest_scan_time` as an image list showed
/// it: while it is unchanged, the cached list answers.
#[server(prefix = "/api/v1", endpoint = "hss/image-vulnerabilities", input = Json)]
pub async fn hss_image_vulnerabilities(
    account: String,
    request: ImageVulnerabilitiesRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageVulnerabilities>, AppError> {
    crate::ops::authorize(&crate::endpoints::HSS_IMAGE_VULNERABILITIES)?;
    let state = crate::state::app_state()?;
    let list = vulnerability_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageVulnerabilities {
            total_num: page.total,
            data_list: page.items,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}
