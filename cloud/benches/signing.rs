//! Signing hot paths: one Huawei signature, one Tencent signature, and a
//! whole signed HSS request build (date, headers, query, path, signature and
//! the `reqwest::Request`).
//!
//! `cargo bench -p scanport-cloud --bench signing -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, criterion_group, criterion_main};
use scanport_cloud::signing::{huawei, tencent};
use scanport_cloud::{HuaweiCredentials, TencentCredentials};
use std::hint::black_box;

const HOST: &str = "hss.cn-north-4.myhuaweicloud.com";
const PROJECT_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

fn huawei_credentials() -> HuaweiCredentials {
    HuaweiCredentials::new(
        "HPUAEXAMPLEAK0000000",
        "exampleSecretKey0000000000000000000000000",
    )
}

/// A list-tasks query with five parameters.
fn list_tasks_query() -> Vec<(String, String)> {
    [
        ("type", "image_scan"),
        ("limit", "50"),
        ("offset", "100"),
        ("task_name", "nightly scan/all"),
        ("enterprise_project_id", "all_granted_eps"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect()
}

fn huawei_sign(c: &mut Criterion) {
    let credentials = huawei_credentials();
    let headers = huawei::base_headers(&credentials, HOST, PROJECT_ID, "20260101T120000Z");
    let query = list_tasks_query();
    let segments = ["v5", PROJECT_ID, "image", "tasks"];
    c.bench_function("huawei_sign", |b| {
        b.iter(|| {
            let parts = huawei::RequestParts {
                method: "GET",
                segments: black_box(&segments),
                query: black_box(&query),
                headers: black_box(&headers),
                body: b"",
            };
            huawei::sign(black_box(&credentials), &parts)
        });
    });
}

fn tencent_sign(c: &mut Criterion) {
    let credentials = TencentCredentials::new(
        "AKIDEXAMPLEsecretid000000000000000",
        "exampleSecretKey00000000000000000",
    );
    // An UpdateImageRegistryTimingScanTask body of ~120 bytes.
    let body: &[u8] = br#"{"ScanPeriod":1,"Enable":true,"ScanTime":"02:00:00","ScanType":["CVE","VIRUS","RISK"],"All":true,"Latest":true,"ScanScope":0}"#;
    c.bench_function("tencent_sign", |b| {
        b.iter(|| {
            let parts = tencent::RequestParts {
                host: "tcss.tencentcloudapi.com",
                service: "tcss",
                action: "UpdateImageRegistryTimingScanTask",
                version: "2020-11-01",
                region: "ap-guangzhou",
                timestamp: black_box(1_767_268_800),
                body: black_box(body),
            };
            tencent::sign(black_box(&credentials), &parts)
        });
    });
}

fn huawei_signed_request_build(c: &mut Criterion) {
    let credentials = huawei_credentials();
    let query = list_tasks_query();
    let segments = ["v5", PROJECT_ID, "image", "tasks"];
    // One client, as the real HSS client holds; building a client per call
    // would measure TLS setup, not signing.
    let client = reqwest::Client::new();
    c.bench_function("huawei_signed_request_build", |b| {
        b.iter(|| {
            let date = huawei::sdk_date(time::OffsetDateTime::now_utc());
            let headers = huawei::base_headers(&credentials, HOST, PROJECT_ID, &date);
            let query_string = huawei::canonical_query(black_box(&query));
            let path = huawei::request_path(black_box(&segments));
            let signature = huawei::sign(
                &credentials,
                &huawei::RequestParts {
                    method: "GET",
                    segments: &segments,
                    query: &query,
                    headers: &headers,
                    body: b"",
                },
            );
            let url = format!("https://{HOST}{path}?{query_string}");
            let mut request = client
                .get(url)
                .header(reqwest::header::AUTHORIZATION, signature.authorization);
            for (name, value) in headers.iter().filter(|(n, _)| n != "Host") {
                request = request.header(name, value);
            }
            request.build().expect("the request is well formed")
        });
    });
}

criterion_group!(
    benches,
    huawei_sign,
    tencent_sign,
    huawei_signed_request_build
);
criterion_main!(benches);
