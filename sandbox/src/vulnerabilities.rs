//! The account's vulnerabilities across images, for both clouds: HSS's
//! `ListGeneralImageVuls` and `ListVulRepoImage`, TCSS's
//! `DescribeSystemVulList` and `DescribeVulRegistryImageList`. Every row
//! is built from the findings the per-image lists show (`findings.rs`), so
//! a vulnerability's image count is the number of images whose own list
//! has it, and every image named as affected lists it on its own page.

use super::SandboxState;
use super::findings::{
    Finding, cve_number, hss_image, hss_image_findings, query_request, tcss_image_vulnerabilities,
    window,
};
use super::hss_api::{self, count, ok_json};
use super::inventory::Inventory;
use super::tcss_api::{self, Answer, page, parse};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use scanport_wire::findings::{Severity, contains_any_case};
use scanport_wire::hss::{
    GeneralImageType, GeneralImageVul, GeneralImageVulCve, GeneralImageVulList,
    GeneralImageVulsRequest, HandleStatus, ImageVulnerability, SwrImage, VulRepoImage,
    VulRepoImageList, VulRepoImageRequest, VulRepoImageTag, VulSeverityLevel, VulStatus, VulType,
};
use scanport_wire::tcss::{
    AssetFilter, FILTER_ALL, ImageVul, RegistryImage, SortOrder, VulAffectedComponent,
    VulAffectedRegistryImage, VulInfo, VulListRequest, VulRegistryImageListRequest,
};
use serde_json::json;
use std::collections::BTreeMap;
use std::sync::Arc;

// --------------------------------------------------------------------------
// HSS
// --------------------------------------------------------------------------

/// One finding of one SWR image, as that image's own list shows it.
struct HssAffected<'a> {
    image: &'a SwrImage,
    finding: Finding,
    listed: ImageVulnerability,
}

/// Every finding of every SWR image, in the inventory's order, with the
/// count `hss_image_vulnerabilities` reads for each.
fn hss_affected(inv: &Inventory) -> Vec<HssAffected<'_>> {
    inv.images
        .iter()
        .filter_map(|image| Some((image, image.image_id.as_deref()?)))
        .flat_map(|(image, id)| {
            let total = hss_image(inv, id).map_or(0, |i| i.vulnerabilities);
            hss_image_findings(id, total)
                .into_iter()
                .map(move |(finding, listed)| HssAffected {
                    image,
                    finding,
                    listed,
                })
        })
        .collect()
}

/// The service's four words; the catalogue has no severity below low.
fn severity_level(severity: Severity) -> VulSeverityLevel {
    match severity {
        Severity::Critical => VulSeverityLevel::Critical,
        Severity::High => VulSeverityLevel::High,
        Severity::Medium => VulSeverityLevel::Medium,
        Severity::Low | Severity::Unknown => VulSeverityLevel::Low,
    }
}

fn vul_type(package: &str) -> VulType {
    if super::findings::is_application(package) {
        VulType::AppVul
    } else {
        VulType::LinuxVul
    }
}

/// `ListGeneralImageVuls`' row for one vulnerability, from its findings in
/// the images that have it (none when there are none).
fn general_vul(found: &[&HssAffected]) -> Option<GeneralImageVul> {
    let (first, _) = found.split_first()?;
    let f = &first.finding;
    let cvss = f.cvss.parse::<f64>().ok();
    Some(GeneralImageVul {
        vul_name: Some(f.title.clone()),
        vul_id: Some(f.id.clone()),
        r#type: Some(vul_type(f.package).as_str().to_owned()),
        image_type: Some(GeneralImageType::Registry.as_str().to_owned()),
        label_list: Vec::new(),
        severity_level: Some(severity_level(f.severity).as_str().to_owned()),
        // An image lists a vulnerability once.
        image_num: Some(count(found.len())),
        cve_list: vec![GeneralImageVulCve {
            cve_id: Some(f.id.clone()),
            cvss,
        }],
        max_cvss_score: cvss,
        scan_time: found.iter().filter_map(|a| a.image.latest_scan_time).max(),
        description: Some(f.title.clone()),
        url: first.listed.url.clone(),
        solution_detail: first.listed.solution.clone(),
        cluster_num: None,
    })
}

