//! The practice commands end to end: `export`, `tracks`, `drill --track`, `phrases` and the
//! personal `template`, each in a fresh temporary folder with its own database.

mod common;
use common::*;

#[test]
fn export_writes_each_format_of_a_stored_attempt() {
    let env = Env::new();
    assert_eq!(env.run(&["drill", SEED], PIPED).code, 0);
    let id = json(&env.run(&["history", "--format", "json"], "").out)[0]["id"].to_string();
    let md = env.run(&["export", &id], "");
    assert_eq!(md.code, 0, "{}", md.err);
    assert!(md.out.lines().any(|l| l.starts_with("issue (blocking): Get runs on the already cancelled ctx")), "{}", md.out);
    assert!(md.out.contains("The goroutine might leak"), "summary: {}", md.out);
    let gh = json(&env.run(&["export", &id, "--format", "github"], "").out);
    assert_eq!(gh["event"], "COMMENT");
    assert_eq!(gh["comments"][0]["line"], 258);
    assert_eq!(gh["comments"][0]["side"], "RIGHT");
    let sarif = json(&env.run(&["export", &id, "--format", "sarif"], "").out);
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "error");
    assert_eq!(sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 258);
    let conv = env.run(&["export", &id, "--format", "conventional", "-o", "review.md"], "");
    assert_eq!(conv.code, 0, "{}", conv.err);
    let written = std::fs::read_to_string(env.dir.path().join("review.md")).unwrap();
    assert!(written.contains("issue (blocking): Get runs"), "{written}");
    let zh = env.run(&["--lang", "zh", "export", &id], "");
    assert!(zh.out.contains("## 总结"), "{}", zh.out);
}

#[test]
fn export_of_an_unknown_attempt_is_a_clear_error() {
    let env = Env::new();
    let r = env.run(&["export", "42"], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("no attempt #42") && r.err.contains("revdrill history"), "{}", r.err);
    let zh = env.run(&["--lang", "zh", "export", "42"], "");
    assert!(zh.err.contains("没有练习记录 #42"), "{}", zh.err);
}

/// Records a graded attempt of `drill` through `grade --save` with a one-line answer.
fn grade_once(env: &Env, drill: &str, text: &str) {
    let show = json(&env.run(&["show", drill, "--format", "json"], "").out);
    let item = show["checklist"][0]["id"].as_str().unwrap().to_string();
    let answers = serde_json::json!({"drill": drill, "answers": {item: text}}).to_string();
    let r = env.run(&["grade", "--drill", drill, "--answers", "-", "--save"], &answers);
    assert_eq!(r.code, 0, "{}", r.err);
}

#[test]
fn tracks_show_completion_and_drill_track_walks_in_order() {
    let env = Env::new();
    let tracks = json(&env.run(&["tracks", "--format", "json"], "").out);
    let track = tracks.as_array().unwrap().iter().min_by_key(|t| t["total"].as_u64().unwrap()).unwrap().clone();
    let id = track["id"].as_str().unwrap();
    let drills: Vec<String> = track["drills"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().into()).collect();
    assert_eq!(track["done"], 0);
    let first = env.run(&["drill", "--track", id], "");
    assert!(first.out.starts_with(&drills[0]), "{}", &first.out[..first.out.len().min(200)]);

    grade_once(&env, &drills[0], "The change may leak.");
    let after = json(&env.run(&["tracks", "--format", "json"], "").out);
    let t = after.as_array().unwrap().iter().find(|t| t["id"] == id).unwrap();
    assert_eq!(t["done"], 1);
    assert_eq!(t["next"], drills[1].as_str());
    let second = env.run(&["drill", "--track", id], "");
    assert!(second.out.starts_with(&drills[1]), "{}", &second.out[..second.out.len().min(200)]);
    let text = env.run(&["tracks"], "").out;
    assert!(text.contains(&format!("✓ {}", drills[0])) && text.contains(&format!("1/{}", drills.len())), "{text}");
    assert!(env.run(&["--lang", "zh", "tracks"], "").out.contains("训练："));

    for d in &drills[1..] {
        grade_once(&env, d, "Missing tests.");
    }
    let done = env.run(&["drill", "--track", id], "");
    assert_eq!(done.code, 0, "{}", done.err);
    assert!(done.out.contains("Every drill of this track is done"), "{}", done.out);
}

