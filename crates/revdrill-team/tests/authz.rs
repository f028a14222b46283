//! The authorization matrix: every team route as every role, against the table in
//! `docs/team-server.md` (read from the file, so the documentation and the server cannot drift),
//! plus what the table cannot show: lists hold only what the role may see, a classmate cannot
//! read a learner's attempts, and no drill view holds any part of the answer key.

mod common;

use axum::http::StatusCode;
use common::{DRILL, PASSWORD, Server, fresh_database, model_answers, req};
use revdrill_pack::Lang;
use serde_json::{Value, json};

/// The roles, in the table's column order.
const ROLES: [&str; 6] = ["anonymous", "learner", "other learner", "mentor", "other mentor", "admin"];

/// A team with two cohorts: A (mentor, learner, classmate) and B (other mentor, other learner),
/// an admin, an assignment each, and one graded attempt by the learner.
struct World {
    server: Server,
    /// Session per role, in [`ROLES`] order (`None` for anonymous).
    cookies: Vec<Option<String>>,
    emails: Vec<String>,
    classmate: String,
    cohort_a: i64,
    cohort_b: i64,
    learner_id: i64,
    attempt: i64,
    other_attempt: i64,
    dispute: i64,
    /// A fresh invite for each cell of the join row.
    join_tokens: Vec<String>,
}

