//! Sending a signed call: one pooled HTTPS client, timeouts on every call,
//! retries for reads only (each attempt signed anew), budgets respected.

use crate::budget::RateBudget;
use crate::error::CloudError;
use crate::pause::KeyGuard;
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
    /// How long a read's answer may be reused (zero: never).
    pub read_cache: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(5),
            timeout: Duration::from_secs(20),
            read_retries: 2,
            read_cache: Duration::ZERO,
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
    /// `huawei` or `tencent`, for the metrics.
    pub provider: &'static str,
    /// Budget key: one per upstream API.
    pub api: &'static str,
    /// Reads are retried; launches, syncs, stops and updates never are.
    pub read: bool,
    /// The account's refusal count: a paused account sends nothing.
    pub guard: &'a KeyGuard,
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
        self.guard.check()?;
        let mut attempt = 0;
        let mut last_error: Option<CloudError> = None;
        loop {
            attempt += 1;
            let started = Instant::now();
            if let Err(budget_err) = self.budget.acquire(self.api, self.settings.timeout).await {
                // A retry that cannot fit the budget reports what actually
                // went wrong, not the budget.
                return Err(last_error.unwrap_or(budget_err));
            }
            // The wait the service asked for, in `Retry-After`, if any.
            let (result, asked) = match self.send(build()).await {
                Ok(answer) => {
                    crate::telemetry::upstream_call(self.provider, self.api, &Ok(answer.status));
                    let asked = retry_after(&answer.headers);
                    (check(&answer, started.elapsed()).map(|()| answer), asked)
                }
                Err(err) => {
                    crate::telemetry::upstream_call(self.provider, self.api, &Err(&err));
                    (Err(err), None)
                }
            };
            if let Err(CloudError::RateLimited {
                upstream_code: Some(_),
                ..
            }) = &result
            {
                crate::telemetry::upstream_throttled(self.provider, self.api);
            }
            self.guard.observe(&result);
            match result {
                Err(err) if attempt < max_attempts && err.is_retryable() => {
                    // A throttled read waits as long as the service asked;
                    // when that is longer than a call may take, the caller
                    // hears it now rather than after the wait.
                    let wait = match (&err, asked) {
                        (CloudError::RateLimited { .. }, Some(asked)) => {
                            if asked > self.settings.timeout {
                                return Err(err);
                            }
                            asked.max(backoff(attempt))
                        }
                        _ => backoff(attempt),
                    };
                    tracing::debug!(api = self.api, attempt, error = %err, ?wait, "retrying read");
                    tokio::time::sleep(wait).await;
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

/// The `Retry-After` header, in either of its forms (RFC 9110 10.2.3):
/// delta-seconds, or an HTTP date (a date already past means now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            value.parse().expect("a header value"),
        );
        headers
    }

    #[test]
    fn retry_after_reads_delta_seconds() {
        assert_eq!(retry_after(&headers("17")), Some(Duration::from_secs(17)));
        assert_eq!(retry_after(&headers(" 0 ")), Some(Duration::ZERO));
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&headers("-3")), None);
    }

    #[test]
    fn retry_after_reads_an_http_date() {
        let in_a_minute = std::time::SystemTime::now() + Duration::from_secs(60);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(in_a_minute)))
            .expect("an HTTP date is understood");
        // The date has whole seconds: 59 to 60 s from now.
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        let past = retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(past, Some(Duration::ZERO), "a date past means now");
    }
}