#[test]
fn an_unknown_track_is_a_clear_error() {
    let env = Env::new();
    let r = env.run(&["drill", "--track", "no-such-track"], "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("no track with id `no-such-track`") && r.err.contains("security"), "{}", r.err);
}

#[test]
fn packs_check_reports_a_bad_track_with_file_line_and_field() {
    let env = Env::new();
    let dir = env.dir.path().join("pack");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("tracks.toml"),
        "[[track]]\nid = \"t\"\ntitle = { en = \"T\", zh = \"T\" }\ndescription = { en = \"D\", zh = \"D\" }\ncategories = [\"security\"]\ndrills = [\"hyper-to-bytes-reserve\", \"ghost-drill\"]\n",
    )
    .unwrap();
    let r = env.run(&["packs", "check", dir.to_str().unwrap()], "");
    assert_eq!(r.code, 1, "{}\n{}", r.out, r.err);
    assert!(r.err.contains("tracks.toml:6: track[0].drills[1]: no drill with id `ghost-drill`"), "{}", r.err);
}

#[test]
fn phrases_by_kind_in_both_languages_then_your_best_comments() {
    let env = Env::new();
    let nit = env.run(&["phrases", "--kind", "nit"], "");
    assert_eq!(nit.code, 0, "{}", nit.err);
    assert!(nit.out.contains("## Nit") && !nit.out.contains("## Praise"), "{}", nit.out);
    assert!(nit.out.contains("None yet"), "{}", nit.out);
    let zh = env.run(&["--lang", "zh", "phrases"], "").out;
    assert!(zh.contains("## 礼貌地表达不同意见") && zh.contains("何时用："), "{zh}");

    assert_eq!(env.run(&["drill", SEED], PIPED).code, 0);
    let v = json(&env.run(&["phrases", "--format", "json", "--kind", "blocking"], "").out);
    assert!(v["phrases"].as_array().unwrap().iter().all(|p| p["kind"] == "blocking"));
    let own = &v["own"][0];
    assert!(own["text"].as_str().unwrap().contains("`waitOrphaned` leaks a goroutine"), "{v}");
    assert_eq!(own["drill"], SEED);
    assert!(own["score"].as_u64().unwrap() > 0);
}

#[test]
fn the_template_becomes_personal_and_differs_between_learners() {
    let (a, b) = (Env::new(), Env::new());
    let generic = a.run(&["template"], "").out;
    assert!(!generic.contains("## 0."), "no history, no focus section");
    // Learner A answers the seed drill (misses tests and more); learner B only the security drill
    // with an empty-handed answer.
    assert_eq!(a.run(&["drill", SEED], PIPED).code, 0);
    grade_once(&b, "stereoscope-untar-traversal", "Looks fine to me.");
    let ta = a.run(&["template"], "").out;
    let tb = b.run(&["template"], "").out;
    assert!(ta.contains("## 0. Your focus") && tb.contains("## 0. Your focus"), "{ta}\n{tb}");
    assert_ne!(ta, tb);
    assert!(tb.contains("### security (0%)") && tb.contains("stereoscope-untar-traversal"), "{tb}");
    assert!(ta.contains("### testing (0%)") && ta.contains("containerd-shimv1-leak"), "{ta}");
    assert!(ta.contains("missed once"), "{ta}");
    assert_eq!(a.run(&["template", "--generic"], "").out, generic);
    let zh = a.run(&["--lang", "zh", "template"], "").out;
    assert!(zh.contains("## 0. 你的重点") && zh.contains("漏掉 1 次"), "{zh}");
}
