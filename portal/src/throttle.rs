//! Sign-in throttling. Only failed sign-ins count, so a stranger cannot
//! lock a user out with the right name alone:
//! - strictly per name *and* client address (a guesser at one place);
//! - per client address, whatever the names (a sprayer);
//! - more softly per name from anywhere (a guesser spread over many
//!   addresses). That limit never stops an address with no recent
//!   failures, so the rightful user, elsewhere, still signs in.
//!
//! IPv6 addresses count per /64 (one host usually holds a whole /64).
//! In memory for one process; replicas sharing PostgreSQL keep the counts
//! there ([`LoginThrottle::shared`]), so a guesser gains nothing by
//! spreading attempts over replicas.

use crate::call_slots::{NOW_MS, from_millis, millis};
use crate::db::Backend;
use crate::{Db, PortalError};
use sqlx::Row;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One limit's state for one key: a leaky bucket as a "theoretical
/// arrival time" (GCRA). Each failure pushes `tat` one interval later;
/// the key is stopped while `tat` is more than a window ahead of now.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tat: Instant,
    /// A refusal of the current burst was already reported (audited).
    noted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    NameAddr(String, IpAddr),
    Addr(IpAddr),
    Name(String),
}

impl Key {
    /// The key's row in `login_failures`.
    fn stored(&self) -> String {
        match self {
            Self::NameAddr(name, addr) => format!("na|{name}|{addr}"),
            Self::Addr(addr) => format!("a|{addr}"),
            Self::Name(name) => format!("n|{name}"),
        }
    }
}

/// Failures a minute for one kind of key.
#[derive(Debug, Clone, Copy)]
struct Limit {
    /// One failure is forgotten every `interval`.
    interval: Duration,
}

const WINDOW: Duration = Duration::from_secs(60);

impl Limit {
    fn per_minute(n: u32) -> Self {
        Self {
            interval: WINDOW / n.max(1),
        }
    }

    /// How long until the next attempt is allowed, if it is not now.
    fn wait(self, bucket: &Bucket, now: Instant) -> Option<Duration> {
        self.wait_ahead(bucket.tat.saturating_duration_since(now))
    }

    /// The same, from how far ahead of now the key's `tat` is.
    fn wait_ahead(self, ahead: Duration) -> Option<Duration> {
        let wait = ahead.checked_sub(WINDOW - self.interval)?;
        (!wait.is_zero()).then_some(wait)
    }
}

/// A refused attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled {
    /// When to try again.
    pub wait: Duration,
    /// The first refusal of this burst: worth one audit row; the rest of
    /// the burst is not (a flood must not flood the audit log).
    pub first_of_burst: bool,
}

#[derive(Debug)]
pub struct LoginThrottle {
    name_addr: Limit,
    addr: Limit,
    name: Limit,
    buckets: Mutex<HashMap<Key, Bucket>>,
    /// Where the counts live when replicas share them.
    shared: Option<Db>,
}

impl Default for LoginThrottle {
    /// 5 failures a minute per name and address, 20 per address, 30 per
    /// name from anywhere.
    fn default() -> Self {
        Self::new(5, 20, 30)
    }
}

/// The address as throttled: IPv4 as is (also when mapped into IPv6),
/// IPv6 cut to its /64.
pub fn throttle_key(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V4(_) => addr,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(prefix))
            }
        },
    }
}

impl LoginThrottle {
    pub fn new(per_name_and_address: u32, per_address: u32, per_name: u32) -> Self {
        Self {
            name_addr: Limit::per_minute(per_name_and_address),
            addr: Limit::per_minute(per_address),
            name: Limit::per_minute(per_name),
            buckets: Mutex::default(),
            shared: None,
        }
    }

    /// Keeps the counts in `db` when it is PostgreSQL (replicas share
    /// it); a SQLite file has one process, which keeps them in memory.
    #[must_use]
    pub fn shared(mut self, db: &Db) -> Self {
        self.shared = (db.backend() == Backend::Postgres).then(|| db.clone());
        self
    }

    /// The keys an attempt is counted under, each with its limit.
    fn counted(&self, name: &str, addr: Option<IpAddr>) -> Vec<(Key, Limit)> {
        let (name, addr) = Self::keys(name, addr);
        let mut keys = Vec::with_capacity(3);
        if let Some(addr) = addr {
            keys.push((Key::NameAddr(name.clone(), addr), self.name_addr));
            keys.push((Key::Addr(addr), self.addr));
        }
        keys.push((Key::Name(name), self.name));
        keys
    }

