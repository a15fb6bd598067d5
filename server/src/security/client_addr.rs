//! The client's address: the socket's peer, unless that peer is one of
//! `web.trusted_proxies`; then the forwarding header it set, read from the
//! right (the hop nearest us) past every trusted proxy to the first
//! address that is not one. Anything left of that is the client's own
//! text and never believed.

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use scanport_app::auth::ClientAddr;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct TrustedProxies {
    pub nets: Arc<Vec<IpNet>>,
    /// Read RFC 7239 `Forwarded` instead of `X-Forwarded-For`.
    pub rfc7239: bool,
}

impl TrustedProxies {
    fn trusts(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        self.nets.iter().any(|net| net.contains(&addr))
    }

    /// The client's address, given the peer and the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops = if self.rfc7239 {
            forwarded_hops(headers)
        } else {
            x_forwarded_for_hops(headers)
        };
        for hop in hops.into_iter().rev() {
            // An unreadable hop ends the chain: the last trusted one
            // spoke for it and is as far as we can see.
            let Some(addr) = hop else { return client };
            client = addr.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

pub async fn resolve(
    State(proxies): State<TrustedProxies>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let client = proxies.client(peer.ip(), req.headers());
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

/// `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]:80`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"');
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|t| t.strip_suffix(']'))
                .and_then(|t| t.parse().ok())
        })
}

/// Every `X-Forwarded-For` header, in order, split at commas.
fn x_forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(text) => text.split(',').map(parse_hop).collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

/// The `for=` of every element of every `Forwarded` header, in order.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("forwarded")
        .iter()
        .flat_map(|v| match v.to_str() {
            Ok(text) => text
                .split(',')
                .map(|element| {
                    element.split(';').find_map(|pair| {
                        let (key, value) = pair.split_once('=')?;
                        key.trim().eq_ignore_ascii_case("for").then_some(value)
                    })
                })
                .map(|value| value.and_then(parse_hop))
                .collect::<Vec<_>>(),
            Err(_) => vec![None],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(nets: &[&str], rfc7239: bool) -> TrustedProxies {
        TrustedProxies {
            nets: Arc::new(nets.iter().map(|n| n.parse().expect("net")).collect()),
            rfc7239,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, v.parse().expect("value"));
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("address")
    }

    #[test]
    fn forwarding_headers_count_only_from_trusted_peers() {
        let p = proxies(&["10.0.0.0/8", "fd00::/8"], false);
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // An untrusted peer: its headers are ignored.
        assert_eq!(p.client(ip("198.51.100.1"), &spoofed), ip("198.51.100.1"));
        // Through a trusted proxy: the rightmost untrusted hop, never
        // what the client wrote further left.
        let chain = headers(&[
            ("x-forwarded-for", "1.1.1.1, 203.0.113.9"),
            ("x-forwarded-for", "10.1.1.1"),
        ]);
        assert_eq!(p.client(ip("10.0.0.2"), &chain), ip("203.0.113.9"));
        assert_eq!(p.client(ip("::ffff:10.0.0.2"), &chain), ip("203.0.113.9"));
        // Only trusted hops: the leftmost of them.
        let inner = headers(&[("x-forwarded-for", "10.9.9.9")]);
        assert_eq!(p.client(ip("10.0.0.2"), &inner), ip("10.9.9.9"));
        // No header: the proxy itself. Garbage: the last trusted hop.
        assert_eq!(p.client(ip("10.0.0.2"), &HeaderMap::new()), ip("10.0.0.2"));
        let garbage = headers(&[("x-forwarded-for", "203.0.113.9, nonsense")]);
        assert_eq!(p.client(ip("10.0.0.2"), &garbage), ip("10.0.0.2"));
        // `Forwarded` is not read when the proxy sets X-Forwarded-For.
        let other = headers(&[("forwarded", "for=203.0.113.50")]);
        assert_eq!(p.client(ip("10.0.0.2"), &other), ip("10.0.0.2"));
    }

    #[test]
    fn rfc7239_forwarded_with_ports_and_ipv6() {
        let p = proxies(&["10.0.0.0/8"], true);
        let h = headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http, For=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1",
        )]);
        assert_eq!(p.client(ip("10.0.0.2"), &h), ip("2001:db8:cafe::17"));
        let hidden = headers(&[("forwarded", "for=192.0.2.60, for=_hidden")]);
        assert_eq!(p.client(ip("10.0.0.2"), &hidden), ip("10.0.0.2"));
        let v4port = headers(&[("forwarded", "for=\"192.0.2.61:8080\"")]);
        assert_eq!(p.client(ip("10.0.0.2"), &v4port), ip("192.0.2.61"));
    }
}
