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
mod highlight;
mod html;
mod http;
mod i18n;
mod state;

use std::net::SocketAddr;

pub use error::ApiError;
pub use http::{BODY_LIMIT, router};
pub use state::AppState;

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
/// serves until Ctrl-C. Builds its own runtime, so callers need no async code.
pub fn run(addr: SocketAddr, state: AppState, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    state.allow_any_host(!addr.ip().is_loopback());
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
        ready(listener.local_addr()?);
        axum::serve(listener, router(state))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        Ok(())
    })
}
