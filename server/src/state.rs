//! What every HTTP handler, API or console, shares: the store, the built lists, the console's
//! sessions, and whether the server speaks TLS; and the one way a handler runs blocking work.

use crate::error::{Result, ServerError};
use crate::publish::Cache;
use crate::sessions::Sessions;
use crate::store::Store;

/// What the handlers share.
pub struct AppState {
    pub store: Store,
    pub cache: Cache,
    /// The console's logged-in sessions.
    pub sessions: Sessions,
    /// Whether cookies get the `Secure` attribute (the server speaks TLS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        AppState {
            store,
            cache: Cache::default(),
            sessions: Sessions::default(),
            secure_cookies,
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