    /// Whether an attempt may go on to the password check. Counts nothing.
    /// A shared store that cannot answer lets the attempt on (the password
    /// check needs the same database and fails then).
    pub async fn check(&self, name: &str, addr: Option<IpAddr>) -> Result<(), Throttled> {
        let Some(db) = &self.shared else {
            return self.check_at(name, addr, Instant::now());
        };
        self.check_shared(db, name, addr)
            .await
            .unwrap_or_else(|err| {
                tracing::warn!(error = %err, "cannot read the shared sign-in throttle");
                Ok(())
            })
    }

    async fn check_shared(
        &self,
        db: &Db,
        name: &str,
        addr: Option<IpAddr>,
    ) -> Result<Result<(), Throttled>, PortalError> {
        let keys = self.counted(name, addr);
        let stored: Vec<String> = keys.iter().map(|(k, _)| k.stored()).collect();
        let rows = sqlx::query(&format!(
            "SELECT key, GREATEST(tat - {NOW_MS}, 0) AS ahead FROM login_failures \
             WHERE key IN ($1, $2, $3)"
        ))
        .bind(&stored[0])
        .bind(stored.get(1).unwrap_or(&stored[0]))
        .bind(stored.get(2).unwrap_or(&stored[0]))
        .fetch_all(db.pool())
        .await?;
        let mut ahead = HashMap::new();
        for row in rows {
            let key: String = row.try_get("key")?;
            ahead.insert(key, from_millis(row.try_get("ahead")?));
        }
        let ahead_of = |key: &Key| ahead.get(&key.stored()).copied().unwrap_or_default();
        // As in memory: the name-wide limit stops only an address that
        // failed lately (or an unknown one).
        let clean = keys
            .iter()
            .any(|(k, _)| matches!(k, Key::Addr(_)) && ahead_of(k).is_zero());
        for (key, limit) in &keys {
            if matches!(key, Key::Name(_)) && clean {
                continue;
            }
            if let Some(wait) = limit.wait_ahead(ahead_of(key)) {
                let noted =
                    sqlx::query("UPDATE login_failures SET noted = 1 WHERE key = $1 AND noted = 0")
                        .bind(key.stored())
                        .execute(db.pool())
                        .await?;
                return Ok(Err(Throttled {
                    wait,
                    first_of_burst: noted.rows_affected() == 1,
                }));
            }
        }
        Ok(Ok(()))
    }

    /// Counts a failed sign-in against every key.
    pub async fn failed(&self, name: &str, addr: Option<IpAddr>) {
        let Some(db) = &self.shared else {
            return self.failed_at(name, addr, Instant::now());
        };
        for (key, limit) in self.counted(name, addr) {
            let counted = sqlx::query(&format!(
                "INSERT INTO login_failures AS f (key, tat, noted) VALUES ($1, {NOW_MS} + $2, 0) \
                 ON CONFLICT (key) DO UPDATE \
                 SET tat = GREATEST(f.tat, {NOW_MS}) + $2, noted = 0"
            ))
            .bind(key.stored())
            .bind(millis(limit.interval))
            .execute(db.pool())
            .await;
            if let Err(err) = counted {
                tracing::warn!(error = %err, "cannot count a failed sign-in in the shared throttle");
            }
        }
    }

