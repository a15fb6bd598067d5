//! An account's vulnerabilities across images, on both clouds: the list a
//! user searches, the images one vulnerability affects, and the image page
//! those lead to, which must show the same CVE. Bad input is refused
//! before anything reaches the cloud.

use crate::common::*;
use serde_json::{Value, json};

/// The account's vulnerabilities through `ui/vulnerabilities`.
async fn vulnerabilities(h: &Harness, auth: &Auth, account: &str, filter: Value) -> Value {
    let reply = h
        .call(
            auth,
            "ui/vulnerabilities",
            &json!({"account": account, "filter": filter}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

/// The images the vulnerability `key` affects.
async fn affected(h: &Harness, auth: &Auth, account: &str, key: &str) -> Value {
    let reply = h
        .call(
            auth,
            "ui/vulnerability-images",
            &json!({"account": account, "query": {"key": key}}),
        )
        .await;
    reply.expect_ok();
    reply.json()
}

/// From the most widespread vulnerability to the page of an image it
/// affects: the CVE is there, on either cloud.
async fn search_a_cve_and_reach_an_affected_image(account: &str) {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let all = vulnerabilities(&h, &viewer, account, json!({})).await;
    let items = all["items"].as_array().expect("items");
    assert!(!items.is_empty(), "{account}: no vulnerabilities: {all}");
    let counts: Vec<i64> = items
        .iter()
        .map(|v| v["images"].as_i64().unwrap_or(0))
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "{account}: not most widespread first: {counts:?}"
    );
    assert!(
        counts[0] > 1,
        "{account}: no CVE affects more than one image"
    );
    let top = &items[0];
    let (cve, key) = (
        top["id"].as_str().expect("the answer's shape"),
        top["key"].as_str().expect("the answer's shape"),
    );

    // Searching the CVE finds it, and only it.
    let found = vulnerabilities(&h, &viewer, account, json!({"search": cve.to_lowercase()})).await;
    let ids: Vec<&str> = found["items"]
        .as_array()
        .expect("the answer's shape")
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert_eq!(ids, [cve], "{account}: searching {cve}: {found}");

    let images = affected(&h, &viewer, account, key).await;
    let rows = images["items"].as_array().expect("affected items");
    assert_eq!(
        i64::try_from(rows.len()).expect("the answer's shape"),
        counts[0],
        "{account}: {cve} affects {} images but {} are listed: {images}",
        counts[0],
        rows.len()
    );
    for row in rows.iter().take(3) {
        let image = &row["image"];
        assert!(
            image.is_object(),
            "{account}: an affected image names no page: {row}"
        );
        let page = h
            .call(
                &viewer,
                "ui/image-vulnerabilities",
                &json!({"account": account, "image": image, "filter": {"search": cve}}),
            )
            .await;
        page.expect_ok();
        let listed: Vec<String> = page.json()["items"]
            .as_array()
            .expect("the answer's shape")
            .iter()
            .filter_map(|v| v["id"].as_str().map(str::to_owned))
            .collect();
        assert!(
            listed.iter().any(|id| id == cve),
            "{account}: {cve} is not on the page of {row}: {listed:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_hss_cve_leads_to_the_images_it_affects() {
    search_a_cve_and_reach_an_affected_image(HW).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tcss_cve_leads_to_the_images_it_affects() {
    search_a_cve_and_reach_an_affected_image(TC).await;
}

/// The public endpoints answer as the services do, and a severity filter
/// narrows both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_endpoints_answer_as_the_services_do() {
    let h = Harness::start().await;
    let (_, bot) = h.token(VIEWER).await;
    let hss = h
        .call(
            &bot,
            "hss/vulnerabilities",
            &json!({"account": HW, "request": {"type": "linux_vul", "handle_status": "unhandled",
                "image_type": "registry", "severity_level": "High", "limit": 200}}),
        )
        .await;
    hss.expect_ok();
    let hss = hss.json();
    let rows = hss["data_list"].as_array().expect("the answer's shape");
    assert!(!rows.is_empty(), "{hss}");
    assert!(rows.iter().all(|v| v["severity_level"] == "High"), "{hss}");
    let vul_id = rows[0]["vul_id"].as_str().expect("the answer's shape");
    let images = h
        .call(
            &bot,
            "hss/vulnerability-images",
            &json!({"account": HW, "request": {"vul_id": vul_id, "limit": 10}}),
        )
        .await;
    images.expect_ok();
    assert!(
        images.json()["total_num"]
            .as_i64()
            .expect("the answer's shape")
            >= 1,
        "{}",
        images.body
    );

    let tcss = h
        .call(
            &bot,
            "tcss/vulnerabilities",
            &json!({"account": TC, "request": {"Limit": 100,
                "Filters": [{"Name": "Level", "Values": ["CRITICAL"]}]}}),
        )
        .await;
    tcss.expect_ok();
    let tcss = tcss.json();
    let rows = tcss["List"].as_array().expect("the answer's shape");
    assert!(!rows.is_empty(), "{tcss}");
    assert!(rows.iter().all(|v| v["Level"] == "CRITICAL"), "{tcss}");
    let poc = rows[0]["PocID"].as_str().expect("the answer's shape");
    let images = h
        .call(
            &bot,
            "tcss/vulnerability-images",
            &json!({"account": TC, "request": {"PocID": poc, "Limit": 10}}),
        )
        .await;
    images.expect_ok();
    assert_eq!(
        images.json()["TotalCount"].as_i64(),
        rows[0]["RegistryImageCount"].as_i64(),
        "{}",
        images.body
    );
}

/// Bad input names its field and costs no call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_names_its_field_and_reaches_no_cloud() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    let before = h.upstream().await;
    for (endpoint, body, field) in [
        (
            "ui/vulnerabilities",
            json!({"account": HW, "filter": {"severity": "unknown"}}),
            "filter.severity",
        ),
        (
            "ui/vulnerabilities",
            json!({"account": TC, "filter": {"search": "x".repeat(129)}}),
            "filter.search",
        ),
        (
            "ui/vulnerability-images",
            json!({"account": HW, "query": {"key": "../images"}}),
            "query.key",
        ),
        (
            "hss/vulnerabilities",
            json!({"account": HW, "request": {"type": "linux_vul", "handle_status": "unhandled",
                "image_type": "registry", "limit": 5}}),
            "limit",
        ),
        (
            "hss/vulnerabilities",
            json!({"account": HW, "request": {"handle_status": "unhandled", "image_type": "registry"}}),
            "type",
        ),
        (
            "tcss/vulnerability-images",
            json!({"account": TC, "request": {"PocID": ""}}),
            "PocID",
        ),
        (
            "tcss/vulnerabilities",
            json!({"account": TC, "request": {"Filters": [{"Name": "Severity", "Values": ["HIGH"]}]}}),
            "Filters[0].Name",
        ),
    ] {
        let reply = h.call(&viewer, endpoint, &body).await;
        reply.expect_error(400, "invalid_input");
        assert_eq!(
            reply.field().as_deref(),
            Some(field),
            "{endpoint}: {}",
            reply.body
        );
    }
    assert_eq!(h.upstream().await, before, "bad input reached the cloud");
}

/// The downloads hold every row the page counts, on both clouds, and
/// refuse a request that names no account.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_downloads_hold_every_row_the_page_counts() {
    let h = Harness::start().await;
    let viewer = h.session(VIEWER).await;
    for account in [HW, TC] {
        let listed = vulnerabilities(&h, &viewer, account, json!({"severity": "high"})).await;
        let total = listed["total"].as_i64().expect("total");
        let csv = h
            .get(
                &viewer,
                &format!("/api/v1/export/vulnerabilities.csv?account={account}&severity=high"),
            )
            .await;
        assert_eq!(csv.status.as_u16(), 200, "{}", csv.body);
        assert!(
            csv.header("content-type")
                .is_some_and(|c| c.starts_with("text/csv"))
        );
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines[0], "id,severity,cloud_level,images,cvss,title,link");
        assert_eq!(
            i64::try_from(lines.len() - 1).expect("the answer's shape"),
            total,
            "{account}: one row per vulnerability"
        );
        assert!(lines[1..].iter().all(|l| l.contains(",high,")), "{account}");

        let top = &listed["items"][0];
        let key = top["key"].as_str().expect("the answer's shape");
        let images = affected(&h, &viewer, account, key).await;
        let csv = h
            .get(
                &viewer,
                &format!("/api/v1/export/vulnerability-images.csv?account={account}&vul={key}"),
            )
            .await;
        assert_eq!(csv.status.as_u16(), 200, "{}", csv.body);
        assert_eq!(
            csv.body.lines().count() - 1,
            images["items"]
                .as_array()
                .expect("the answer's shape")
                .len(),
            "{account}: one row per affected image: {}",
            csv.body
        );
    }
    h.get(&viewer, "/api/v1/export/vulnerabilities.csv?severity=high")
        .await
        .expect_error(400, "invalid_input");
    h.get(
        &viewer,
        "/api/v1/export/vulnerability-images.csv?account=hw-test",
    )
    .await
    .expect_error(400, "invalid_input");
}
