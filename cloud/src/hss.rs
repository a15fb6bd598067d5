//! The Huawei Cloud HSS client: typed calls, each validated before it is
//! signed and sent.

use crate::budget::RateBudget;
use crate::credentials::HuaweiCredentials;
use crate::error::CloudError;
use crate::findings::all_pages;
use crate::pause::KeyGuard;
use crate::read_cache::{self, ReadCache};
use crate::signing::huawei;
use crate::transport::{Call, HttpSettings, RawAnswer, clock_offset, retry_after};
use reqwest::Method;
use scanport_wire::hss::{
    BatchScanRequest, CreateScanTaskRequest, GeneralImageVulList, GeneralImageVulsRequest,
    ImageMalware, ImageMalwareList, ImageMalwareRequest, ImageRiskConfig, ImageRiskConfigList,
    ImageRiskConfigsRequest, ImageSensitiveInfo, ImageSensitiveList, ImageSensitiveRequest,
    ImageSyncTaskRequest, ImageVulnerabilities, ImageVulnerabilitiesRequest, ImageVulnerability,
    ListAssociateRegistriesRequest, ListAssociateRegistriesResponse, ListImagesRequest,
    ListImagesResponse, ListRegistriesRequest, ListRegistriesResponse, ListRegistryImagesRequest,
    ListRegistryImagesResponse, ListTasksRequest, ListTasksResponse, ScanPolicy, ScanPolicyRequest,
    SynchronizeRequest, SynchronizeResponse, UpdateScanPolicyRequest, VulRepoImageList,
    VulRepoImageRequest, validate_task_id,
};
use scanport_wire::upstream::{CodeClass, classify};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;

/// The public endpoint of a region.
pub fn default_endpoint(region: &str) -> String {
    format!("https://hss.{region}.myhuaweicloud.com")
}

/// HSS refuses an `X-Sdk-Date` more than 15 minutes off.
const MAX_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// HSS for the read cache. Live reads, never cached: the task lists the
/// hub polls and a sync task's registries.
static UPSTREAM: read_cache::Upstream = read_cache::Upstream {
    provider: "huawei",
    live_reads: &["list_tasks", "list_associate_registries"],
    fingerprint: read_cache::hash_bytes,
};

/// One HSS account's client. Cheap to clone; the HTTP pool and the budget
/// are shared.
#[derive(Clone)]
pub struct HssClient {
    http: reqwest::Client,
    settings: HttpSettings,
    budget: Arc<RateBudget>,
    base: reqwest::Url,
    host: String,
    project_id: String,
    /// Sent as `enterprise_project_id` on every call (see
    /// [`HssClient::with_enterprise_project_id`]).
    enterprise_project_id: Option<String>,
    credentials: HuaweiCredentials,
    guard: Arc<KeyGuard>,
    /// Recent read answers (see [`ReadCache`]).
    cache: Arc<ReadCache>,
}

impl std::fmt::Debug for HssClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HssClient")
            .field("endpoint", &self.base.as_str())
            .field("project_id", &self.project_id)
            .field("enterprise_project_id", &self.enterprise_project_id)
            .finish_non_exhaustive()
    }
}

