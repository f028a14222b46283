//! The local web app: review a drill in the browser like a pull request.
//!
//! `revdrill serve` builds an [`AppState`] (catalog, attempts store, default language) and calls
//! [`run`]. Every page is rendered on the server from the same data the JSON API returns
//! (`docs/api.md` in this crate); a little hand-written JavaScript adds inline comments, keyboard
//! navigation and work-in-progress kept in the browser. Assets are compiled into the binary.
//!
//! Architecture invariant: only this crate knows HTTP; it grades with `revdrill-grader` and
//! stores with `revdrill-store` exactly as the CLI does, so an attempt made in the browser shows
//! in `revdrill history`.
#![deny(missing_docs)]

mod error;
pub mod highlight;
mod html;
mod http;
mod i18n;
mod state;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

pub use error::ApiError;
pub use http::{BODY_LIMIT, router};
pub use state::AppState;

/// How long a client has to send a request's headers: from the connection's start, and again
/// from the end of each response while the connection is kept alive, so it is also the idle
/// keep-alive timeout. A client that sends half a header, or nothing, is disconnected after it.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a client has to send a request's body once its headers are in; past it the
/// request gets `408 body_timeout` and the connection is closed.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; more wait in the listen queue until one closes (each costs a
/// file descriptor; the header and body timeouts bound how long one can be held).
pub const MAX_CONNECTIONS: usize = 128;

/// How long Ctrl-C waits for requests in flight before the server stops anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The time and connection limits of [`serve`]; [`Limits::default`] is the named constants.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// See [`HEADER_TIMEOUT`].
    pub header_timeout: Duration,
    /// See [`BODY_TIMEOUT`].
    pub body_timeout: Duration,
    /// See [`MAX_CONNECTIONS`].
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { header_timeout: HEADER_TIMEOUT, body_timeout: BODY_TIMEOUT, max_connections: MAX_CONNECTIONS }
    }
}

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The runtime or the connection loop failed.
    #[error("the web server failed: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds `addr`, calls `ready` with the bound address (so the caller can print the URL), and
/// serves with the default [`Limits`] until Ctrl-C. Builds its own runtime, so callers need no
/// async code.
pub fn run(addr: SocketAddr, state: AppState, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    state.allow_any_host(!addr.ip().is_loopback());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
        ready(listener.local_addr()?);
        serve(listener, state, Limits::default(), async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// Serves `state` on `listener` within `limits` until `shutdown` completes, then lets requests
/// in flight finish (for a few seconds at most).
///
/// Each connection is served by hyper's HTTP/1 connection with its header read timeout; a
/// semaphore holds one permit per open connection, and the loop accepts only with a permit in
/// hand, so connections beyond the cap wait in the kernel's listen queue.
pub async fn serve(listener: TcpListener, state: AppState, limits: Limits, shutdown: impl Future<Output = ()>) {
    state.set_body_timeout(limits.body_timeout);
    serve_router(listener, router(state), limits, shutdown).await;
}

/// The connection loop of [`serve`] for any router (the team server's too): the same header
/// timeout, connection cap and graceful stop. Each request carries the peer's address as
/// `axum::extract::ConnectInfo<SocketAddr>`.
pub async fn serve_router(listener: TcpListener, app: axum::Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(accepted) => accepted,
                // Out of file descriptors, or a connection reset before it was accepted: wait a
                // little rather than spin, and go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let with_peer = app.clone().map_request(move |req: hyper::Request<hyper::body::Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            req
        });
        let service = TowerToHyperService::new(with_peer);
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let stopping = tokio::select! {
                _ = conn.as_mut() => false,
                r = stop.wait_for(|s| *s) => r.is_ok(),
            };
            if stopping {
                conn.as_mut().graceful_shutdown();
                let _ = conn.await;
            }
            drop(permit);
        });
    }
    let _ = stop_tx.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(all)).await;
}
