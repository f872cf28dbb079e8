//! What every HTTP handler, API or console, shares: the store (which serves the published
//! lists), the console's sessions, and whether the server speaks TLS; and the one way a handler
//! runs blocking work.

use std::sync::{Arc, Mutex};

use crate::error::{Result, ServerError};
use crate::publication::Published;
use crate::publish;
use crate::sessions::Sessions;
use crate::store::Store;

/// What the handlers share.
pub struct AppState {
    pub store: Store,
    /// The JSON view of the newest trust list, made once per version.
    trust_json: Mutex<Option<Arc<Published>>>,
    /// The console's logged-in sessions.
    pub sessions: Sessions,
    /// Whether cookies get the `Secure` attribute (the server speaks TLS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        AppState {
            store,
            trust_json: Mutex::new(None),
            sessions: Sessions::default(),
            secure_cookies,
        }
    }
}

impl AppState {
    /// The JSON view of the signed trust list `signed`, with its own ETag.
    pub(crate) fn trust_json(&self, signed: &Published) -> Result<Arc<Published>> {
        let mut slot = self.trust_json.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = slot
            .as_ref()
            .filter(|j| j.stamp.version == signed.stamp.version)
        {
            return Ok(hit.clone());
        }
        let json = publish::trust_list_json(&self.store, &signed.bytes)?;
        let bytes = serde_json::to_vec(&json)
            .map_err(|e| ServerError::Setup(format!("trust list JSON: {e}")))?;
        let made = Arc::new(Published::new("tl-json", signed.stamp, None, bytes));
        *slot = Some(made.clone());
        Ok(made)
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
