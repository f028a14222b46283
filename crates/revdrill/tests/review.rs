//! Spaced review end to end: a drill's misses become cards that `revdrill review` runs on the
//! day FSRS says (the clock fixed with `REVDRILL_NOW`, never waited for), `stats` shows how many
//! are due and the streak, `drill` without an id says cards are due, and an answer the database
//! cannot take goes to a backup answers file.

mod common;
use common::*;

const DAY: i64 = 86_400;

/// Findings of the seed drill (each missed by a content-free answer).
const SEED_FINDINGS: u64 = 6;

/// A hit for the seed drill's first finding (`goroutine-lifetime`), as a card answer.
const HIT: &str = "The goroutine leaks when ctx is never cancelled: it blocks forever.\n\n";

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// `env` runs revdrill with the clock at `at`.
fn at(env: &Env, t: i64, args: &[&str], stdin: &str) -> Run {
    let mut c = env.cmd(args);
    c.env("REVDRILL_NOW", t.to_string());
    run_cmd(c, stdin)
}

fn review_stats(env: &Env, t: i64) -> (u64, u64) {
    let r = at(env, t, &["stats", "--format", "json"], "");
    assert_eq!(r.code, 0, "{}", r.err);
    let v = json(&r.out);
    (v["review"]["due"].as_u64().unwrap(), v["review"]["streak"].as_u64().unwrap())
}

/// Misses the whole seed drill now (real time, as the attempt is stamped).
fn miss_everything(env: &Env) -> i64 {
    let t0 = now();
    let r = at(env, t0, &["drill", SEED], "Looks fine to me.\n");
    assert_eq!(r.code, 0, "{}", r.err);
    t0
}

#[test]
fn missed_findings_come_back_the_next_day_and_an_answered_card_leaves() {
    let env = Env::new();
    let t0 = miss_everything(&env);
    assert_eq!(review_stats(&env, t0), (0, 1), "nothing due the day of the miss; today counts for the streak");
    let r = at(&env, t0, &["review"], "");
    assert!(r.out.contains("No review cards are due today."), "{}", r.out);

    let t1 = t0 + DAY;
    assert_eq!(review_stats(&env, t1), (SEED_FINDINGS, 1), "every miss is due the next day; yesterday keeps the streak");
    let r = at(&env, t1, &["review"], HIT);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("Card 1/6") && r.out.contains("What would you comment here?"), "{}", r.out);
    assert!(r.out.contains("▶") && r.out.contains("<-ctx.Done()"), "the hunk with its anchor lines marked: {}", r.out);
    assert!(r.out.contains("found goroutine-lifetime"), "{}", r.out);
    assert!(r.out.contains("Next review in 2 day(s)."), "FSRS-6: Again then Good a day later, stability 1.89: {}", r.out);
    assert!(r.out.contains("Reviewed 1 card(s); 5 still due today."), "{}", r.out);
    assert_eq!(review_stats(&env, t1), (SEED_FINDINGS - 1, 2), "the answered card left; a review day extends the streak");
    assert_eq!(review_stats(&env, t1 + 2 * DAY).0, SEED_FINDINGS, "and comes back two days later");

    // A miss on the card brings it back the next day.
    // The five cards overdue since yesterday come first (skipped), then this one.
    let r = at(&env, t1 + 2 * DAY, &["review"], &format!("{}No comment, looks fine.\n\n", "-\n\n".repeat(5)));
    assert!(r.out.contains("Card 6/6"), "{}", r.out);
    assert!(r.out.contains("missed goroutine-lifetime") && r.out.contains("Next review in 1 day(s)."), "{}", r.out);
}

#[test]
fn review_speaks_chinese_and_skips_with_a_dash() {
    let env = Env::new();
    let t1 = miss_everything(&env) + DAY;
    let r = at(&env, t1, &["--lang", "zh", "review"], "-\n\n");
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("卡片 1/6") && r.out.contains("这里你会写什么评论？"), "{}", r.out);
    assert!(r.out.contains("已跳过：这张卡片仍然到期。"), "{}", r.out);
    assert!(r.out.contains("已复习 0 张卡片；今天还有 6 张到期。"), "{}", r.out);
    let s = at(&env, t1, &["--lang", "zh", "stats"], "");
    assert!(s.out.contains("今天到期的复习卡片：6 张 · 连续练习：1 天"), "{}", s.out);
}

#[test]
fn drill_without_an_id_says_when_cards_are_due() {
    let env = Env::new();
    let t0 = miss_everything(&env);
    let r = at(&env, t0, &["drill"], PIPED);
    assert!(!r.out.contains("review card(s) due"), "nothing due yet: {}", r.out);
    let (due, _) = review_stats(&env, t0 + DAY);
    assert!(due > SEED_FINDINGS, "the seed drill's misses and those of the drill just done: {due}");
    let r = at(&env, t0 + DAY, &["drill"], PIPED);
    assert_eq!(r.code, 0, "{}", r.err);
    let first = r.out.lines().next().unwrap();
    assert_eq!(first, format!("{due} review card(s) due today: run `revdrill review`."), "the note comes before the drill");
    let s = at(&env, t0, &["stats"], "");
    assert!(s.out.contains("Review cards due today: 0 · streak: 1 day(s) in a row"), "{}", s.out);
}

#[test]
fn a_bad_clock_is_an_error_naming_the_variable() {
    let env = Env::new();
    let mut c = env.cmd(&["stats"]);
    c.env("REVDRILL_NOW", "tomorrow");
    let r = run_cmd(c, "");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("REVDRILL_NOW=`tomorrow` is not unix seconds"), "{}", r.err);
}

/// The database is locked for writing while the learner answers a card: the answer goes to a
/// backup answers file that `grade --answers` reads (as an inline comment on the card's line),
/// and the exit code is 2.
#[test]
fn an_answer_the_database_cannot_take_goes_to_a_backup() {
    let env = Env::new();
    let t1 = miss_everything(&env) + DAY;
    let r = at(&env, t1, &["review", "--limit", "0"], ""); // records the cards while the database is free
    assert!(r.out.contains("Reviewed 0 card(s); 6 still due today."), "{}", r.out);
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap(); // readers may read; no one else may write
    let r = at(&env, t1, &["review", "--limit", "1"], HIT);
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(r.code, 2, "{}\n{}", r.out, r.err);
    assert!(r.err.contains("is locked"), "{}", r.err);
    let backup = std::fs::read_dir(env.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("revdrill-attempt-"))
        .expect("a backup file");
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(text.contains("The goroutine leaks when ctx is never cancelled"), "{text}");
    let g = env.run(&["grade", "--drill", SEED, "--answers", backup.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(g.code, 0, "the backup is an answers file: {}", g.err);
    assert_eq!(review_stats(&env, t1).0, SEED_FINDINGS, "the card was not moved");
}