/// Every vulnerability of the SWR images: most images first, then most
/// severe, then by id.
fn general_vuls(inv: &Inventory) -> Vec<GeneralImageVul> {
    let affected = hss_affected(inv);
    let mut by_id: BTreeMap<&str, Vec<&HssAffected>> = BTreeMap::new();
    for a in &affected {
        by_id.entry(a.finding.id.as_str()).or_default().push(a);
    }
    let mut list: Vec<GeneralImageVul> = by_id
        .values()
        .filter_map(|found| general_vul(found))
        .collect();
    list.sort_by(|a, b| {
        b.image_num
            .cmp(&a.image_num)
            .then_with(|| a.severity().cmp(&b.severity()))
            .then_with(|| a.vul_id.cmp(&b.vul_id))
    });
    list
}

/// Whether a row passes the request's filters. Nothing here is handled,
/// ignored or labelled, so asking for those keeps nothing.
fn general_matches(req: &GeneralImageVulsRequest, v: &GeneralImageVul) -> bool {
    let is = |have: &Option<String>, want: &str| have.as_deref() == Some(want);
    req.severity_level
        .is_none_or(|s| is(&v.severity_level, s.as_str()))
        && is(&v.r#type, req.r#type.as_str())
        && is(&v.image_type, req.image_type.as_str())
        && contains_any_case(v.vul_id.as_deref(), req.vul_id.as_deref())
        && contains_any_case(v.vul_name.as_deref(), req.vul_name.as_deref())
        && req.cve_id.as_deref().is_none_or(|want| {
            v.cve_list
                .iter()
                .any(|c| contains_any_case(c.cve_id.as_deref(), Some(want)))
        })
        && req.handle_status != HandleStatus::Handled
        && req.status != Some(VulStatus::Ignored)
        && req.label_list.as_ref().is_none_or(Vec::is_empty)
}

/// `GET /v5/{project_id}/images/vulnerabilities`: the SWR images'
/// vulnerabilities, one row each, filtered and paged.
pub(super) async fn hss_general_vulnerabilities(
    State(state): State<Arc<SandboxState>>,
    request: Request,
) -> Response {
    let req: GeneralImageVulsRequest =
        match query_request(&request, &[], GeneralImageVulsRequest::validate) {
            Ok(req) => req,
            Err(rejection) => return rejection,
        };
    let matching: Vec<GeneralImageVul> = general_vuls(&hss_api::inventory(&state))
        .into_iter()
        .filter(|v| general_matches(&req, v))
        .collect();
    ok_json(&GeneralImageVulList {
        total_num: count(matching.len()),
        data_list: window(matching, req.offset, req.limit),
    })
}

/// The SWR repositories with a tag that has `vul_id`, in the inventory's
/// order: one row per namespace and image name, with its affected tags.
fn vul_repo_images(inv: &Inventory, vul_id: &str) -> Vec<VulRepoImage> {
    let mut repos: Vec<VulRepoImage> = Vec::new();
    for a in hss_affected(inv).iter().filter(|a| a.finding.id == vul_id) {
        let tag = VulRepoImageTag {
            tag_id: a.image.image_id.clone(),
            tag_name: Some(a.image.image_version.clone()),
            size: a.image.image_size,
            app_name: Some(a.finding.package.to_owned()),
        };
        let same_repo = |r: &&mut VulRepoImage| {
            r.namespace.as_deref() == Some(&a.image.namespace)
                && r.image_name.as_deref() == Some(&a.image.image_name)
        };
        match repos.iter_mut().find(same_repo) {
            Some(repo) => repo.data_list.push(tag),
            None => repos.push(VulRepoImage {
                namespace: Some(a.image.namespace.clone()),
                image_id: tag.tag_id.clone(),
                image_name: Some(a.image.image_name.clone()),
                app_name: Some(a.finding.package.to_owned()),
                version: Some(a.finding.version.to_owned()),
                tag_count: None,
                image_type: a.image.image_type.clone(),
                data_list: vec![tag],
            }),
        }
    }
    for repo in &mut repos {
        repo.tag_count = Some(count(repo.data_list.len()));
    }
    repos
}

/// Whether a repository passes the request's filters: `namespace` whole,
/// `image_name` and `app_name` in part (any case), `image_id` naming the
/// repository's image or one of its tags.
fn repo_matches(req: &VulRepoImageRequest, r: &VulRepoImage) -> bool {
    let given = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    given(&req.namespace).is_none_or(|ns| r.namespace.as_ref() == Some(&ns))
        && contains_any_case(r.image_name.as_deref(), req.image_name.as_deref())
        && contains_any_case(r.app_name.as_deref(), req.app_name.as_deref())
        && given(&req.image_id).is_none_or(|id| {
            r.image_id.as_ref() == Some(&id)
                || r.data_list.iter().any(|t| t.tag_id.as_ref() == Some(&id))
        })
}

/// `GET /v5/{project_id}/image/{vul_id}/images`: the SWR repositories one
/// vulnerability affects, filtered and paged; an unknown id affects none.
pub(super) async fn hss_vul_repo_images(
    State(state): State<Arc<SandboxState>>,
    Path((_project, vul_id)): Path<(String, String)>,
    request: Request,
) -> Response {
    let req: VulRepoImageRequest = match query_request(
        &request,
        &[("vul_id", &vul_id)],
        VulRepoImageRequest::validate,
    ) {
        Ok(req) => req,
        Err(rejection) => return rejection,
    };
    let matching: Vec<VulRepoImage> = vul_repo_images(&hss_api::inventory(&state), &req.vul_id)
        .into_iter()
        .filter(|r| repo_matches(&req, r))
        .collect();
    ok_json(&VulRepoImageList {
        total_num: count(matching.len()),
        data_list: window(matching, req.offset, req.limit),
    })
}

// --------------------------------------------------------------------------
// TCSS
// --------------------------------------------------------------------------

/// One entry of a TCSS `Filters` list, tested against an item's values.
struct Wanted<'a>(&'a AssetFilter);

