//! Connections: the accept loop, and what keeps slow or idle clients from holding the server.
//! Every connection has a watchdog: a fresh connection must deliver its first request header
//! within the header timeout, a kept-alive one is closed after the idle timeout without a
//! request, and once bytes of a new request arrive its header must be complete within the header
//! timeout. A request in progress is the handler's: its body must arrive within the body timeout
//! ([`crate::body`]). At most `max_connections` are open at once, fewer when the process may
//! not open that many files; when full, the connection that has been waiting longest without a
//! request in progress makes room for the new one, so a flood of slow clients cannot lock others
//! out. HTTP/1.1 only, request headers at most [`MAX_HEADER_BYTES`].

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::body::Deadline;

/// The largest request header (request line and fields) read; a larger one gets 431.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// File descriptors kept for the database, key files and logs when the connection cap is fitted
/// to the process's limit.
const RESERVED_FILES: usize = 128;

/// How long clients may take, and how many may be connected at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// From connecting, or from the first byte of a request, to the end of its header.
    pub header_timeout: Duration,
    /// From the end of a request's header to the end of its body.
    pub body_timeout: Duration,
    /// A kept-alive connection with no request.
    pub idle_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(15),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60),
            max_connections: 2048,
        }
    }
}

/// The soft limit on open files of this process, from `/proc/self/limits`.
fn open_files_limit() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

impl Limits {
    /// The connection cap that fits the process's file limit, and the limit when it lowered the
    /// cap.
    pub fn fitted_cap(&self) -> (usize, Option<usize>) {
        match open_files_limit() {
            Some(files) if files.saturating_sub(RESERVED_FILES) < self.max_connections => {
                (files.saturating_sub(RESERVED_FILES).max(1), Some(files))
            }
            _ => (self.max_connections, None),
        }
    }
}

/// One open connection as the watchdog and the cap see it.
struct Entry {
    id: u64,
    epoch: Instant,
    /// Requests being answered.
    in_flight: AtomicUsize,
    /// Whether a request was ever answered on it.
    served: AtomicBool,
    /// Bytes of a request arrived since the last answer.
    reading: AtomicBool,
    /// Milliseconds after `epoch` since which the connection has been waiting: connected, last
    /// answered, or the first byte of a request after an answer.
    since: AtomicU64,
    kill: Notify,
}

impl Entry {
    fn now_ms(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) > 0
    }

    /// When the connection is to be closed, unless it is busy.
    fn deadline(&self, limits: &Limits) -> Option<Instant> {
        if self.busy() {
            return None;
        }
        let since = self.epoch + Duration::from_millis(self.since.load(Ordering::Acquire));
        let waiting_for_header =
            !self.served.load(Ordering::Acquire) || self.reading.load(Ordering::Acquire);
        Some(
            since
                + if waiting_for_header {
                    limits.header_timeout
                } else {
                    limits.idle_timeout
                },
        )
    }

    /// Bytes arrived from the client.
    fn saw_bytes(&self) {
        if !self.busy()
            && !self.reading.swap(true, Ordering::AcqRel)
            && self.served.load(Ordering::Acquire)
        {
            self.since.store(self.now_ms(), Ordering::Release);
        }
    }

    fn begin(self: &Arc<Self>) -> Answering {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        Answering(self.clone())
    }

    /// Resolves when the watchdog's deadline has passed.
    async fn expired(&self, limits: Limits) {
        loop {
            match self.deadline(&limits) {
                Some(d) if d <= Instant::now() => return,
                Some(d) => tokio::time::sleep_until(d.into()).await,
                None => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    }
}

/// A request being answered; dropping it ends the request.
struct Answering(Arc<Entry>);

impl Drop for Answering {
    fn drop(&mut self) {
        let e = &self.0;
        if e.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            e.reading.store(false, Ordering::Release);
            e.served.store(true, Ordering::Release);
            e.since.store(e.now_ms(), Ordering::Release);
        }
    }
}

/// The open connections.
struct Registry {
    epoch: Instant,
    next: AtomicU64,
    cap: usize,
    open: Mutex<HashMap<u64, Arc<Entry>>>,
}

