//! Serving: the whole application (the API, the console, and 404 for anything else) on a
//! listener, over plain HTTP or TLS, until a signal; or on a background thread for the demo and
//! embedding. HTTP/1.1 on hyper with the server's own accept loop ([`connections`]), which times
//! out slow and idle clients and caps the connections; TLS by rustls with the ring provider
//! ([`tls`]), the one crypto provider of the workspace. While serving, the process holds the data
//! directory's lock, runs the lists' heartbeat ([`crate::publication::Publisher::tick`]) every
//! second, publishes the revocation list in batches off the writer's path
//! ([`crate::publication::Publisher::publish_batched`]) and checkpoints the database's log off
//! it too ([`crate::store::Store::checkpoint`]).

pub mod connections;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::net::{TcpListener, TcpSocket};

pub use self::connections::Limits;
pub use self::tls::{install_crypto_provider, Tls};
use crate::error::ServerError;
use crate::state::{blocking, AppState, Settings};
use crate::store::{DataDirLock, Store};
use crate::{api, body, console, publication, rolls};

/// How long requests in progress may take to finish once the server is told to stop.
const GRACE: Duration = Duration::from_secs(10);
/// Connections the kernel keeps waiting for the accept loop.
const BACKLOG: u32 = 1024;
/// How often the heartbeat looks at the lists.
const HEARTBEAT_TICK: Duration = Duration::from_secs(1);

/// Locks the data directory, moves the checkpoints off the writer and publishes what is missing
/// or stale, before the first request.
fn prepare(store: Store, settings: Settings) -> anyhow::Result<(Arc<AppState>, DataDirLock)> {
    let lock = store.lock_for_serving()?;
    store.lists().tick(&store)?;
    let state = Arc::new(AppState::new(store, settings));
    start_checkpoints(&state)?;
    Ok((state, lock))
}

/// Re-signs the lists before they go stale, serves what other processes publish, and drafts the
/// payment rolls again after changes in the register ([`rolls::redraft`]), for as long as the
/// server runs.
async fn heartbeat(state: Arc<AppState>) {
    let mut every = tokio::time::interval(HEARTBEAT_TICK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let s = state.clone();
        match blocking(move || s.store.lists().tick(&s.store)).await {
            Ok(published) => {
                for list in published {
                    tracing::info!(
                        list,
                        "{}",
                        asxh_text::logs::text(asxh_text::Msg::LogListPublished)
                    );
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogHeartbeatFailed))
            }
        }
        let s = state.clone();
        match blocking(move || {
            rolls::redraft::after_register_changes(&s.store, asxh_core::Date::today())
        })
        .await
        {
            Ok(drafts) => {
                for d in drafts {
                    tracing::info!(area = %d.area, month = %d.month, status = %d.status, "{}", asxh_text::logs::text(asxh_text::Msg::LogRollRedrafted));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogRedraftFailed))
            }
        }
    }
}

/// Checkpoints the database's write-ahead log off the writer's path
/// ([`Store::checkpoint_off_the_writer`]) on a thread of its own for as long as the server's
/// state lives: one connection and one allocator arena, never a thread of the blocking pool that
/// requests need. A failure (a full disk) is said once, and again when checkpoints work again.
fn start_checkpoints(state: &Arc<AppState>) -> anyhow::Result<()> {
    let weak = Arc::downgrade(state);
    std::thread::Builder::new()
        .name("checkpoints".into())
        .spawn(move || {
            let mut failing = false;
            loop {
                std::thread::sleep(crate::store::CHECKPOINT_INTERVAL);
                let Some(state) = weak.upgrade() else { return };
                match state.store.checkpoint() {
                    Ok(done) => {
                        if failing {
                            failing = false;
                            tracing::info!("{}", asxh_text::logs::text(asxh_text::Msg::LogCheckpointWorksAgain));
                        }
                        if let Some(done) = done {
                            tracing::trace!(?done, "checkpoint");
                        }
                    }
                    Err(e) => {
                        if !failing {
                            failing = true;
                            tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogCheckpointFailed));
                        }
                    }
                }
            }
        })
        .map_err(|e| anyhow::anyhow!("cannot start the checkpoint thread: {e}"))?;
    // Only once something checkpoints does the writer stop doing it.
    state.store.checkpoint_off_the_writer()?;
    Ok(())
}

