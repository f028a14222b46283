//! What the team tests share: a fresh PostgreSQL database per test, the router, and requests.
//!
//! The rule (docs/team-server.md, "Tests"): tests that need PostgreSQL read its URL from
//! `REVDRILL_TEST_PG`. When it is unset they FAIL if `REVDRILL_REQUIRE_PG` or `CI` is set (`.ci/run`
//! sets both the URL and `REVDRILL_REQUIRE_PG=1`), and otherwise skip with a loud message, so
//! `cargo test` on a laptop without PostgreSQL still runs everything else.
#![allow(dead_code)]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_team::{Db, TeamState};
use serde_json::Value;
use tower::ServiceExt;

/// The server's URL for a new, empty database of its own, or `None` (after a loud message) when
/// PostgreSQL is not configured and not required.
pub async fn fresh_database() -> Option<String> {
    let base = match std::env::var("REVDRILL_TEST_PG") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            let required = std::env::var_os("REVDRILL_REQUIRE_PG").is_some() || std::env::var_os("CI").is_some();
            assert!(
                !required,
                "REVDRILL_TEST_PG is not set, and PostgreSQL tests are required here (REVDRILL_REQUIRE_PG or CI): \
                 eval \"$(scripts/pg-test-cluster.sh start)\""
            );
            // Written to stderr directly, past the test harness's capture, once per test binary.
            static SAID: OnceLock<()> = OnceLock::new();
            SAID.get_or_init(|| {
                use std::io::Write;
                let _ = std::io::stderr().write_all(
                    b"\n*** SKIPPED: the team tests need PostgreSQL. Run `eval \"$(scripts/pg-test-cluster.sh start)\"` \
                      to set REVDRILL_TEST_PG (docs/team-server.md, \"Tests\"). ***\n\n",
                );
            });
            return None;
        }
    };
    let name = format!("revdrill_t_{}", unique());
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls).await.expect("connect to REVDRILL_TEST_PG");
    tokio::spawn(conn);
    // A name made here from hex digits; CREATE DATABASE takes no parameters.
    client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create a test database");
    let (head, tail) = base.rsplit_once('/').expect("a database URL ends with /DATABASE");
    let query = tail.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Some(format!("{head}/{name}{query}"))
}

fn unique() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// The embedded catalog, loaded once per test binary.
pub fn catalog() -> Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::load(&[] as &[&str]).expect("the embedded catalog loads")).clone()
}

/// The drill the tests practise on, and its model answers.
pub const DRILL: &str = "containerd-shimv1-leak";

/// The model answers of [`DRILL`].
pub fn model_answers() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/containerd-shimv1-leak/answers/model-en.json"))
        .unwrap()
}

/// A team server on a fresh database.
pub struct Server {
    /// Its database.
    pub db: Db,
    /// Its state.
    pub state: TeamState,
    /// Its database URL.
    pub url: String,
}

impl Server {
    /// Connects to `url` (migrating it) with `trust_proxy`.
    pub async fn new(url: &str, trust_proxy: bool) -> Server {
        let db = Db::connect(url).await.expect("connect and migrate");
        let state = TeamState::new(db.clone(), catalog(), Lang::En, trust_proxy);
        Server { db, state, url: url.to_string() }
    }

    /// Sends a request through the router.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let r = revdrill_team::router(self.state.clone()).oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// `GET path` with the session `cookie`, if any.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        self.send(req("GET", path, cookie, None)).await
    }

    /// `POST path` with a JSON body and the session `cookie`, if any.
    pub async fn post(&self, path: &str, cookie: Option<&str>, body: &Value) -> Reply {
        self.send(req("POST", path, cookie, Some(body.to_string()))).await
    }

    /// Uses a setup or invite link; returns the new session's cookie.
    pub async fn join(&self, token: &str, email: &str, name: &str) -> String {
        let body = serde_json::json!({"token": token, "email": email, "name": name, "password": PASSWORD});
        let r = self.post("/api/team/join", None, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "join: {}", r.body);
        r.cookie().expect("join sets the session cookie")
    }

    /// Creates an invite as `cookie`'s user; returns its token.
    pub async fn invite(&self, cookie: &str, body: Value) -> String {
        let r = self.post("/api/team/invites", Some(cookie), &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "invite: {}", r.body);
        r.json()["token"].as_str().unwrap().to_string()
    }
}

/// The password every test account gets.
pub const PASSWORD: &str = "correct horse battery";

/// A request; `cookie` is the session token.
pub fn req(method: &str, path: &str, cookie: Option<&str>, body: Option<String>) -> Request<Body> {
    let mut b = Request::builder().method(method).uri(path).header(header::HOST, "team.example");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, format!("revdrill_lang=en; revdrill_session={c}"));
    }
    match body {
        Some(text) => b.header(header::CONTENT_TYPE, "application/json").body(Body::from(text)).unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

/// A response, read whole.
pub struct Reply {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: axum::http::HeaderMap,
    /// Body text.
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session token a `Set-Cookie` gives, when it gives one.
    pub fn cookie(&self) -> Option<String> {
        let v = self.headers.get(header::SET_COOKIE)?.to_str().ok()?;
        let token = v.strip_prefix("revdrill_session=")?.split(';').next()?;
        (!token.is_empty()).then(|| token.to_string())
    }

    /// The whole `Set-Cookie` header.
    pub fn set_cookie(&self) -> String {
        self.headers.get(header::SET_COOKIE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
    }
}
