//! Fetching an image's whole list of one kind of findings, page after
//! page, for the findings cache: the same loop for every list of both
//! clouds.

use crate::error::CloudError;
use scanport_wire::findings::{ImageFindingsRequest, MAX_FINDINGS};

/// Every item of the image `req` names (the filters the service applies
/// upstream kept), from `page` called with each page's request, up to
/// [`MAX_FINDINGS`]; and whether that was all of them. `page` answers a
/// page's items and the service's total.
pub async fn all_pages<R, F, Fut>(req: &R, mut page: F) -> Result<(Vec<R::Item>, bool), CloudError>
where
    R: ImageFindingsRequest,
    F: FnMut(R) -> Fut,
    Fut: Future<Output = Result<(Vec<R::Item>, i64), CloudError>>,
{
    let mut all = Vec::new();
    loop {
        let offset = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let (items, total) = page(req.whole_list(offset)).await?;
        let got = items.len();
        all.extend(items);
        let total = usize::try_from(total).unwrap_or(0);
        if got == 0 || all.len() >= total {
            return Ok((all, true));
        }
        if all.len() >= MAX_FINDINGS {
            all.truncate(MAX_FINDINGS);
            return Ok((all, false));
        }
    }
}
