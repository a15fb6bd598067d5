//! `hss/image-malware`, `hss/image-sensitive`, `hss/image-risk-configs`:
//! one image's findings beyond vulnerabilities (viewer), as the service
//! answers them, from the findings cache (`scanned_at` as for
//! `hss/image-vulnerabilities`). Sensitive information is kept and
//! answered with its `content` masked.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::findings::Cached;
use scanport_wire::hss::{
    ImageMalwareList, ImageMalwareRequest, ImageRiskConfigList, ImageRiskConfigsRequest,
    ImageSensitiveList, ImageSensitiveRequest,
};

#[cfg(feature = "ssr")]
mod lists {
    use crate::error::AppError;
    use crate::state::AppState;
    use scanport_cloud::hss::HssClient;
    use scanport_wire::hss::*;

    /// Every malicious file of the image `request` names.
    pub async fn malware(
        state: &AppState,
        account: &str,
        request: &ImageMalwareRequest,
        scanned_at: Option<&str>,
    ) -> Result<(Vec<ImageMalware>, bool, i64), AppError> {
        crate::ops::image_findings(
            state,
            account,
            request,
            scanned_at,
            async |c: &HssClient, r| c.all_image_malware(r).await,
        )
        .await
    }

    /// Every piece of sensitive information of the image, masked before it
    /// is kept: the console never holds the secrets it reports.
    pub async fn sensitive(
        state: &AppState,
        account: &str,
        request: &ImageSensitiveRequest,
        scanned_at: Option<&str>,
    ) -> Result<(Vec<ImageSensitiveInfo>, bool, i64), AppError> {
        crate::ops::image_findings(
            state,
            account,
            request,
            scanned_at,
            async |c: &HssClient, r| {
                let (items, complete) = c.all_image_sensitive(r).await?;
                Ok((
                    items.into_iter().map(ImageSensitiveInfo::masked).collect(),
                    complete,
                ))
            },
        )
        .await
    }

    /// Every baseline result of the image.
    pub async fn risk_configs(
        state: &AppState,
        account: &str,
        request: &ImageRiskConfigsRequest,
        scanned_at: Option<&str>,
    ) -> Result<(Vec<ImageRiskConfig>, bool, i64), AppError> {
        crate::ops::image_findings(
            state,
            account,
            request,
            scanned_at,
            async |c: &HssClient, r| c.all_image_risk_configs(r).await,
        )
        .await
    }
}

#[cfg(feature = "ssr")]
pub use lists::{
    malware as malware_list, risk_configs as risk_config_list, sensitive as sensitive_list,
};

/// `hss/image-malware`: one image's malicious files (`ListImageMalware`).
#[server(prefix = "/api/v1", endpoint = "hss/image-malware", input = Json)]
pub async fn hss_image_malware(
    account: String,
    request: ImageMalwareRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageMalwareList>, AppError> {
    crate::ops::authorize(&crate::endpoints::HSS_IMAGE_MALWARE)?;
    let state = crate::state::app_state()?;
    let list = malware_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageMalwareList {
            total_num: page.total,
            data_list: page.items,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}

/// `hss/image-sensitive`: one image's sensitive information
/// (`ListImageSensitive`), `content` masked.
#[server(prefix = "/api/v1", endpoint = "hss/image-sensitive", input = Json)]
pub async fn hss_image_sensitive(
    account: String,
    request: ImageSensitiveRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageSensitiveList>, AppError> {
    crate::ops::authorize(&crate::endpoints::HSS_IMAGE_SENSITIVE)?;
    let state = crate::state::app_state()?;
    let list = sensitive_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageSensitiveList {
            total_num: page.total,
            data_list: page.items,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}

/// `hss/image-risk-configs`: one image's baseline results
/// (`ListImageRiskConfigs`; `image_id` is required here).
#[server(prefix = "/api/v1", endpoint = "hss/image-risk-configs", input = Json)]
pub async fn hss_image_risk_configs(
    account: String,
    request: ImageRiskConfigsRequest,
    #[server(default)] scanned_at: Option<String>,
) -> Result<Cached<ImageRiskConfigList>, AppError> {
    crate::ops::authorize(&crate::endpoints::HSS_IMAGE_RISK_CONFIGS)?;
    let state = crate::state::app_state()?;
    let list = risk_config_list(&state, &account, &request, scanned_at.as_deref()).await?;
    let page = crate::ops::findings_page(&request, list);
    Ok(Cached {
        answer: ImageRiskConfigList {
            total_num: page.total,
            data_list: page.items,
        },
        fetched_at_ms: page.fetched_at_ms,
        complete: page.complete,
    })
}
