use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::tcss::{ImageVulList, ImageVulListRequest};

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
    use crate::ops::{FindingsKey, page, read_cached};
    use scanport_cloud::tcss::TcssClient;
    let image = request.id.to_string();
    let (all, complete, fetched_at_ms) = read_cached(
        &crate::endpoints::TCSS_IMAGE_VULNERABILITIES,
        &account,
        &request,
        FindingsKey {
            kind: "tcss/vulnerabilities",
            image: &image,
            scanned_at: scanned_at.as_deref(),
        },
        async |c: &TcssClient, r| c.all_image_vulnerabilities(r).await,
    )
    .await?;
    let matching: Vec<_> = all.into_iter().filter(|v| request.matches(v)).collect();
    Ok(Cached {
        answer: ImageVulList {
            total_count: i64::try_from(matching.len()).unwrap_or(i64::MAX),
            list: page(matching, request.offset, request.limit, 10),
            request_id: None,
        },
        fetched_at_ms,
        complete,
    })
}