async fn world() -> Option<World> {
    let url = fresh_database().await?;
    let server = Server::new(&url, false).await;
    let setup = server.db.init_admin("admin@example.com", "Ada Admin").await.unwrap();
    let admin = server.join(&setup, "", "").await;
    let mentor_tok = server.invite(&admin, json!({"role": "mentor"})).await;
    let mentor = server.join(&mentor_tok, "mentor@example.com", "Mei Mentor").await;
    let other_mentor_tok = server.invite(&admin, json!({"role": "mentor"})).await;
    let other_mentor = server.join(&other_mentor_tok, "other-mentor@example.com", "Otto Mentor").await;
    let a = server.post("/api/team/cohorts", Some(&mentor), &json!({"name": "A"})).await.json()["id"].as_i64().unwrap();
    let b = server.post("/api/team/cohorts", Some(&other_mentor), &json!({"name": "B"})).await.json()["id"].as_i64().unwrap();
    let into_a = json!({"role": "learner", "cohort_id": a});
    let learner = server.join(&server.invite(&mentor, into_a.clone()).await, "learner@example.com", "Li Learner").await;
    let classmate = server.join(&server.invite(&mentor, into_a).await, "classmate@example.com", "Chen Classmate").await;
    let to_b = server.invite(&other_mentor, json!({"role": "learner", "cohort_id": b})).await;
    let other_learner = server.join(&to_b, "other-learner@example.com", "Olga Learner").await;
    for (cookie, cohort) in [(&mentor, a), (&other_mentor, b)] {
        let r = server
            .post(
                &format!("/api/team/cohorts/{cohort}/assignments"),
                Some(cookie),
                &json!({"title": "Week 1", "drills": [DRILL]}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let submit = |cookie: String| {
        let s = &server;
        async move {
            let r = s.send(req("POST", &format!("/api/drills/{DRILL}/attempts"), Some(&cookie), Some(model_answers()))).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.json()["attempt"].as_i64().unwrap()
        }
    };
    let attempt = submit(learner.clone()).await;
    let other_attempt = submit(other_learner.clone()).await;
    let learner_id = server.get("/api/team/me", Some(&learner)).await.json()["user"]["id"].as_i64().unwrap();
    let d = server.post(&format!("/api/attempts/{attempt}/disputes"), Some(&learner), &json!({"finding": "missing-tests"})).await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let dispute = d.json()["id"].as_i64().unwrap();
    let mut join_tokens = Vec::new();
    for _ in ROLES {
        join_tokens.push(server.invite(&admin, json!({"role": "learner", "cohort_id": b})).await);
    }
    let emails = ["", "learner", "other-learner", "mentor", "other-mentor", "admin"].map(|e| format!("{e}@example.com")).to_vec();
    let cookies = vec![None, Some(learner), Some(other_learner), Some(mentor), Some(other_mentor), Some(admin)];
    Some(World {
        server,
        cookies,
        emails,
        classmate,
        cohort_a: a,
        cohort_b: b,
        learner_id,
        attempt,
        other_attempt,
        dispute,
        join_tokens,
    })
}

/// The matrix rows of docs/team-server.md: (route cell, expected status per role).
fn documented_matrix() -> Vec<(String, Vec<u16>)> {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/team-server.md")).unwrap();
    let table = doc.split("<!-- authz-matrix").nth(1).expect("docs/team-server.md has the authz-matrix marker");
    let mut rows = Vec::new();
    for line in table.lines().skip(1).skip_while(|l| !l.starts_with('|')) {
        if !line.starts_with('|') {
            break;
        }
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells[0] == "route" || cells[0].starts_with("---") {
            continue;
        }
        let codes = cells[1..].iter().map(|c| c.parse().unwrap_or_else(|_| panic!("bad status `{c}` in `{line}`"))).collect();
        rows.push((cells[0].to_string(), codes));
    }
    rows
}

/// The request a matrix row sends as role `r`: (method, path, body).
fn request(w: &World, route: &str, r: usize) -> (String, String, Option<Value>) {
    let a = w.cohort_a;
    let (m, p, body) = match route {
        "`POST /api/team/login` (the learner's credentials)" => {
            ("POST", "/api/team/login".to_string(), Some(json!({"email": "learner@example.com", "password": PASSWORD})))
        }
        "`POST /api/team/join` (a fresh invite)" => (
            "POST",
            "/api/team/join".into(),
            Some(json!({"token": w.join_tokens[r], "email": format!("new{r}@example.com"), "name": "New", "password": PASSWORD})),
        ),
        "`POST /api/team/logout`" => ("POST", "/api/team/logout".into(), None),
        "`GET /api/team/me`" => ("GET", "/api/team/me".into(), None),
        "`POST /api/team/password`" => {
            ("POST", "/api/team/password".into(), Some(json!({"old_password": PASSWORD, "new_password": PASSWORD})))
        }
        "`GET /api/team/users`" => ("GET", "/api/team/users".into(), None),
        "`POST /api/team/invites` (learner into {cohort})" => {
            ("POST", "/api/team/invites".into(), Some(json!({"role": "learner", "cohort_id": a})))
        }
        "`POST /api/team/invites` (mentor)" => ("POST", "/api/team/invites".into(), Some(json!({"role": "mentor"}))),
        "`GET /api/team/cohorts`" => ("GET", "/api/team/cohorts".into(), None),
        "`POST /api/team/cohorts`" => ("POST", "/api/team/cohorts".into(), Some(json!({"name": format!("new by {r}")}))),
        "`GET /api/team/cohorts/{cohort}`" => ("GET", format!("/api/team/cohorts/{a}"), None),
        "`POST /api/team/cohorts/{cohort}/assignments`" => (
            "POST",
            format!("/api/team/cohorts/{a}/assignments"),
            Some(json!({"title": format!("set {r}"), "drills": [DRILL], "due_at": 1_900_000_000})),
        ),
        "`GET /api/team/cohorts/{cohort}/results.csv`" => ("GET", format!("/api/team/cohorts/{a}/results.csv"), None),
        "`GET /api/team/assignments`" => ("GET", "/api/team/assignments".into(), None),
        "`GET /api/drills`" => ("GET", "/api/drills".into(), None),
        "`GET /api/drills/{drill}`" => ("GET", format!("/api/drills/{DRILL}"), None),
        "`POST /api/drills/{drill}/attempts`" => ("POST", format!("/api/drills/{DRILL}/attempts"), Some(Value::Null)),
        "`GET /api/attempts`" => ("GET", "/api/attempts".into(), None),
        "`GET /api/attempts?user={learner}`" => ("GET", format!("/api/attempts?user={}", w.learner_id), None),
        "`GET /api/attempts/{attempt}`" => ("GET", format!("/api/attempts/{}", w.attempt), None),
        "`POST /api/attempts/{attempt}/disputes`" => (
            "POST",
            format!("/api/attempts/{}/disputes", w.attempt),
            Some(json!({"finding": "missing-tests", "note": format!("as role {r}")})),
        ),
        "`GET /api/team/disputes`" => ("GET", "/api/team/disputes".into(), None),
        "`POST /api/team/disputes/{dispute}/resolution`" => (
            "POST",
            format!("/api/team/disputes/{}/resolution", w.dispute),
            Some(json!({"accepted": r != 3, "note": format!("by role {r}")})),
        ),
        other => panic!("docs/team-server.md lists `{other}`, which this test does not know how to send"),
    };
    (m.to_string(), p, body)
}

/// Every route the router serves: each must have a row in the documented table.
const ROUTES: &[&str] = &[
    "POST /api/team/login",
    "POST /api/team/join",
    "POST /api/team/logout",
    "GET /api/team/me",
    "POST /api/team/password",
    "GET /api/team/users",
    "POST /api/team/invites",
    "GET /api/team/cohorts",
    "POST /api/team/cohorts",
    "GET /api/team/cohorts/{cohort}",
    "POST /api/team/cohorts/{cohort}/assignments",
    "GET /api/team/cohorts/{cohort}/results.csv",
    "GET /api/team/assignments",
    "GET /api/drills",
    "GET /api/drills/{drill}",
    "POST /api/drills/{drill}/attempts",
    "GET /api/attempts",
    "GET /api/attempts/{attempt}",
    "POST /api/attempts/{attempt}/disputes",
    "GET /api/team/disputes",
    "POST /api/team/disputes/{dispute}/resolution",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_as_every_role_answers_as_documented() {
    let Some(w) = world().await else { return };
    let matrix = documented_matrix();
    for route in ROUTES {
        assert!(
            matrix.iter().any(|(cell, _)| cell.starts_with(&format!("`{route}"))),
            "no row for {route} in docs/team-server.md"
        );
    }
    let mut wrong = Vec::new();
    for (route, expected) in &matrix {
        assert_eq!(expected.len(), ROLES.len(), "{route}: one status per role");
        for (r, want) in expected.iter().enumerate() {
            let (method, path, body) = request(&w, route, r);
            let mut cookie = w.cookies[r].clone();
            if route.contains("logout") && r > 0 {
                // A session of its own, so the rest of the matrix keeps the world's sessions.
                let (_, token) = w.server.db.login(&w.emails[r], PASSWORD, "matrix").await.unwrap();
                cookie = Some(token);
            }
            let body = body.map(|b| if b.is_null() { model_answers() } else { b.to_string() });
            let got = w.server.send(req(&method, &path, cookie.as_deref(), body)).await;
            if got.status.as_u16() != *want {
                let body: String = got.body.chars().take(200).collect();
                wrong.push(format!("{route} as {}: {} (documented {want}): {body}", ROLES[r], got.status.as_u16()));
            }
        }
    }
    assert!(wrong.is_empty(), "answers that differ from docs/team-server.md:\n{}", wrong.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_hold_only_what_the_role_may_see() {
    let Some(w) = world().await else { return };
    let s = &w.server;
    let cohort_ids = |v: Value| v.as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>();
    let cookies: [Option<String>; 6] = w.cookies.clone().try_into().unwrap();
    let [_, learner, other_learner, mentor, other_mentor, admin] = cookies;
    let (learner, other_learner, mentor, other_mentor, admin) =
        (learner.unwrap(), other_learner.unwrap(), mentor.unwrap(), other_mentor.unwrap(), admin.unwrap());
    assert_eq!(cohort_ids(s.get("/api/team/cohorts", Some(&learner)).await.json()), vec![w.cohort_a]);
    assert_eq!(cohort_ids(s.get("/api/team/cohorts", Some(&other_learner)).await.json()), vec![w.cohort_b]);
    assert_eq!(cohort_ids(s.get("/api/team/cohorts", Some(&mentor)).await.json()), vec![w.cohort_a]);
    assert_eq!(cohort_ids(s.get("/api/team/cohorts", Some(&other_mentor)).await.json()), vec![w.cohort_b]);
    assert_eq!(cohort_ids(s.get("/api/team/cohorts", Some(&admin)).await.json()), vec![w.cohort_a, w.cohort_b]);

    // Own attempts only, whoever asks.
    let ids = |v: Value| v.as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(s.get("/api/attempts", Some(&learner)).await.json()), vec![w.attempt]);
    assert_eq!(ids(s.get("/api/attempts", Some(&other_learner)).await.json()), vec![w.other_attempt]);
    assert!(ids(s.get("/api/attempts", Some(&mentor)).await.json()).is_empty());

    // The mentor reads the learner's attempt with answers and report; the other mentor cannot.
    let seen = s.get(&format!("/api/attempts/{}", w.attempt), Some(&mentor)).await.json();
    assert_eq!(seen["user_id"], w.learner_id);
    assert!(seen["answers"]["answers"].is_object() && seen["report"].is_object());
    let refused = s.get(&format!("/api/attempts/{}", w.other_attempt), Some(&mentor)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A learner's cohort view has assignments but no members; the mentor's has both.
    let as_learner = s.get(&format!("/api/team/cohorts/{}", w.cohort_a), Some(&learner)).await.json();
    assert!(as_learner.get("members").is_none(), "{as_learner}");
    assert_eq!(as_learner["assignments"][0]["drills"], json!([DRILL]));
    let as_mentor = s.get(&format!("/api/team/cohorts/{}", w.cohort_a), Some(&mentor)).await.json();
    let names: Vec<&str> = as_mentor["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Chen Classmate", "Li Learner"]);

    // The learner's dispute reaches their mentor's queue (and the admin's), not the other
    // mentor's nor the classmate's.
    let queue = |c: &str| {
        let c = c.to_string();
        async move { s.get("/api/team/disputes", Some(&c)).await.json().as_array().unwrap().clone() }
    };
    let mq = queue(&mentor).await;
    assert_eq!((mq.len(), mq[0]["user"].as_str(), mq[0]["finding"].as_str()), (1, Some("Li Learner"), Some("missing-tests")));
    assert_eq!(queue(&admin).await.len(), 1);
    assert_eq!(queue(&learner).await.len(), 1);
    assert!(queue(&other_mentor).await.is_empty());
    assert!(queue(&w.classmate).await.is_empty());
    assert!(queue(&other_learner).await.is_empty());
    // The mentor rejects it with a note; the learner sees the answer; the score is unchanged.
    let url = format!("/api/team/disputes/{}/resolution", w.dispute);
    let r = s.post(&url, Some(&mentor), &json!({"accepted": false, "note": "the test you describe is not there"})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let mine = queue(&learner).await;
    assert_eq!(
        (mine[0]["resolution"].as_str(), mine[0]["resolution_note"].as_str()),
        (Some("rejected"), Some("the test you describe is not there"))
    );
    let score = s.get(&format!("/api/attempts/{}", w.attempt), Some(&learner)).await.json()["attempt"]["score"].clone();
    assert!(score.as_i64().unwrap() >= 95, "{score}");
    // Disputing again replaces the dispute and clears the answer.
    s.post(
        &format!("/api/attempts/{}/disputes", w.attempt),
        Some(&learner),
        &json!({"finding": "missing-tests", "note": "again"}),
    )
    .await;
    assert_eq!(queue(&mentor).await[0]["resolution"], Value::Null);
    let bad = s.post(&format!("/api/attempts/{}/disputes", w.attempt), Some(&learner), &json!({"finding": "no-such"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The mentor's CSV: one row per member and assigned drill, done or not.
    let csv = s.get(&format!("/api/team/cohorts/{}/results.csv", w.cohort_a), Some(&mentor)).await;
    assert!(csv.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    let lines: Vec<&str> = csv.body.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(lines[1].starts_with(&format!("Chen Classmate,classmate@example.com,Week 1,,{DRILL},0,,no")), "{}", csv.body);
    assert!(lines[2].starts_with(&format!("Li Learner,learner@example.com,Week 1,,{DRILL},1,")), "{}", csv.body);
    assert!(lines[2].ends_with(",yes"), "{}", csv.body);

    // The learner's assignment shows the drill done with its score; the classmate's not done.
    let mine = s.get("/api/team/assignments", Some(&learner)).await.json();
    assert_eq!(mine[0]["drills"][0]["done"], true, "{mine}");
    assert!(mine[0]["drills"][0]["best"].as_i64().unwrap() >= 95, "{mine}");
    let theirs = s.get("/api/team/assignments", Some(&w.classmate)).await.json();
    assert_eq!(theirs[0]["drills"][0]["done"], false, "{theirs}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_learner_never_sees_another_learners_answers_or_any_answer_key() {
    let Some(w) = world().await else { return };
    let s = &w.server;
    // A classmate in the same cohort: neither the attempt nor the list.
    let one = s.get(&format!("/api/attempts/{}", w.attempt), Some(&w.classmate)).await;
    assert_eq!(one.status, StatusCode::FORBIDDEN);
    assert!(!one.body.contains("answers"), "{}", one.body);
    let list = s.get(&format!("/api/attempts?user={}", w.learner_id), Some(&w.classmate)).await;
    assert_eq!(list.status, StatusCode::FORBIDDEN);

    // No drill view holds the answer key, in either language.
    let catalog = common::catalog();
    let drill = catalog.get(DRILL).unwrap();
    let learner = w.cookies[1].as_deref();
    let views = [
        s.get("/api/drills", learner).await.body,
        s.get(&format!("/api/drills/{DRILL}"), learner).await.body,
        s.get(&format!("/api/drills/{DRILL}?lang=zh"), learner).await.body,
    ];
    let model: Value = serde_json::from_str(&model_answers()).unwrap();
    let model_texts: Vec<String> =
        model["answers"].as_object().unwrap().values().filter_map(|v| v.as_str().map(String::from)).collect();
    assert!(!drill.findings.is_empty());
    for view in &views {
        for f in &drill.findings {
            for lang in [Lang::En, Lang::Zh] {
                for secret in [f.problem.get(lang), f.risk.get(lang), f.suggestion.get(lang)] {
                    assert!(!view.contains(&json_escaped(secret)), "a drill view holds the answer key: {secret}");
                }
            }
        }
        for t in &model_texts {
            assert!(!view.contains(&json_escaped(t)), "a drill view holds a model answer");
        }
    }
    // After submitting, the learner's own attempt has the graded report, finding by finding.
    let own = s.get(&format!("/api/attempts/{}", w.attempt), learner).await.json();
    let mut graded: Vec<&str> = own["report"]["findings"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
    let mut key: Vec<&str> = drill.findings.iter().map(|f| f.id.as_str()).collect();
    graded.sort_unstable();
    key.sort_unstable();
    assert_eq!(graded, key);
}

/// How `s` looks inside a JSON string.
fn json_escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap();
    quoted[1..quoted.len() - 1].to_string()
}