/// The server's work besides answering requests and checkpointing: the heartbeat and the
/// batched publication. Runs on the current runtime.
fn spawn_background_work(state: &Arc<AppState>) {
    tokio::spawn(heartbeat(state.clone()));
    tokio::spawn(publish_batches(state.clone()));
}

/// Publishes the batched lists whenever writes leave them something, at most once per
/// [`publication::BATCH_INTERVAL`], for as long as the server runs.
async fn publish_batches(state: Arc<AppState>) {
    state.store.lists().batch();
    loop {
        state.store.lists().batch_due().await;
        let s = state.clone();
        match blocking(move || s.store.lists().publish_batched(&s.store)).await {
            Ok(published) => {
                for list in published {
                    tracing::debug!(list, "published");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogPublishFailed));
                state.store.lists().retry_batch();
            }
        }
        tokio::time::sleep(publication::BATCH_INTERVAL).await;
    }
}

/// Every route the server answers.
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .merge(api::router())
        .merge(console::router())
        .fallback(|| async { ServerError::NotFound("no such route".into()) })
        .layer(axum::middleware::from_fn(read_bodies_first))
        .with_state(state)
}

/// Reads every request body before the request is answered (at most [`body::limit_for`] its path, in the
/// body timeout; a longer or later one is answered 413 or 408, as a page on the console).
///
/// An answer given before the body was read (401, 403, 404, a route that takes no body) would
/// otherwise race hyper: it closes the kept-alive connection when the body has not arrived yet,
/// without saying so in the answer, and a client's next POST on that connection fails with an
/// unexpected end of file instead of being answered.
async fn read_bodies_first(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let max = body::limit_for(parts.uri.path());
    match body::read_body(body, max).await {
        Ok(bytes) => next.run(Request::from_parts(parts, bytes.into())).await,
        Err(e) if console::serves(parts.uri.path()) => console::problem(&parts.headers, &e),
        Err(e) => e.into_response(),
    }
}

/// How the server is run.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    pub tls: Option<Tls>,
    pub limits: Limits,
    /// What the handlers need (`secure_cookies` follows `tls`).
    pub settings: Settings,
}

/// A listening socket with a deep backlog (a burst of clients waits for the accept loop instead
/// of being refused).
fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// A server running on a thread of this process (for the demo and embedding): stop it with
/// [`Background::stop`].
pub struct Background {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Background {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits for the thread.
    pub fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.thread.join();
    }
}

/// Serves the API over plain HTTP on `listen` (port 0: any free port) on a background thread.
pub fn serve_in_background(store: Store, listen_on: SocketAddr) -> anyhow::Result<Background> {
    let (state, lock) = prepare(store, Settings::default())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let listener = runtime.block_on(async { listen(listen_on) })?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let _lock = lock;
        runtime.block_on(async move {
            spawn_background_work(&state);
            connections::run(
                listener,
                app(state),
                None,
                Limits::default(),
                async {
                    let _ = stopped.await;
                },
                Duration::from_secs(5),
            )
            .await
        })
    });
    Ok(Background { addr, stop, thread })
}

/// Serves the API until Ctrl-C or SIGTERM. Prints the bound address (useful with port 0) on
/// stdout before accepting connections.
pub async fn serve(store: Store, options: Options) -> anyhow::Result<()> {
    let acceptor = options.tls.as_ref().map(tls::acceptor).transpose()?;
    let settings = Settings {
        secure_cookies: acceptor.is_some(),
        ..options.settings
    };
    let (state, _lock) = tokio::task::block_in_place(|| prepare(store, settings))?;
    spawn_background_work(&state);
    let app = app(state).layer(tower_http::trace::TraceLayer::new_for_http());
    let listener = listen(options.listen)
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", options.listen))?;
    let addr = listener.local_addr()?;
    println!(
        "listening on {}://{addr}",
        if acceptor.is_some() { "https" } else { "http" }
    );
    connections::run(
        listener,
        app,
        acceptor,
        options.limits,
        shutdown_signal(),
        GRACE,
    )
    .await;
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
