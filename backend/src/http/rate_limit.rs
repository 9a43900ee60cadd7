//! Request rates per client address: anonymous requests, and sign-in attempts (which the
//! throttle also counts per account, `throttle`). Past its rate a client gets 429 with
//! `Retry-After`; `/healthz`, `/readyz` and the static files are never limited, signed-in
//! callers only at sign-in.
//!
//! The client address is the peer's, except behind a configured trusted proxy (a load
//! balancer), whose `X-Forwarded-For` names it: the right-most address there that is not
//! itself a trusted proxy. Without the setting every client behind the balancer would share
//! one count; with it, nobody else can choose their address by sending the header.
//!
//! Each rate is a GCRA (one theoretical arrival time per address), kept in a map bounded by
//! count: past it the oldest addresses are forgotten, which only ever gives a client a fresh
//! allowance. The crates that do this (governor and tower_governor) keep an unbounded map
//! and read the forwarded address from any peer, hence this small one.

use crate::bounded::{Bounded, lock};
pub use crate::config::{Rate, RatePolicy};
use crate::error::ApiError;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use shared::page_data::Caller;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Addresses remembered per rate.
const MAX_ADDRESSES: usize = 100_000;

/// The client's address as the rate limits and the sign-in throttle see it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub IpAddr);

struct Limiter {
    rate: Rate,
    arrivals: Mutex<Bounded<IpAddr, Instant>>,
}

impl Limiter {
    fn new(rate: Rate) -> Self {
        Limiter { rate, arrivals: Mutex::new(Bounded::new(MAX_ADDRESSES, usize::MAX)) }
    }

    /// Admits one request of `client` at `now`, or says how long until it would be.
    fn admit(&self, client: IpAddr, now: Instant) -> Result<(), Duration> {
        let interval = Duration::from_secs(60) / self.rate.per_minute.max(1);
        let tolerance = interval * self.rate.per_minute.saturating_sub(1);
        let mut arrivals = lock(&self.arrivals);
        let due = arrivals.get(&client).filter(|t| *t > now).unwrap_or(now);
        let ahead = due - now;
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        arrivals.insert(client, due + interval, 1);
        Ok(())
    }
}

pub struct RateLimits {
    anonymous: Option<Limiter>,
    sign_in: Option<Limiter>,
    trusted_proxies: Vec<IpNet>,
}

impl RateLimits {
    pub fn new(policy: &RatePolicy) -> Self {
        RateLimits {
            anonymous: policy.anonymous.map(Limiter::new),
            sign_in: policy.sign_in.map(Limiter::new),
            trusted_proxies: policy.trusted_proxies.clone(),
        }
    }

    fn trusted(&self, address: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&address))
    }

    /// The client behind `peer`: the peer itself, or, when the peer is a trusted proxy, the
    /// right-most forwarded address that is not one.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusted(peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        forwarded.into_iter().rev().find(|a| !self.trusted(*a)).unwrap_or(peer)
    }
}

fn unlimited(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | frontend::app::STYLESHEET_PATH) || path.starts_with("/pkg/")
}

fn is_sign_in(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/api/v1/auth/login" | "/session")
}

/// Runs after the caller is resolved (a made-up session cookie makes nobody signed in).
pub async fn limit(
    State(state): State<crate::app::AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let limits = &state.rate_limits;
    let client = limits.client(peer.ip(), request.headers());
    request.extensions_mut().insert(ClientAddress(client));
    let path = request.uri().path();
    if !unlimited(path) {
        let now = Instant::now();
        let signed_in = request.extensions().get::<Caller>().is_some_and(|c| c.user_id.is_some());
        let limiter = if is_sign_in(request.method(), path) {
            limits.sign_in.as_ref()
        } else if signed_in {
            None
        } else {
            limits.anonymous.as_ref()
        };
        if let Some(Err(wait)) = limiter.map(|l| l.admit(client, now)) {
            return ApiError::TooManyRequests(wait.as_secs().max(1)).into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_admits_its_burst_then_one_per_interval() {
        let limiter = Limiter::new(Rate { per_minute: 3 });
        let client: IpAddr = [10, 0, 0, 1].into();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.admit(client, start), Ok(()));
        }
        assert_eq!(limiter.admit(client, start), Err(Duration::from_secs(20)));
        assert_eq!(limiter.admit([10, 0, 0, 2].into(), start), Ok(()), "another client has its own");
        assert_eq!(limiter.admit(client, start + Duration::from_secs(20)), Ok(()));
        assert!(limiter.admit(client, start + Duration::from_secs(21)).is_err());
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let policy = RatePolicy { trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()], ..RatePolicy::default() };
        let limits = RateLimits::new(&policy);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "203.0.113.9, 198.51.100.7, 10.0.0.3".parse().unwrap());
        let proxy: IpAddr = [10, 0, 0, 2].into();
        assert_eq!(limits.client(proxy, &headers), "198.51.100.7".parse::<IpAddr>().unwrap());
        let stranger: IpAddr = [192, 0, 2, 1].into();
        assert_eq!(limits.client(stranger, &headers), stranger, "anyone else's header is ignored");
        assert_eq!(limits.client(proxy, &HeaderMap::new()), proxy);
    }
}