impl Wanted<'_> {
    /// A value of the text `have`: part of it in any case, or all of it
    /// with `ExactMatch`.
    fn text(&self, have: Option<&str>) -> bool {
        self.0.values.iter().any(|want| {
            if self.0.exact_match == Some(true) {
                have == Some(want.as_str())
            } else {
                contains_any_case(have, Some(want))
            }
        })
    }

    /// A value is `word`, in any case (`true`, `false`).
    fn says(&self, word: &str) -> bool {
        self.0.values.iter().any(|v| v.eq_ignore_ascii_case(word))
    }
}

/// Whether every filter keeps the item; a filter with the value `all`
/// keeps everything.
fn kept_by(filters: Option<&Vec<AssetFilter>>, keeps: impl Fn(&Wanted) -> bool) -> bool {
    filters
        .into_iter()
        .flatten()
        .all(|f| f.values.iter().any(|v| v == FILTER_ALL) || keeps(&Wanted(f)))
}

/// One vulnerability of one TCSS registry image, as that image's own list
/// shows it.
struct TcssAffected<'a> {
    image: &'a RegistryImage,
    vul: ImageVul,
}

fn tcss_affected(inv: &Inventory) -> Vec<TcssAffected<'_>> {
    inv.tcss_images
        .iter()
        .flat_map(|image| {
            tcss_image_vulnerabilities(image)
                .into_iter()
                .map(move |vul| TcssAffected { image, vul })
        })
        .collect()
}

/// One CVE across the registry images: its row and where it was found.
struct SystemVul<'a> {
    info: VulInfo,
    found: Vec<&'a TcssAffected<'a>>,
}

