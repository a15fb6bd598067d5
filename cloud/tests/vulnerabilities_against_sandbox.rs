//! The cross-image vulnerability lists through Scanport's own clients
//! against the sandbox: a vulnerability's image count is the number of
//! images it names, and every image it names lists it on its own page.

mod support;

use scanport_cloud::hss::HssClient;
use scanport_cloud::tcss::TcssClient;
use scanport_cloud::{HuaweiCredentials, TencentCredentials, http_client};
use scanport_sandbox::{HuaweiKey, SandboxConfig, TencentKey};
use scanport_wire::hss::{
    FindingsImageType, GeneralImageVulsRequest, ImageVulnerabilitiesRequest, VulRepoImageRequest,
    VulType,
};
use scanport_wire::tcss::{ImageVulListRequest, VulListRequest, VulRegistryImageListRequest};
use support::{generous, spawn_sandbox};

const AK: &str = "VULSAK0000000000001";
const SK: &str = "vulssk000000000000000000000000000000001";
const SECRET_ID: &str = "AKIDVULS000000000000001";
const SECRET_KEY: &str = "vulssecretkey0000000000001";

/// A sandbox without rate limits: the test reads every affected image.
async fn start() -> String {
    let mut config = SandboxConfig::new(
        vec![HuaweiKey {
            ak: AK.into(),
            sk: SK.into(),
        }],
        vec![TencentKey {
            secret_id: SECRET_ID.into(),
            secret_key: SECRET_KEY.into(),
        }],
    );
    config.rate_limits = false;
    spawn_sandbox(config).await
}

fn hss(endpoint: &str) -> HssClient {
    let s = support::settings(0);
    HssClient::new(
        endpoint,
        "proj-1",
        HuaweiCredentials::new(AK, SK),
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("hss client")
}

fn tcss(endpoint: &str) -> TcssClient {
    let s = support::settings(0);
    TcssClient::new(
        endpoint,
        "ap-guangzhou",
        TencentCredentials::new(SECRET_ID, SECRET_KEY),
        http_client(&s).expect("client"),
        s,
        generous(),
    )
    .expect("tcss client")
}

#[tokio::test]
async fn an_hss_vulnerability_names_the_images_that_list_it() {
    let hss = hss(&start().await);
    // The three the SDK requires.
    let general = hss
        .general_image_vulnerabilities(&GeneralImageVulsRequest::registry(VulType::LinuxVul))
        .await
        .expect("general list");
    assert_eq!(general.data_list.len(), 10, "a page of ten by default");
    let top = &general.data_list[0];
    let vul_id = top.vul_id.clone().expect("an id");
    let repos = hss
        .vulnerability_images(&VulRepoImageRequest {
            limit: Some(200),
            ..VulRepoImageRequest::for_vul(&vul_id)
        })
        .await
        .expect("affected images");
    let tags: usize = repos.data_list.iter().map(|r| r.data_list.len()).sum();
    assert_eq!(Some(i64::try_from(tags).unwrap()), top.image_num);
    for repo in &repos.data_list {
        for tag in &repo.data_list {
            let image_type = match repo.image_type.as_deref() {
                Some("shared_image") => FindingsImageType::SharedImage,
                Some("instance_image") => FindingsImageType::InstanceImage,
                _ => FindingsImageType::PrivateImage,
            };
            let own = hss
                .image_vulnerabilities(&ImageVulnerabilitiesRequest {
                    vul_id: Some(vul_id.clone()),
                    ..ImageVulnerabilitiesRequest::for_image(
                        tag.tag_id.as_deref().expect("a tag id"),
                        image_type,
                        repo.namespace.as_deref().unwrap_or_default(),
                        repo.image_name.as_deref().unwrap_or_default(),
                        tag.tag_name.as_deref().unwrap_or_default(),
                    )
                })
                .await
                .expect("the image's own list");
            assert_eq!(own.total_num, 1, "{vul_id} on {tag:?}");
        }
    }
}

#[tokio::test]
async fn a_tcss_vulnerability_names_the_images_that_list_it() {
    let tc = tcss(&start().await);
    let system = tc
        .system_vulnerabilities(&VulListRequest::default())
        .await
        .expect("system list");
    assert_eq!(system.list.len(), 10, "a page of ten by default");
    let top = &system.list[0];
    let cve = top.cve_id.clone().expect("a CVE");
    let images = tc
        .vulnerability_images(&VulRegistryImageListRequest {
            limit: Some(100),
            ..VulRegistryImageListRequest::for_poc(top.poc_id.as_deref().expect("a PocID"))
        })
        .await
        .expect("affected images");
    assert_eq!(Some(images.total_count), top.registry_image_count);
    for image in &images.list {
        let id = image.image_asset_id.expect("the asset id");
        let own = tc
            .image_vulnerabilities(&ImageVulListRequest {
                limit: Some(100),
                ..ImageVulListRequest::for_image(id)
            })
            .await
            .expect("the image's own list");
        let listed = own.list.iter().find(|v| v.cve_id.as_deref() == Some(&cve));
        assert_eq!(
            listed.and_then(|v| v.poc_id.clone()),
            top.poc_id,
            "{cve} on image {id}"
        );
    }
}
