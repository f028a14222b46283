//! The connection pool and the schema migrations.
//!
//! Migrations are the numbered SQL files in `migrations/`, compiled in. [`Db::connect`] applies
//! the missing ones, each in its own transaction together with its row in
//! `revdrill_migrations`, while holding a PostgreSQL advisory lock: servers started at the same
//! moment on one database take turns, and the second finds the work done.
//!
//! Architecture invariant: every query is parameterised (`$1`, never `format!` into SQL), and
//! every write that changes more than one row runs in one transaction.

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

use crate::error::TeamError;

/// The migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("../migrations/0001_team.sql")),
    (2, include_str!("../migrations/0002_dispute_resolution.sql")),
    (3, include_str!("../migrations/0003_submission_key.sql")),
];

/// The advisory lock key the migrations run under (the bytes of "revdrill").
const MIGRATION_LOCK: i64 = 0x7265_7664_7269_6c6c;

/// Connections one server instance opens at most.
pub const POOL_SIZE: usize = 16;

/// How long a request waits for a free connection, or for a new one to open, before it is
/// answered `503 database_unavailable`.
pub const POOL_TIMEOUT: Duration = Duration::from_secs(5);

/// The pool every request borrows a connection from; cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
}

impl Db {
    /// Opens a pool on `url` (`postgres://user:password@host:port/db`) and applies the missing
    /// migrations. Must run inside a tokio runtime.
    pub async fn connect(url: &str) -> Result<Db, TeamError> {
        let config: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| TeamError::Config(format!("bad database URL: {e}")))?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .recycle_timeout(Some(POOL_TIMEOUT))
            .build()
            .map_err(|e| TeamError::Config(e.to_string()))?;
        let db = Db { pool };
        db.migrate().await?;
        Ok(db)
    }

    /// A connection from the pool.
    pub async fn client(&self) -> Result<deadpool_postgres::Object, TeamError> {
        Ok(self.pool.get().await?)
    }

    /// Applies every migration newer than the database's, under the advisory lock. A database
    /// with a migration this build does not know is refused (`TooNew`).
    async fn migrate(&self) -> Result<(), TeamError> {
        let mut client = self.client().await?;
        client.execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK]).await?;
        let result = apply_missing(&mut client).await;
        // Released on every path; a connection that died released it already.
        let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK]).await;
        result
    }
}

async fn apply_missing(client: &mut deadpool_postgres::Object) -> Result<(), TeamError> {
    client
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS revdrill_migrations (version integer PRIMARY KEY, \
             applied_at timestamptz NOT NULL DEFAULT now())",
        )
        .await?;
    let row = client.query_one("SELECT coalesce(max(version), 0) FROM revdrill_migrations", &[]).await?;
    let current: i32 = row.get(0);
    let known = MIGRATIONS.last().map_or(0, |m| m.0);
    if current > known {
        return Err(TeamError::SchemaTooNew { found: current, known });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|m| m.0 > current) {
        let tx = client.transaction().await?;
        tx.batch_execute(sql).await.map_err(|e| TeamError::Migration { version: *version, detail: e.to_string() })?;
        tx.execute("INSERT INTO revdrill_migrations (version) VALUES ($1)", &[version]).await?;
        tx.commit().await?;
    }
    Ok(())
}
