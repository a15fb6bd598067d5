//! `GET /api/v1/export/image-vulnerabilities.csv?<the image page's query>`
//! (viewer): every vulnerability of one image that the page's filters
//! match (all pages), most severe first, as CSV. It reads the findings
//! cache as the page does, so a download after a look costs the cloud
//! nothing. Rows are written to the response one at a time, and every
//! field is made safe for spreadsheets (no formula can start a cell).

use crate::security::refuse;
use crate::task_export::{failure, refusal};
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos_router::params::ParamsMap;
use scanport_app::components::findings::query::ImagePage;
use scanport_app::server_fns::findings::image_vulnerabilities;
use scanport_app::state::AppState;
use scanport_portal::Principal;
use scanport_portal::audit::csv_field;
use scanport_wire::findings::{Vulnerability, sort_most_severe};

const HEADER: &str =
    "id,severity,cloud_level,package,version,fixed_version,fixable,title,solution,link\n";

fn line(v: &Vulnerability) -> String {
    let fixable = match v.fixable {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    let fields = [
        v.id.as_str(),
        v.severity.as_str(),
        v.level.as_str(),
        v.package.as_str(),
        v.version.as_str(),
        v.fixed_version.as_deref().unwrap_or(""),
        fixable,
        v.title.as_str(),
        v.solution.as_str(),
        v.link.as_deref().unwrap_or(""),
    ];
    let mut out = fields.map(csv_field).join(",");
    out.push('\n');
    out
}

/// `name-tag`, with anything a file name should not hold made `-`.
fn file_stem(page: &ImagePage) -> String {
    file_safe(&format!("{}-{}", page.facts.name, page.facts.tag))
}

/// `raw` with anything a file name should not hold made `-`, at most 80
/// characters.
pub(crate) fn file_safe(raw: &str) -> String {
    let stem: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    stem.trim_matches('-').chars().take(80).collect()
}

pub async fn image_vulnerabilities_csv(
    Extension(state): Extension<AppState>,
    caller: Option<Extension<Principal>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    if let Some(refused) = refusal(caller) {
        return refused;
    }
    let mut query = ParamsMap::new();
    for (key, value) in pairs {
        query.insert(key, value);
    }
    let Some(page) = ImagePage::from_query(&query) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "image: name the image as its page's link does (cloud=hss with image_id and \
             image_type, or cloud=tcss with id).",
        );
    };
    if let Err(err) = page.filters.validate() {
        return failure(err.into());
    }
    let scanned = Some(page.facts.scanned.as_str());
    let mut all = match image_vulnerabilities(&state, &page.account, &page.image, scanned).await {
        Ok((all, _, _)) => all,
        Err(err) => return failure(err),
    };
    all.retain(|v| page.filters.matches(v));
    sort_most_severe(&mut all);
    let rows = std::iter::once(HEADER.to_owned()).chain(all.into_iter().map(|v| line(&v)));
    let body = Body::from_stream(futures::stream::iter(
        rows.map(|row| Ok::<_, std::convert::Infallible>(Bytes::from(row))),
    ));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"scanport-{}-vulnerabilities.csv\"",
                    file_stem(&page)
                ),
            ),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scanport_wire::findings::Severity;

    #[test]
    fn a_row_is_safe_for_spreadsheets() {
        let v = Vulnerability {
            id: "CVE-2024-3094".into(),
            severity: Severity::Critical,
            level: "CRITICAL".into(),
            package: "=cmd|' /C calc'!A0".into(),
            version: "5.6.0".into(),
            fixed_version: Some("5.6.1".into()),
            fixable: Some(true),
            title: r#"Backdoor, in "xz""#.into(),
            solution: String::new(),
            link: None,
        };
        assert_eq!(
            line(&v),
            "CVE-2024-3094,critical,CRITICAL,'=cmd|' /C calc'!A0,5.6.0,5.6.1,yes,\"Backdoor, in \"\"xz\"\"\",,\n"
        );
    }
}
