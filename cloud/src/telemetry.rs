//! What the clients and budgets tell Prometheus (through the `metrics`
//! facade; the server installs the recorder and serves `/metrics`). The
//! metric names are declared here once; README "Metrics" lists them.

use crate::error::CloudError;

/// Upstream calls by provider, API and outcome (HTTP status, or
/// `timeout` / `unreachable` when no answer came).
pub const UPSTREAM_CALLS: &str = "scanport_upstream_calls_total";
/// Answers in which the cloud itself throttled a call (429 or its
/// throttling code), by provider and API.
pub const UPSTREAM_THROTTLED: &str = "scanport_upstream_throttled_total";
/// Reads answered from the short read cache (nothing sent), by provider
/// and API.
pub const READ_CACHE_HITS: &str = "scanport_read_cache_hits_total";
/// Calls that waited for the client-side budget, by API.
pub const BUDGET_WAITS: &str = "scanport_budget_waits_total";
/// Calls the client-side budget refused (nothing sent), by API and who
/// asked (`hub` or `person`).
pub const BUDGET_REFUSALS: &str = "scanport_budget_refusals_total";

/// One attempt's outcome, sent or not.
pub(crate) fn upstream_call(
    provider: &'static str,
    api: &'static str,
    result: &Result<u16, &CloudError>,
) {
    let outcome = match result {
        Ok(status) => status.to_string(),
        Err(CloudError::TimedOut { .. }) => "timeout".to_owned(),
        Err(_) => "unreachable".to_owned(),
    };
    metrics::counter!(UPSTREAM_CALLS, "provider" => provider, "api" => api, "outcome" => outcome)
        .increment(1);
}

/// The cloud throttled a call.
pub(crate) fn upstream_throttled(provider: &'static str, api: &'static str) {
    metrics::counter!(UPSTREAM_THROTTLED, "provider" => provider, "api" => api).increment(1);
}

/// A call waited for the budget.
pub(crate) fn budget_wait(api: &'static str) {
    metrics::counter!(BUDGET_WAITS, "api" => api).increment(1);
}

/// The budget refused a call.
pub(crate) fn budget_refusal(api: &'static str, caller: &crate::budget::Caller) {
    let caller = match caller {
        crate::budget::Caller::Hub => "hub",
        crate::budget::Caller::User(_) => "person",
        crate::budget::Caller::Background => "background",
    };
    metrics::counter!(BUDGET_REFUSALS, "api" => api, "caller" => caller).increment(1);
}

/// A read was answered from the cache.
pub(crate) fn read_cache_hit(provider: &'static str, api: &'static str) {
    metrics::counter!(READ_CACHE_HITS, "provider" => provider, "api" => api).increment(1);
}
