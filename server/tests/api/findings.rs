//! An image's findings through the public API: answered as the service
//! answers, and from the findings cache, so a second look (by anyone)
//! costs the cloud nothing until the image is scanned again.

use crate::common::*;
use serde_json::{Value, json};

const UP_HSS_VULS: &str = "GET /v5/{project_id}/image/{image_id}/vulnerabilities";
const UP_TC_VULS: &str = "tcss DescribeAssetImageRegistryVulList";
const UP_HSS_MALWARE: &str = "GET /v5/{project_id}/image/{image_id}/malwares";
const UP_TC_VIRUSES: &str = "tcss DescribeAssetImageRegistryVirusList";

/// A scanned HSS image with vulnerabilities, from the image list.
struct HssImage {
    /// The identity a findings request names it by.
    request: Value,
    vul_num: i64,
    scanned_at: String,
}

async fn hss_image(h: &Harness, auth: &Auth) -> HssImage {
    let reply = h
        .call(
            auth,
            "hss/images",
            &json!({"account": HW, "request": {"image_type": "private_image",
                "scan_status": "success", "limit": 200}}),
        )
        .await;
    reply.expect_ok();
    let list = reply.json();
    let image = list["data_list"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["vul_num"].as_i64().unwrap_or(0) > 12))
        .cloned()
        .unwrap_or_else(|| panic!("no scanned image with vulnerabilities: {list}"));
    HssImage {
        request: json!({"image_id": image["image_id"], "image_type": "private_image",
            "namespace": image["namespace"], "image_name": image["image_name"],
            "tag_name": image["image_version"]}),
        vul_num: image["vul_num"].as_i64().expect("vul_num"),
        scanned_at: image["latest_scan_time"].to_string(),
    }
}

/// An image named by id only (the other required fields empty).
fn by_id(image_id: &str) -> Value {
    json!({"image_id": image_id, "image_type": "private_image", "namespace": "",
        "image_name": "", "tag_name": ""})
}

