//! The database going away: requests get a clear `503 database_unavailable` while it cannot be
//! reached, and the server reconnects by itself once it can, without a restart.

mod common;

use axum::http::StatusCode;
use common::{DRILL, Server, fresh_database, model_answers, req};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_submission_resent_with_its_idempotency_key_is_stored_once() {
    let Some(url) = fresh_database().await else { return };
    let s = Server::new(&url, false).await;
    let setup = s.db.init_admin("admin@example.com", "Ada").await.unwrap();
    let me = s.join(&setup, "", "").await;
    let submit = |key: Option<&'static str>| {
        let mut r = req("POST", &format!("/api/drills/{DRILL}/attempts"), Some(&me), Some(model_answers()));
        if let Some(k) = key {
            r.headers_mut().insert("idempotency-key", k.parse().unwrap());
        }
        s.send(r)
    };
    let first = submit(Some("k-1")).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let again = submit(Some("k-1")).await;
    assert_eq!(again.status, StatusCode::OK, "the same submission again: {}", again.body);
    assert_eq!(again.json()["attempt"], first.json()["attempt"]);
    assert_eq!(again.json()["score"], first.json()["score"]);
    assert_eq!(submit(Some("k-2")).await.status, StatusCode::CREATED, "another key is another attempt");
    assert_eq!(submit(None).await.status, StatusCode::CREATED);
    assert_eq!(submit(None).await.status, StatusCode::CREATED, "without a key every POST is an attempt");
    let rows: i64 = s.db.client().await.unwrap().query_one("SELECT count(*) FROM attempts", &[]).await.unwrap().get(0);
    assert_eq!(rows, 4);
    let bad = submit(Some("has space")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
}