impl Registry {
    fn open(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Entry>>> {
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the connection that has waited longest without a request in progress; false when
    /// every connection is busy.
    fn evict_one(&self, open: &mut HashMap<u64, Arc<Entry>>) -> bool {
        let victim = open
            .values()
            .filter(|e| !e.busy())
            .min_by_key(|e| e.since.load(Ordering::Acquire))
            .map(|e| e.id);
        match victim.and_then(|id| open.remove(&id)) {
            Some(e) => {
                e.kill.notify_one();
                true
            }
            None => false,
        }
    }

    /// Registers a new connection, making room if the cap is reached; `None` when every open
    /// connection is busy.
    fn admit(&self) -> Option<Arc<Entry>> {
        let mut open = self.open();
        if open.len() >= self.cap && !self.evict_one(&mut open) {
            return None;
        }
        let entry = Arc::new(Entry {
            id: self.next.fetch_add(1, Ordering::Relaxed),
            epoch: self.epoch,
            in_flight: AtomicUsize::new(0),
            served: AtomicBool::new(false),
            reading: AtomicBool::new(false),
            since: AtomicU64::new(self.epoch.elapsed().as_millis() as u64),
            kill: Notify::new(),
        });
        open.insert(entry.id, entry.clone());
        Some(entry)
    }

    fn leave(&self, id: u64) {
        self.open().remove(&id);
    }

    fn len(&self) -> usize {
        self.open().len()
    }
}

/// A client's stream, telling the watchdog when bytes arrive.
struct Watched {
    inner: TcpStream,
    entry: Arc<Entry>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.entry.saw_bytes();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves HTTP/1.1 on `io` until the client leaves or the server stops.
async fn drive<I>(
    io: I,
    app: Router,
    peer: SocketAddr,
    entry: Arc<Entry>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let answering = entry.begin();
        let app = app.clone();
        async move {
            let mut request =
                request.map(|b| axum::body::Body::new(Deadline::new(b, limits.body_timeout)));
            request.extensions_mut().insert(ConnectInfo(peer));
            let response = app.oneshot(request).await;
            drop(answering);
            response
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .max_buf_size(MAX_HEADER_BYTES)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    let stopping = async move {
        // The guard `wait_for` returns must not live across an await.
        let _ = stop.wait_for(|stopping| *stopping).await.map(|_| ());
    };
    tokio::select! {
        _ = conn.as_mut() => {}
        () = stopping => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

/// One connection, from accept (and TLS handshake) to close.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    tls: Option<TlsAcceptor>,
    entry: Arc<Entry>,
    limits: Limits,
    stop: watch::Receiver<bool>,
) {
    let io = Watched {
        inner: stream,
        entry: entry.clone(),
    };
    let work = async {
        match tls {
            Some(acceptor) => match acceptor.accept(io).await {
                Ok(tls) => drive(tls, app, peer, entry.clone(), limits, stop).await,
                Err(e) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
            },
            None => drive(io, app, peer, entry.clone(), limits, stop).await,
        }
    };
    tokio::select! {
        _ = work => {}
        _ = entry.expired(limits) => tracing::debug!(%peer, "closed a slow or idle connection"),
        _ = entry.kill.notified() => tracing::debug!(%peer, "closed the longest-waiting connection to make room"),
    }
}

/// Accepts connections on `listener` and serves `app` on them until `shutdown` resolves; then
/// stops accepting and gives open connections up to `grace` to finish their requests.
pub async fn run(
    listener: TcpListener,
    app: Router<()>,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) {
    let (cap, files) = limits.fitted_cap();
    if let Some(files) = files {
        tracing::warn!(
            "{}",
            asxh_text::message::fill(
                asxh_text::logs::text(asxh_text::Msg::LogConnectionCap),
                &[
                    ("cap", cap.to_string()),
                    ("asked", limits.max_connections.to_string()),
                    ("files", files.to_string()),
                ],
            )
        );
    }
    let registry = Arc::new(Registry {
        epoch: Instant::now(),
        next: AtomicU64::new(0),
        cap,
        open: Mutex::new(HashMap::new()),
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(a) => a,
            Err(e) => {
                // Out of file descriptors, most likely: make room and breathe.
                tracing::warn!(error = %e, "{}", asxh_text::logs::text(asxh_text::Msg::LogAcceptFailed));
                registry.evict_one(&mut registry.open());
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(entry) = registry.admit() else {
            // Every connection is answering a request: this one must wait for a new try.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (app, tls, stop, registry) =
            (app.clone(), tls.clone(), stop_rx.clone(), registry.clone());
        tokio::spawn(async move {
            let id = entry.id;
            connection(stream, peer, app, tls, entry, limits, stop).await;
            registry.leave(id);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    let deadline = Instant::now() + grace;
    while registry.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(cap: usize) -> Registry {
        Registry {
            epoch: Instant::now(),
            next: AtomicU64::new(0),
            cap,
            open: Mutex::new(HashMap::new()),
        }
    }

    #[test]
    fn when_full_the_longest_waiting_idle_connection_makes_room_and_busy_ones_are_kept() {
        let r = registry(2);
        let first = r.admit().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let second = r.admit().unwrap();
        let _busy = second.begin();
        let third = r.admit().expect("the idle first connection makes room");
        assert!(!r.open().contains_key(&first.id));
        let _busy_too = third.begin();
        assert!(r.admit().is_none(), "every open connection is busy");
        assert_eq!(r.len(), 2);
    }

    #[test]
    fn the_deadline_is_the_header_timeout_until_a_request_is_answered_then_the_idle_timeout() {
        let limits = Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(100),
            ..Limits::default()
        };
        let r = registry(10);
        let e = r.admit().unwrap();
        let start = e.epoch + Duration::from_millis(e.since.load(Ordering::Acquire));
        assert_eq!(e.deadline(&limits), Some(start + limits.header_timeout));
        e.saw_bytes();
        assert_eq!(
            e.deadline(&limits),
            Some(start + limits.header_timeout),
            "a slow first header gets no more time for having started"
        );
        let answering = e.begin();
        assert_eq!(
            e.deadline(&limits),
            None,
            "a request in progress is not timed here"
        );
        drop(answering);
        let answered = e.epoch + Duration::from_millis(e.since.load(Ordering::Acquire));
        assert_eq!(e.deadline(&limits), Some(answered + limits.idle_timeout));
        std::thread::sleep(Duration::from_millis(5));
        e.saw_bytes();
        let next = e.epoch + Duration::from_millis(e.since.load(Ordering::Acquire));
        assert!(next > answered);
        assert_eq!(e.deadline(&limits), Some(next + limits.header_timeout));
    }
}