fn hss_vuls(image: &Value, scanned_at: &str, extra: Value) -> Value {
    let mut request = image.clone();
    if let Some(r) = request.as_object_mut() {
        r.insert("limit".into(), json!(200));
    }
    if let (Some(r), Some(e)) = (request.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    json!({"account": HW, "request": request, "scanned_at": scanned_at})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_look_at_an_hss_image_costs_the_cloud_nothing() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let (_, bot) = h.token(OPERATOR).await;
    let HssImage {
        request: image,
        vul_num: count,
        scanned_at,
    } = hss_image(&h, &viewer).await;

    let before = h.upstream_calls(UP_HSS_VULS).await;
    let first = h
        .call(
            &viewer,
            "hss/image-vulnerabilities",
            &hss_vuls(&image, &scanned_at, json!({})),
        )
        .await;
    first.expect_ok();
    let first = first.json();
    assert_eq!(
        first["total_num"],
        json!(count),
        "as many as the image list said: {first}"
    );
    assert_eq!(
        first["data_list"].as_array().map(Vec::len),
        Some(usize::try_from(count).expect("count"))
    );
    assert_eq!(first["complete"], json!(true));
    let fetched_at = first["fetched_at_ms"].as_i64().expect("fetched_at_ms");
    let calls = h.upstream_calls(UP_HSS_VULS).await - before;
    assert!(calls >= 1, "the first look asks the cloud");

    // Another caller, another filter and page: the cache answers.
    let high = h
        .call(
            &bot,
            "hss/image-vulnerabilities",
            &hss_vuls(
                &image,
                &scanned_at,
                json!({"repair_necessity": "immediate_repair", "limit": 10}),
            ),
        )
        .await;
    high.expect_ok();
    let high = high.json();
    assert_eq!(
        h.upstream_calls(UP_HSS_VULS).await - before,
        calls,
        "no upstream call the second time"
    );
    assert_eq!(high["fetched_at_ms"], json!(fetched_at));
    let rows = high["data_list"].as_array().expect("rows");
    assert!(!rows.is_empty() && rows.len() <= 10, "{high}");
    assert!(
        rows.iter()
            .all(|v| v["repair_necessity"] == "immediate_repair"),
        "{high}"
    );
    assert!(
        high["total_num"].as_i64() < Some(count),
        "the filter narrowed the list"
    );
    // Part of a CVE id finds it, as the service's fuzzy vul_id does.
    let cve = rows[0]["vul_id"].as_str().expect("vul_id").to_owned();
    let one = h
        .call(
            &viewer,
            "hss/image-vulnerabilities",
            &hss_vuls(&image, &scanned_at, json!({"vul_id": &cve[4..]})),
        )
        .await
        .json();
    assert!(
        one["data_list"]
            .as_array()
            .is_some_and(|l| l.iter().any(|v| v["vul_id"] == cve.as_str())),
        "{one}"
    );

    // The image was scanned again: its findings are fetched again.
    h.call(
        &viewer,
        "hss/image-vulnerabilities",
        &hss_vuls(&image, "1999", json!({})),
    )
    .await
    .expect_ok();
    assert!(
        h.upstream_calls(UP_HSS_VULS).await - before > calls,
        "a new scan time fetches again"
    );
    h.assert_no_secret_leaked();
}

/// The first TCSS registry image (of the sandbox's first 100) whose
/// count `field` is at least `min`.
async fn tcss_image(h: &Harness, auth: &Auth, field: &str, min: i64) -> Value {
    let images = h
        .call(
            auth,
            "tcss/images",
            &json!({"account": TC, "request": {"Limit": 100}}),
        )
        .await
        .json();
    images["List"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i[field].as_i64().unwrap_or(0) >= min))
        .cloned()
        .unwrap_or_else(|| panic!("no image with {field} >= {min}: {images}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcss_image_lists_its_vulnerabilities_by_level_once() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let image = tcss_image(&h, &viewer, "HighLevelVulCnt", 2).await;
    let id = image["Id"].as_i64().expect("Id");
    let scanned_at = image["ScanTime"].as_str().unwrap_or("").to_owned();
    let body =
        |request: Value| json!({"account": TC, "request": request, "scanned_at": scanned_at});

    let before = h.upstream_calls(UP_TC_VULS).await;
    let all = h
        .call(
            &viewer,
            "tcss/image-vulnerabilities",
            &body(json!({"Id": id, "Limit": 100})),
        )
        .await;
    all.expect_ok();
    let all = all.json();
    assert_eq!(all["TotalCount"], image["VulCnt"], "{all}");
    let calls = h.upstream_calls(UP_TC_VULS).await - before;
    assert!(calls >= 1);

    let high = h
        .call(
            &viewer,
            "tcss/image-vulnerabilities",
            &body(
                json!({"Id": id, "Filters": [{"Name": "Level", "Values": ["HIGH"]}], "Limit": 100}),
            ),
        )
        .await
        .json();
    assert_eq!(high["TotalCount"], image["HighLevelVulCnt"], "{high}");
    assert!(
        high["List"]
            .as_array()
            .is_some_and(|l| l.iter().all(|v| v["Level"] == "HIGH"))
    );
    assert_eq!(
        h.upstream_calls(UP_TC_VULS).await - before,
        calls,
        "the cache answered"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_findings_requests_name_the_field_and_reach_no_cloud() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let before = h.upstream().await;
    for (endpoint, body, field) in [
        (
            "hss/image-vulnerabilities",
            hss_vuls(&by_id("../tasks"), "", json!({})),
            "image_id",
        ),
        (
            "hss/image-vulnerabilities",
            hss_vuls(&by_id("sha256:ab"), "", json!({"limit": 5})),
            "limit",
        ),
        (
            "hss/image-vulnerabilities",
            hss_vuls(
                &by_id("sha256:ab"),
                "",
                json!({"repair_necessity": "urgent"}),
            ),
            "repair_necessity",
        ),
        (
            "tcss/image-vulnerabilities",
            json!({"account": TC, "request": {"Id": 0}}),
            "Id",
        ),
        (
            "tcss/image-vulnerabilities",
            json!({"account": TC, "request": {"Id": 3, "Filters": [{"Name": "Package", "Values": ["xz"]}]}}),
            "Filters[0].Name",
        ),
    ] {
        let reply = h.call(&viewer, endpoint, &body).await;
        reply.expect_error(400, "invalid_input");
        assert!(
            reply.json().to_string().contains(field),
            "{endpoint} {body}: the error names {field}: {}",
            reply.json()
        );
    }
    assert_eq!(h.upstream().await, before, "nothing reached the cloud");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_csv_holds_what_the_filters_match_and_costs_nothing_after_a_look() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let image = tcss_image(&h, &viewer, "CriticalLevelVulCnt", 1).await;
    let id = image["Id"].as_i64().expect("Id");
    let scanned = image["ScanTime"].as_str().unwrap_or("").replace(' ', "%20");
    let base = format!(
        "/api/v1/export/image-vulnerabilities.csv?account={TC}&cloud=tcss&id={id}&scanned={scanned}"
    );

    let all = h.get(&viewer, &base).await;
    assert_eq!(all.status.as_u16(), 200, "{}", all.body);
    assert!(
        all.header("content-type")
            .is_some_and(|c| c.starts_with("text/csv"))
    );
    let lines: Vec<&str> = all.body.lines().collect();
    assert!(
        lines[0].starts_with("id,severity,cloud_level,package"),
        "{}",
        lines[0]
    );
    assert_eq!(
        i64::try_from(lines.len() - 1).expect("rows"),
        image["VulCnt"].as_i64().expect("VulCnt"),
        "one row per vulnerability"
    );
    assert!(
        lines[1].contains(",critical,CRITICAL,"),
        "most severe first: {}",
        lines[1]
    );

    // After that look the cache answers: a filtered download costs nothing.
    let before = h.upstream_calls(UP_TC_VULS).await;
    let critical = h.get(&viewer, &format!("{base}&severity=critical")).await;
    assert_eq!(critical.status.as_u16(), 200);
    assert_eq!(
        i64::try_from(critical.body.lines().count() - 1).expect("rows"),
        image["CriticalLevelVulCnt"].as_i64().expect("count")
    );
    assert_eq!(
        h.upstream_calls(UP_TC_VULS).await,
        before,
        "served from the cache"
    );

    h.get(
        &viewer,
        "/api/v1/export/image-vulnerabilities.csv?account=tc-test&cloud=tcss",
    )
    .await
    .expect_error(400, "invalid_input");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_images_other_findings_match_its_counts_on_both_clouds() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;

    // HSS: as many malicious files as the image list says, fetched once.
    let images = h
        .call(
            &viewer,
            "hss/images",
            &json!({"account": HW, "request": {"image_type": "private_image",
                "scan_status": "success", "limit": 200}}),
        )
        .await
        .json();
    let image = images["data_list"]
        .as_array()
        .and_then(|l| {
            l.iter()
                .find(|i| i["malicious_file_num"].as_i64().unwrap_or(0) > 0)
        })
        .cloned()
        .unwrap_or_else(|| panic!("no image with malicious files: {images}"));
    let scanned_at = image["latest_scan_time"].to_string();
    let named = |tag_field: &str| {
        json!({"image_id": image["image_id"], "image_type": "private_image",
            "namespace": image["namespace"], "image_name": image["image_name"],
            tag_field: image["image_version"], "limit": 200})
    };
    let body =
        |request: Value| json!({"account": HW, "request": request, "scanned_at": scanned_at});
    let before = h.upstream_calls(UP_HSS_MALWARE).await;
    for _ in 0..2 {
        let malware = h
            .call(&viewer, "hss/image-malware", &body(named("tag_name")))
            .await;
        malware.expect_ok();
        let malware = malware.json();
        assert_eq!(
            malware["total_num"], image["malicious_file_num"],
            "{malware}"
        );
        assert!(
            malware["data_list"][0]["file_path"].is_string(),
            "{malware}"
        );
    }
    assert_eq!(
        h.upstream_calls(UP_HSS_MALWARE).await - before,
        1,
        "the second look came from the cache"
    );

    // Sensitive information comes masked; baselines answer.
    let sensitive = h
        .call(
            &viewer,
            "hss/image-sensitive",
            &body(named("image_version")),
        )
        .await;
    sensitive.expect_ok();
    let sensitive = sensitive.json();
    for item in sensitive["data_list"].as_array().expect("data_list") {
        let content = item["content"].as_str().unwrap_or("");
        assert!(content.ends_with(" characters)"), "masked: {item}");
    }
    let risks = h
        .call(
            &viewer,
            "hss/image-risk-configs",
            &body(named("image_version")),
        )
        .await;
    risks.expect_ok();
    assert!(
        risks.json()["total_num"].as_i64().is_some(),
        "{}",
        risks.json()
    );

    // TCSS: viruses and risky settings as many as the image list says,
    // through the public endpoints and the image page's one.
    let image = tcss_image(&h, &viewer, "VirusCnt", 1).await;
    let id = image["Id"].as_i64().expect("Id");
    let scanned_at = image["ScanTime"].as_str().unwrap_or("").to_owned();
    let before = h.upstream_calls(UP_TC_VIRUSES).await;
    let viruses = h
        .call(
            &viewer,
            "tcss/image-viruses",
            &json!({"account": TC, "request": {"Id": id, "Limit": 100}, "scanned_at": scanned_at}),
        )
        .await;
    viruses.expect_ok();
    assert_eq!(
        viruses.json()["TotalCount"],
        image["VirusCnt"],
        "{}",
        viruses.json()
    );
    let page = h
        .call(
            &viewer,
            "ui/image-findings",
            &json!({"account": TC, "image": {"cloud": "tcss", "id": id}, "kind": "malware",
                "scanned_at": scanned_at}),
        )
        .await;
    page.expect_ok();
    let page = page.json();
    let counted: i64 = page["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .filter_map(Value::as_i64)
        .sum();
    assert_eq!(Some(counted), image["VirusCnt"].as_i64(), "{page}");
    let severities: Vec<&str> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|f| f["severity"].as_str())
        .collect();
    let order = ["critical", "high", "medium", "low", "unknown"];
    let rank = |s: &&str| order.iter().position(|o| o == s);
    assert!(
        severities.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "most severe first: {severities:?}"
    );
    assert_eq!(
        h.upstream_calls(UP_TC_VIRUSES).await - before,
        1,
        "the image page read the cached list"
    );
    let risks = h
        .call(
            &viewer,
            "tcss/image-risks",
            &json!({"account": TC, "request": {"Id": id, "Limit": 100, "By": "Level", "Order": "DESC"}}),
        )
        .await;
    risks.expect_ok();
    assert_eq!(
        risks.json()["TotalCount"],
        image["RiskCnt"],
        "{}",
        risks.json()
    );

    // TCSS has no sensitive-information list: a clear refusal.
    let none = h
        .call(
            &viewer,
            "ui/image-findings",
            &json!({"account": TC, "image": {"cloud": "tcss", "id": id}, "kind": "sensitive"}),
        )
        .await;
    none.expect_error(400, "invalid_input");
    h.assert_no_secret_leaked();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_party_registry_image_lists_as_many_vulnerabilities_as_its_row_says() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let list = h
        .call(
            &viewer,
            "hss/registry-images",
            &json!({"account": HW, "request": {"image_type": "harbor", "limit": 200}}),
        )
        .await;
    list.expect_ok();
    let list = list.json();
    let image = list["data_list"]
        .as_array()
        .and_then(|l| l.iter().find(|i| i["vul_num"].as_i64().unwrap_or(0) > 0))
        .cloned()
        .unwrap_or_else(|| panic!("no Harbor image with vulnerabilities: {list}"));
    let request = json!({"image_id": image["image_id"], "image_type": "harbor",
        "namespace": image["namespace"], "image_name": image["image_name"],
        "tag_name": image["image_version"]});
    let vuls = h
        .call(
            &viewer,
            "hss/image-vulnerabilities",
            &hss_vuls(&request, &image["latest_scan_time"].to_string(), json!({})),
        )
        .await;
    vuls.expect_ok();
    let vuls = vuls.json();
    assert_eq!(vuls["total_num"], image["vul_num"], "{vuls}");
}
