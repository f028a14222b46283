//! The phrasebook page and its JSON: filtered by kind, both languages, the learner's own
//! best-scored comments escaped.

use axum::body::Body;
use axum::http::Request;
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_store::{Graded, SqliteStore, Store};
use revdrill_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (u16, String) {
    let r = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = r.status().as_u16();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn phrasebook_by_kind_with_your_best_comments_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let app = router(AppState::new(Catalog::load(&[] as &[&str]).unwrap(), &db, Lang::En).unwrap());

    let (status, page) = get(&app, "/phrases?kind=praise").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h2>Praise</h2>") && !page.contains("<h2>Nit</h2>"), "{page}");
    assert!(page.contains("href=\"/phrases\" aria-current=\"page\""), "nav link");
    let (_, zh) = get(&app, "/phrases?lang=zh").await;
    assert!(zh.contains("礼貌地表达不同意见") && zh.contains("何时用："));
    let (status, bad) = get(&app, "/api/phrases?kind=rant").await;
    assert_eq!(status, 400, "{bad}");

    let mut store = SqliteStore::open(&db).unwrap();
    let id = store.start_attempt("containerd-shimv1-leak", "en", "{}").unwrap();
    let report = r#"{"comment": {"score": 77, "text": "issue: <script>x</script> leaks"}}"#;
    store.finish_attempt(id, &Graded { score: 50, report_json: report.into(), categories: vec![] }).unwrap();
    drop(store);

    let (_, json) = get(&app, "/api/phrases?kind=nit").await;
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v["phrases"].as_array().unwrap().iter().all(|p| p["kind"] == "nit"));
    assert_eq!(v["own"][0]["score"], 77);
    let (_, page) = get(&app, "/phrases").await;
    assert!(page.contains("&lt;script&gt;x&lt;/script&gt; leaks") && !page.contains("<script>x"), "escaped");
}
