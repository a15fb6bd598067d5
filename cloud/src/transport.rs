//! Sending a signed call: one pooled HTTPS client, timeouts on every call,
//! retries for reads only (each attempt signed anew), budgets respected.

use crate::budget::RateBudget;
use crate::error::CloudError;
use rand::Rng;
use reqwest::header::HeaderMap;
use std::time::{Duration, Instant};

/// Timeouts and retry policy, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    /// Total time for one attempt, connect included.
    pub timeout: Duration,
    /// Extra attempts for reads after 429, 5xx or a connection error.
    pub read_retries: u32,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            read_retries: 2,
        }
    }
}

/// The one HTTP client all calls share: rustls, pooled, never follows a
/// redirect (a redirect could carry a signed request somewhere else).
pub fn http_client(settings: &HttpSettings) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .user_agent(concat!("scanport/", env!("CARGO_PKG_VERSION")))
        .build()
}

/// A complete answer from the service.
pub(crate) struct RawAnswer {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: bytes::Bytes,
}

/// What the caller needs to know to run one call.
pub(crate) struct Call<'a> {
    pub settings: &'a HttpSettings,
    pub budget: &'a RateBudget,
    /// Budget key: one per upstream API.
    pub api: &'static str,
    /// Reads are retried; launches, syncs, stops and updates never are.
    pub read: bool,
}

impl Call<'_> {
    /// Runs the call. `build` makes a freshly signed request for each
    /// attempt; `check` turns a service answer into success or an error.
    pub async fn run(
        &self,
        build: impl Fn() -> reqwest::RequestBuilder,
        check: impl Fn(&RawAnswer, Duration) -> Result<(), CloudError>,
    ) -> Result<RawAnswer, CloudError> {
        let max_attempts = if self.read {
            1 + self.settings.read_retries
        } else {
            1
        };
        let mut attempt = 0;
        let mut last_error: Option<CloudError> = None;
        loop {
            attempt += 1;
            let started = Instant::now();
            if let Err(budget_err) = self
                .budget
                .acquire(self.api, started + self.settings.timeout)
                .await
            {
                // A retry that cannot fit the budget reports what actually
                // went wrong, not the budget.
                return Err(last_error.unwrap_or(budget_err));
            }
            let result = match self.send(build()).await {
                Ok(answer) => check(&answer, started.elapsed()).map(|()| answer),
                Err(err) => Err(err),
            };
            match result {
                Err(err) if attempt < max_attempts && err.is_retryable() => {
                    tracing::debug!(api = self.api, attempt, error = %err, "retrying read");
                    tokio::time::sleep(backoff(attempt)).await;
                    last_error = Some(err);
                }
                other => return other,
            }
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<RawAnswer, CloudError> {
        let response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        Ok(RawAnswer {
            status,
            headers,
            body,
        })
    }

    fn transport_error(&self, err: reqwest::Error) -> CloudError {
        if err.is_timeout() {
            CloudError::TimedOut {
                after: self.settings.timeout,
                request_id: None,
            }
        } else if err.is_connect() {
            CloudError::Unavailable {
                message: "could not connect to the service".to_owned(),
                code: None,
                request_id: None,
            }
        } else {
            // reqwest's messages name the URL but never headers or bodies.
            CloudError::Unavailable {
                message: format!("the connection failed: {}", err.without_url()),
                code: None,
                request_id: None,
            }
        }
    }
}

/// Exponential backoff with full jitter: ~200 ms, ~400 ms, …
fn backoff(attempt: u32) -> Duration {
    let base = 200u64.saturating_mul(1 << attempt.min(6));
    Duration::from_millis(rand::rng().random_range(base / 2..=base))
}

/// How far the service's clock (its `Date` header) is from ours.
pub(crate) fn clock_offset(headers: &HeaderMap) -> Option<Duration> {
    let date = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let theirs = httpdate::parse_http_date(date).ok()?;
    let now = std::time::SystemTime::now();
    Some(match now.duration_since(theirs) {
        Ok(d) => d,
        Err(e) => e.duration(),
    })
}

/// The `Retry-After` header in seconds, if present.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
