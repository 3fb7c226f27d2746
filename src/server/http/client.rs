//! Who is on the other end of a connection: the address that sign-in throttling and the limit
//! of live streams count by.
//!
//! The peer address comes from the TCP connection (`serve` passes it on). Behind a reverse proxy
//! every request comes from the proxy, so the proxy's `X-Forwarded-For` is believed, but only
//! when the peer is one of the proxies listed in `trusted_proxies` (`Leptos.toml`, or
//! `JSF_TRUSTED_PROXIES`): anyone can send that header, so it is never trusted by default.
//! The client is then the right-most address of the header that is not itself a trusted proxy
//! (the left part of the header is written by the client and proves nothing).

use super::super::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};

/// The client address of a request, as computed by [`identify`]; absent when the request did not
/// come over TCP (tests that call the router directly without a peer address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl ClientAddress {
    /// The address as recorded for throttling ("inconnue" without a peer).
    pub fn label(address: Option<ClientAddress>) -> String {
        address.map_or_else(|| "inconnue".to_owned(), |a| a.0.to_string())
    }
}

/// Middleware: puts the [`ClientAddress`] of the request in its extensions.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    if let Some(peer) = peer {
        let forwarded = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let client = client_of(peer, &forwarded, &state.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

/// The client behind `peer`, given the `X-Forwarded-For` it sent and the trusted proxies.
pub fn client_of(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&normalise(peer)) {
        return normalise(peer);
    }
    let mut client = normalise(peer);
    for hop in forwarded_for.rsplit(',') {
        match hop.trim().parse::<IpAddr>().map(normalise) {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            // A hop we cannot read: stop at the last address we could vouch for.
            Err(_) => break,
        }
    }
    client
}

/// IPv4 clients of a dual-stack socket arrive as `::ffff:a.b.c.d`: count them as `a.b.c.d`.
fn normalise(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_forwarded_header_is_believed_from_trusted_proxies_only() {
        let proxy = ip("10.0.0.1");
        // No trusted proxy: the header is the client's own words.
        assert_eq!(client_of(ip("203.0.113.9"), "198.51.100.1", &[]), ip("203.0.113.9"));
        // From the trusted proxy: the address it saw.
        assert_eq!(client_of(proxy, "198.51.100.1", &[proxy]), ip("198.51.100.1"));
        // A client that forges the header gets its real address, the right-most untrusted one.
        assert_eq!(client_of(proxy, "1.2.3.4, 198.51.100.1", &[proxy]), ip("198.51.100.1"));
        // Two proxies in a row.
        let inner = ip("10.0.0.2");
        assert_eq!(
            client_of(inner, "198.51.100.1, 10.0.0.1", &[proxy, inner]),
            ip("198.51.100.1")
        );
        // A trusted proxy that sent no header is the client as far as we know.
        assert_eq!(client_of(proxy, "", &[proxy]), proxy);
        assert_eq!(client_of(proxy, "garbage", &[proxy]), proxy);
        assert_eq!(client_of(ip("::ffff:192.0.2.7"), "", &[]), ip("192.0.2.7"));
    }
}
