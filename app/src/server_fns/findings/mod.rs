//! What the image page reads: an image's findings on one scale whichever
//! cloud the account is on, from the same cache as the public findings
//! endpoints.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::{ImageRef, ImageVulnerabilityPage, VulnerabilityFilter};

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
    use crate::endpoints::UI_IMAGE_VULNERABILITIES as ENDPOINT;
    use scanport_wire::findings::Vulnerability;
    let scanned_at = scanned_at.as_deref().filter(|s| !s.is_empty());
    match image {
        ImageRef::Hss {
            image_id,
            image_type,
            namespace,
            image_name,
            tag_name,
        } => {
            let request = scanport_wire::hss::ImageVulnerabilitiesRequest::for_image(
                &image_id,
                image_type,
                &namespace,
                &image_name,
                &tag_name,
            );
            let (all, complete, at) = crate::server_fns::hss::vulnerability_list(
                &ENDPOINT, &account, &request, scanned_at,
            )
            .await?;
            Ok(ImageVulnerabilityPage::of(
                all.iter().map(Vulnerability::from).collect(),
                &filter,
                at,
                complete,
            ))
        }
        ImageRef::Tcss { id } => {
            let request = scanport_wire::tcss::ImageVulListRequest::for_image(id);
            let (all, complete, at) = crate::server_fns::tcss::vulnerability_list(
                &ENDPOINT, &account, &request, scanned_at,
            )
            .await?;
            Ok(ImageVulnerabilityPage::of(
                all.iter().map(Vulnerability::from).collect(),
                &filter,
                at,
                complete,
            ))
        }
    }
}
