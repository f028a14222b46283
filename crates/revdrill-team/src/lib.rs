//! The team server: `revdrill serve --database-url postgres://...`. Mentors run review practice
//! for a team on PostgreSQL: accounts with roles (admin, mentor, learner), sessions, invite
//! links, cohorts with assigned drill sets, and attempts that belong to a user. The drills and
//! the grading are the local app's (`revdrill-catalog`, `revdrill-grader`); what is stored per
//! attempt is what `revdrill-store` stores, with an owner. See `docs/team-server.md`.
//!
//! Layout (realworld-axum-sqlx style): [`db`] (pool, numbered migrations under an advisory
//! lock), data modules per feature ([`accounts`], [`cohorts`], [`attempts`], each adding
//! methods to [`Db`]), [`policy`] (every authorization decision), one [`TeamState`], one
//! [`TeamError`] (`IntoResponse`), and `http/` with one router per feature.
//!
//! Architecture invariant: the server keeps no state between requests but the pool: sessions,
//! rate-limit counts and everything else live in PostgreSQL, so instances can run side by side.
//! Architecture invariant: every query is parameterised; every multi-row write is one
//! transaction; a submitted attempt is stored whole (answers, report, categories) or not at all.
#![deny(missing_docs)]

pub mod accounts;
pub mod attempts;
pub mod cohorts;
pub mod db;
mod error;
mod http;
pub mod policy;
mod state;

use std::net::SocketAddr;

pub use attempts::PgStore;
pub use db::Db;
pub use error::TeamError;
pub use http::{BODY_LIMIT, SESSION_COOKIE, router};
pub use state::TeamState;

use revdrill_catalog::Catalog;
use revdrill_pack::Lang;

/// Connections one team server instance serves at once (the local app's cap is
/// `revdrill_web::MAX_CONNECTIONS`, 128, sized for one person): a team's browsers keep
/// connections alive, and past the cap new ones wait in the listen queue. The header timeout
/// still closes idle ones.
pub const MAX_CONNECTIONS: usize = 1024;

/// What `revdrill serve --database-url` needs.
pub struct ServeConfig {
    /// `postgres://user:password@host:port/database`.
    pub database_url: String,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The drills.
    pub catalog: Catalog,
    /// The language when a request names none.
    pub lang: Lang,
    /// Believe `X-Forwarded-For` / `-Proto` / `-Host` (only behind a reverse proxy that sets them).
    pub trust_proxy: bool,
}

/// Connects (applying migrations), binds, calls `ready` with the bound address, and serves
/// until Ctrl-C. Builds its own runtime, so callers need no async code.
pub fn run(cfg: ServeConfig, ready: impl FnOnce(SocketAddr)) -> Result<(), TeamError> {
    let rt = runtime()?;
    rt.block_on(async move {
        let db = Db::connect(&cfg.database_url).await?;
        let state = TeamState::new(db, cfg.catalog, cfg.lang, cfg.trust_proxy);
        let listener = tokio::net::TcpListener::bind(cfg.addr)
            .await
            .map_err(|e| TeamError::Config(format!("cannot listen on {}: {e}", cfg.addr)))?;
        ready(listener.local_addr().map_err(|e| TeamError::Config(e.to_string()))?);
        let limits = revdrill_web::Limits { max_connections: MAX_CONNECTIONS, ..revdrill_web::Limits::default() };
        revdrill_web::serve_router(listener, router(state), limits, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
        Ok(())
    })
}

/// `revdrill team init`: applies migrations and creates the first admin (`email`, `name`)
/// without a password; returns the one-time setup token (the link is `BASE/join/TOKEN`).
pub fn init(database_url: &str, email: &str, name: &str) -> Result<String, TeamError> {
    runtime()?.block_on(async {
        let db = Db::connect(database_url).await?;
        db.init_admin(email, name).await
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, TeamError> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| TeamError::Config(e.to_string()))
}
