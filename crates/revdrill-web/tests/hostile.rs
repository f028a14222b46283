//! Hostile probe 2 of the web app (`docs/reliability.md`): a submission the database cannot
//! store is refused loudly, with the reason, and nothing is stored half.

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_web::{AppState, router};
use tower::ServiceExt;

const SEED: &str = "containerd-shimv1-leak";

/// Before: a database that refused the write (full, read-only, damaged) gave `500 internal`,
/// "internal error": the page kept the draft but the learner was not told that nothing was
/// saved, nor why. Now it is `503 not_saved` naming the database's reason, in both languages,
/// and no attempt row is left behind.
#[tokio::test]
async fn a_submission_the_database_refuses_is_not_saved_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attempts.sqlite");
    let st = AppState::new(Catalog::load(&[] as &[&Path]).unwrap(), &db, Lang::En).unwrap();
    let csrf = st.csrf_token().to_string();
    let app = router(st);
    // Every write of an attempt now fails, as on a full disk.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("CREATE TRIGGER full BEFORE INSERT ON attempts BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;")
        .unwrap();
    let req = Request::post(format!("/api/drills/{SEED}/attempts"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", &csrf)
        .body(Body::from(r#"{"answers": {"concurrency": "the goroutine leaks when ctx is never cancelled"}}"#))
        .unwrap();
    let r = app.clone().oneshot(req).await.unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["error"], "not_saved", "{v}");
    let msg = v["message"].as_str().unwrap();
    assert!(msg.starts_with("your review was not saved"), "{msg}");
    assert!(msg.contains("database or disk is full"), "{msg}");
    assert!(v["message_zh"].as_str().unwrap().starts_with("你的评审未保存"), "{v}");
    let n: i64 = c.query_row("SELECT COUNT(*) FROM attempts", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
}
