//! What every HTTP handler, API or console, shares: the store, the built lists, the console's
//! sessions, and whether the server speaks TLS; and the one way a handler runs blocking work.

use crate::error::{Result, ServerError};
use crate::publish::Cache;
use crate::sessions::Sessions;
use crate::store::Store;
use crate::throttle::{LoginLimits, LoginThrottle};

/// What the operator chose at start-up that the handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Cookies get the `Secure` attribute (the server speaks TLS).
    pub secure_cookies: bool,
    /// Bytes of revocation-list deltas kept built.
    pub delta_cache_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How often the console's log-in may be tried.
    pub login: LoginLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            secure_cookies: false,
            delta_cache_bytes: crate::publish::DEFAULT_DELTA_CACHE_BYTES,
            trusted_proxies: Vec::new(),
            login: LoginLimits::default(),
        }
    }
}

/// What the handlers share.
pub struct AppState {
    pub store: Store,
    pub cache: Cache,
    /// The console's logged-in sessions.
    pub sessions: Sessions,
    /// Whether cookies get the `Secure` attribute (the server speaks TLS).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The console's log-in throttle.
    pub login: LoginThrottle,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Self {
        AppState {
            store,
            cache: Cache::new(settings.delta_cache_bytes),
            sessions: Sessions::default(),
            secure_cookies: settings.secure_cookies,
            trusted_proxies: settings.trusted_proxies,
            login: LoginThrottle::new(settings.login),
        }
    }
}

/// Runs `f` on a blocking thread (SQLite and signing are synchronous).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::Setup(format!("worker failed: {e}")))?
}

/// The state as a handler extracts it.
pub(crate) type Shared = axum::extract::State<std::sync::Arc<AppState>>;