/// `DescribeSystemVulList`'s row for one CVE, from its findings in the
/// images that have it (none when there are none). Nothing runs in a
/// container or on a node here, so those counts are 0.
fn vul_info(found: &[&TcssAffected]) -> Option<VulInfo> {
    let (first, _) = found.split_first()?;
    let v = &first.vul;
    let cve = v.cve_id.clone()?;
    // `YYYY-MM-DD HH:MM:SS` sorts as text.
    let scanned = || found.iter().filter_map(|a| a.image.scan_time.clone());
    Some(VulInfo {
        name: v.name.clone(),
        tags: if v.severity() == Severity::Critical {
            vec!["POC".to_owned()]
        } else {
            Vec::new()
        },
        cvssv3_score: v.cvss_score.as_deref().and_then(|s| s.parse().ok()),
        level: v.level.clone(),
        id: Some(cve_number(&cve)),
        cve_id: Some(cve),
        category: v.category.clone(),
        found_time: scanned().min(),
        latest_found_time: scanned().max(),
        local_image_count: Some(0),
        container_count: Some(0),
        // An image lists a CVE once.
        registry_image_count: Some(count(found.len())),
        poc_id: v.poc_id.clone(),
    })
}

fn system_vuls<'a>(affected: &'a [TcssAffected<'a>]) -> Vec<SystemVul<'a>> {
    let mut by_cve: BTreeMap<&str, Vec<&TcssAffected>> = BTreeMap::new();
    for a in affected {
        if let Some(cve) = a.vul.cve_id.as_deref() {
            by_cve.entry(cve).or_default().push(a);
        }
    }
    by_cve
        .into_values()
        .filter_map(|found| {
            Some(SystemVul {
                info: vul_info(&found)?,
                found,
            })
        })
        .collect()
}

/// Whether one of `DescribeSystemVulList`'s filters keeps a CVE. The
/// image and component filters keep it when some image it affects
/// matches; the container filters keep everything (nothing runs here).
fn system_filter_keeps(v: &SystemVul, w: &Wanted) -> bool {
    let images = || v.found.iter();
    let components = || images().flat_map(|a| &a.vul.components);
    match w.0.name.as_str() {
        "Level" => {
            w.0.values
                .iter()
                .any(|l| Severity::from_tcss(Some(l)) == v.info.severity())
        }
        "CVEID" => w.text(v.info.cve_id.as_deref()),
        "Name" => w.text(v.info.name.as_deref()),
        "Tags" => v.info.tags.iter().any(|t| w.text(Some(t))),
        "CanBeFixed" => w.says(if images().any(|a| a.vul.can_be_fixed()) {
            "true"
        } else {
            "false"
        }),
        "OnlyAffectedNewestImage" => {
            !w.says("true") || images().any(|a| a.image.is_latest_image == Some(true))
        }
        "ImageID" => images().any(|a| w.text(a.image.image_digest.as_deref())),
        "ImageName" => images().any(|a| w.text(Some(&a.image.image_name))),
        "ComponentName" => components().any(|c| w.text(c.name.as_deref())),
        "ComponentVersion" => components().any(|c| w.text(c.version.as_deref())),
        _ => true,
    }
}

/// `By` `CVSSV3Score` or (the default) `RegistryImageCount`, descending
/// unless `Order` is `asc`; ties by id.
fn arrange(list: &mut [SystemVul], order: Option<SortOrder>, by: Option<&str>) {
    list.sort_by(|a, b| {
        let (a, b) = (&a.info, &b.info);
        let key = match by {
            Some("CVSSV3Score") => a
                .cvssv3_score
                .unwrap_or(0.0)
                .total_cmp(&b.cvssv3_score.unwrap_or(0.0)),
            _ => a.registry_image_count.cmp(&b.registry_image_count),
        };
        let key = if order == Some(SortOrder::Asc) {
            key
        } else {
            key.reverse()
        };
        key.then_with(|| a.id.cmp(&b.id))
    });
}

/// Which of the two lists: the system's packages (`DescribeSystemVulList`)
/// or applications' (`DescribeWebVulList`, the same shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VulListKind {
    System,
    Web,
}

/// `DescribeSystemVulList` or `DescribeWebVulList`: the registry images'
/// CVEs of that kind, one row each, filtered, sorted and paged.
pub(super) fn describe_vuls(state: &SandboxState, body: &[u8], kind: VulListKind) -> Answer {
    let req: VulListRequest = parse(body, VulListRequest::validate)?;
    let inv = tcss_api::inventory(state);
    let affected = tcss_affected(&inv);
    let web = |v: &SystemVul| v.info.category.as_deref() == Some("web");
    let mut matching: Vec<SystemVul> = system_vuls(&affected)
        .into_iter()
        .filter(|v| web(v) == (kind == VulListKind::Web))
        .filter(|v| kept_by(req.filters.as_ref(), |w| system_filter_keeps(v, w)))
        .collect();
    arrange(&mut matching, req.order, req.by.as_deref());
    let total = matching.len();
    let list: Vec<VulInfo> = matching.into_iter().map(|v| v.info).collect();
    Ok(json!({ "TotalCount": total, "List": page(list, req.offset, req.limit) }))
}

