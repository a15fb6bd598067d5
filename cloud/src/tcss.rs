//! The Tencent Cloud TCSS client: one endpoint, the action in headers,
//! errors inside an HTTP 200 `Response.Error`.

use crate::budget::RateBudget;
use crate::credentials::TencentCredentials;
use crate::error::CloudError;
use crate::findings::all_pages;
use crate::pause::KeyGuard;
use crate::read_cache::{self, ReadCache};
use crate::signing::tencent;
use crate::transport::{Call, HttpSettings, RawAnswer};
use scanport_wire::tcss::{
    Acknowledged, Common, CreateRegistryScanRequest, CreateRegistryScanResponse, DEFAULT_HOST,
    DescribeNamespacesRequest, DescribeRegistriesRequest, DescribeRegistriesResponse,
    DescribeRegistryImagesRequest, DescribeRegistryImagesResponse, Envelope, ImageRisk,
    ImageRiskInfoListRequest, ImageRiskList, ImageVirus, ImageVirusList, ImageVirusListRequest,
    ImageVul, ImageVulList, ImageVulListRequest, NamespaceList, RegistryScanStatus,
    RegistryScanStatusRequest, RegistrySyncStatus, RegistrySyncStatusRequest, SERVICE,
    StopRegistryScanRequest, SyncRegistryAssetsRequest, TimingScanTask, UpdateTimingScanRequest,
    VERSION, VulList, VulListRequest, VulRegistryImageList, VulRegistryImageListRequest,
};
use scanport_wire::upstream::{CodeClass, classify};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

/// The public endpoint (the same for every region).
pub fn default_endpoint() -> String {
    format!("https://{DEFAULT_HOST}")
}

/// TCSS for the read cache. Live reads, never cached: the scan and sync
/// progress the hub and the Registries page poll.
static UPSTREAM: read_cache::Upstream = read_cache::Upstream {
    provider: "tencent",
    live_reads: &[
        "DescribeAssetImageRegistryScanStatusOneKey",
        "DescribeAssetImageRegistryAssetStatus",
    ],
    fingerprint,
};

/// An answer less its `Response.RequestId`, which differs every time: what
/// tells the read cache whether a live read moved.
fn fingerprint(body: &[u8]) -> u64 {
    let Ok(mut answer) = serde_json::from_slice::<serde_json::Value>(body) else {
        return read_cache::hash_bytes(body);
    };
    if let Some(response) = answer.get_mut("Response").and_then(|r| r.as_object_mut()) {
        response.remove("RequestId");
    }
    read_cache::hash_bytes(answer.to_string().as_bytes())
}

/// One TCSS account's client. Cheap to clone.
#[derive(Clone)]
pub struct TcssClient {
    http: reqwest::Client,
    settings: HttpSettings,
    budget: Arc<RateBudget>,
    url: reqwest::Url,
    host: String,
    region: String,
    credentials: TencentCredentials,
    guard: Arc<KeyGuard>,
    /// Recent read answers (see [`ReadCache`]).
    cache: Arc<ReadCache>,
}

