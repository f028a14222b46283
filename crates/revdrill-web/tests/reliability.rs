//! Bounded time and honest errors (issue 9): the real connection loop (`serve`) on a loopback
//! port with short test limits closes idle, half-sent and slow connections, refuses a huge
//! `Content-Length` before the body, and caps connections; a big grading request does not stall
//! a cheap one; a broken database shows as an error, not as "nothing done yet".

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_web::{AppState, Limits, router, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

const SEED: &str = "containerd-shimv1-leak";

/// Generous bound for things that must happen: far above the test limits, so never reached
/// unless the server fails to act.
const PATIENCE: Duration = Duration::from_secs(20);

fn state(dir: &Path) -> AppState {
    AppState::new(Catalog::load(&[] as &[&Path]).unwrap(), &dir.join("attempts.sqlite"), Lang::En).unwrap()
}

/// Serves a fresh state with `limits` on a loopback port; returns the address and the token.
async fn start(limits: Limits) -> (std::net::SocketAddr, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let csrf = st.csrf_token().to_string();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, st, limits, std::future::pending()));
    (addr, csrf, dir)
}

fn limits(header_ms: u64, body_ms: u64, max_connections: usize) -> Limits {
    Limits { header_timeout: Duration::from_millis(header_ms), body_timeout: Duration::from_millis(body_ms), max_connections }
}

/// Reads until the server closes the connection (or `PATIENCE` runs out): what it sent, and
/// whether it closed.
async fn read_to_close(s: &mut TcpStream) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, s.read(&mut buf)).await {
            Err(_) => return (String::from_utf8_lossy(&got).into_owned(), false),
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into_owned(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_partial_header_is_closed_after_the_header_timeout() {
    let (addr, _, _dir) = start(limits(300, 60_000, 8)).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/session HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").await.unwrap();
    let t = Instant::now();
    let (_, closed) = read_to_close(&mut s).await;
    assert!(closed, "a half-sent header held the connection for {PATIENCE:?}");
    assert!(t.elapsed() >= Duration::from_millis(250), "closed before the timeout: {:?}", t.elapsed());
    // A connection that sends nothing at all is closed too.
    let mut quiet = TcpStream::connect(addr).await.unwrap();
    assert!(read_to_close(&mut quiet).await.1, "a silent connection was kept open");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let (addr, _, _dir) = start(limits(300, 60_000, 8)).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /api/session HTTP/1.1\r\nHost: localhost\r\n\r\n").await.unwrap();
    let (got, closed) = read_to_close(&mut s).await;
    assert!(got.starts_with("HTTP/1.1 200"), "{got}");
    assert!(closed, "an idle keep-alive connection stayed open for {PATIENCE:?}");
}

#[tokio::test]
async fn a_huge_content_length_gets_413_before_the_body_is_sent() {
    // The body timeout is a minute: a 413 seen within `PATIENCE` comes from the declared length.
    let (addr, csrf, _dir) = start(limits(60_000, 60_000, 8)).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/drills/{SEED}/grade HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n\
         x-revdrill-csrf: {csrf}\r\ncontent-length: 10000000000\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let (got, closed) = read_to_close(&mut s).await;
    assert!(got.starts_with("HTTP/1.1 413"), "{got}");
    assert!(got.contains("\"error\":\"too_large\""), "{got}");
    assert!(closed, "the connection was kept open for the rest of a 10 GB body");
}

#[tokio::test]
async fn a_partial_body_gets_408_and_is_closed() {
    let (addr, csrf, _dir) = start(limits(60_000, 300, 8)).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST /api/drills/{SEED}/grade HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n\
         x-revdrill-csrf: {csrf}\r\ncontent-length: 100\r\n\r\n{{\"answers\":"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let (got, closed) = read_to_close(&mut s).await;
    assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    assert!(got.contains("\"error\":\"body_timeout\""), "{got}");
    assert!(closed, "a half-sent body held the connection");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let (addr, _, _dir) = start(limits(60_000, 60_000, 2)).await;
    let idle1 = TcpStream::connect(addr).await.unwrap();
    let _idle2 = TcpStream::connect(addr).await.unwrap();
    let mut third = TcpStream::connect(addr).await.unwrap();
    third.write_all(b"GET /api/session HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    // Not served while two connections hold both permits (a wait that can only pass falsely,
    // never fail falsely).
    let mut buf = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf)).await;
    assert!(early.is_err(), "a third connection was served beyond a cap of two: {early:?}");
    drop(idle1);
    let (got, _) = read_to_close(&mut third).await;
    assert!(got.starts_with("HTTP/1.1 200"), "the waiting connection was not served once a slot freed: {got}");
}

/// A grading request with a 200 KiB answer (about the body limit).
fn big_grade(csrf: &str) -> Request<Body> {
    let long = "The goroutine leaks because ctx is never cancelled and nobody waits on it. ".repeat(2700);
    let body = serde_json::json!({"answers": {"concurrency": long}}).to_string();
    Request::post(format!("/api/drills/{SEED}/grade"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", csrf)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn a_big_grading_request_does_not_stall_a_cheap_one() {
    // One async thread. Before: parsing and grading ran inline on it, so the big request was
    // finished (all of its CPU spent) before any other request could be polled.
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let app = router(st.clone());
    let big = tokio::spawn(app.clone().oneshot(big_grade(st.csrf_token())));
    // Let the big request run up to its first wait.
    tokio::task::yield_now().await;
    let cheap = app.clone().oneshot(Request::get("/api/session").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(cheap.status(), StatusCode::OK);
    assert!(!big.is_finished(), "the big request ran to the end on the async thread before the cheap one");
    assert_eq!(big.await.unwrap().unwrap().status(), StatusCode::OK);
    assert_eq!(st.cpu_jobs(), 1, "grading ran outside the blocking pool");
}

#[tokio::test]
async fn a_broken_database_is_an_error_on_the_catalog_not_an_empty_history() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(dir.path());
    let app = router(st);
    // Another program overwrites the attempts database with something that is not SQLite.
    std::fs::write(dir.path().join("attempts.sqlite"), vec![0x5a; 8192]).unwrap();
    let api = app.clone().oneshot(Request::get("/api/drills").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let v: serde_json::Value = serde_json::from_slice(&axum::body::to_bytes(api.into_body(), usize::MAX).await.unwrap()).unwrap();
    assert_eq!(v["error"], "internal");
    let page = app.oneshot(Request::get("/?lang=zh").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "the catalog still shows");
    let html = String::from_utf8(axum::body::to_bytes(page.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    assert!(html.contains("id=\"db-error\""), "no error banner");
    assert!(html.contains("无法从作答数据库读取你的成绩"), "{html}");
    assert!(html.contains(SEED), "the drills are still listed");
}
