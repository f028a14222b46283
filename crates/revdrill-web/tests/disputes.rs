//! The dispute routes and the feedback page drawn from the stored report, through the real
//! router: statuses, JSON errors, CSRF, escaping, and an attempt whose drill is not loaded.

use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_store::{SqliteStore, Store};
use revdrill_web::{AppState, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const SEED: &str = "containerd-shimv1-leak";

struct Env {
    app: Router,
    csrf: String,
    db: PathBuf,
    dir: tempfile::TempDir,
}

fn env_with(packs: &[PathBuf], dir: tempfile::TempDir) -> Env {
    let db = dir.path().join("attempts.sqlite");
    let state = AppState::new(Catalog::load(packs).unwrap(), &db, Lang::En).unwrap();
    let csrf = state.csrf_token().to_string();
    Env { app: router(state), csrf, db, dir }
}

fn env() -> Env {
    env_with(&[], tempfile::tempdir().unwrap())
}

struct Resp {
    status: StatusCode,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn send(e: &Env, req: Request<Body>) -> Resp {
    let r = e.app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    Resp { status, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(e: &Env, uri: &str) -> Resp {
    send(e, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(e: &Env, uri: &str, body: Value) -> Resp {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", &e.csrf)
        .body(Body::from(body.to_string()))
        .unwrap();
    send(e, req).await
}

async fn delete(e: &Env, uri: &str, token: &str) -> Resp {
    send(e, Request::delete(uri).header("x-revdrill-csrf", token).body(Body::empty()).unwrap()).await
}

fn check(r: &Resp, status: u16, code: Option<&str>) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    if let Some(code) = code {
        assert_eq!(r.json()["error"], code, "body: {}", r.text);
    }
}

/// An attempt whose first statement names the leak only; returns its id.
async fn attempt(e: &Env, drill: &str) -> i64 {
    let body = json!({"answers": {
        "concurrency": "The goroutine might leak if ctx is never cancelled.",
        "error-paths": "After the wait, the lookup runs on the very context that just ended, so it errors out."
    }});
    let r = post(e, &format!("/api/drills/{drill}/attempts"), body).await;
    check(&r, 201, None);
    r.json()["attempt"].as_i64().unwrap()
}

#[tokio::test]
async fn a_dispute_is_stored_shown_and_withdrawn_and_never_changes_the_score() {
    let e = env();
    let id = attempt(&e, SEED).await;
    let one = get(&e, &format!("/api/attempts/{id}")).await.json();
    let score = one["report"]["score"].clone();
    assert_eq!(one["statements"][1]["n"], 2);
    assert_eq!(one["statements"][1]["source"]["id"], "error-paths");
    let missed = one["report"]["findings"].as_array().unwrap().iter().find(|f| f["verdict"] == "miss").unwrap()["id"].clone();
    let uri = format!("/api/attempts/{id}/disputes");

    let r =
        post(&e, &uri, json!({"finding": missed, "statement": 2, "note": "<img src=x onerror=\"window.__xss='note'\">"})).await;
    check(&r, 201, None);
    let d = r.json();
    assert_eq!(
        (d["kind"].as_str(), d["verdict"].as_str(), d["item"].as_str()),
        (Some("said-it"), Some("miss"), Some("error-paths"))
    );
    assert!(d["statement"].as_str().unwrap().starts_with("After the wait"));

    let after = get(&e, &format!("/api/attempts/{id}")).await.json();
    assert_eq!(after["report"]["score"], score, "a dispute never changes the score");
    assert_eq!(after["disputes"].as_array().unwrap().len(), 1);
    assert_eq!(after["attempt"]["disputed"], 1);
    assert_eq!(get(&e, "/api/disputes").await.json().as_array().unwrap().len(), 1);
    assert_eq!(get(&e, "/api/attempts").await.json()[0]["disputed"], 1);

    let page = get(&e, &format!("/attempts/{id}")).await;
    check(&page, 200, None);
    assert!(page.text.contains("disputed: you say you stated it in checklist item 2"), "{}", page.text);
    assert!(page.text.contains("id=\"disputed-count\""));
    assert!(page.text.contains("&lt;img src=x onerror=&quot;window.__xss=&#39;note&#39;&quot;&gt;"), "the note is escaped");
    assert!(!page.text.contains("<img"));
    assert_eq!(page.text.matches("<script").count(), 1);
    assert!(page.text.contains("class=\"stmt\" data-n=\"1\""), "statements are clickable");
    assert!(page.text.contains("data-s-dispute-pick=\""), "the script's texts come with the page");
    assert!(get(&e, &format!("/attempts/{id}?lang=zh")).await.text.contains("有异议"));
    assert!(get(&e, "/progress").await.text.contains("⚑ 1 disputed"));

    // Withdraw: CSRF applies, then 204, then 404.
    let gone = format!("{uri}/{}", missed.as_str().unwrap());
    check(&delete(&e, &gone, "wrong").await, 403, Some("csrf"));
    check(&delete(&e, &gone, &e.csrf).await, 204, None);
    check(&delete(&e, &gone, &e.csrf).await, 404, Some("not_found"));
    assert_eq!(get(&e, &format!("/api/attempts/{id}")).await.json()["attempt"]["disputed"], 0);
}

#[tokio::test]
async fn bad_disputes_get_clear_errors() {
    let e = env();
    let id = attempt(&e, SEED).await;
    let uri = format!("/api/attempts/{id}/disputes");
    let credited = "goroutine-lifetime";
    check(&post(&e, &uri, json!({"finding": "leek", "statement": 1})).await, 422, Some("invalid_dispute"));
    check(&post(&e, &uri, json!({"finding": "check-then-act-race"})).await, 422, Some("invalid_dispute"));
    let r = post(&e, &uri, json!({"finding": "check-then-act-race", "statement": 9})).await;
    check(&r, 422, Some("invalid_dispute"));
    assert!(r.json()["message"].as_str().unwrap().contains("numbered 1 to 2"), "{}", r.text);
    assert!(r.json()["message_zh"].as_str().unwrap().contains("没有第 9 句"), "{}", r.text);
    check(&post(&e, &uri, json!({"finding": credited, "statement": 1})).await, 422, Some("invalid_dispute"));
    check(&post(&e, &uri, json!({"finding": credited, "note": "x".repeat(2001)})).await, 422, Some("invalid_dispute"));
    check(&post(&e, &uri, json!({"finding": credited, "extra": 1})).await, 400, Some("bad_json"));
    check(&post(&e, "/api/attempts/999/disputes", json!({"finding": credited})).await, 404, Some("unknown_attempt"));
    let no_token = Request::post(&uri).header(header::CONTENT_TYPE, "application/json").body(Body::from("{}")).unwrap();
    check(&send(&e, no_token).await, 403, Some("csrf"));
    let cross = Request::post(&uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", &e.csrf)
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(json!({"finding": credited}).to_string()))
        .unwrap();
    check(&send(&e, cross).await, 403, Some("csrf"));
    // A credit is disputed as a whole: the statement is the one that earned it.
    let r = post(&e, &uri, json!({"finding": credited, "note": "too vague"})).await;
    check(&r, 201, None);
    assert_eq!(
        (r.json()["kind"].as_str(), r.json()["statement"].as_str()),
        (Some("wrong-credit"), Some("The goroutine might leak if ctx is never cancelled."))
    );
    assert!(SqliteStore::open(&e.db).unwrap().disputes(None).unwrap().len() == 1, "nothing else was stored");

    // An attempt never graded has no feedback.
    let unfinished = SqliteStore::open(&e.db).unwrap().start_attempt(SEED, "en", "{}").unwrap();
    check(&get(&e, &format!("/api/attempts/{unfinished}")).await, 409, Some("unfinished_attempt"));
    check(
        &post(&e, &format!("/api/attempts/{unfinished}/disputes"), json!({"finding": credited})).await,
        409,
        Some("unfinished_attempt"),
    );
}

fn copy_seed_as(dir: &Path, id: &str) -> PathBuf {
    let seed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../catalog").join(SEED);
    let pack = dir.join("pack");
    std::fs::create_dir_all(pack.join(id)).unwrap();
    let toml =
        std::fs::read_to_string(seed.join("drill.toml")).unwrap().replace(&format!("id = \"{SEED}\""), &format!("id = \"{id}\""));
    std::fs::write(pack.join(id).join("drill.toml"), toml).unwrap();
    std::fs::copy(seed.join("change.diff"), pack.join(id).join("change.diff")).unwrap();
    pack
}

#[tokio::test]
async fn the_feedback_page_shows_the_stored_report_even_without_the_drill() {
    let dir = tempfile::tempdir().unwrap();
    let pack = copy_seed_as(dir.path(), "seed-copy");
    let with = env_with(&[pack], dir);
    let id = attempt(&with, "seed-copy").await;
    // Tamper with the stored record: the page must show what was stored, not a new grade.
    let c = rusqlite_free_update(&with.db, id);
    let dir = with.dir;
    let without = env_with(&[], dir);
    let page = get(&without, &format!("/attempts/{id}")).await;
    check(&page, 200, None);
    assert!(page.text.contains(&format!("<span>{c}</span>")), "the stored score is shown");
    assert!(page.text.contains("id=\"no-drill\"") && page.text.contains("seed-copy"));
    let api = get(&without, &format!("/api/attempts/{id}")).await;
    check(&api, 200, None);
    assert_eq!(api.json()["report"]["score"], c);
    // A dispute still works: the statements and verdicts are stored.
    let r =
        post(&without, &format!("/api/attempts/{id}/disputes"), json!({"finding": "check-then-act-race", "statement": 1})).await;
    check(&r, 201, None);
}

/// Sets the stored report's score of attempt `id` to 42 through the store's own JSON, without
/// grading; returns the new score.
fn rusqlite_free_update(db: &Path, id: i64) -> u64 {
    let store = SqliteStore::open(db).unwrap();
    let a = store.attempt(id).unwrap();
    let mut report: Value = serde_json::from_str(a.report_json.as_deref().unwrap()).unwrap();
    report["score"] = 42.into();
    drop(store);
    let mut store = SqliteStore::open(db).unwrap();
    store.finish_attempt(id, &revdrill_store::Graded { score: 42, report_json: report.to_string(), categories: vec![] }).unwrap();
    42
}
