//! The config parser (`server/src/config.rs`): any file text is either
//! refused with a message or gives a config that keeps every rule the
//! server relies on. The module is compiled here as it is, on its own:
//! it needs only figment and serde, and building the whole server (Leptos,
//! sqlx) with fuzzing instrumentation would cost far more than it tells.

#![no_main]

// The server uses what this target does not.
#[allow(dead_code)]
#[path = "../../server/src/config.rs"]
mod config;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match config::Config::parse(text) {
        Err(err) => assert!(!err.to_string().is_empty()),
        Ok(config) => {
            assert!(config.web.max_body_bytes >= 1024);
            assert!(config.auth.idle_minutes > 0 && config.auth.absolute_hours > 0);
            assert!(config.http.timeout_secs > 0.0 && config.http.connect_timeout_secs > 0.0);
            assert!(config.live.busy_secs > 0.0 && config.live.idle_secs > 0.0);
            // The server turns these into durations at start: they must fit.
            for secs in [
                config.http.timeout_secs,
                config.http.connect_timeout_secs,
                config.live.busy_secs,
                config.live.idle_secs,
            ] {
                assert!(
                    std::time::Duration::try_from_secs_f64(secs + 5.0).is_ok(),
                    "{secs} s is no duration"
                );
            }
            assert!(config.auth.idle_minutes.checked_mul(60).is_some());
            assert!(config.auth.absolute_hours.checked_mul(3600).is_some());
            let mut ids = std::collections::HashSet::new();
            for account in &config.accounts {
                assert!(
                    ids.insert(account.id.as_str()),
                    "duplicate id {:?}",
                    account.id
                );
                assert!((1..=64).contains(&account.id.len()));
                if account.provider == config::ProviderName::Huawei {
                    assert!(account.project_id.is_some());
                }
            }
            if let Some(origin) = &config.web.public_origin {
                assert!(origin.starts_with("http://") || origin.starts_with("https://"));
                assert!(!origin.ends_with('/'));
            }
        }
    }
});
