//! Who the client is: the connection's address, or, when the connection comes from a trusted
//! reverse proxy, the address that proxy saw (`X-Forwarded-For`). From anyone else the header
//! is ignored, so a client cannot choose the address its sign-in failures are counted under.

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, header::HeaderName},
    middleware::Next,
    response::Response,
};
use ipnet::IpNet;
use std::{net::IpAddr, net::SocketAddr, sync::Arc};

pub use app::auth::ClientAddress;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The trusted proxies' networks.
#[derive(Clone, Default)]
pub struct TrustedProxies(pub Arc<[IpNet]>);

impl TrustedProxies {
    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&address))
    }

    /// The client's address: `peer` itself unless it is a trusted proxy; then the nearest
    /// address in `X-Forwarded-For` (read from the right) that is not a trusted proxy. A
    /// malformed entry ends the walk at the last address that could be read.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = headers
            .get_all(X_FORWARDED_FOR)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            let Ok(address) = hop.trim().parse::<IpAddr>() else {
                break;
            };
            client = address;
            if !self.trusts(address) {
                break;
            }
        }
        client
    }
}

/// Puts the [`ClientAddress`] into the request for the handlers (throttling, `/metrics`).
pub async fn resolve(
    State(proxies): State<TrustedProxies>,
    mut request: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>() {
        let client = proxies.client(peer.ip(), request.headers());
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn proxies(nets: &[&str]) -> TrustedProxies {
        TrustedProxies(nets.iter().map(|n| n.parse().expect("a network")).collect())
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            X_FORWARDED_FOR,
            HeaderValue::from_str(value).expect("a value"),
        );
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn x_forwarded_for_from_an_untrusted_peer_is_ignored() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let client = trusted.client(ip("203.0.113.9"), &forwarded("198.51.100.1"));
        assert_eq!(client, ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_hop_is_the_client_and_spoofed_hops_are_skipped()
    {
        let trusted = proxies(&["10.0.0.0/8"]);
        // The client sent a made-up first hop; the proxies appended what they saw.
        let headers = forwarded("1.2.3.4, 198.51.100.7, 10.0.0.3");
        assert_eq!(trusted.client(ip("10.0.0.2"), &headers), ip("198.51.100.7"));
    }

    #[test]
    fn a_malformed_hop_stops_the_walk_at_the_last_readable_address() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let headers = forwarded("not-an-address, 10.0.0.5");
        assert_eq!(trusted.client(ip("10.0.0.2"), &headers), ip("10.0.0.5"));
        assert_eq!(
            trusted.client(ip("10.0.0.2"), &HeaderMap::new()),
            ip("10.0.0.2")
        );
    }
}
