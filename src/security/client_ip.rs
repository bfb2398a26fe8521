//! Which address a request comes from: the socket peer, or behind trusted proxies the
//! right-most untrusted address of `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};

use crate::config::server::canonical;
pub use crate::config::server::{Cidr, parse_all};

/// The client address: `peer` itself unless it is a trusted proxy; then walk
/// `X-Forwarded-For` (all its values, in order) from the right, skipping trusted proxies.
/// An unparsable hop stops the walk and the last trusted hop is the answer.
pub fn resolve(peer: IpAddr, forwarded_for: &[&str], trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = canonical(peer);
    if !is_trusted(peer) {
        return peer;
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty());
    let mut client = peer;
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>().map(canonical) else {
            break;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// The client address of a request, from its socket address and `X-Forwarded-For`.
pub fn from_request(
    extensions: &Extensions,
    headers: &HeaderMap,
    trusted: &[Cidr],
) -> Option<IpAddr> {
    let ConnectInfo(peer) = extensions.get::<ConnectInfo<SocketAddr>>()?;
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(resolve(peer.ip(), &forwarded, trusted))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_blocks_match_their_members_only() {
        let block = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(block.contains(ip("10.1.200.3")));
        assert!(!block.contains(ip("10.2.0.1")));
        assert!(block.contains(ip("::ffff:10.1.0.9")));
        let odd = Cidr::parse("192.168.0.0/23").unwrap();
        assert!(odd.contains(ip("192.168.1.255")));
        assert!(!odd.contains(ip("192.168.2.0")));
        let v6 = Cidr::parse("fd00::/8").unwrap();
        assert!(v6.contains(ip("fd12::1")));
        assert!(!v6.contains(ip("fe80::1")));
        assert!(Cidr::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
    }

    #[test]
    fn bad_entries_are_refused() {
        for bad in ["", "nope", "10.0.0.0/33", "::/129", "10.0.0.0/x"] {
            assert!(Cidr::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let trusted = parse_all(&["10.0.0.0/8".into()]).unwrap();
        assert_eq!(
            resolve(ip("203.0.113.5"), &["1.2.3.4"], &trusted),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_wins() {
        let trusted = parse_all(&["10.0.0.0/8".into()]).unwrap();
        // The client forged the first entry; the proxies appended the real ones.
        let header = ["6.6.6.6, 198.51.100.7", "10.0.0.2"];
        assert_eq!(
            resolve(ip("10.0.0.1"), &header, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(resolve(ip("10.0.0.1"), &[], &trusted), ip("10.0.0.1"));
        assert_eq!(
            resolve(ip("10.0.0.1"), &["garbage, 10.0.0.3"], &trusted),
            ip("10.0.0.3")
        );
    }
}
