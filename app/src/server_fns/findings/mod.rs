//! What the image page reads: an image's findings on one scale whichever
//! cloud the account is on, from the same cache as the public findings
//! endpoints.

mod across;

pub use across::*;

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::{
    FindingFilter, FindingKind, ImageFindingsPage, ImageRef, ImageVulnerabilityPage,
    VulnerabilityFilter,
};

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

/// Every finding of `kind` of `image` on the one scale, from the findings
/// cache or the cloud, for a caller already checked.
#[cfg(feature = "ssr")]
pub async fn image_findings(
    state: &crate::state::AppState,
    account: &str,
    image: &ImageRef,
    kind: FindingKind,
    scanned_at: Option<&str>,
) -> Result<(Vec<scanport_wire::findings::Finding>, bool, i64), AppError> {
    use crate::server_fns::{hss, tcss};
    use scanport_wire::findings::Finding;
    use scanport_wire::hss::{ImageMalwareRequest, ImageRiskConfigsRequest, ImageSensitiveRequest};
    use scanport_wire::tcss::{ImageRiskInfoListRequest, ImageVirusListRequest};

    fn unified<T>((items, complete, at): (Vec<T>, bool, i64)) -> (Vec<Finding>, bool, i64)
    where
        for<'a> Finding: From<&'a T>,
    {
        (items.iter().map(Finding::from).collect(), complete, at)
    }

    match (image, kind) {
        (
            ImageRef::Hss {
                image_id,
                image_type,
                namespace,
                image_name,
                tag_name,
            },
            kind,
        ) => {
            let (id, ty, ns, name, tag) = (
                image_id.as_str(),
                *image_type,
                namespace.as_str(),
                image_name.as_str(),
                tag_name.as_str(),
            );
            Ok(match kind {
                FindingKind::Malware => {
                    let r = ImageMalwareRequest::for_image(id, ty, ns, name, tag);
                    unified(hss::malware_list(state, account, &r, scanned_at).await?)
                }
                FindingKind::Sensitive => {
                    let r = ImageSensitiveRequest::for_image(id, ty, ns, name, tag);
                    unified(hss::sensitive_list(state, account, &r, scanned_at).await?)
                }
                FindingKind::Settings => {
                    let r = ImageRiskConfigsRequest::for_image(id, ty, ns, name, tag);
                    unified(hss::risk_config_list(state, account, &r, scanned_at).await?)
                }
            })
        }
        (ImageRef::Tcss { id }, FindingKind::Malware) => {
            let r = ImageVirusListRequest::for_image(*id);
            Ok(unified(
                tcss::virus_list(state, account, &r, scanned_at).await?,
            ))
        }
        (ImageRef::Tcss { id }, FindingKind::Settings) => {
            let r = ImageRiskInfoListRequest::for_image(*id);
            Ok(unified(
                tcss::risk_list(state, account, &r, scanned_at).await?,
            ))
        }
        (ImageRef::Tcss { .. }, FindingKind::Sensitive) => Err(AppError::InvalidInput {
            field: "kind".into(),
            message: "TCSS has no list of a registry image's sensitive information".into(),
        }),
    }
}

/// `ui/image-findings`: one page of an image's findings of one `kind`
/// (viewer): malicious files, sensitive information (HSS) or risky
/// settings, most severe first, with the counts by severity.
#[server(prefix = "/api/v1", endpoint = "ui/image-findings", input = Json)]
pub async fn ui_image_findings(
    account: String,
    image: ImageRef,
    kind: FindingKind,
    #[server(default)] scanned_at: Option<String>,
    #[server(default)] filter: FindingFilter,
) -> Result<ImageFindingsPage, AppError> {
    crate::ops::authorize(&crate::endpoints::UI_IMAGE_FINDINGS)?;
    filter.validate()?;
    let state = crate::state::app_state()?;
    let scanned_at = scanned_at.as_deref().filter(|s| !s.is_empty());
    let (all, complete, at) = image_findings(&state, &account, &image, kind, scanned_at).await?;
    Ok(ImageFindingsPage::of(kind, all, &filter, at, complete))
}