impl std::fmt::Debug for TcssClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcssClient")
            .field("endpoint", &self.url.as_str())
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl TcssClient {
    pub fn new(
        endpoint: &str,
        region: &str,
        credentials: TencentCredentials,
        http: reqwest::Client,
        settings: HttpSettings,
        budget: Arc<RateBudget>,
    ) -> Result<Self, String> {
        let mut url = reqwest::Url::parse(endpoint)
            .map_err(|e| format!("endpoint {endpoint:?} is not a URL: {e}"))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) if matches!(url.scheme(), "http" | "https") => format!("{h}:{p}"),
            (Some(h), None) if matches!(url.scheme(), "http" | "https") => h.to_owned(),
            _ => {
                return Err(format!(
                    "endpoint {endpoint:?} must be an http(s) URL with a host"
                ));
            }
        };
        url.set_path("/");
        url.set_query(None);
        scanport_wire::validate::str_len("region", region, 1, 64).map_err(|e| e.to_string())?;
        Ok(Self {
            http,
            settings,
            budget,
            url,
            host,
            region: region.to_owned(),
            credentials,
            guard: Arc::default(),
            cache: Arc::new(ReadCache::new(settings.read_cache, &UPSTREAM)),
        })
    }

    /// The account's key guard: whether its calls are paused after the
    /// cloud refused its key, and the operator's retry.
    pub fn guard(&self) -> &KeyGuard {
        &self.guard
    }

    /// The account's read cache (other replicas' changes empty it).
    pub fn read_cache(&self) -> &ReadCache {
        &self.cache
    }

    /// `DescribeImageRegistryTimingScanTask`: the registry scan schedule.
    pub async fn describe_timing_scan(&self) -> Result<TimingScanTask, CloudError> {
        self.call(
            "DescribeImageRegistryTimingScanTask",
            &serde_json::json!({}),
            true,
        )
        .await
    }

    /// `UpdateImageRegistryTimingScanTask`: never retried automatically.
    pub async fn update_timing_scan(
        &self,
        req: &UpdateTimingScanRequest,
    ) -> Result<Acknowledged, CloudError> {
        req.validate()?;
        self.call("UpdateImageRegistryTimingScanTask", req, false)
            .await
    }

    /// `DescribeAssetImageRegistryList`: registry images.
    pub async fn describe_registry_images(
        &self,
        req: &DescribeRegistryImagesRequest,
    ) -> Result<DescribeRegistryImagesResponse, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryList", req, true).await
    }

    /// `DescribeAssetImageRegistryVulList`: one page of a registry image's
    /// vulnerabilities.
    pub async fn image_vulnerabilities(
        &self,
        req: &ImageVulListRequest,
    ) -> Result<ImageVulList, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryVulList", req, true)
            .await
    }

    /// Every vulnerability of the image `req` names, up to
    /// [`scanport_wire::findings::MAX_FINDINGS`]; and whether that was all.
    pub async fn all_image_vulnerabilities(
        &self,
        req: &ImageVulListRequest,
    ) -> Result<(Vec<ImageVul>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_vulnerabilities(&r).await?;
            Ok((page.list, page.total_count))
        })
        .await
    }

    /// `DescribeAssetImageRegistryVirusList`: one page of a registry
    /// image's malicious files.
    pub async fn image_viruses(
        &self,
        req: &ImageVirusListRequest,
    ) -> Result<ImageVirusList, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryVirusList", req, true)
            .await
    }

    /// Every malicious file of the image `req` names.
    pub async fn all_image_viruses(
        &self,
        req: &ImageVirusListRequest,
    ) -> Result<(Vec<ImageVirus>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_viruses(&r).await?;
            Ok((page.list, page.total_count))
        })
        .await
    }

    /// `DescribeAssetImageRegistryRiskInfoList`: one page of a registry
    /// image's risky build settings.
    pub async fn image_risks(
        &self,
        req: &ImageRiskInfoListRequest,
    ) -> Result<ImageRiskList, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryRiskInfoList", req, true)
            .await
    }

    /// Every risky build setting of the image `req` names.
    pub async fn all_image_risks(
        &self,
        req: &ImageRiskInfoListRequest,
    ) -> Result<(Vec<ImageRisk>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_risks(&r).await?;
            Ok((page.list, page.total_count))
        })
        .await
    }

    /// `DescribeSystemVulList`: one page of the account's vulnerabilities
    /// across images, each with how many images it affects.
    pub async fn system_vulnerabilities(
        &self,
        req: &VulListRequest,
    ) -> Result<VulList, CloudError> {
        req.validate()?;
        self.call("DescribeSystemVulList", req, true).await
    }

    /// `DescribeWebVulList`: as [`Self::system_vulnerabilities`], for
    /// applications' packages.
    pub async fn web_vulnerabilities(&self, req: &VulListRequest) -> Result<VulList, CloudError> {
        req.validate()?;
        self.call("DescribeWebVulList", req, true).await
    }

    /// `DescribeVulRegistryImageList`: one page of the registry images a
    /// vulnerability (its `PocID`) affects.
    pub async fn vulnerability_images(
        &self,
        req: &VulRegistryImageListRequest,
    ) -> Result<VulRegistryImageList, CloudError> {
        req.validate()?;
        self.call("DescribeVulRegistryImageList", req, true).await
    }

    /// `CreateAssetImageRegistryScanTaskOneKey`: a launch, never retried.
    /// Scans use the one-key family throughout: its `TaskID` is what the
    /// progress and stop calls below take.
    pub async fn create_registry_scan(
        &self,
        req: &CreateRegistryScanRequest,
    ) -> Result<CreateRegistryScanResponse, CloudError> {
        req.validate()?;
        self.call("CreateAssetImageRegistryScanTaskOneKey", req, false)
            .await
    }

    /// `ModifyAssetImageRegistryScanStopOneKey`: stop a one-key scan,
    /// never retried.
    pub async fn stop_registry_scan(
        &self,
        req: &StopRegistryScanRequest,
    ) -> Result<Acknowledged, CloudError> {
        req.validate()?;
        self.call("ModifyAssetImageRegistryScanStopOneKey", req, false)
            .await
    }

    /// `DescribeAssetImageRegistryScanStatusOneKey`: scan progress.
    pub async fn registry_scan_status(
        &self,
        req: &RegistryScanStatusRequest,
    ) -> Result<RegistryScanStatus, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryScanStatusOneKey", req, true)
            .await
    }

    /// `SyncAssetImageRegistryAsset`: sync registries, never retried.
    pub async fn sync_registry_assets(
        &self,
        req: &SyncRegistryAssetsRequest,
    ) -> Result<Acknowledged, CloudError> {
        req.validate()?;
        self.call("SyncAssetImageRegistryAsset", req, false).await
    }

    /// `DescribeAssetImageRegistryRegistryList`: connected registries.
    pub async fn describe_registries(
        &self,
        req: &DescribeRegistriesRequest,
    ) -> Result<DescribeRegistriesResponse, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryRegistryList", req, true)
            .await
    }

    /// `DescribeAssetImageRegistryAssetStatus`: how the last registry sync
    /// went (or goes).
    pub async fn registry_sync_status(
        &self,
        req: &RegistrySyncStatusRequest,
    ) -> Result<RegistrySyncStatus, CloudError> {
        req.validate()?;
        self.call("DescribeAssetImageRegistryAssetStatus", req, true)
            .await
    }

    /// `DescribeImageRegistryNamespaceList`: the registries' namespaces.
    pub async fn describe_namespaces(
        &self,
        req: &DescribeNamespacesRequest,
    ) -> Result<NamespaceList, CloudError> {
        req.validate()?;
        self.call("DescribeImageRegistryNamespaceList", req, true)
            .await
    }

    async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        action: &'static str,
        req: &Req,
        read: bool,
    ) -> Result<Resp, CloudError> {
        let body = serde_json::to_vec(req).map_err(|e| CloudError::Unavailable {
            message: format!("cannot encode the request: {e}"),
            code: None,
            request_id: None,
        })?;
        let build = || {
            let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
            let parts = tencent::RequestParts {
                host: &self.host,
                service: SERVICE,
                action,
                version: VERSION,
                region: &self.region,
                timestamp,
                body: &body,
            };
            let signature = tencent::sign(&self.credentials, &parts);
            let mut request = self.http.post(self.url.clone()).body(body.clone());
            for (name, value) in tencent::headers(&self.credentials, &parts, &signature)
                .into_iter()
                .filter(|(n, _)| n != "Host")
            {
                request = request.header(name, value);
            }
            request
        };
        let call = Call {
            settings: &self.settings,
            budget: &self.budget,
            provider: UPSTREAM.provider,
            api: action,
            read,
            guard: &self.guard,
        };
        let answer = self
            .cache
            .call(action, read, &body, || call.run(build, check_answer))
            .await?;
        crate::decode::decode_answer::<Envelope<Resp>>(&answer.body)
            .map(|e| e.response)
            .map_err(|e| CloudError::Unavailable {
                message: format!("the service sent an answer that is not valid JSON ({e})"),
                code: None,
                request_id: None,
            })
    }
}