    /// The right password: the name's failures from this address are
    /// forgiven (not the address's nor the name's elsewhere).
    pub async fn succeeded(&self, name: &str, addr: Option<IpAddr>) {
        let Some(db) = &self.shared else {
            return self.succeeded_here(name, addr);
        };
        let Some((key, _)) = self
            .counted(name, addr)
            .into_iter()
            .find(|(k, _)| matches!(k, Key::NameAddr(..)))
        else {
            return;
        };
        let forgiven = sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key.stored())
            .execute(db.pool())
            .await;
        if let Err(err) = forgiven {
            tracing::warn!(error = %err, "cannot forgive failures in the shared throttle");
        }
    }

    /// Forgets keys whose failures have all run out (bounded memory and
    /// table).
    pub async fn shrink(&self) {
        let Some(db) = &self.shared else {
            return self.shrink_here();
        };
        let gone = sqlx::query(&format!("DELETE FROM login_failures WHERE tat <= {NOW_MS}"))
            .execute(db.pool())
            .await;
        if let Err(err) = gone {
            tracing::warn!(error = %err, "cannot prune the shared sign-in throttle");
        }
    }

    fn keys(name: &str, addr: Option<IpAddr>) -> (String, Option<IpAddr>) {
        (name.to_lowercase(), addr.map(throttle_key))
    }

    fn check_at(&self, name: &str, addr: Option<IpAddr>, now: Instant) -> Result<(), Throttled> {
        let (name, addr) = Self::keys(name, addr);
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        let mut stops = Vec::with_capacity(3);
        if let Some(addr) = addr {
            stops.push((Key::NameAddr(name.clone(), addr), self.name_addr));
            stops.push((Key::Addr(addr), self.addr));
        }
        // The softer name-wide limit stops only addresses that have
        // failed lately (or unknown ones): a clean address still gets in.
        let clean = addr.is_some_and(|a| buckets.get(&Key::Addr(a)).is_none_or(|b| b.tat <= now));
        if !clean {
            stops.push((Key::Name(name), self.name));
        }
        for (key, limit) in stops {
            if let Some(bucket) = buckets.get_mut(&key)
                && let Some(wait) = limit.wait(bucket, now)
            {
                let first_of_burst = !bucket.noted;
                bucket.noted = true;
                return Err(Throttled {
                    wait,
                    first_of_burst,
                });
            }
        }
        Ok(())
    }

    fn failed_at(&self, name: &str, addr: Option<IpAddr>, now: Instant) {
        let (name, addr) = Self::keys(name, addr);
        let Ok(mut buckets) = self.buckets.lock() else {
            return;
        };
        let mut count = |key: Key, limit: Limit| {
            let bucket = buckets.entry(key).or_insert(Bucket {
                tat: now,
                noted: false,
            });
            bucket.tat = bucket.tat.max(now) + limit.interval;
            // A failure gets through only between bursts: the next
            // refusal starts a new one.
            bucket.noted = false;
        };
        if let Some(addr) = addr {
            count(Key::NameAddr(name.clone(), addr), self.name_addr);
            count(Key::Addr(addr), self.addr);
        }
        count(Key::Name(name), self.name);
    }

    fn succeeded_here(&self, name: &str, addr: Option<IpAddr>) {
        let (name, addr) = Self::keys(name, addr);
        if let (Some(addr), Ok(mut buckets)) = (addr, self.buckets.lock()) {
            buckets.remove(&Key::NameAddr(name, addr));
        }
    }

    fn shrink_here(&self) {
        let now = Instant::now();
        if let Ok(mut buckets) = self.buckets.lock() {
            buckets.retain(|_, b| b.tat > now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().expect("address"))
    }

    #[test]
    fn a_strangers_failures_elsewhere_do_not_lock_the_name() {
        let t = LoginThrottle::new(5, 20, 30);
        let now = Instant::now();
        for _ in 0..5 {
            assert!(t.check_at("admin", ip("192.0.2.1"), now).is_ok());
            t.failed_at("admin", ip("192.0.2.1"), now);
        }
        let refused = t.check_at("Admin", ip("192.0.2.1"), now).unwrap_err();
        assert!(refused.first_of_burst);
        assert!(
            !t.check_at("admin", ip("192.0.2.1"), now)
                .unwrap_err()
                .first_of_burst
        );
        assert!(t.check_at("admin", ip("198.51.100.7"), now).is_ok());
        // Past the name-wide limit, a clean address still gets in; one
        // that failed lately does not.
        for i in 0..30 {
            t.failed_at("admin", ip(&format!("203.0.113.{i}")), now);
        }
        assert!(t.check_at("admin", ip("198.51.100.7"), now).is_ok());
        assert!(t.check_at("admin", ip("203.0.113.1"), now).is_err());
        // One failure is forgotten every 12 s.
        let later = now + Duration::from_secs(13);
        assert!(t.check_at("admin", ip("192.0.2.1"), later).is_ok());
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(
            throttle_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            throttle_key("::ffff:192.0.2.9".parse().unwrap()),
            "192.0.2.9".parse::<IpAddr>().unwrap()
        );
        let t = LoginThrottle::new(2, 20, 30);
        let now = Instant::now();
        t.failed_at("x", ip("2001:db8::1"), now);
        t.failed_at("x", ip("2001:db8::ffff:2"), now);
        assert!(t.check_at("x", ip("2001:db8::9:9"), now).is_err());
        assert!(t.check_at("x", ip("2001:db8:0:1::1"), now).is_ok());
    }
}
