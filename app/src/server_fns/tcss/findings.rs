use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::tcss::{ImageVulList, ImageVulListRequest};

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
    crate::ops::cached_list(
        state,
        account,
        request,
        crate::ops::FindingsKey {
            kind: "tcss/vulnerabilities",
            image: &request.id.to_string(),
            scanned_at,
        },
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
    let (all, complete, fetched_at_ms) =
        vulnerability_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let matching: Vec<_> = all.into_iter().filter(|v| request.matches(v)).collect();
    Ok(Cached {
        answer: ImageVulList {
            total_count: i64::try_from(matching.len()).unwrap_or(i64::MAX),
            list: crate::ops::page(matching, request.offset, request.limit, 10),
            request_id: None,
        },
        fetched_at_ms,
        complete,
    })
}