/// Maps `Response.Error` (sent with HTTP 200) or a non-200 status to an error.
fn check_answer(answer: &RawAnswer, _elapsed: Duration) -> Result<(), CloudError> {
    if answer.status >= 500 {
        return Err(CloudError::Unavailable {
            message: format!("HTTP {}", answer.status),
            code: None,
            request_id: None,
        });
    }
    let Ok(envelope) = serde_json::from_slice::<Envelope<Common>>(&answer.body) else {
        return Err(CloudError::Unavailable {
            message: "the service sent an answer that is not valid JSON".to_owned(),
            code: None,
            request_id: None,
        });
    };
    let request_id = envelope.response.request_id;
    let Some(error) = envelope.response.error else {
        if answer.status == 200 {
            return Ok(());
        }
        return Err(CloudError::UpstreamRejected {
            status: answer.status,
            code: format!("HTTP {}", answer.status),
            message: "unexpected status".to_owned(),
            request_id,
        });
    };
    let (code, message) = (error.code, error.message);
    Err(match classify(&code) {
        CodeClass::ClockSkew => CloudError::ClockSkew {
            code,
            message,
            request_id,
        },
        // `AuthFailure.*` is the key or its signature; a permission refusal
        // (`UnauthorizedOperation`) is a refusal like any other.
        CodeClass::Authentication => CloudError::AuthRejected {
            code,
            message,
            request_id,
        },
        CodeClass::Throttled => CloudError::RateLimited {
            retry_after: Duration::from_secs(1),
            upstream_code: Some(code),
            request_id,
        },
        CodeClass::Internal => CloudError::Unavailable {
            message,
            code: Some(code),
            request_id,
        },
        _ => CloudError::UpstreamRejected {
            status: answer.status,
            code,
            message,
            request_id,
        },
    })
}

#[cfg(test)]
mod fingerprint_tests {
    use super::fingerprint;

    #[test]
    fn a_live_answer_moves_with_its_content_not_its_request_id() {
        let a = br#"{"Response":{"Status":"doing","RequestId":"r-1"}}"#;
        let b = br#"{"Response":{"Status":"doing","RequestId":"r-2"}}"#;
        let c = br#"{"Response":{"Status":"done","RequestId":"r-3"}}"#;
        assert_eq!(fingerprint(a), fingerprint(b));
        assert_ne!(fingerprint(b), fingerprint(c));
    }
}
