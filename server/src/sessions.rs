//! Console sessions, kept in the server's memory: a random 256-bit id in an HttpOnly,
//! SameSite=Strict cookie maps to the account and the session's CSRF token. A session ends on log
//! out, after [`IDLE`] without a request, after [`ABSOLUTE`] in all, or when the server restarts
//! (administrators then log in again; nothing is lost). The account is re-read on every request,
//! so revoking it ends its sessions at once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand_core::{OsRng, RngCore};
use subtle::ConstantTimeEq;

/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::from_secs(30 * 60);
/// A session ends this long after log-in, however busy.
pub const ABSOLUTE: Duration = Duration::from_secs(10 * 60 * 60);

/// One logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub account_id: i64,
    /// The token every form of this session carries.
    pub csrf: String,
    started: Instant,
    last_seen: Instant,
}

/// The live sessions.
#[derive(Debug)]
pub struct Sessions {
    live: Mutex<HashMap<String, Session>>,
    idle: Duration,
    absolute: Duration,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions::new(IDLE, ABSOLUTE)
    }
}

/// A fresh random token (hex of 32 bytes from the OS).
pub fn random_token() -> String {
    let mut raw = [0u8; 32];
    OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}

/// Compares two tokens in constant time.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl Sessions {
    pub fn new(idle: Duration, absolute: Duration) -> Self {
        Sessions {
            live: Mutex::new(HashMap::new()),
            idle,
            absolute,
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.live.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn expired(&self, s: &Session, now: Instant) -> bool {
        now.duration_since(s.last_seen) >= self.idle
            || now.duration_since(s.started) >= self.absolute
    }

    /// Starts a session for `account_id`; returns its id (the cookie's value).
    pub fn start(&self, account_id: i64, now: Instant) -> String {
        let id = random_token();
        let mut live = self.live();
        live.retain(|_, s| !self.expired(s, now));
        live.insert(
            id.clone(),
            Session {
                account_id,
                csrf: random_token(),
                started: now,
                last_seen: now,
            },
        );
        id
    }

    /// The session `id`, if it is live; counts as activity.
    pub fn get(&self, id: &str, now: Instant) -> Option<Session> {
        let mut live = self.live();
        let session = live.get_mut(id)?;
        if self.expired(session, now) {
            live.remove(id);
            return None;
        }
        session.last_seen = now;
        Some(session.clone())
    }

    /// Ends the session `id` (log out).
    pub fn end(&self, id: &str) {
        self.live().remove(id);
    }

    /// Ends every session of an account (its token was revoked).
    pub fn end_all_of(&self, account_id: i64) {
        self.live().retain(|_, s| s.account_id != account_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_after_the_idle_time_without_requests() {
        let sessions = Sessions::new(Duration::from_secs(60), Duration::from_secs(3600));
        let t0 = Instant::now();
        let id = sessions.start(7, t0);
        assert_eq!(
            sessions
                .get(&id, t0 + Duration::from_secs(59))
                .unwrap()
                .account_id,
            7
        );
        // Activity at 59 s moved the idle deadline.
        assert!(sessions.get(&id, t0 + Duration::from_secs(118)).is_some());
        assert!(sessions.get(&id, t0 + Duration::from_secs(178)).is_none());
        assert!(
            sessions.get(&id, t0 + Duration::from_secs(179)).is_none(),
            "stays ended"
        );
    }

    #[test]
    fn a_busy_session_still_ends_at_the_absolute_limit() {
        let sessions = Sessions::new(Duration::from_secs(60), Duration::from_secs(150));
        let t0 = Instant::now();
        let id = sessions.start(1, t0);
        for s in [50, 100, 149] {
            assert!(sessions.get(&id, t0 + Duration::from_secs(s)).is_some());
        }
        assert!(sessions.get(&id, t0 + Duration::from_secs(150)).is_none());
    }

    #[test]
    fn log_out_and_account_revocation_end_sessions() {
        let sessions = Sessions::default();
        let now = Instant::now();
        let a = sessions.start(1, now);
        let b = sessions.start(2, now);
        let c = sessions.start(2, now);
        sessions.end(&a);
        sessions.end_all_of(2);
        for id in [a, b, c] {
            assert!(sessions.get(&id, now).is_none());
        }
    }

    #[test]
    fn tokens_are_random_and_compared_exactly() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token(&a, &a[..63]));
        assert!(!same_token("", &a));
    }
}
