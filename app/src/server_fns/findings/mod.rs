//! What the image page reads: an image's findings on one scale whichever
//! cloud the account is on, from the same cache as the public findings
//! endpoints.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::{ImageRef, ImageVulnerabilityPage, VulnerabilityFilter};

/// Every vulnerability of `image` on the one scale, from the findings
/// cache or the cloud, for a caller already checked; whether that is all
/// of them, and when they were fetched.
#[cfg(feature = "ssr")]
pub async fn image_vulnerabilities(
    state: &crate::state::AppState,
    account: &str,
    image: &ImageRef,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::findings::Vulnerability>, bool, i64), AppError> {
    use scanport_wire::findings::Vulnerability;
    let scanned_at = scanned_at.filter(|s| !s.is_empty());
    match image {
        ImageRef::Hss {
            image_id,
            image_type,
            namespace,
            image_name,
            tag_name,
        } => {
            let request = scanport_wire::hss::ImageVulnerabilitiesRequest::for_image(
                image_id,
                *image_type,
                namespace,
                image_name,
                tag_name,
            );
            let (all, complete, at) =
                crate::server_fns::hss::vulnerability_list(state, account, &request, scanned_at)
                    .await?;
            Ok((all.iter().map(Vulnerability::from).collect(), complete, at))
        }
        ImageRef::Tcss { id } => {
            let request = scanport_wire::tcss::ImageVulListRequest::for_image(*id);
            let (all, complete, at) =
                crate::server_fns::tcss::vulnerability_list(state, account, &request, scanned_at)
                    .await?;
            Ok((all.iter().map(Vulnerability::from).collect(), complete, at))
        }
    }
}

/// `ui/image-vulnerabilities`: one page of an image's vulnerabilities
/// (viewer) as `filter` picks them, most severe first, with the image's
/// counts by severity. `scanned_at` is the image's last scan time as the
/// image list showed it.
#[server(prefix = "/api/v1", endpoint = "ui/image-vulnerabilities", input = Json)]
pub async fn ui_image_vulnerabilities(
    account: String,
    image: ImageRef,
    #[server(default)] scanned_at: Option<String>,
    #[server(default)] filter: VulnerabilityFilter,
) -> Result<ImageVulnerabilityPage, AppError> {
    crate::ops::authorize(&crate::endpoints::UI_IMAGE_VULNERABILITIES)?;
    filter.validate()?;
    let state = crate::state::app_state()?;
    let (all, complete, at) =
        image_vulnerabilities(&state, &account, &image, scanned_at.as_deref()).await?;
    Ok(ImageVulnerabilityPage::of(all, &filter, at, complete))
}
