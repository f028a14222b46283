//! "Due today" through the JSON API and the pages, with the server's clock fixed
//! (`AppState::set_clock`, what `REVDRILL_NOW` sets): an attempt made in the browser that misses
//! findings makes cards due the next day; an answer moves its card out and is shown from the
//! stored verdict; bad answers get clear errors.

use axum::body::Body;
use axum::http::{Request, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_review::Clock;
use revdrill_web::{AppState, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const SEED: &str = "containerd-shimv1-leak";
const DAY: i64 = 86_400;
/// 2026-12-01T09:00:00Z.
const T0: i64 = 1_796_115_600;

struct Env {
    app: axum::Router,
    state: AppState,
    _dir: tempfile::TempDir,
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(Catalog::load(&[] as &[&str]).unwrap(), &dir.path().join("a.sqlite"), Lang::En).unwrap();
    state.set_clock(Clock::Fixed(T0));
    Env { app: router(state.clone()), state, _dir: dir }
}

async fn send(e: &Env, req: Request<Body>) -> (u16, String) {
    let r = e.app.clone().oneshot(req).await.unwrap();
    let status = r.status().as_u16();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(e: &Env, uri: &str) -> (u16, String) {
    send(e, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(e: &Env, uri: &str, body: Value) -> (u16, Value) {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", e.state.csrf_token())
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, b) = send(e, req).await;
    (s, serde_json::from_str(&b).unwrap_or_else(|_| panic!("not JSON: {b}")))
}

async fn due(e: &Env) -> Value {
    let (s, b) = get(e, "/api/review").await;
    assert_eq!(s, 200, "{b}");
    serde_json::from_str(&b).unwrap()
}

#[tokio::test]
async fn misses_become_cards_due_the_next_day_and_an_answer_moves_its_card() {
    let e = env();
    let (s, a) = post(&e, &format!("/api/drills/{SEED}/attempts"), json!({"answers": {"concurrency": "Looks fine."}})).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(due(&e).await["due"], 0, "nothing due the day of the miss");
    assert!(!get(&e, "/").await.1.contains("due-banner"));

    e.state.set_clock(Clock::Fixed(T0 + DAY));
    let v = due(&e).await;
    assert_eq!(v["due"], 6, "{v}");
    let card = &v["cards"][0];
    assert_eq!(card["question"], "What would you comment here?");
    assert!(card.get("finding").is_none(), "the finding is not named before the answer");
    let lines = card["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["anchor"] == true && l["text"].as_str().unwrap().contains("<-ctx.Done()")), "{card}");

    let (_, catalog) = get(&e, "/").await;
    assert!(catalog.contains("id=\"due-banner\">6 review card(s) due today"), "the catalog offers due cards first");
    let (_, page) = get(&e, "/review?lang=zh").await;
    assert!(
        page.contains("今日复习") && page.contains("这里你会写什么评论？") && page.contains("tr class=\"ln add anchor\""),
        "{page}"
    );
    assert!(page.contains(&format!("data-card=\"{}\"", card["id"])));

    let id = card["id"].as_i64().unwrap();
    let uri = format!("/api/review/cards/{id}");
    let (s, r) = post(&e, &uri, json!({"answer": "The goroutine leaks when ctx is never cancelled: it blocks forever."})).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!((r["verdict"].as_str(), r["rating"].as_str(), r["interval_days"].as_i64()), (Some("hit"), Some("good"), Some(2)));
    assert_eq!(r["due"], T0 + 3 * DAY);
    assert_eq!(due(&e).await["due"], 5, "the answered card left today's list");

    let (s, shown) = get(&e, r["url"].as_str().unwrap()).await;
    assert_eq!(s, 200);
    assert!(shown.contains("id=\"review-verdict\">found<") && shown.contains("Next review in 2 day(s)."), "{shown}");
    assert!(shown.contains("blocks forever") && shown.contains("id=\"review-next\""), "{shown}");

    let (_, progress) = get(&e, "/api/progress").await;
    let p: Value = serde_json::from_str(&progress).unwrap();
    assert_eq!(p["review"]["due"], 5);
    let (_, page) = get(&e, "/progress").await;
    assert!(page.contains("<b id=\"due-count\">5</b>"), "{page}");

    e.state.set_clock(Clock::Fixed(T0 + 3 * DAY));
    assert_eq!(due(&e).await["due"], 6, "it comes back on the day FSRS said");
}

#[tokio::test]
async fn bad_answers_get_clear_errors() {
    let e = env();
    let (s, b) = post(&e, "/api/review/cards/42", json!({"answer": "x"})).await;
    assert_eq!((s, b["error"].as_str()), (404, Some("not_found")));
    let (s, b) = post(&e, "/api/review/cards/42", json!({"answer": "  "})).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("bad_json")), "{b}");
    let (s, b) = post(&e, "/api/review/cards/42", json!({"text": "x"})).await;
    assert_eq!((s, b["error"].as_str()), (400, Some("bad_json")), "{b}");
    let (s, _) = get(&e, "/review/answers/9").await;
    assert_eq!(s, 404);
    let (s, page) = get(&e, "/review").await;
    assert_eq!(s, 200);
    assert!(page.contains("id=\"review-empty\"") && page.contains("0 card(s) due today"), "{page}");
}
