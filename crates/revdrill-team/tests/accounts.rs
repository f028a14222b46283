//! Accounts and sessions against a real PostgreSQL: migrations under concurrency, `team init`,
//! one-time links, argon2id hashes, sessions stored hashed, cookies, logout, password change,
//! rate limiting per account and per address, and the cross-site check.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, Server, fresh_database, req};
use revdrill_team::{Db, TeamError};
use serde_json::json;

/// A server with an admin who used their setup link; returns it and the admin's session.
async fn with_admin(trust_proxy: bool) -> Option<(Server, String)> {
    let url = fresh_database().await?;
    let s = Server::new(&url, trust_proxy).await;
    let setup = s.db.init_admin("Admin@Example.com", "Ada").await.unwrap();
    let cookie = s.join(&setup, "", "").await;
    Some((s, cookie))
}

async fn sql_one<T: for<'a> tokio_postgres::types::FromSql<'a>>(db: &Db, sql: &str) -> T {
    db.client().await.unwrap().query_one(sql, &[]).await.unwrap().get(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_migrate_once_and_a_newer_schema_is_refused() {
    let Some(url) = fresh_database().await else { return };
    let starts: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn({
                let url = url.clone();
                async move { Db::connect(&url).await.map(|_| ()) }
            })
        })
        .collect();
    for s in starts {
        s.await.unwrap().expect("every server starts");
    }
    let db = Db::connect(&url).await.unwrap();
    let n: i64 = sql_one(&db, "SELECT count(*) FROM revdrill_migrations").await;
    assert_eq!(n as usize, revdrill_team::db::MIGRATIONS.len());
    db.client().await.unwrap().execute("INSERT INTO revdrill_migrations (version) VALUES (999)", &[]).await.unwrap();
    match Db::connect(&url).await {
        Err(TeamError::SchemaTooNew { found: 999, .. }) => {}
        other => panic!("expected SchemaTooNew, got {:?}", other.err()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn init_once_setup_link_once_and_passwords_are_argon2id() {
    let Some((s, admin)) = with_admin(false).await else { return };
    assert!(matches!(s.db.init_admin("second@example.com", "B").await, Err(TeamError::AlreadyInitialised)));
    let me = s.get("/api/team/me", Some(&admin)).await.json();
    assert_eq!(me["user"]["email"], "admin@example.com", "emails are stored in lower case");
    assert_eq!(me["user"]["role"], "admin");
    let hash: String = sql_one(&s.db, "SELECT password_hash FROM users").await;
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));
    // The session token is not in the database, only its SHA-256.
    let stored: Vec<u8> = sql_one(&s.db, "SELECT token_hash FROM sessions").await;
    assert_eq!(stored.len(), 32);
    assert_ne!(stored, admin.as_bytes());

    // An invite works once; a second use, or an expired one, is 410.
    let tok = s.invite(&admin, json!({"role": "mentor"})).await;
    s.join(&tok, "m@example.com", "M").await;
    let again = json!({"token": tok, "email": "m2@example.com", "name": "M2", "password": PASSWORD});
    let r = s.post("/api/team/join", None, &again).await;
    assert_eq!((r.status, r.json()["error"].as_str()), (StatusCode::GONE, Some("link_gone")));
    let expired = s.invite(&admin, json!({"role": "mentor"})).await;
    s.db.client().await.unwrap().execute("UPDATE invites SET expires_at = 0 WHERE used_at IS NULL", &[]).await.unwrap();
    let r = s
        .post("/api/team/join", None, &json!({"token": expired, "email": "x@example.com", "name": "X", "password": PASSWORD}))
        .await;
    assert_eq!(r.status, StatusCode::GONE);

    // The same email twice is 409; a short password is 422 and spends nothing.
    let tok = s.invite(&admin, json!({"role": "mentor"})).await;
    let short =
        s.post("/api/team/join", None, &json!({"token": tok, "email": "n@example.com", "name": "N", "password": "short"})).await;
    assert_eq!((short.status, short.json()["error"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid")));
    let taken =
        s.post("/api/team/join", None, &json!({"token": tok, "email": "M@example.com", "name": "N", "password": PASSWORD})).await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    s.join(&tok, "n@example.com", "N").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_logout_and_password_change() {
    let Some((s, admin)) = with_admin(true).await else { return };
    let login = |proto: &'static str| {
        let mut r =
            req("POST", "/api/team/login", None, Some(json!({"email": "admin@example.com", "password": PASSWORD}).to_string()));
        r.headers_mut().insert("x-forwarded-proto", proto.parse().unwrap());
        r
    };
    let plain = s.send(login("http")).await;
    assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
    let c = plain.set_cookie();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"), "{c}");
    assert!(!c.contains("Secure"), "plain HTTP: no Secure: {c}");
    let tls = s.send(login("https")).await;
    assert!(tls.set_cookie().contains("; Secure"), "{}", tls.set_cookie());
    let other = plain.cookie().unwrap();

    // Logout ends that session only.
    let r = s.send(req("POST", "/api/team/logout", Some(&other), None)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.set_cookie().contains("Max-Age=0"));
    assert_eq!(s.get("/api/team/me", Some(&other)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/team/me", Some(&admin)).await.status, StatusCode::OK);

    // A password change needs the current password and ends every other session.
    let elsewhere = tls.cookie().unwrap();
    let wrong = s
        .post("/api/team/password", Some(&admin), &json!({"old_password": "nope nope nope", "new_password": "a new passphrase"}))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok =
        s.post("/api/team/password", Some(&admin), &json!({"old_password": PASSWORD, "new_password": "a new passphrase"})).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.body);
    assert_eq!(s.get("/api/team/me", Some(&elsewhere)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/team/me", Some(&admin)).await.status, StatusCode::OK);
    assert!(matches!(s.db.login("admin@example.com", PASSWORD, "t").await, Err(TeamError::BadCredentials)));
    assert!(s.db.login("admin@example.com", "a new passphrase", "t").await.is_ok());
    // An expired session is no session.
    s.db.client().await.unwrap().execute("UPDATE sessions SET expires_at = 0", &[]).await.unwrap();
    assert_eq!(s.get("/api/team/me", Some(&admin)).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_limited_per_account_and_per_address() {
    use revdrill_team::accounts::{MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS};
    let Some((s, _)) = with_admin(true).await else { return };
    let attempt = |email: &str, password: &str, from: &str| {
        let mut r = req("POST", "/api/team/login", None, Some(json!({"email": email, "password": password}).to_string()));
        r.headers_mut().insert("x-forwarded-for", format!("203.0.113.9, {from}").parse().unwrap());
        r
    };
    // Per account: after the limit, even the right password is refused (429, Retry-After).
    for _ in 0..MAX_FAILURES_PER_ACCOUNT {
        assert_eq!(s.send(attempt("admin@example.com", "wrong password", "198.51.100.1")).await.status, StatusCode::UNAUTHORIZED);
    }
    let r = s.send(attempt("admin@example.com", PASSWORD, "198.51.100.2")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert_eq!(r.headers["retry-after"], "900");
    // The counts are in the database: another instance on it refuses as well.
    let twin = Server::new(&s.url, true).await;
    assert_eq!(twin.send(attempt("admin@example.com", PASSWORD, "198.51.100.3")).await.status, StatusCode::TOO_MANY_REQUESTS);
    s.db.client().await.unwrap().execute("DELETE FROM login_failures", &[]).await.unwrap();
    assert_eq!(s.send(attempt("admin@example.com", PASSWORD, "198.51.100.2")).await.status, StatusCode::OK);

    // Per address: many accounts tried from one address; the address is then refused, for a
    // real account too, while another address still logs in. The address is the proxy's last
    // X-Forwarded-For entry, not the first one the client wrote.
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        let r = s.send(attempt(&format!("nobody{i}@example.com"), "wrong password", "198.51.100.7")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(s.send(attempt("admin@example.com", PASSWORD, "198.51.100.7")).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(s.send(attempt("admin@example.com", PASSWORD, "198.51.100.8")).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_and_non_json_bodies_are_refused() {
    let Some((s, admin)) = with_admin(false).await else { return };
    let mut r = req("POST", "/api/team/cohorts", Some(&admin), Some(json!({"name": "X"}).to_string()));
    r.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(s.send(r).await.status, StatusCode::FORBIDDEN);
    let mut r = req("POST", "/api/team/cohorts", Some(&admin), Some(json!({"name": "X"}).to_string()));
    r.headers_mut().insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(s.send(r).await.status, StatusCode::FORBIDDEN);
    let mut r = req("POST", "/api/team/cohorts", Some(&admin), Some(json!({"name": "X"}).to_string()));
    r.headers_mut().insert("content-type", "text/plain".parse().unwrap());
    assert_eq!(s.send(r).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut r = req("POST", "/api/team/cohorts", Some(&admin), Some(json!({"name": "X"}).to_string()));
    r.headers_mut().insert("origin", "http://team.example".parse().unwrap());
    assert_eq!(s.send(r).await.status, StatusCode::CREATED, "same origin is fine");
    let n: i64 = sql_one(&s.db, "SELECT count(*) FROM cohorts").await;
    assert_eq!(n, 1, "the refused requests created nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_opened_on_one_instance_works_on_another_and_logout_ends_it_on_both() {
    let Some((a, _)) = with_admin(false).await else { return };
    let b = Server::new(&a.url, false).await;
    let r = a.post("/api/team/login", None, &json!({"email": "admin@example.com", "password": PASSWORD})).await;
    let cookie = r.cookie().unwrap();
    assert_eq!(b.get("/api/team/me", Some(&cookie)).await.status, StatusCode::OK, "instance B knows A's session");
    let made = b.post("/api/team/cohorts", Some(&cookie), &json!({"name": "on B"})).await;
    assert_eq!(made.status, StatusCode::CREATED);
    let on_a = a.get("/api/team/cohorts", Some(&cookie)).await.json();
    assert_eq!(on_a[0]["name"], "on B", "what B wrote, A reads");
    assert_eq!(b.send(req("POST", "/api/team/logout", Some(&cookie), None)).await.status, StatusCode::NO_CONTENT);
    assert_eq!(a.get("/api/team/me", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED, "logged out on B is logged out on A");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_1_database_gains_dispute_resolutions_and_keeps_its_rows() {
    let Some(url) = fresh_database().await else { return };
    let (c, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(conn);
    // Version 1 as an earlier revdrill left it, with a learner, an attempt and a dispute.
    c.batch_execute(revdrill_team::db::MIGRATIONS[0].1).await.unwrap();
    c.batch_execute(
        "CREATE TABLE revdrill_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now()); \
         INSERT INTO revdrill_migrations (version) VALUES (1); \
         INSERT INTO users (email, name, role) VALUES ('l@example.com', 'L', 'learner'); \
         INSERT INTO attempts (user_id, drill_id, lang, answers_json, score) VALUES (1, 'd', 'en', '{}', 70); \
         INSERT INTO disputes (attempt_id, finding, kind, verdict, statement, note) VALUES (1, 'f', 'said-it', 'miss', 's', '');",
    )
    .await
    .unwrap();
    let db = Db::connect(&url).await.unwrap();
    let v: i32 = sql_one(&db, "SELECT max(version) FROM revdrill_migrations").await;
    assert_eq!(v as usize, revdrill_team::db::MIGRATIONS.len());
    let kept: String = sql_one(&db, "SELECT finding || ':' || coalesce(resolution, 'open') FROM disputes").await;
    assert_eq!(kept, "f:open");
}
