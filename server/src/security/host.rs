//! DNS-rebinding defence. Without `web.public_origin`, the console answers
//! only requests addressed (`Host`) to a name it was told about:
//! `web.allowed_hosts` (loopback names by default) and its listen address.
//! A page on `evil.test` whose name an attacker re-points at 127.0.0.1
//! reaches the console with `Host: evil.test` and gets 421. With a public
//! origin a reverse proxy chooses the `Host`, and this check stays off.

use super::refuse;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;

/// The names a request may be addressed to; `None`: any (a public origin
/// is configured).
#[derive(Debug, Clone)]
pub struct AllowedHosts(pub Option<Arc<Vec<String>>>);

impl AllowedHosts {
    /// `allowed` plus the listen address (`ip:port`, the exact port).
    pub fn new(public_origin: Option<&str>, allowed: &[String], listen: SocketAddr) -> Self {
        if public_origin.is_some() {
            return Self(None);
        }
        let mut hosts: Vec<String> = allowed.iter().map(|h| h.to_ascii_lowercase()).collect();
        hosts.push(listen.to_string());
        Self(Some(Arc::new(hosts)))
    }

    /// Whether `host` (a `Host` header's value) is one to answer: equal to
    /// an entry with a port, or naming an entry without one (any port).
    pub fn allows(&self, host: &str) -> bool {
        let Some(hosts) = &self.0 else {
            return true;
        };
        let host = host.to_ascii_lowercase();
        let name = strip_port(&host);
        hosts.iter().any(|allowed| {
            if has_port(allowed) {
                *allowed == host
            } else {
                allowed == name
            }
        })
    }
}

/// `name:port`, `1.2.3.4:port` or `[v6]:port`; not `[v6]` or a bare name.
fn has_port(host: &str) -> bool {
    match host.rfind(':') {
        Some(i) => !host.starts_with('[') || host[..i].ends_with(']'),
        None => false,
    }
}

fn strip_port(host: &str) -> &str {
    if has_port(host) {
        host.rfind(':').map_or(host, |i| &host[..i])
    } else {
        host
    }
}

pub async fn known_hosts_only(
    State(allowed): State<AllowedHosts>,
    req: Request,
    next: Next,
) -> Response {
    // Health checks come from load balancers by address and show nothing.
    if matches!(req.uri().path(), "/healthz" | "/readyz") {
        return next.run(req).await;
    }
    // HTTP/2 carries the name in the URI; HTTP/1.1 in `Host`. A request
    // with neither (HTTP/1.0, a test's `oneshot`) comes from no browser.
    let host = req
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            req.headers()
                .get(header::HOST)
                .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned())
        });
    match host {
        Some(host) if !allowed.allows(&host) => {
            let shown: String = host.chars().take(100).filter(|c| !c.is_control()).collect();
            refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "wrong_host",
                &format!(
                    "This console does not answer for host {shown:?}. Open it by an allowed \
                     name (127.0.0.1, localhost, or its listen address), add the name to \
                     web.allowed_hosts, or set web.public_origin."
                ),
            )
        }
        _ => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults(listen: &str) -> AllowedHosts {
        let allowed = crate::config::WebConfig::default().allowed_hosts;
        AllowedHosts::new(None, &allowed, listen.parse().expect("addr"))
    }

    #[test]
    fn loopback_names_with_any_port_and_the_listen_address() {
        let hosts = defaults("127.0.0.2:3000");
        for ok in [
            "127.0.0.1",
            "127.0.0.1:3000",
            "127.0.0.1:8080",
            "localhost:3000",
            "LocalHost",
            "[::1]:3000",
            "[::1]",
            "127.0.0.2:3000",
        ] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.test",
            "evil.test:3000",
            "127.0.0.2:3001",
            "localhost.evil.test",
            "127.0.0.1.evil.test:3000",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
    }

    #[test]
    fn entries_with_a_port_match_that_port_only() {
        let allowed = vec!["console.lan:8443".to_owned(), "10.0.0.5".to_owned()];
        let hosts = AllowedHosts::new(None, &allowed, "0.0.0.0:3000".parse().expect("addr"));
        assert!(hosts.allows("console.lan:8443"));
        assert!(!hosts.allows("console.lan:8444"));
        assert!(!hosts.allows("console.lan"));
        assert!(hosts.allows("10.0.0.5:3000"));
        assert!(
            !hosts.allows("127.0.0.1:3000"),
            "the list replaces the defaults"
        );
    }

    #[test]
    fn a_public_origin_turns_the_check_off() {
        let hosts = AllowedHosts::new(
            Some("https://scan.example.com"),
            &[],
            "0.0.0.0:3000".parse().expect("addr"),
        );
        assert!(hosts.allows("anything.example"));
    }
}