/// Whether one of `DescribeVulRegistryImageList`'s filters keeps an image.
/// Its `ImageID` is the digest, as the registry image list shows it.
fn image_filter_keeps(image: &RegistryImage, w: &Wanted) -> bool {
    match w.0.name.as_str() {
        "OnlyAffectedNewestImage" => !w.says("true") || image.is_latest_image == Some(true),
        "ImageDigest" | "ImageId" => w.text(image.image_digest.as_deref()),
        "Namespace" => w.text(image.namespace.as_deref()),
        "ImageTag" => w.text(Some(&image.image_tag)),
        "InstanceName" => w.text(image.instance_name.as_deref()),
        "ImageName" => w.text(Some(&image.image_name)),
        "ImageRepoAddress" => w.text(image.image_repo_address.as_deref()),
        _ => true,
    }
}

/// An image's row for the vulnerability `vul` it has.
fn affected_image(image: &RegistryImage, vul: &ImageVul) -> VulAffectedRegistryImage {
    VulAffectedRegistryImage {
        image_id: image.image_digest.clone(),
        image_name: Some(image.image_name.clone()),
        image_tag: Some(image.image_tag.clone()),
        namespace: image.namespace.clone(),
        image_repo_address: image.image_repo_address.clone(),
        component_list: vul
            .components
            .iter()
            .map(|c| VulAffectedComponent {
                name: c.name.clone(),
                version: c.version.clone(),
                fixed_version: c.fixed_version.clone(),
                path: c.path.clone(),
            })
            .collect(),
        is_latest_image: image.is_latest_image,
        image_asset_id: Some(image.id),
    }
}

/// The registry images whose own list has the vulnerability `poc_id`, in
/// asset id order.
fn vul_registry_images(
    inv: &Inventory,
    req: &VulRegistryImageListRequest,
) -> Vec<VulAffectedRegistryImage> {
    inv.tcss_images
        .iter()
        .filter(|image| kept_by(req.filters.as_ref(), |w| image_filter_keeps(image, w)))
        .filter_map(|image| {
            tcss_image_vulnerabilities(image)
                .iter()
                .find(|v| v.poc_id.as_deref() == Some(req.poc_id.as_str()))
                .map(|vul| affected_image(image, vul))
        })
        .collect()
}

