use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::hss::{ImageVulnerabilities, ImageVulnerabilitiesRequest};

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
    use crate::ops::{FindingsKey, page, read_cached};
    use scanport_cloud::hss::HssClient;
    let kind = request.cache_kind();
    let (all, complete, fetched_at_ms) = read_cached(
        &crate::endpoints::HSS_IMAGE_VULNERABILITIES,
        &account,
        &request,
        FindingsKey {
            kind: &kind,
            image: &request.image_id,
            scanned_at: scanned_at.as_deref(),
        },
        async |c: &HssClient, r| c.all_image_vulnerabilities(r).await,
    )
    .await?;
    let matching: Vec<_> = all.into_iter().filter(|v| request.matches(v)).collect();
    Ok(Cached {
        answer: ImageVulnerabilities {
            total_num: i64::try_from(matching.len()).unwrap_or(i64::MAX),
            data_list: page(matching, request.offset, request.limit, 10),
        },
        fetched_at_ms,
        complete,
    })
}
