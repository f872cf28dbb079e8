//! Serving: the whole application (the API, the console, and 404 for anything else) on a
//! listener, with or without TLS, until a signal; or on a background thread for the demo and
//! embedding. While serving, the process holds the data directory's lock and runs the lists'
//! heartbeat ([`crate::publication::Publisher::tick`]) every second.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;

use crate::error::ServerError;
use crate::state::{blocking, AppState};
use crate::store::{DataDirLock, Store};
use crate::{api, console};

/// How often the heartbeat looks at the lists.
const HEARTBEAT_TICK: Duration = Duration::from_secs(1);

/// Locks the data directory and publishes what is missing or stale, before the first request.
fn prepare(store: Store, secure_cookies: bool) -> anyhow::Result<(Arc<AppState>, DataDirLock)> {
    let lock = store.lock_for_serving()?;
    store.lists().tick(&store)?;
    Ok((Arc::new(AppState::new(store, secure_cookies)), lock))
}

/// Re-signs the lists before they go stale, and serves what other processes publish, for as
/// long as the server runs.
async fn heartbeat(state: Arc<AppState>) {
    let mut every = tokio::time::interval(HEARTBEAT_TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let s = state.clone();
        match blocking(move || s.store.lists().tick(&s.store)).await {
            Ok(published) => {
                for list in published {
                    tracing::info!(list, "published");
                }
            }
            Err(e) => tracing::warn!(error = %e, "list heartbeat failed; retrying"),
        }
    }
}

/// Every route the server answers.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(api::router())
        .merge(console::router())
        .fallback(|| async { ServerError::NotFound("no such route".into()) })
        .with_state(state)
}

/// TLS certificate and key files (PEM).
pub struct Tls {
    pub cert: std::path::PathBuf,
    pub key: std::path::PathBuf,
}

/// A server running on a thread of this process (for the demo and embedding): stop it with
/// [`Background::stop`].
pub struct Background {
    pub addr: SocketAddr,
    handle: axum_server::Handle,
    thread: std::thread::JoinHandle<std::io::Result<()>>,
}

impl Background {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the thread.
    pub fn stop(self) {
        self.handle
            .graceful_shutdown(Some(std::time::Duration::from_secs(5)));
        let _ = self.thread.join();
    }
}

/// Serves the API on `listen` (port 0: any free port) on a background thread.
pub fn serve_in_background(store: Store, listen: SocketAddr) -> anyhow::Result<Background> {
    let (state, lock) = prepare(store, false)?;
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let server_handle = handle.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let thread = std::thread::spawn(move || {
        let _lock = lock;
        runtime.block_on(async move {
            tokio::spawn(heartbeat(state.clone()));
            axum_server::from_tcp(listener)
                .handle(server_handle)
                .serve(app(state).into_make_service())
                .await
        })
    });
    Ok(Background {
        addr,
        handle,
        thread,
    })
}

/// Serves the API on `listen` until Ctrl-C or SIGTERM. Prints the bound address (useful with
/// port 0) on stdout before accepting connections.
pub async fn serve(store: Store, listen: SocketAddr, tls: Option<Tls>) -> anyhow::Result<()> {
    let (state, _lock) = tokio::task::block_in_place(|| prepare(store, tls.is_some()))?;
    tokio::spawn(heartbeat(state.clone()));
    let app = app(state).layer(tower_http::trace::TraceLayer::new_for_http());
    let listener = std::net::TcpListener::bind(listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let handle = axum_server::Handle::new();
    let shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        shutdown.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
    });
    match tls {
        Some(t) => {
            let config =
                axum_server::tls_rustls::RustlsConfig::from_pem_file(&t.cert, &t.key).await?;
            println!("listening on https://{addr}");
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(app.into_make_service())
                .await?;
        }
        None => {
            println!("listening on http://{addr}");
            axum_server::from_tcp(listener)
                .handle(handle)
                .serve(app.into_make_service())
                .await?;
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return ctrl_c.await.unwrap_or(()),
    };
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
}