impl HssClient {
    /// `endpoint` comes from the config (or [`default_endpoint`]), never
    /// from a browser request.
    pub fn new(
        endpoint: &str,
        project_id: &str,
        credentials: HuaweiCredentials,
        http: reqwest::Client,
        settings: HttpSettings,
        budget: Arc<RateBudget>,
    ) -> Result<Self, String> {
        let base = reqwest::Url::parse(endpoint)
            .map_err(|e| format!("endpoint {endpoint:?} is not a URL: {e}"))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(format!(
                "endpoint {endpoint:?} must be an http(s) URL with a host"
            ));
        }
        scanport_wire::validate::str_len("project_id", project_id, 1, 256)
            .and_then(|()| scanport_wire::validate::no_control_chars("project_id", project_id))
            .map_err(|e| e.to_string())?;
        // An HTTP client would resolve a dot segment away, and the path
        // sent would no longer be the path signed.
        if project_id == "." || project_id == ".." || project_id.contains('/') {
            return Err("project_id must not be \".\", \"..\" or contain \"/\"".to_owned());
        }
        let host = match (base.host_str(), base.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_owned(),
            (None, _) => unreachable!("checked above"),
        };
        Ok(Self {
            http,
            settings,
            budget,
            base,
            host,
            project_id: project_id.to_owned(),
            enterprise_project_id: None,
            credentials,
            guard: Arc::default(),
            cache: Arc::new(ReadCache::new(settings.read_cache, &UPSTREAM)),
        })
    }

    /// Every call of this client carries `enterprise_project_id` (the
    /// SDK's query parameter on each HSS image API): with enterprise
    /// projects enabled, the service otherwise answers for the default
    /// project only. A list request's own `enterprise_project_id` wins.
    pub fn with_enterprise_project_id(mut self, id: Option<&str>) -> Result<Self, String> {
        if let Some(id) = id {
            scanport_wire::hss::validate_enterprise_project_id(Some(id))
                .and_then(|()| {
                    scanport_wire::validate::no_control_chars("enterprise_project_id", id)
                })
                .map_err(|e| e.to_string())?;
        }
        self.enterprise_project_id = id.map(str::to_owned);
        Ok(self)
    }

    /// The configured enterprise project, if any.
    pub fn enterprise_project_id(&self) -> Option<&str> {
        self.enterprise_project_id.as_deref()
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

    /// `GET /v5/{project_id}/image/tasks`: scan or sync tasks.
    pub async fn list_tasks(
        &self,
        req: &ListTasksRequest,
    ) -> Result<ListTasksResponse, CloudError> {
        req.validate()?;
        self.call(
            "list_tasks",
            Method::GET,
            &["image", "tasks"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/swr-repository`: SWR images.
    pub async fn list_images(
        &self,
        req: &ListImagesRequest,
    ) -> Result<ListImagesResponse, CloudError> {
        req.validate()?;
        let query = req.query();
        self.call(
            "list_images",
            Method::GET,
            &["image", "swr-repository"],
            &query,
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/registries`: connected registries.
    pub async fn list_registries(
        &self,
        req: &ListRegistriesRequest,
    ) -> Result<ListRegistriesResponse, CloudError> {
        req.validate()?;
        let query = req.query();
        self.call(
            "list_registries",
            Method::GET,
            &["image", "registries"],
            &query,
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/registries/images`: images in the
    /// connected registries (SWR and third-party).
    pub async fn list_registry_images(
        &self,
        req: &ListRegistryImagesRequest,
    ) -> Result<ListRegistryImagesResponse, CloudError> {
        req.validate()?;
        self.call(
            "list_registry_images",
            Method::GET,
            &["image", "registries", "images"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/image-sync/tasks/{task_id}/registries`:
    /// the registries a sync task synced, and how each went.
    pub async fn list_associate_registries(
        &self,
        req: &ListAssociateRegistriesRequest,
    ) -> Result<ListAssociateRegistriesResponse, CloudError> {
        req.validate()?;
        self.call(
            "list_associate_registries",
            Method::GET,
            &["image", "image-sync", "tasks", &req.task_id, "registries"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `POST /v5/{project_id}/image/batch-scan`. A launch: never retried.
    pub async fn batch_scan(&self, req: &BatchScanRequest) -> Result<(), CloudError> {
        req.validate()?;
        let body = json_body(req)?;
        self.call::<Ignored>(
            "batch_scan",
            Method::POST,
            &["image", "batch-scan"],
            &[],
            Some(body),
            false,
        )
        .await
        .map(|_| ())
    }

    /// `POST /v5/{project_id}/image/synchronize`: refresh the SWR image list.
    /// A nonzero `error_code` in the answer is the service refusing it.
    pub async fn synchronize(
        &self,
        req: &SynchronizeRequest,
    ) -> Result<SynchronizeResponse, CloudError> {
        req.validate()?;
        let body = json_body(req)?;
        let answer: SynchronizeResponse = self
            .call(
                "synchronize",
                Method::POST,
                &["image", "synchronize"],
                &[],
                Some(body),
                false,
            )
            .await?;
        if answer.error_code != 0 {
            return Err(CloudError::UpstreamRejected {
                status: 200,
                code: answer.error_code.to_string(),
                message: answer.error_description,
                request_id: None,
            });
        }
        Ok(answer)
    }

    /// `POST /v5/{project_id}/image/image-sync/tasks`: sync registries.
    pub async fn create_image_sync_task(
        &self,
        req: &ImageSyncTaskRequest,
    ) -> Result<(), CloudError> {
        req.validate()?;
        let body = json_body(req)?;
        self.call::<Ignored>(
            "create_image_sync_task",
            Method::POST,
            &["image", "image-sync", "tasks"],
            &[],
            Some(body),
            false,
        )
        .await
        .map(|_| ())
    }

    /// `POST /v5/{project_id}/image/image-scan/tasks`: a manual scan task.
    pub async fn create_scan_task(&self, req: &CreateScanTaskRequest) -> Result<(), CloudError> {
        req.validate()?;
        let body = json_body(&req.body())?;
        self.call::<Ignored>(
            "create_scan_task",
            Method::POST,
            &["image", "image-scan", "tasks"],
            &req.query(),
            Some(body),
            false,
        )
        .await
        .map(|_| ())
    }

    /// `PUT /v5/{project_id}/image/image-scan/tasks/{task_id}/stop`.
    pub async fn stop_scan_task(&self, task_id: &str) -> Result<(), CloudError> {
        validate_task_id(task_id)?;
        self.call::<Ignored>(
            "stop_scan_task",
            Method::PUT,
            &["image", "image-scan", "tasks", task_id, "stop"],
            &[],
            None,
            false,
        )
        .await
        .map(|_| ())
    }

    /// `GET /v5/{project_id}/image/{image_id}/vulnerabilities`: one page
    /// of an image's vulnerabilities.
    pub async fn image_vulnerabilities(
        &self,
        req: &ImageVulnerabilitiesRequest,
    ) -> Result<ImageVulnerabilities, CloudError> {
        req.validate()?;
        self.call(
            "list_image_vulnerabilities",
            Method::GET,
            &["image", &req.image_id, "vulnerabilities"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// Every vulnerability of the image `req` names (with its `type` and
    /// `handle_status`), up to [`scanport_wire::findings::MAX_FINDINGS`];
    /// and whether that was all of them.
    pub async fn all_image_vulnerabilities(
        &self,
        req: &ImageVulnerabilitiesRequest,
    ) -> Result<(Vec<ImageVulnerability>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_vulnerabilities(&r).await?;
            Ok((page.data_list, page.total_num))
        })
        .await
    }

    /// `GET /v5/{project_id}/images/vulnerabilities`
    /// (`ListGeneralImageVuls`): one page of the account's vulnerabilities
    /// across images, each with how many images it affects.
    pub async fn general_image_vulnerabilities(
        &self,
        req: &GeneralImageVulsRequest,
    ) -> Result<GeneralImageVulList, CloudError> {
        req.validate()?;
        self.call(
            "list_general_image_vuls",
            Method::GET,
            &["images", "vulnerabilities"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/{vul_id}/images` (`ListVulRepoImage`):
    /// one page of the registry images a vulnerability affects.
    pub async fn vulnerability_images(
        &self,
        req: &VulRepoImageRequest,
    ) -> Result<VulRepoImageList, CloudError> {
        req.validate()?;
        self.call(
            "list_vul_repo_image",
            Method::GET,
            &["image", &req.vul_id, "images"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `GET /v5/{project_id}/image/{image_id}/malwares`: one page of an
    /// image's malicious files.
    pub async fn image_malware(
        &self,
        req: &ImageMalwareRequest,
    ) -> Result<ImageMalwareList, CloudError> {
        req.validate()?;
        let path = ["image", req.image_id.as_str(), "malwares"];
        self.call(
            "list_image_malware",
            Method::GET,
            &path,
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// Every malicious file of the image `req` names.
    pub async fn all_image_malware(
        &self,
        req: &ImageMalwareRequest,
    ) -> Result<(Vec<ImageMalware>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_malware(&r).await?;
            Ok((page.data_list, page.total_num))
        })
        .await
    }

    /// `GET /v5/{project_id}/image/{image_id}/sensitive`: one page of an
    /// image's sensitive information.
    pub async fn image_sensitive(
        &self,
        req: &ImageSensitiveRequest,
    ) -> Result<ImageSensitiveList, CloudError> {
        req.validate()?;
        let path = ["image", req.image_id.as_str(), "sensitive"];
        self.call(
            "list_image_sensitive",
            Method::GET,
            &path,
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// Every piece of sensitive information of the image `req` names
    /// (with its `handle_status`).
    pub async fn all_image_sensitive(
        &self,
        req: &ImageSensitiveRequest,
    ) -> Result<(Vec<ImageSensitiveInfo>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_sensitive(&r).await?;
            Ok((page.data_list, page.total_num))
        })
        .await
    }

    /// `GET /v5/{project_id}/image/baseline/risk-configs`: one page of an
    /// image's baseline results.
    pub async fn image_risk_configs(
        &self,
        req: &ImageRiskConfigsRequest,
    ) -> Result<ImageRiskConfigList, CloudError> {
        req.validate()?;
        let path = ["image", "baseline", "risk-configs"];
        self.call(
            "list_image_risk_configs",
            Method::GET,
            &path,
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// Every baseline result of the image `req` names (with its `standard`).
    pub async fn all_image_risk_configs(
        &self,
        req: &ImageRiskConfigsRequest,
    ) -> Result<(Vec<ImageRiskConfig>, bool), CloudError> {
        all_pages(req, |r| async move {
            let page = self.image_risk_configs(&r).await?;
            Ok((page.data_list, page.total_num))
        })
        .await
    }

    /// `GET /v5/{project_id}/image/scanner-policies`: the scan policy.
    pub async fn scan_policy(&self, req: &ScanPolicyRequest) -> Result<ScanPolicy, CloudError> {
        req.validate()?;
        self.call(
            "list_scan_policy",
            Method::GET,
            &["image", "scanner-policies"],
            &req.query(),
            None,
            true,
        )
        .await
    }

    /// `PUT /v5/{project_id}/image/scanner-policies`: change the scheduled
    /// scan's policy. A change: never retried.
    pub async fn update_scan_policy(
        &self,
        req: &UpdateScanPolicyRequest,
    ) -> Result<(), CloudError> {
        req.validate()?;
        let body = json_body(&req.body())?;
        self.call::<Ignored>(
            "modify_scan_policy",
            Method::PUT,
            &["image", "scanner-policies"],
            &req.query(),
            Some(body),
            false,
        )
        .await
        .map(|_| ())
    }

    async fn call<T: DeserializeOwned>(
        &self,
        api: &'static str,
        method: Method,
        tail: &[&str],
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        read: bool,
    ) -> Result<T, CloudError> {
        let mut segments = vec!["v5", self.project_id.as_str()];
        segments.extend_from_slice(tail);
        let query = &self.with_project_scope(query);
        let path = huawei::request_path(&segments);
        let query_string = huawei::canonical_query(query);
        let mut url = self.base.clone();
        url.set_path(&path);
        url.set_query((!query_string.is_empty()).then_some(query_string.as_str()));
        let body = body.unwrap_or_default();

        let build = || {
            let date = huawei::sdk_date(time::OffsetDateTime::now_utc());
            let headers =
                huawei::base_headers(&self.credentials, &self.host, &self.project_id, &date);
            let signature = huawei::sign(
                &self.credentials,
                &huawei::RequestParts {
                    method: method.as_str(),
                    segments: &segments,
                    query,
                    headers: &headers,
                    body: &body,
                },
            );
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .header(reqwest::header::AUTHORIZATION, signature.authorization)
                .body(body.clone());
            // reqwest derives Host from the URL, which is what was signed.
            for (name, value) in headers.iter().filter(|(n, _)| n != "Host") {
                request = request.header(name, value);
            }
            request
        };
        let call = Call {
            settings: &self.settings,
            budget: &self.budget,
            provider: UPSTREAM.provider,
            api,
            read,
            guard: &self.guard,
        };
        let answer = self
            .cache
            .call(api, read, url.as_str().as_bytes(), || {
                call.run(build, check_answer)
            })
            .await?;
        parse_body(&answer)
    }
}

impl HssClient {
    /// `query` plus the configured `enterprise_project_id`, unless the
    /// request names its own.
    fn with_project_scope(&self, query: &[(String, String)]) -> Vec<(String, String)> {
        let mut query = query.to_vec();
        if let Some(id) = &self.enterprise_project_id
            && !query
                .iter()
                .any(|(name, _)| name == "enterprise_project_id")
        {
            query.push(("enterprise_project_id".to_owned(), id.clone()));
        }
        query
    }
}

/// Launches answer 200 with an empty or informational body: any JSON will do.
type Ignored = serde::de::IgnoredAny;

fn json_body<T: serde::Serialize>(req: &T) -> Result<Vec<u8>, CloudError> {
    serde_json::to_vec(req).map_err(|e| CloudError::Unavailable {
        message: format!("cannot encode the request: {e}"),
        code: None,
        request_id: None,
    })
}

/// The error body HSS and its gateway send.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ErrorBody {
    error_code: Option<String>,
    error_msg: Option<String>,
    request_id: Option<String>,
}

fn request_id(answer: &RawAnswer, body: &ErrorBody) -> Option<String> {
    answer
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| body.request_id.clone())
}

/// Maps a non-2xx answer to an error, by HTTP status and `error_code`.
fn check_answer(answer: &RawAnswer, elapsed: Duration) -> Result<(), CloudError> {
    if (200..300).contains(&answer.status) {
        // A garbled answer is a failure of the service (a read retries it,
        // as TCSS's does); the shape is checked when it is parsed.
        let empty = answer.body.iter().all(u8::is_ascii_whitespace);
        if !empty && serde_json::from_slice::<Ignored>(&answer.body).is_err() {
            return Err(not_json(
                answer,
                "the service sent an answer that is not valid JSON",
            ));
        }
        return Ok(());
    }
    let body: ErrorBody = serde_json::from_slice(&answer.body).unwrap_or_default();
    let request_id = request_id(answer, &body);
    let code = body
        .error_code
        .clone()
        .unwrap_or_else(|| format!("HTTP {}", answer.status));
    let message = body
        .error_msg
        .clone()
        .unwrap_or_else(|| "no message".to_owned());
    // Gateway codes by their number: `APIGW.0308` and `APIG.0308` alike.
    Err(match (answer.status, classify(&code)) {
        (429, _) | (_, CodeClass::Throttled) => CloudError::RateLimited {
            retry_after: retry_after(&answer.headers).unwrap_or(Duration::from_secs(12)),
            upstream_code: Some(code),
            request_id,
        },
        // The gateway's 0201 is a bad request at 400, a dead backend at
        // 502, and a backend timeout at 504.
        (504, _) => CloudError::TimedOut {
            after: elapsed,
            request_id,
        },
        (401 | 403, CodeClass::Authentication | CodeClass::Other)
        | (_, CodeClass::Authentication) => {
            if clock_offset(&answer.headers).is_some_and(|off| off > MAX_CLOCK_SKEW) {
                CloudError::ClockSkew {
                    code,
                    message,
                    request_id,
                }
            } else {
                CloudError::AuthRejected {
                    code,
                    message,
                    request_id,
                }
            }
        }
        (500..=599, _) => CloudError::Unavailable {
            message,
            code: Some(code),
            request_id,
        },
        // HSS's own refusals (HSS.0001 invalid parameter, HSS.0011 not
        // found, HSS.0010/0013 permission) stay refusals with their code;
        // the console words them by class.
        (status, _) => CloudError::UpstreamRejected {
            status,
            code,
            message,
            request_id,
        },
    })
}

/// Parses a success body; an empty body reads as `{}`.
fn parse_body<T: DeserializeOwned>(answer: &RawAnswer) -> Result<T, CloudError> {
    let bytes: &[u8] = if answer.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &answer.body
    };
    crate::decode::decode_answer(bytes).map_err(|e| {
        not_json(
            answer,
            &format!("the service sent an answer of an unexpected shape ({e})"),
        )
    })
}

fn not_json(answer: &RawAnswer, message: &str) -> CloudError {
    CloudError::Unavailable {
        message: message.to_owned(),
        code: None,
        request_id: answer
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}
