//! Console log-in throttling, kept in the server's memory: token buckets per client address (for
//! failed log-ins: guessing tokens) and per account (for successful ones: each writes an audit
//! row, so a valid token looped must not fill the disk). A bucket holds `burst` tries and gets
//! one back every `refill`; an empty bucket answers how long to wait. The tables are bounded:
//! when full, buckets that are full again (nothing to remember) are forgotten first, then the
//! longest unused.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys a table remembers.
const MAX_KEYS: usize = 100_000;

/// How many tries, and how fast they come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub burst: u32,
    pub refill: Duration,
}

impl Rate {
    /// `per_hour` tries an hour, at most ten at once.
    pub fn per_hour(per_hour: u32) -> Rate {
        let per_hour = per_hour.max(1);
        Rate {
            burst: per_hour.min(10),
            refill: Duration::from_secs(3600) / per_hour,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key.
#[derive(Debug)]
pub struct Buckets<K> {
    rate: Rate,
    map: Mutex<HashMap<K, Bucket>>,
}

impl<K: Eq + Hash + Clone> Buckets<K> {
    pub fn new(rate: Rate) -> Self {
        Buckets {
            rate,
            map: Mutex::new(HashMap::new()),
        }
    }

    fn refilled(&self, b: Bucket, now: Instant) -> Bucket {
        let gained =
            now.saturating_duration_since(b.at).as_secs_f64() / self.rate.refill.as_secs_f64();
        Bucket {
            tokens: (b.tokens + gained).min(f64::from(self.rate.burst)),
            at: now,
        }
    }

    fn wait(&self, b: Bucket) -> Duration {
        self.rate.refill.mul_f64((1.0 - b.tokens).max(0.0))
    }

    /// `Err(wait)` when `key` has no try left (nothing is taken).
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(key).map(|b| self.refilled(*b, now)) {
            Some(b) if b.tokens < 1.0 => Err(self.wait(b)),
            _ => Ok(()),
        }
    }

    /// Takes one try for `key`, or `Err(wait)` when none is left.
    pub fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        let mut map = self.map.lock().unwrap_or_else(|p| p.into_inner());
        let full = Bucket {
            tokens: f64::from(self.rate.burst),
            at: now,
        };
        let b = map.get(key).map(|b| self.refilled(*b, now)).unwrap_or(full);
        if b.tokens < 1.0 {
            map.insert(key.clone(), b);
            return Err(self.wait(b));
        }
        if !map.contains_key(key) && map.len() >= MAX_KEYS {
            let burst = f64::from(self.rate.burst);
            map.retain(|_, v| self.refilled(*v, now).tokens < burst);
            if map.len() >= MAX_KEYS {
                if let Some(oldest) = map.iter().min_by_key(|(_, v)| v.at).map(|(k, _)| k.clone()) {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(
            key.clone(),
            Bucket {
                tokens: b.tokens - 1.0,
                at: now,
            },
        );
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The console's log-in limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Failed log-ins from one client address.
    pub failures_per_address: Rate,
    /// Log-ins of one account.
    pub logins_per_account: Rate,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            failures_per_address: Rate::per_hour(60),
            logins_per_account: Rate::per_hour(30),
        }
    }
}

/// The console's log-in throttle.
#[derive(Debug)]
pub struct LoginThrottle {
    pub by_address: Buckets<IpAddr>,
    pub by_account: Buckets<i64>,
}

impl LoginThrottle {
    pub fn new(limits: LoginLimits) -> Self {
        LoginThrottle {
            by_address: Buckets::new(limits.failures_per_address),
            by_account: Buckets::new(limits.logins_per_account),
        }
    }
}

/// The client's address: the connection's peer, or, when the peer is a trusted reverse proxy,
/// the last address it added to `X-Forwarded-For`.
pub fn client_address(
    peer: IpAddr,
    forwarded_for: Option<&str>,
    trusted_proxies: &[IpAddr],
) -> IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    forwarded_for
        .and_then(|h| h.rsplit(',').next())
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_one_try_per_refill() {
        let b = Buckets::new(Rate {
            burst: 3,
            refill: Duration::from_secs(10),
        });
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(b.take(&"a", t0).is_ok());
        }
        let wait = b.take(&"a", t0).unwrap_err();
        assert!(
            wait > Duration::from_secs(9) && wait <= Duration::from_secs(10),
            "{wait:?}"
        );
        assert!(b.check(&"a", t0 + Duration::from_secs(5)).is_err());
        assert!(b.check(&"a", t0 + Duration::from_secs(10)).is_ok());
        assert!(b.take(&"a", t0 + Duration::from_secs(10)).is_ok());
        assert!(b.take(&"a", t0 + Duration::from_secs(11)).is_err());
        assert!(b.take(&"b", t0).is_ok(), "another key has its own bucket");
    }

    #[test]
    fn per_hour_rates_keep_a_burst_of_at_most_ten() {
        assert_eq!(
            Rate::per_hour(60),
            Rate {
                burst: 10,
                refill: Duration::from_secs(60)
            }
        );
        assert_eq!(Rate::per_hour(4).burst, 4);
        assert_eq!(Rate::per_hour(0).burst, 1);
    }

    #[test]
    fn the_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let header = Some("198.51.100.1, 203.0.113.7");
        assert_eq!(client_address(proxy, header, &[proxy]), client);
        assert_eq!(client_address(proxy, header, &[]), proxy);
        assert_eq!(client_address(proxy, Some("garbage"), &[proxy]), proxy);
        assert_eq!(client_address(proxy, None, &[proxy]), proxy);
    }
}
