//! Every route through the real router (`tower::ServiceExt::oneshot`): status codes, JSON error
//! bodies, CSRF refusals, the body limit, languages, and escaping of hostile packs and answers.

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use revdrill_catalog::Catalog;
use revdrill_pack::Lang;
use revdrill_store::{SqliteStore, Store};
use revdrill_web::{AppState, BODY_LIMIT, router};
use serde_json::{Value, json};
use tower::ServiceExt;

const SEED: &str = "containerd-shimv1-leak";

struct Env {
    app: Router,
    csrf: String,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

fn fixture_pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss-pack")
}

fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attempts.sqlite");
    let catalog = Catalog::load(&[fixture_pack()]).unwrap();
    let state = AppState::new(catalog, &db, Lang::En).unwrap();
    let csrf = state.csrf_token().to_string();
    Env { app: router(state), csrf, db, _dir: dir }
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap();
    Resp { status, headers, text: String::from_utf8(bytes.to_vec()).unwrap() }
}

async fn get(e: &Env, uri: &str) -> Resp {
    send(&e.app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(e: &Env, uri: &str, body: impl Into<String>) -> Resp {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-revdrill-csrf", &e.csrf)
        .body(Body::from(body.into()))
        .unwrap();
    send(&e.app, req).await
}

fn model_answers() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/containerd-shimv1-leak/answers/model-en.json"))
        .unwrap()
}

/// Asserts a status and, for errors, the JSON error code.
fn check(r: &Resp, status: u16, code: Option<&str>) {
    assert_eq!(r.status.as_u16(), status, "body: {}", r.text);
    if let Some(code) = code {
        assert_eq!(r.json()["error"], code, "body: {}", r.text);
        assert!(!r.json()["message"].as_str().unwrap().is_empty());
        assert!(!r.json()["message_zh"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn pages_render_with_security_headers() {
    let e = env();
    for uri in
        ["/", "/?language=go&category=concurrency&difficulty=medium&todo=1", &format!("/drills/{SEED}"), "/progress", "/template"]
    {
        let r = get(&e, uri).await;
        check(&r, 200, None);
        assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"), "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
        assert!(r.text.contains("id=\"lang-zh\""), "{uri} has no language switch");
    }
    let r = get(&e, "/assets/app.js").await;
    check(&r, 200, None);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/javascript"));
    check(&get(&e, "/assets/app.css").await, 200, None);
}

#[tokio::test]
async fn catalog_page_shows_the_catalog_size_in_both_languages() {
    let e = env();
    let drills = get(&e, "/api/drills").await.json();
    let drills = drills.as_array().unwrap();
    let rust = drills.iter().filter(|d| d["language"] == "rust").count();
    let page = get(&e, "/").await.text;
    let start = page.find("id=\"catalog-size\"").expect("a size section");
    let section = &page[start..start + page[start..].find("</section>").unwrap()];
    assert!(section.contains(&format!("<strong>{} drills</strong>", drills.len())), "{section}");
    assert!(section.contains(&format!("<span class=\"chip\">rust {rust}</span>")), "{section}");
    assert!(section.contains("Category") && section.contains("Difficulty"), "{section}");
    let zh = get(&e, "/?lang=zh").await.text;
    assert!(zh.contains(&format!("<strong>{} 个练习</strong>", drills.len())), "zh");
}

#[tokio::test]
async fn catalog_filters() {
    let e = env();
    let all = get(&e, "/api/drills").await;
    check(&all, 200, None);
    let n = all.json().as_array().unwrap().len();
    assert!(n >= 7, "embedded catalog plus the fixture pack");
    let rust = get(&e, "/api/drills?language=rust").await.json();
    assert!(!rust.as_array().unwrap().is_empty());
    assert!(rust.as_array().unwrap().iter().all(|d| d["language"] == "rust"));
    let sec = get(&e, "/api/drills?category=security&difficulty=easy").await.json();
    let sec = sec.as_array().unwrap();
    assert!(sec.iter().any(|d| d["id"] == "xss-drill"), "the fixture pack's easy security drill is listed");
    assert!(sec.iter().all(|d| d["difficulty"] == "easy" && d["categories"].as_array().unwrap().iter().any(|c| c == "security")));
    let all_ids = all.json().as_array().unwrap().len();
    assert!(sec.len() < all_ids, "the filter drops drills");
    check(&get(&e, "/api/drills?category=bogus").await, 400, Some("bad_query"));
    check(&get(&e, "/api/drills?difficulty=extreme").await, 400, Some("bad_query"));
    // "Not done yet" drops a drill once it has a graded attempt, and the page shows the best score.
    check(&post(&e, &format!("/api/drills/{SEED}/attempts"), model_answers()).await, 201, None);
    let todo = get(&e, "/api/drills?todo=1").await.json();
    assert_eq!(todo.as_array().unwrap().len(), n - 1);
    assert!(todo.as_array().unwrap().iter().all(|d| d["id"] != SEED));
    let page = get(&e, "/?todo=1").await.text;
    assert!(!page.contains(&format!("href=\"/drills/{SEED}\"")));
    let page = get(&e, "/").await.text;
    assert!(page.contains("class=\"score s2\">"), "best score shown");
}

#[tokio::test]
async fn drill_json_hides_the_answer_key_and_speaks_both_languages() {
    let e = env();
    let r = get(&e, &format!("/api/drills/{SEED}")).await;
    check(&r, 200, None);
    let v = r.json();
    assert_eq!(v["id"], SEED);
    assert!(v["files"][0]["hunks"][0]["lines"].as_array().unwrap().len() > 5);
    for key in ["\"problem\"", "\"suggestion\"", "\"concepts\"", "cancelled-ctx", "WithoutCancel(ctx), 10"] {
        assert!(!r.text.contains(key), "the drill JSON leaks the answer key: {key}");
    }
    let zh = get(&e, &format!("/api/drills/{SEED}?lang=zh")).await.json();
    assert!(zh["purpose"].as_str().unwrap().contains("容器"));
    check(&get(&e, "/api/drills/nope").await, 404, Some("unknown_drill"));
    let page = get(&e, "/drills/nope").await;
    check(&page, 404, None);
    assert!(page.text.contains("nope") && page.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn drill_page_has_diff_checklist_and_no_reference_review() {
    let e = env();
    let page = get(&e, &format!("/drills/{SEED}")).await.text;
    assert!(page.contains("tr class=\"ln add\" data-line=\"258\""), "added line 258 is commentable");
    assert!(page.contains("table class=\"diff split\""));
    assert!(page.contains("<span class=\"hl-k\">func</span>"), "highlighted");
    assert!(page.contains("data-item=\"concurrency\"") && page.contains("data-item=\"expression\""));
    assert!(page.contains("https://github.com/containerd/containerd/pull/9344"));
    assert!(
        !page.contains("Reference review") && !page.contains("WithoutCancel(ctx), 10"),
        "the key stays hidden before submitting"
    );
}

#[tokio::test]
async fn grade_returns_a_report_and_saves_nothing() {
    let e = env();
    let r = post(&e, &format!("/api/drills/{SEED}/grade"), model_answers()).await;
    check(&r, 200, None);
    assert!(r.json()["score"].as_u64().unwrap() >= 95);
    assert_eq!(r.json()["findings"][0]["verdict"], "hit");
    let zh = post(&e, &format!("/api/drills/{SEED}/grade?lang=zh"), model_answers()).await.json();
    assert!(zh["comment"]["dimensions"][0]["feedback"].as_str().unwrap().chars().any(|c| c > '\u{2e80}'));
    let empty = post(&e, &format!("/api/drills/{SEED}/grade"), "{}").await;
    check(&empty, 200, None);
    assert_eq!(empty.json()["score"], 0);
    assert!(SqliteStore::open(&e.db).unwrap().history(10).unwrap().is_empty());
}

#[tokio::test]
async fn bad_bodies_get_clear_json_errors() {
    let e = env();
    let uri = format!("/api/drills/{SEED}/grade");
    check(&post(&e, &uri, "{not json").await, 400, Some("bad_json"));
    check(&post(&e, &uri, "[1, 2]").await, 400, Some("bad_json"));
    check(&post(&e, &uri, r#"{"answers": {}, "extra": 1}"#).await, 400, Some("bad_json"));
    let r = post(&e, &uri, r#"{"answers": {"nope": "x"}, "comments": [{"line": 9999, "body": "x"}]}"#).await;
    check(&r, 422, Some("invalid_answers"));
    assert!(r.json()["message"].as_str().unwrap().contains("answers.nope"));
    assert!(r.json()["message"].as_str().unwrap().contains("comments[0].line"));
    check(&post(&e, &uri, r#"{"drill": "geth-ethclient-notfound"}"#).await, 422, Some("invalid_answers"));
    check(&post(&e, "/api/drills/nope/grade", "{}").await, 404, Some("unknown_drill"));
    check(&post(&e, "/api/drills/nope/attempts", "{}").await, 404, Some("unknown_drill"));
    // Not JSON at all.
    let req = Request::post(&uri)
        .header("x-revdrill-csrf", &e.csrf)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    check(&send(&e.app, req).await, 415, Some("not_json"));
    // Over the limit: a clear JSON error, whether or not the client announced the length.
    let big = json!({"answers": {"concurrency": "x".repeat(BODY_LIMIT)}}).to_string();
    let r = post(&e, &uri, big.clone()).await;
    check(&r, 413, Some("too_large"));
    assert!(r.json()["message"].as_str().unwrap().contains(&BODY_LIMIT.to_string()));
    // An announced length over the limit is refused before the body is read.
    let req = Request::post(&uri)
        .header("x-revdrill-csrf", &e.csrf)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, big.len())
        .body(Body::from(big))
        .unwrap();
    check(&send(&e.app, req).await, 413, Some("too_large"));
}

#[tokio::test]
async fn posts_without_the_token_or_from_elsewhere_are_refused() {
    let e = env();
    let uri = format!("/api/drills/{SEED}/attempts");
    let base = || Request::post(&uri).header(header::CONTENT_TYPE, "application/json");
    check(&send(&e.app, base().body(Body::from("{}")).unwrap()).await, 403, Some("csrf"));
    let wrong = base().header("x-revdrill-csrf", "0000").body(Body::from("{}")).unwrap();
    check(&send(&e.app, wrong).await, 403, Some("csrf"));
    let other_origin = base()
        .header("x-revdrill-csrf", &e.csrf)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "http://evil.test")
        .body(Body::from("{}"))
        .unwrap();
    check(&send(&e.app, other_origin).await, 403, Some("csrf"));
    let cross_site =
        base().header("x-revdrill-csrf", &e.csrf).header("sec-fetch-site", "cross-site").body(Body::from("{}")).unwrap();
    check(&send(&e.app, cross_site).await, 403, Some("csrf"));
    // A form post (what a cross-site page can send without a preflight) never gets through.
    let form =
        Request::post(&uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from("a=1")).unwrap();
    check(&send(&e.app, form).await, 403, Some("csrf"));
    // The same request from our own origin passes.
    let ok = base()
        .header("x-revdrill-csrf", &e.csrf)
        .header(header::HOST, "127.0.0.1:7878")
        .header(header::ORIGIN, "http://127.0.0.1:7878")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from("{}"))
        .unwrap();
    check(&send(&e.app, ok).await, 201, None);
    assert!(SqliteStore::open(&e.db).unwrap().history(10).unwrap().len() == 1, "only the allowed request was stored");
    let s = get(&e, "/api/session").await;
    check(&s, 200, None);
    assert_eq!(s.json()["csrf"], e.csrf);
    assert!(get(&e, &format!("/drills/{SEED}")).await.text.contains(&format!("content=\"{}\"", e.csrf)));
}

#[tokio::test]
async fn submitted_attempts_are_stored_like_the_cli_stores_them() {
    let e = env();
    let r = post(&e, &format!("/api/drills/{SEED}/attempts"), model_answers()).await;
    check(&r, 201, None);
    let v = r.json();
    let id = v["attempt"].as_i64().unwrap();
    assert_eq!(v["url"], format!("/attempts/{id}"));
    let score = v["score"].as_u64().unwrap();
    assert!(score >= 95);
    // What `revdrill history` reads.
    let store = SqliteStore::open(&e.db).unwrap();
    let h = store.history(10).unwrap();
    assert_eq!((h[0].id, h[0].drill_id.as_str(), h[0].score.map(u64::from)), (id, SEED, Some(score)));
    assert!(store.attempt(id).unwrap().answers_json.contains("context.WithoutCancel"));
    assert!(store.category_stats().unwrap().iter().any(|c| c.category == "concurrency" && c.earned > 0.0));

    let list = get(&e, "/api/attempts?limit=5").await;
    check(&list, 200, None);
    assert_eq!(list.json()[0]["id"], id);
    check(&get(&e, "/api/attempts?limit=0").await, 400, Some("bad_query"));
    check(&get(&e, "/api/attempts?limit=x").await, 400, Some("bad_query"));
    let one = get(&e, &format!("/api/attempts/{id}")).await;
    check(&one, 200, None);
    assert_eq!(one.json()["report"]["score"].as_u64(), Some(score));
    assert_eq!(one.json()["answers"]["comments"][0]["line"], 258);
    check(&get(&e, "/api/attempts/999").await, 404, Some("unknown_attempt"));
    check(&get(&e, "/api/attempts/abc").await, 404, Some("not_found"));

    let page = get(&e, &format!("/attempts/{id}")).await;
    check(&page, 200, None);
    for needle in ["Reference review", "id=\"score\"", "v-hit", "context.WithoutCancel", "Your English comment", "Model comment"]
    {
        assert!(page.text.contains(needle), "feedback page lacks {needle}");
    }
    assert!(page.text.contains(&format!("<span>{score}</span>")));
    let zh = get(&e, &format!("/attempts/{id}?lang=zh")).await;
    assert!(zh.text.contains("参考评审") && zh.text.contains("lang=\"zh-CN\"") && zh.text.contains("指向代码"));
    check(&get(&e, "/attempts/999").await, 404, None);

    let p = get(&e, "/api/progress").await;
    check(&p, 200, None);
    assert_eq!(p.json()["scores"][0]["id"], id);
    assert!(p.json()["next"].as_str().is_some_and(|n| n != SEED), "the next drill is one not done yet");
    let page = get(&e, "/progress").await.text;
    assert!(page.contains("<svg class=\"chart\"") && page.contains("id=\"next-drill\""));
}

#[tokio::test]
async fn language_comes_from_the_query_then_the_cookie() {
    let e = env();
    let r = get(&e, "/?lang=zh").await;
    assert!(r.text.contains("代码评审练习"));
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("revdrill_lang=zh") && cookie.contains("SameSite=Strict"));
    let req = Request::get("/progress").header(header::COOKIE, "a=b; revdrill_lang=zh").body(Body::empty()).unwrap();
    let r = send(&e.app, req).await;
    assert!(r.text.contains("建议的下一个练习") && !r.headers.contains_key(header::SET_COOKIE));
    assert!(get(&e, "/progress?lang=fr").await.text.contains("Next suggested drill"), "unknown language: the default");
    // The language switch keeps the other query parameters.
    assert!(get(&e, "/?language=go&lang=zh").await.text.contains("href=\"/?language=go&amp;lang=en\""));
}

#[tokio::test]
async fn template_view_and_download() {
    let e = env();
    let r = get(&e, "/template.md?lang=zh").await;
    check(&r, 200, None);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/markdown"));
    assert!(r.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("review-template.zh.md"));
    assert_eq!(r.text, revdrill_catalog::review_template(Lang::Zh));
    let api = get(&e, "/api/template").await;
    assert_eq!(api.headers[header::CONTENT_DISPOSITION], "inline");
    assert_eq!(api.text, revdrill_catalog::review_template(Lang::En));
    assert!(
        get(&e, "/api/template?download=1").await.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(get(&e, "/template").await.text.contains("href=\"/template.md?lang=en\""));
}

#[tokio::test]
async fn unknown_routes() {
    let e = env();
    check(&get(&e, "/api/nope").await, 404, Some("not_found"));
    let r = get(&e, "/nope").await;
    check(&r, 404, None);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let r = send(
        &e.app,
        Request::delete(format!("/api/drills/{SEED}")).header("x-revdrill-csrf", &e.csrf).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

/// Markup from a pack or from the learner is shown as text on every page: no tag it carries
/// survives, the only script is our own file, and no link leads to `javascript:`.
fn assert_inert(page: &str, what: &str) {
    assert_eq!(page.matches("<script").count(), 1, "{what}: only /assets/app.js may be a script");
    assert!(page.contains("<script src=\"/assets/app.js\"></script>"));
    for bad in ["<img", "<svg onload", "<b>tag", "</pre><script", "javascript:", "onerror=\"window", "\"><img"] {
        assert!(!page.contains(bad), "{what}: `{bad}` came through unescaped");
    }
}

#[tokio::test]
async fn hostile_pack_and_answers_are_escaped_everywhere() {
    let e = env();
    let drill = get(&e, "/drills/xss-drill").await;
    check(&drill, 200, None);
    assert_inert(&drill.text, "drill page");
    assert!(
        drill.text.contains("fix: &lt;script&gt;window.__xss=&#39;title&#39;&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=")
    );
    assert!(drill.text.contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;"), "the diff text is escaped");
    assert!(
        drill.text.contains("&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=&#39;prompt&#39;&quot;&gt;"),
        "prompts escaped"
    );
    assert!(
        drill.text.contains("<code>&lt;img src=x onerror=&quot;window.__xss=&#39;code-span&#39;&quot;&gt;</code>"),
        "code spans escaped"
    );
    assert_inert(&get(&e, "/").await.text, "catalog");
    assert_inert(&get(&e, "/?lang=zh").await.text, "catalog (zh)");

    let answers = json!({
        "answers": {"safety": "<script>window.__xss='answer'</script> an inject bug \"><img src=x onerror=\"window.__xss='answer-img'\">"},
        "comments": [{"line": 3, "severity": "major", "body": "\"><img src=x onerror=\"window.__xss='comment'\"> script tag"}]
    });
    let r = post(&e, "/api/drills/xss-drill/attempts", answers.to_string()).await;
    check(&r, 201, None);
    let id = r.json()["attempt"].as_i64().unwrap();
    let fb = get(&e, &format!("/attempts/{id}")).await;
    check(&fb, 200, None);
    assert_inert(&fb.text, "feedback page");
    assert!(
        fb.text.contains("&lt;script&gt;window.__xss=&#39;answer&#39;&lt;/script&gt;"),
        "the learner's answer is shown, escaped"
    );
    assert!(fb.text.contains("&lt;/pre&gt;&lt;script&gt;window.__xss=&#39;code&#39;"), "the answer key's code is escaped");
    let progress = get(&e, "/progress").await;
    assert_inert(&progress.text, "progress page");
    // The source link keeps its https URL, quotes escaped inside the attribute.
    assert!(drill.text.contains("href=\"https://github.com/example/xss/pull/1?q=&quot;&gt;&lt;img"));
}

#[tokio::test]
async fn only_loopback_host_names_are_answered() {
    let e = env();
    let with_host = |h: &str| Request::get("/api/drills").header(header::HOST, h).body(Body::empty()).unwrap();
    for ok in ["127.0.0.1:7878", "localhost:7878", "LOCALHOST", "[::1]:7878"] {
        check(&send(&e.app, with_host(ok)).await, 200, None);
    }
    for bad in ["evil.test", "evil.test:7878", "127.0.0.1.evil.test:7878", "[::2]:7878"] {
        check(&send(&e.app, with_host(bad)).await, 403, Some("bad_host"));
    }
}

#[tokio::test]
async fn a_diff_of_two_files_renders_both_and_takes_comments_per_file() {
    let e = env();
    let page = get(&e, "/drills/two-files").await.text;
    assert!(page.contains("data-multi=\"true\""));
    assert!(
        page.contains("<div class=\"file\" data-file=\"retry.py\">")
            && page.contains("<div class=\"file\" data-file=\"test_retry.py\">")
    );
    let body = json!({"answers": {"tests": "There is no test for failure."}, "comments": [{"line": 2, "file": "test_retry.py", "severity": "minor", "body": "no test for failure"}]});
    let r = post(&e, "/api/drills/two-files/attempts", body.to_string()).await;
    check(&r, 201, None);
    let id = r.json()["attempt"].as_i64().unwrap();
    assert_eq!(r.json()["report"]["findings"][0]["verdict"], "hit");
    let one = get(&e, &format!("/api/attempts/{id}")).await.json();
    assert_eq!(one["answers"]["comments"][0]["file"], "test_retry.py");
}
