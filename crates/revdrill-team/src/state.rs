//! The one state every team handler shares: the database pool, the catalog with one grader per
//! drill, the default language and what the server may believe of a reverse proxy.

use std::collections::HashMap;
use std::sync::Arc;

use revdrill_catalog::Catalog;
use revdrill_grader::Grader;
use revdrill_pack::{Drill, Lang};

use crate::db::Db;
use crate::error::TeamError;

/// Shared by every request; cheap to clone. Holds no per-user state: everything a request
/// needs to know about users lives in PostgreSQL, so any instance can answer any request.
#[derive(Clone)]
pub struct TeamState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    catalog: Catalog,
    graders: HashMap<String, Grader>,
    lang: Lang,
    trust_proxy: bool,
    // Grading and password hashing run on the blocking pool, at most one job per core.
    cpu_slots: tokio::sync::Semaphore,
}

impl TeamState {
    /// A state on `db` serving `catalog`. With `trust_proxy`, the client's address is the last
    /// entry of `X-Forwarded-For` and `X-Forwarded-Proto: https` makes cookies `Secure`: set it
    /// only behind a reverse proxy that sets both headers.
    pub fn new(db: Db, catalog: Catalog, lang: Lang, trust_proxy: bool) -> TeamState {
        let graders = catalog.drills().iter().map(|d| (d.id.clone(), Grader::new(d))).collect();
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        TeamState {
            inner: Arc::new(Inner { db, catalog, graders, lang, trust_proxy, cpu_slots: tokio::sync::Semaphore::new(cores) }),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Every drill.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The drill with this id, or `UnknownDrill`.
    pub fn drill(&self, id: &str) -> Result<&Drill, TeamError> {
        self.inner.catalog.get(id).ok_or_else(|| TeamError::UnknownDrill(id.to_string()))
    }

    /// The drill's grader (every catalog drill has one).
    pub fn grader(&self, drill: &Drill) -> &Grader {
        &self.inner.graders[drill.id.as_str()]
    }

    /// The language when a request names none.
    pub fn default_lang(&self) -> Lang {
        self.inner.lang
    }

    /// Whether proxy headers are believed.
    pub fn trust_proxy(&self) -> bool {
        self.inner.trust_proxy
    }

    /// Runs CPU work on the blocking pool, at most one job per core at once.
    pub async fn cpu<T, F>(&self, f: F) -> Result<T, TeamError>
    where
        T: Send + 'static,
        F: FnOnce(&TeamState) -> Result<T, TeamError> + Send + 'static,
    {
        let _slot = self.inner.cpu_slots.acquire().await.map_err(|e| TeamError::Internal(e.to_string()))?;
        let st = self.clone();
        tokio::task::spawn_blocking(move || f(&st)).await.map_err(|e| TeamError::Internal(e.to_string()))?
    }
}
