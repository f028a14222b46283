//! The one state every handler shares: the catalog, the attempts store and the default language.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use revdrill_catalog::Catalog;
use revdrill_grader::Grader;
use revdrill_pack::{Drill, Lang};
use revdrill_store::{SqliteStore, StoreError};

use crate::error::ApiError;

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    catalog: Catalog,
    // One grader per drill, built at start: building compiles every concept; grading is cheap.
    // A grader owns its compiled drill, so nothing here borrows the catalog.
    graders: HashMap<String, Grader>,
    // Rendered drill-page bodies by (drill, language): the drill never changes while serving.
    pages: RwLock<HashMap<(String, Lang), Arc<str>>>,
    // SQLite work is blocking: it runs on the blocking pool, one request at a time.
    store: Mutex<SqliteStore>,
    lang: Lang,
    csrf: String,
    any_host: AtomicBool,
    // Parsing and grading run on the blocking pool, at most one job per core at a time, so a
    // few big bodies never stall the async threads that answer every other request.
    cpu_slots: tokio::sync::Semaphore,
    cpu_jobs: AtomicU64,
    body_timeout_ms: AtomicU64,
    // "Now" for review cards: `FIXED_NOW_NONE` for the system clock, else fixed unix seconds
    // (`REVDRILL_NOW`, tests only).
    fixed_now: AtomicI64,
}

/// [`AppState::now`] reads the system clock.
const FIXED_NOW_NONE: i64 = i64::MIN;

impl AppState {
    /// Opens the attempts store at `db_path` (the same file the CLI uses) and builds a grader
    /// per drill (each owns its compiled drill).
    pub fn new(catalog: Catalog, db_path: &Path, lang: Lang) -> Result<AppState, StoreError> {
        let store = SqliteStore::open(db_path)?;
        let graders = catalog.drills().iter().map(|d| (d.id.clone(), Grader::new(d))).collect();
        Ok(AppState {
            inner: Arc::new(Inner {
                catalog,
                graders,
                pages: RwLock::default(),
                store: Mutex::new(store),
                lang,
                csrf: random_token(),
                any_host: AtomicBool::new(false),
                cpu_slots: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
                cpu_jobs: AtomicU64::new(0),
                body_timeout_ms: AtomicU64::new(crate::BODY_TIMEOUT.as_millis() as u64),
                fixed_now: AtomicI64::new(FIXED_NOW_NONE),
            }),
        })
    }

    /// Every drill.
    pub fn catalog(&self) -> &Catalog {
        &self.inner.catalog
    }

    /// The drill's grader (every drill of the catalog has one).
    pub fn grader(&self, drill: &Drill) -> &Grader {
        &self.inner.graders[drill.id.as_str()]
    }

    /// The cached HTML for (drill, language), rendered by `render` the first time.
    pub fn cached_page(&self, id: &str, lang: Lang, render: impl FnOnce() -> String) -> Arc<str> {
        let key = (id.to_string(), lang);
        if let Some(p) = self.inner.pages.read().unwrap_or_else(|p| p.into_inner()).get(&key) {
            return p.clone();
        }
        let page: Arc<str> = render().into();
        self.inner.pages.write().unwrap_or_else(|p| p.into_inner()).insert(key, page.clone());
        page
    }

    /// The drill with this id, or `UnknownDrill`.
    pub fn drill(&self, id: &str) -> Result<&Drill, ApiError> {
        self.inner.catalog.get(id).ok_or_else(|| ApiError::UnknownDrill(id.to_string()))
    }

    /// The language when the request names none.
    pub fn default_lang(&self) -> Lang {
        self.inner.lang
    }

    /// The token every POST must carry in `x-revdrill-csrf`; new each time the server starts.
    pub fn csrf_token(&self) -> &str {
        &self.inner.csrf
    }

    /// Accept any `Host` header (when serving beyond loopback); by default only loopback names.
    pub fn allow_any_host(&self, yes: bool) {
        self.inner.any_host.store(yes, Ordering::Relaxed);
    }

    /// Whether requests may name any host.
    pub fn any_host(&self) -> bool {
        self.inner.any_host.load(Ordering::Relaxed)
    }

    /// Unix seconds now, for review cards: the clock [`AppState::set_clock`] set (`revdrill serve`
    /// passes `REVDRILL_NOW`'s), else the system's.
    pub fn now(&self) -> i64 {
        match self.inner.fixed_now.load(Ordering::Relaxed) {
            FIXED_NOW_NONE => revdrill_review::Clock::System.now(),
            t => t,
        }
    }

    /// Sets the clock [`AppState::now`] reads.
    pub fn set_clock(&self, c: revdrill_review::Clock) {
        let t = match c {
            revdrill_review::Clock::System => FIXED_NOW_NONE,
            revdrill_review::Clock::Fixed(t) => t,
        };
        self.inner.fixed_now.store(t, Ordering::Relaxed);
    }

    /// How long a request body may take to arrive (`Limits::body_timeout`).
    pub fn body_timeout(&self) -> Duration {
        Duration::from_millis(self.inner.body_timeout_ms.load(Ordering::Relaxed))
    }

    /// Sets [`AppState::body_timeout`]; `serve` does, from its `Limits`.
    pub fn set_body_timeout(&self, d: Duration) {
        self.inner.body_timeout_ms.store(d.as_millis().min(u64::MAX as u128) as u64, Ordering::Relaxed);
    }

    /// Runs CPU work (parsing a body, grading) on the blocking pool, at most one job per core at
    /// once, so that it never holds an async worker thread.
    pub async fn cpu<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
    {
        let _slot = self.inner.cpu_slots.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
        self.inner.cpu_jobs.fetch_add(1, Ordering::Relaxed);
        let st = self.clone();
        tokio::task::spawn_blocking(move || f(&st)).await.map_err(|e| ApiError::Internal(e.to_string()))?
    }

    /// How many jobs [`AppState::cpu`] has run (for tests and diagnostics).
    pub fn cpu_jobs(&self) -> u64 {
        self.inner.cpu_jobs.load(Ordering::Relaxed)
    }

    /// Runs `f` on the store in the blocking pool.
    pub async fn with_store<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut SqliteStore) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock leaves SQLite consistent (each write is a transaction).
            let mut store = inner.store.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store)
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::from)
    }
}

/// 128 random bits from the standard library's per-process hash keys (no extra dependency).
fn random_token() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out
}
