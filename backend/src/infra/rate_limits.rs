//! Request rates per client address and per API token, each a GCRA (one theoretical arrival
//! time per client), kept in a map bounded by count: past it the oldest addresses are forgotten, which
//! only ever gives a client a fresh allowance. The crates that do this (governor and
//! tower_governor) keep an unbounded map and read the forwarded address from any peer, hence
//! this small one. Which requests count against which rate is the middleware's business
//! (`web::middleware::rate_limit`).

use crate::infra::bounded::{Bounded, lock};
use http::HeaderMap;
use ipnet::IpNet;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How many requests a client may make: `per_minute` on average, as many at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub per_minute: u32,
}

/// Request rates per client address (`web::middleware::rate_limit`), and the proxies whose
/// `X-Forwarded-For` names the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePolicy {
    /// None: not limited.
    pub anonymous: Option<Rate>,
    pub sign_in: Option<Rate>,
    /// Requests per API token, whoever sends them.
    pub token: Option<Rate>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for RatePolicy {
    fn default() -> Self {
        RatePolicy {
            anonymous: Some(Rate { per_minute: 1200 }),
            sign_in: Some(Rate { per_minute: 60 }),
            token: Some(Rate { per_minute: 600 }),
            trusted_proxies: Vec::new(),
        }
    }
}

/// Clients (addresses or tokens) remembered per rate.
const MAX_ADDRESSES: usize = 100_000;

pub struct Limiter<K = IpAddr> {
    rate: Rate,
    arrivals: Mutex<Bounded<K, Instant>>,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    fn new(rate: Rate) -> Self {
        Limiter { rate, arrivals: Mutex::new(Bounded::new(MAX_ADDRESSES, usize::MAX)) }
    }

    /// Admits one request of `client` at `now`, or says how long until it would be.
    pub fn admit(&self, client: K, now: Instant) -> Result<(), Duration> {
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
    token: Option<Limiter<Uuid>>,
    trusted_proxies: Vec<IpNet>,
}

impl RateLimits {
    pub fn new(policy: &RatePolicy) -> Self {
        RateLimits {
            anonymous: policy.anonymous.map(Limiter::new),
            sign_in: policy.sign_in.map(Limiter::new),
            token: policy.token.map(Limiter::new),
            trusted_proxies: policy.trusted_proxies.clone(),
        }
    }

    pub fn token(&self) -> Option<&Limiter<Uuid>> {
        self.token.as_ref()
    }

    pub fn anonymous(&self) -> Option<&Limiter> {
        self.anonymous.as_ref()
    }

    pub fn sign_in(&self) -> Option<&Limiter> {
        self.sign_in.as_ref()
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
