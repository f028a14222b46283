//! The database going away: requests get a clear `503 database_unavailable` while it cannot be
//! reached, and the server reconnects by itself once it can, without a restart.

mod common;

use axum::http::StatusCode;
use common::{Server, fresh_database};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_connections_give_503_then_the_server_reconnects_by_itself() {
    let Some(url) = fresh_database().await else { return };
    let s = Server::new(&url, false).await;
    let setup = s.db.init_admin("admin@example.com", "Ada").await.unwrap();
    let admin = s.join(&setup, "", "").await;
    assert_eq!(s.get("/api/team/me", Some(&admin)).await.status, StatusCode::OK);

    // An administrator's connection, outside the pool: refuse new connections to the test
    // database and kill every pooled one (what a PostgreSQL restart does to the pool).
    let base = std::env::var("REVDRILL_TEST_PG").unwrap();
    let (admin_db, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    let name = url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    admin_db.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")).await.unwrap();
    admin_db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", &[&name]).await.unwrap();
    // pg_terminate_backend only signals: wait until the backends are gone.
    for _ in 0..100 {
        let row = admin_db.query_one("SELECT count(*) FROM pg_stat_activity WHERE datname = $1", &[&name]).await.unwrap();
        if row.get::<_, i64>(0) == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }

    let down = s.get("/api/team/me", Some(&admin)).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE, "{}", down.body);
    assert_eq!(down.json()["error"], "database_unavailable");
    assert!(!down.body.contains("ALLOW_CONNECTIONS") && !down.body.contains(&name), "no database detail: {}", down.body);

    admin_db.batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true")).await.unwrap();
    let back = s.get("/api/team/me", Some(&admin)).await;
    assert_eq!(back.status, StatusCode::OK, "the same server, reconnected: {}", back.body);
}
