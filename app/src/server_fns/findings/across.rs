//! What the Vulnerabilities page reads: an account's vulnerabilities
//! across its images, and the images one of them affects, on one scale
//! whichever cloud the account is on. Both are one upstream page per
//! view; the account's read cache answers a repeat within its window.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use scanport_wire::vulnerabilities::{
    AccountVulnerabilityFilter, AccountVulnerabilityPage, AffectedImagePage, AffectedImagesQuery,
};

/// How many rows a read asks the cloud for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The page's own window (a page of the Vulnerabilities page).
    Page,
    /// The cloud's largest page from this offset (a download).
    LargestFrom(i64),
}

#[cfg(feature = "ssr")]
mod reads {
    use super::Rows;
    use crate::accounts::Provider;
    use crate::error::AppError;
    use crate::state::AppState;
    use scanport_wire::vulnerabilities::{
        AccountVulnerability, AccountVulnerabilityFilter, AffectedImage, AffectedImagesQuery,
        PackageKind, hss_affected,
    };

    /// `rows` of the account's vulnerabilities that `filter` picks, for a
    /// caller already checked, and how many match in all.
    pub async fn account_vulnerabilities(
        state: &AppState,
        account: &str,
        filter: &AccountVulnerabilityFilter,
        rows: Rows,
    ) -> Result<(Vec<AccountVulnerability>, i64), AppError> {
        use scanport_wire::{hss, tcss};
        Ok(match state.provider_of(account)? {
            Provider::Huawei => {
                let request = match rows {
                    Rows::Page => filter.hss_request(),
                    Rows::LargestFrom(at) => filter.hss_rows(at, hss::MAX_VULS_PAGE),
                };
                let client = state.hss(Some(account))?;
                let answer =
                    crate::ops::as_caller(client.general_image_vulnerabilities(&request)).await?;
                let items = answer.data_list.iter().map(AccountVulnerability::from);
                (items.collect(), answer.total_num)
            }
            Provider::Tencent => {
                let request = match rows {
                    Rows::Page => filter.tcss_request(),
                    Rows::LargestFrom(at) => filter.tcss_rows(at, tcss::MAX_VULS_PAGE),
                };
                let client = state.tcss(Some(account))?;
                let answer = match filter.kind {
                    PackageKind::System => {
                        crate::ops::as_caller(client.system_vulnerabilities(&request)).await?
                    }
                    PackageKind::Application => {
                        crate::ops::as_caller(client.web_vulnerabilities(&request)).await?
                    }
                };
                let items = answer.list.iter().map(AccountVulnerability::from);
                (items.collect(), answer.total_count)
            }
        })
    }

    /// `rows` of the images the vulnerability `query.key` affects, for a
    /// caller already checked, and how many the cloud counts (HSS:
    /// repositories, which `rows` counts too; TCSS: images).
    pub async fn affected_images(
        state: &AppState,
        account: &str,
        query: &AffectedImagesQuery,
        rows: Rows,
    ) -> Result<(Vec<AffectedImage>, i64, usize), AppError> {
        use scanport_wire::{hss, tcss};
        Ok(match state.provider_of(account)? {
            Provider::Huawei => {
                let request = match rows {
                    Rows::Page => query.hss_request(),
                    Rows::LargestFrom(at) => query.hss_rows(at, hss::MAX_VULS_PAGE),
                };
                let client = state.hss(Some(account))?;
                let answer = crate::ops::as_caller(client.vulnerability_images(&request)).await?;
                let counted = answer.data_list.len();
                let items = answer.data_list.iter().flat_map(hss_affected);
                (items.collect(), answer.total_num, counted)
            }
            Provider::Tencent => {
                let request = match rows {
                    Rows::Page => query.tcss_request(),
                    Rows::LargestFrom(at) => query.tcss_rows(at, tcss::MAX_VULS_PAGE),
                };
                let client = state.tcss(Some(account))?;
                let answer = crate::ops::as_caller(client.vulnerability_images(&request)).await?;
                let counted = answer.list.len();
                let items = answer.list.iter().map(AffectedImage::from);
                (items.collect(), answer.total_count, counted)
            }
        })
    }
}

#[cfg(feature = "ssr")]
pub use reads::{account_vulnerabilities, affected_images};

/// `ui/vulnerabilities`: one page of the account's vulnerabilities
/// (viewer), as `filter` picks them, in the cloud's order (most images
/// first).
#[server(prefix = "/api/v1", endpoint = "ui/vulnerabilities", input = Json)]
pub async fn ui_vulnerabilities(
    account: String,
    #[server(default)] filter: AccountVulnerabilityFilter,
) -> Result<AccountVulnerabilityPage, AppError> {
    crate::ops::authorize(&crate::endpoints::UI_VULNERABILITIES)?;
    filter.validate()?;
    let state = crate::state::app_state()?;
    let (items, total) = account_vulnerabilities(&state, &account, &filter, Rows::Page).await?;
    Ok(AccountVulnerabilityPage {
        items,
        total,
        fetched_at_ms: scanport_wire::clock::now_ms(),
    })
}

/// `ui/vulnerability-images`: one page of the images the vulnerability
/// `query.key` affects (viewer), each named as its image page wants it.
#[server(prefix = "/api/v1", endpoint = "ui/vulnerability-images", input = Json)]
pub async fn ui_vulnerability_images(
    account: String,
    query: AffectedImagesQuery,
) -> Result<AffectedImagePage, AppError> {
    crate::ops::authorize(&crate::endpoints::UI_VULNERABILITY_IMAGES)?;
    query.validate()?;
    let state = crate::state::app_state()?;
    let (items, total, counted) = affected_images(&state, &account, &query, Rows::Page).await?;
    Ok(AffectedImagePage {
        items,
        total,
        counted,
        by_repository: state.provider_of(&account)? == crate::accounts::Provider::Huawei,
        fetched_at_ms: scanport_wire::clock::now_ms(),
    })
}
