//! The tracks page and its JSON: completion per track from the store, both languages, escaped.

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
async fn tracks_page_shows_completion_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite");
    let catalog = Catalog::load(&[] as &[&str]).unwrap();
    let track = catalog.tracks()[0].clone();
    let app = router(AppState::new(catalog, &db, Lang::En).unwrap());

    let (status, page) = get(&app, "/tracks").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("id=\"track-{}\"", track.id)) && page.contains(&format!("0/{}", track.drills.len())));
    assert!(page.contains("href=\"/tracks\" aria-current=\"page\""), "nav link to the page");

    // A graded attempt of the track's first drill makes it done.
    let mut store = SqliteStore::open(&db).unwrap();
    let id = store.start_attempt(&track.drills[0], "en", "{}").unwrap();
    store.finish_attempt(id, &Graded { score: 40, report_json: "{}".into(), categories: vec![] }).unwrap();
    // An unfinished attempt of the second does not.
    store.start_attempt(&track.drills[1], "en", "{}").unwrap();
    drop(store);

    let (_, json) = get(&app, "/api/tracks").await;
    let v: Value = serde_json::from_str(&json).unwrap();
    let t = v.as_array().unwrap().iter().find(|x| x["id"] == track.id.as_str()).unwrap();
    assert_eq!(t["done"], 1);
    assert_eq!(t["next"], track.drills[1].as_str());
    let (_, page) = get(&app, "/tracks").await;
    assert!(page.contains(&format!("1/{}", track.drills.len())), "completion updated");
    assert!(page.contains(&format!("class=\"button primary next\" href=\"/drills/{}\"", track.drills[1])));
    let (_, zh) = get(&app, "/tracks?lang=zh").await;
    assert!(zh.contains("学习路线") && zh.contains(track.title.zh.as_str()));
}
