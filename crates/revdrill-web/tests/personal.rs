//! The template page is personal once the store has history, as `revdrill template` is.

use axum::body::Body;
use axum::http::Request;
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_store::{Graded, SqliteStore, Store};
use revdrill_web::{AppState, router};
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> String {
    let r = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{uri}");
    String::from_utf8(axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap()
}

#[tokio::test]
async fn template_shows_your_focus_once_you_have_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let d = catalog.get("stereoscope-untar-traversal").unwrap().clone();
    let app = router(AppState::new(catalog, &db, Lang::En).unwrap());
    let generic = get(&app, "/api/template").await;
    assert!(!generic.contains("## 0."));

    let mut store = SqliteStore::open(&db).unwrap();
    let id = store.start_attempt(&d.id, "en", "{}").unwrap();
    let report = r#"{"findings": [{"id": "symlink-escape", "verdict": "miss"}]}"#;
    let graded = Graded { score: 10, report_json: report.into(), categories: vec![("security".into(), 1.0, 10.0)] };
    store.finish_attempt(id, &graded).unwrap();
    drop(store);

    let md = get(&app, "/api/template").await;
    assert!(md.contains("## 0. Your focus") && md.contains("### security (10%)"), "{md}");
    assert!(md.contains(d.finding("symlink-escape").unwrap().problem.en.trim()), "{md}");
    assert_eq!(get(&app, "/api/template?generic=1").await, generic);
    let zh = get(&app, "/template?lang=zh").await;
    assert!(zh.contains("你的重点"), "page too, in Chinese");
}