/// `DescribeVulRegistryImageList`: the registry images one vulnerability
/// affects, filtered and paged; an unknown `PocID` affects none.
pub(super) fn describe_vul_registry_images(state: &SandboxState, body: &[u8]) -> Answer {
    let req: VulRegistryImageListRequest = parse(body, VulRegistryImageListRequest::validate)?;
    let list = vul_registry_images(&tcss_api::inventory(state), &req);
    let total = list.len();
    Ok(json!({ "TotalCount": total, "List": page(list, req.offset, req.limit) }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn inventory() -> Inventory {
        Inventory::generate(1, Duration::from_secs(3))
    }

    /// The ids `hss_image_vulnerabilities` lists for an SWR image.
    fn hss_listed(inv: &Inventory, image_id: &str) -> Vec<String> {
        let total = hss_image(inv, image_id).map_or(0, |i| i.vulnerabilities);
        hss_image_findings(image_id, total)
            .into_iter()
            .filter_map(|(_, listed)| listed.vul_id)
            .collect()
    }

    /// The HSS rows of a few kinds: the most widespread, a rare one, and
    /// one a single image has.
    fn sample(list: &[GeneralImageVul]) -> Vec<&GeneralImageVul> {
        let mut picked = vec![&list[0], &list[list.len() / 2], &list[list.len() - 1]];
        picked.extend(list.iter().find(|v| v.image_num == Some(1)));
        picked
    }

    #[test]
    fn hss_image_counts_are_the_per_image_lists() {
        let inv = inventory();
        let list = general_vuls(&inv);
        assert!(list.len() > 30, "catalogued and made-up CVEs");
        for v in sample(&list) {
            let id = v.vul_id.as_deref().unwrap();
            let carrying: Vec<&str> = inv
                .images
                .iter()
                .filter_map(|i| i.image_id.as_deref())
                .filter(|i| hss_listed(&inv, i).iter().any(|l| l == id))
                .collect();
            assert_eq!(v.image_num, Some(count(carrying.len())), "{id}");
            let repos = vul_repo_images(&inv, id);
            let tags: Vec<&str> = repos
                .iter()
                .flat_map(|r| &r.data_list)
                .filter_map(|t| t.tag_id.as_deref())
                .collect();
            assert_eq!(tags.len(), carrying.len(), "{id}");
            for tag in tags {
                assert!(hss_listed(&inv, tag).iter().any(|l| l == id), "{id} {tag}");
            }
            for r in &repos {
                assert_eq!(r.tag_count, Some(count(r.data_list.len())));
                assert_eq!(r.image_id, r.data_list[0].tag_id);
            }
        }
        assert!(vul_repo_images(&inv, "CVE-1999-0001").is_empty());
    }

    #[test]
    fn hss_rows_carry_the_catalogue_and_the_per_image_texts() {
        let inv = inventory();
        let list = general_vuls(&inv);
        let xz = list
            .iter()
            .find(|v| v.vul_id.as_deref() == Some("CVE-2024-3094"))
            .unwrap();
        assert_eq!(xz.severity_level.as_deref(), Some("Critical"));
        assert_eq!(xz.max_cvss_score, Some(10.0));
        assert_eq!(xz.cve_list[0].cvss, Some(10.0));
        assert_eq!(xz.r#type.as_deref(), Some("linux_vul"));
        assert_eq!(
            xz.url.as_deref(),
            Some("https://nvd.nist.gov/vuln/detail/CVE-2024-3094")
        );
        assert!(
            xz.solution_detail
                .as_deref()
                .unwrap()
                .starts_with("Upgrade xz-utils")
        );
        assert!(xz.scan_time.is_some());
        let go = list
            .iter()
            .find(|v| v.vul_id.as_deref() == Some("CVE-2023-39325"))
            .unwrap();
        assert_eq!(go.r#type.as_deref(), Some("app_vul"));
        for pair in list.windows(2) {
            assert!(pair[0].image_num >= pair[1].image_num, "most images first");
        }
    }

    #[test]
    fn hss_filters_narrow() {
        let inv = inventory();
        let list = general_vuls(&inv);
        let kept =
            |req: GeneralImageVulsRequest| list.iter().filter(|v| general_matches(&req, v)).count();
        let linux = GeneralImageVulsRequest::registry(VulType::LinuxVul);
        let system = kept(linux.clone());
        let apps = kept(GeneralImageVulsRequest::registry(VulType::AppVul));
        assert_eq!(
            system + apps,
            list.len(),
            "every row is one type or the other"
        );
        let critical = kept(GeneralImageVulsRequest {
            severity_level: Some(VulSeverityLevel::Critical),
            ..linux.clone()
        });
        assert!(0 < critical && critical < system);
        let by_cve = GeneralImageVulsRequest {
            cve_id: Some("cve-2024-30".into()),
            ..linux.clone()
        };
        assert_eq!(kept(by_cve), 1, "part of the id, any case");
        for (none, why) in [
            (
                GeneralImageVulsRequest {
                    image_type: GeneralImageType::Local,
                    ..linux.clone()
                },
                "local images",
            ),
            (
                GeneralImageVulsRequest {
                    handle_status: HandleStatus::Handled,
                    ..linux.clone()
                },
                "handled",
            ),
            (
                GeneralImageVulsRequest {
                    label_list: Some(vec!["poc".into()]),
                    ..linux.clone()
                },
                "labels",
            ),
        ] {
            assert_eq!(kept(none), 0, "{why}");
        }
        assert!(0 < apps && apps < system);
    }

    #[test]
    fn hss_repositories_filter() {
        let inv = inventory();
        let repos = vul_repo_images(&inv, "CVE-2024-3094");
        assert!(repos.len() > 1);
        let first = &repos[0];
        let kept =
            |req: VulRepoImageRequest| repos.iter().filter(|r| repo_matches(&req, r)).count();
        let base = VulRepoImageRequest::for_vul("CVE-2024-3094");
        let ns = first.namespace.clone();
        let in_ns = repos.iter().filter(|r| r.namespace == ns).count();
        assert_eq!(
            kept(VulRepoImageRequest {
                namespace: ns,
                ..base.clone()
            }),
            in_ns
        );
        let name = first.image_name.as_deref().unwrap().to_uppercase();
        assert!(
            kept(VulRepoImageRequest {
                image_name: Some(name[1..].into()),
                ..base.clone()
            }) >= 1
        );
        let last_tag = first.data_list.last().unwrap().tag_id.clone();
        assert_eq!(
            kept(VulRepoImageRequest {
                image_id: last_tag,
                ..base.clone()
            }),
            1
        );
        assert_eq!(
            kept(VulRepoImageRequest {
                app_name: Some("curl".into()),
                ..base
            }),
            0
        );
    }

    #[test]
    fn hss_queries_read_the_path_and_comma_lists() {
        let request = Request::builder()
            .uri("/v5/p/image/CVE-1/images?image_id=sha256:ab&limit=20")
            .body(axum::body::Body::empty())
            .unwrap();
        let req: VulRepoImageRequest = query_request(
            &request,
            &[("vul_id", "CVE-1")],
            VulRepoImageRequest::validate,
        )
        .unwrap();
        assert_eq!(
            (req.vul_id.as_str(), req.image_id.as_deref(), req.limit),
            ("CVE-1", Some("sha256:ab"), Some(20))
        );
        let request = Request::builder()
            .uri("/v5/p/images/vulnerabilities?type=app_vul&handle_status=unhandled&image_type=registry&label_list=poc,exp")
            .body(axum::body::Body::empty())
            .unwrap();
        let req: GeneralImageVulsRequest =
            query_request(&request, &[], GeneralImageVulsRequest::validate).unwrap();
        assert_eq!(req.label_list, Some(vec!["poc".into(), "exp".into()]));
        let without_type = Request::builder()
            .uri("/v5/p/images/vulnerabilities?handle_status=unhandled&image_type=registry")
            .body(axum::body::Body::empty())
            .unwrap();
        let refused = query_request(&without_type, &[], GeneralImageVulsRequest::validate);
        assert!(refused.is_err(), "the SDK requires type");
    }

    /// The TCSS images whose own list has `cve`.
    fn tcss_carrying<'a>(inv: &'a Inventory, cve: &str) -> Vec<&'a RegistryImage> {
        inv.tcss_images
            .iter()
            .filter(|i| {
                tcss_image_vulnerabilities(i)
                    .iter()
                    .any(|v| v.cve_id.as_deref() == Some(cve))
            })
            .collect()
    }

    fn filter(name: &str, value: &str) -> AssetFilter {
        AssetFilter {
            name: name.into(),
            values: vec![value.into()],
            exact_match: None,
        }
    }

    #[test]
    fn tcss_image_counts_are_the_per_image_lists() {
        let inv = inventory();
        let affected = tcss_affected(&inv);
        let mut vuls = system_vuls(&affected);
        arrange(&mut vuls, None, None);
        assert!(vuls.len() > 30);
        let picked = [&vuls[0], &vuls[vuls.len() / 2], &vuls[vuls.len() - 1]];
        for v in picked {
            let cve = v.info.cve_id.as_deref().unwrap();
            let carrying = tcss_carrying(&inv, cve);
            assert_eq!(
                v.info.registry_image_count,
                Some(count(carrying.len())),
                "{cve}"
            );
            let poc = v.info.poc_id.clone().unwrap();
            let images = vul_registry_images(&inv, &VulRegistryImageListRequest::for_poc(&poc));
            let ids: Vec<i64> = images.iter().filter_map(|i| i.image_asset_id).collect();
            let want: Vec<i64> = carrying.iter().map(|i| i.id).collect();
            assert_eq!(ids, want, "{cve}");
            for image in &images {
                assert_eq!(image.component_list.len(), 1);
                assert!(image.image_id.as_deref().unwrap().starts_with("sha256:"));
            }
        }
        assert!(
            vul_registry_images(&inv, &VulRegistryImageListRequest::for_poc("pcmgr-0")).is_empty()
        );
    }

    #[test]
    fn a_poc_id_names_one_cve_in_every_image() {
        let inv = inventory();
        let mut pairs: Vec<(String, String)> = tcss_affected(&inv)
            .into_iter()
            .map(|a| (a.vul.poc_id.unwrap(), a.vul.cve_id.unwrap()))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut pocs: Vec<&String> = pairs.iter().map(|(p, _)| p).collect();
        pocs.dedup();
        assert_eq!(
            pocs.len(),
            pairs.len(),
            "one PocID per CVE and one CVE per PocID"
        );
    }

    #[test]
    fn tcss_filters_and_order() {
        let inv = inventory();
        let affected = tcss_affected(&inv);
        let vuls = system_vuls(&affected);
        let kept = |f: AssetFilter| {
            let filters = Some(vec![f]);
            vuls.iter()
                .filter(|v| kept_by(filters.as_ref(), |w| system_filter_keeps(v, w)))
                .count()
        };
        let medium = vuls
            .iter()
            .filter(|v| v.info.level.as_deref() == Some("MEDIUM"))
            .count();
        assert!(medium > 0);
        assert_eq!(
            kept(filter("Level", "middle")),
            medium,
            "Tencent's word, any case"
        );
        assert_eq!(kept(filter("CVEID", "cve-2024-3094")), 1);
        assert_eq!(kept(filter("Name", "regresshion")), 1);
        let exact = AssetFilter {
            exact_match: Some(true),
            ..filter("Name", "regresshion")
        };
        assert_eq!(kept(exact), 0, "ExactMatch wants the whole name");
        let fixable = kept(filter("CanBeFixed", "true"));
        assert!(0 < fixable && fixable < vuls.len());
        assert_eq!(fixable + kept(filter("CanBeFixed", "false")), vuls.len());
        assert_eq!(kept(filter("ComponentName", "xz-utils")), 1);
        assert_eq!(kept(filter("Level", FILTER_ALL)), vuls.len());
        let name = inv.tcss_images[0].image_name.clone();
        let in_image = kept(filter("ImageName", &name));
        assert!(0 < in_image && in_image < vuls.len());

        let mut by_score = system_vuls(&affected);
        arrange(&mut by_score, Some(SortOrder::Asc), Some("CVSSV3Score"));
        let scores: Vec<f64> = by_score
            .iter()
            .map(|v| v.info.cvssv3_score.unwrap())
            .collect();
        assert!(scores.windows(2).all(|p| p[0] <= p[1]));
    }

    #[test]
    fn tcss_image_filters_narrow() {
        let inv = inventory();
        let poc = tcss_image_vulnerabilities(&inv.tcss_images[1])[0]
            .poc_id
            .clone()
            .unwrap();
        let all = vul_registry_images(&inv, &VulRegistryImageListRequest::for_poc(&poc));
        let with = |f: AssetFilter| VulRegistryImageListRequest {
            filters: Some(vec![f]),
            ..VulRegistryImageListRequest::for_poc(&poc)
        };
        let latest = vul_registry_images(&inv, &with(filter("OnlyAffectedNewestImage", "true")));
        assert!(latest.iter().all(|i| i.is_latest_image == Some(true)));
        assert!(latest.len() < all.len());
        let tag = all[0].image_tag.clone().unwrap();
        let tagged = vul_registry_images(&inv, &with(filter("ImageTag", &tag)));
        assert!(
            !tagged.is_empty()
                && tagged
                    .iter()
                    .all(|i| i.image_tag.as_deref().unwrap().contains(&tag))
        );
    }

    #[test]
    fn the_router_takes_the_new_routes() {
        let config = super::super::SandboxConfig::new(Vec::new(), Vec::new());
        drop(super::super::router(config));
    }
}
