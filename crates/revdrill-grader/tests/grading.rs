//! Grading behaviour on the seed drill and on every catalog drill, through one `check` helper:
//! an answer goes in, a compact verdict line comes out and is compared with what a reviewer
//! would expect.

use revdrill_grader::{Grader, Report, Verdict};
use revdrill_pack::{AnswerSet, Drill, LineComment, Severity, parse_answers};

fn drill(id: &str) -> Drill {
    revdrill_catalog::embedded().unwrap().into_iter().find(|d| d.id == id).unwrap()
}

fn answers(d: &Drill, item: &str, text: &str, comments: Vec<LineComment>) -> AnswerSet {
    let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
    a.answers.insert(item.into(), text.into());
    a.comments = comments;
    a
}

/// Findings not missed (`id=hit|partial`), then traps and decoys, e.g.
/// `goroutine-lifetime=hit | trap timeout-drops-cleanup`.
fn summary(r: &Report) -> String {
    let mut parts: Vec<String> =
        r.findings.iter().filter(|f| f.verdict != Verdict::Miss).map(|f| format!("{}={}", f.id, f.verdict.as_str())).collect();
    parts.extend(r.traps.iter().map(|t| format!("trap {}", t.id)));
    parts.extend(r.decoys.iter().map(|d| format!("decoy {}", d.id)));
    if parts.is_empty() { "nothing".into() } else { parts.join(" | ") }
}

fn check(text: &str, expect: &str) {
    let d = drill("containerd-shimv1-leak");
    let r = Grader::new(&d).grade(&answers(&d, "concurrency", text, vec![]));
    assert_eq!(summary(&r), expect, "answer: {text}");
}

fn check_line(line: u32, body: &str, expect: &str) {
    let d = drill("containerd-shimv1-leak");
    let c = LineComment { line, file: None, severity: Some(Severity::Major), body: body.into() };
    let r = Grader::new(&d).grade(&answers(&d, "concurrency", "", vec![c]));
    assert_eq!(summary(&r), expect, "comment on {line}: {body}");
}

#[test]
fn english_paraphrases_earn_the_finding() {
    check("The goroutine might leak if ctx is never cancelled.", "goroutine-lifetime=hit");
    check("If nobody ever cancels the context this goroutine stays blocked forever.", "goroutine-lifetime=hit");
    check("It leaks: the only exit is `<-ctx.Done()`.", "goroutine-lifetime=hit");
    check(
        "Get and Delete run on the ctx after it was cancelled, so they fail and the task is never deleted.",
        "cancelled-context=hit",
    );
    check("Errors other than NotFound are silently ignored.", "swallowed-errors=hit");
    check("Get followed by Delete is not atomic.", "check-then-act-race=hit");
}

#[test]
fn chinese_and_mixed_answers_earn_the_finding() {
    check("如果 ctx 一直不被 cancel，这个 goroutine 会泄露", "goroutine-lifetime=hit");
    check("goroutine leak 风险：ctx 可能永远不会被取消", "goroutine-lifetime=hit");
    check("ctx 已经取消了，Get 和 Delete 都会直接返回错误，清理不会执行", "cancelled-context=hit");
    check("除了 NotFound 之外的错误都被吞掉了", "swallowed-errors=hit");
    check("Get 和 Delete 之间不是原子的，存在竞态", "check-then-act-race=hit");
    check("goroutine 泄漏", "goroutine-lifetime=partial");
}

#[test]
fn negated_claims_earn_nothing() {
    check("There is no goroutine leak here and there is no race.", "nothing");
    check("I don't think this goroutine can leak.", "nothing");
    check("不存在竞态，泄露应该不会发生。", "nothing");
    check("这里没有竞态", "nothing");
}

#[test]
fn negation_scope_follows_the_sentence() {
    // 导致 does not shield its object from the negation before it.
    check("Get 和 Delete 之间不会导致竞态", "nothing");
    // A Chinese negation that has its own object does not reach back.
    check("ctx 已经取消了，用 `context.WithoutCancel` 包一下，Get 就不会失败了", "cancelled-context=hit");
    // "would be fine" recommends; "is fine" dismisses.
    check("The ctx is already cancelled; `context.WithoutCancel(ctx)` would be fine for the cleanup.", "cancelled-context=hit");
    check("The race between Get and Delete is fine.", "nothing");
    // Words inside other words are not terms; code is not prose.
    check("I took some notes today.", "nothing");
    check("The `!errdefs.IsNotFound(err)` case: other errors are silently dropped.", "swallowed-errors=hit");
    // Terse but real Chinese is not a keyword list.
    check("Delete 失败也没打日志，排查困难。", "swallowed-errors=hit");
    // Terse English with prepositions is prose, not a list of words.
    check("Goroutine blocks forever without ctx cancellation; shim leaks, memory grows per task.", "goroutine-lifetime=hit");
    // Mixed text: a space next to an English word does not chop the Chinese into list items.
    check("ctx 取消后 Get 报错 task 残留 shim 泄漏", "cancelled-context=hit");
    // A Chinese gap never swallows a negation.
    check("Get 之后没有 Delete", "nothing");
    // A semicolon joins a cause to its consequence.
    check("Get then Delete is not atomic; a task re-created in between gets deleted.", "check-then-act-race=hit");
}

#[test]
fn a_question_and_its_answer_make_one_point() {
    check("What if the task still exists when ctx is done? We just exit without any log or metric.", "task-still-present=hit");
    check("Can this goroutine leak? No, the caller always cancels ctx.", "nothing");
    check("泄漏？不会，调用方一定会 cancel。", "nothing");
}

#[test]
fn vague_lines_prompt_copies_and_keyword_lists_earn_nothing() {
    check("Concurrency could be better.", "nothing");
    check("可以多写点测试", "nothing");
    check("Concurrency: can this goroutine leak? Is there a race condition?", "nothing");
    check("并发性：这个 goroutine 有没有可能泄露？是否存在 race condition？", "nothing");
    check("goroutine leak race condition cancelled context error ignored no test metric", "nothing");
    check("goroutine 泄露 竞态 取消 context 错误 忽略 没有测试 指标", "nothing");
}

#[test]
fn misconceptions_are_caught_unless_the_learner_sees_the_catch() {
    check("Add a 30s timeout with time.After so the goroutine exits.", "trap timeout-drops-cleanup");
    check("加一个 30 秒的超时，防止 goroutine 泄露", "goroutine-lifetime=partial | trap timeout-drops-cleanup");
    check(
        "A fixed time.After exit is not the fix: it just trades the leak for a cleanup that never runs.",
        "goroutine-lifetime=partial",
    );
}

#[test]
fn line_comments_weigh_by_where_they_are() {
    // On the anchor: a bare mention of the race is enough.
    check_line(259, "race?", "check-then-act-race=hit");
    // Away from the code it is about, a full statement counts only partly.
    check_line(250, "Get followed by Delete is not atomic.", "check-then-act-race=partial");
    // Unchanged context line: flagged as a decoy.
    check_line(266, "Lock without Unlock here.", "decoy lock-in-context-line");
}

#[test]
fn decoy_statements_cost_points() {
    let d = drill("containerd-shimv1-leak");
    let g = Grader::new(&d);
    let clean = g.grade(&answers(&d, "concurrency", "The goroutine leaks when ctx is never cancelled.", vec![]));
    let flagged = g.grade(&answers(
        &d,
        "concurrency",
        "The goroutine leaks when ctx is never cancelled.\nThe closure captures id, which is a race.",
        vec![],
    ));
    assert_eq!(summary(&flagged), "goroutine-lifetime=hit | decoy closure-captures-id");
    assert!(flagged.score < clean.score);
}

#[test]
fn evidence_quotes_the_learners_sentence() {
    let d = drill("containerd-shimv1-leak");
    let text = "Looks fine overall. Errors other than NotFound are silently ignored, so failures vanish.";
    let r = Grader::new(&d).grade(&answers(&d, "error-paths", text, vec![]));
    let f = r.finding("swallowed-errors").unwrap();
    assert_eq!(f.evidence.as_deref(), Some("Errors other than NotFound are silently ignored, so failures vanish."));
    let words: Vec<(&str, &str)> = f.concepts.iter().map(|c| (c.concept.as_str(), c.words.as_str())).collect();
    assert_eq!(words, [("other-errors", "errorsotherthan"), ("dropped", "silently")]);
}

fn model(d: &Drill, lang: &str) -> Option<AnswerSet> {
    let (name, text) = d.examples.iter().find(|(n, _)| n.ends_with(&format!("model-{lang}.json")))?;
    Some(parse_answers(name, text, Some(d)).unwrap())
}

#[test]
fn every_catalog_drill_model_answers_score_at_least_95() {
    for d in revdrill_catalog::embedded().unwrap() {
        for lang in ["en", "zh"] {
            let a = model(&d, lang).unwrap_or_else(|| panic!("{} has no model-{lang}.json", d.id));
            let r = Grader::new(&d).grade(&a);
            assert!(r.score >= 95, "{} model-{lang} scored {}: {}", d.id, r.score, summary(&r));
        }
    }
}

/// A copy of the checklist prompts must score at most this much.
const CHECKLIST_COPY_MAX: u8 = 1;

#[test]
fn every_catalog_drill_empty_answer_scores_0_and_checklist_copy_at_most_1() {
    for d in revdrill_catalog::embedded().unwrap() {
        let g = Grader::new(&d);
        assert_eq!(g.grade(&AnswerSet { drill: d.id.clone(), ..Default::default() }).score, 0, "{} empty", d.id);
        for lang in [revdrill_pack::Lang::En, revdrill_pack::Lang::Zh] {
            let mut a = AnswerSet { drill: d.id.clone(), ..Default::default() };
            for c in &d.checklist {
                a.answers.insert(c.id.clone(), c.prompt.get(lang).to_string());
            }
            let r = g.grade(&a);
            assert!(r.score <= CHECKLIST_COPY_MAX, "{} checklist copy ({lang:?}) scored {}: {}", d.id, r.score, summary(&r));
        }
    }
}

#[test]
fn every_catalog_drill_has_a_comment_item_and_its_model_comment_scores_high() {
    for d in revdrill_catalog::embedded().unwrap() {
        let g = Grader::new(&d);
        let item = d.checklist.iter().find(|c| c.kind == revdrill_pack::ItemKind::Comment).expect("comment item");
        for f in &d.findings {
            let r = g.grade(&answers(&d, &item.id, &f.comment, vec![]));
            assert!(
                r.comment.score >= 70,
                "{}/{} model comment scored {}: {:?}",
                d.id,
                f.id,
                r.comment.score,
                r.comment.dimensions
            );
        }
    }
}

#[test]
fn comment_rubric_orders_obvious_tiers() {
    let d = drill("containerd-shimv1-leak");
    let g = Grader::new(&d);
    let score = |c: &str| g.grade(&answers(&d, "expression", c, vec![])).comment.score;
    let great = score(
        "issue (blocking): `waitOrphaned` leaks a goroutine per call if `ctx` is never cancelled, because `<-ctx.Done()` is its only exit. Could we also select on the shim's shutdown context?",
    );
    let bare = score("issue: the goroutine leaks when ctx is never cancelled.");
    let rude = score("You obviously forgot that the goroutine leaks when ctx is never cancelled. Just fix it!!");
    let lgtm = score("LGTM");
    let stuffed = score("nit: `ctx` leak race error test");
    assert!(great > bare && bare > rude && rude > lgtm, "{great} {bare} {rude} {lgtm}");
    assert!(lgtm <= 5 && stuffed <= 10, "{lgtm} {stuffed}");
}

#[test]
fn lexicon_parses() {
    assert!(revdrill_grader::concepts::lexicon().contains_key("leak"));
}

#[test]
fn a_closing_verdict_dismisses_the_mechanism_before_it() {
    check(
        "the lookup after `Done` runs on the cancelled ctx and may fail, but that only delays the cleanup, so it's fine",
        "nothing",
    );
    check("Get 和 Delete 之间不是原子的，但 store 内部有锁，所以不会有问题", "nothing");
    check("the linter would flag it, so no test is needed", "nothing");
    // A reason after the verdict ("because ...", "因为 ...") does not end it.
    check("Errors other than NotFound are ignored, but that's fine because this is best-effort cleanup.", "nothing");
    check("除了 NotFound 之外的错误都被吞掉了，这没关系，因为是 best-effort 清理。", "nothing");
    check("Errors other than NotFound are ignored, but it is too minor to worry about.", "nothing");
    check("除了 NotFound 之外的错误都被吞掉了，不算 blocker。", "nothing");
    // "can't happen", "theoretical", and a hedged verdict in the next sentence.
    check("Get then Delete is not atomic, but the store locks, so that can't happen.", "nothing");
    check("Errors other than NotFound are ignored, but it's only a theoretical problem.", "nothing");
    check("Errors other than NotFound are ignored. Hmm, maybe fine.", "nothing");
    check("Errors other than NotFound are ignored; maybe log them.", "swallowed-errors=hit");
    // Praise settles the point.
    check("除了 NotFound 之外的错误都直接返回，调用方自己处理，设计得挺清楚。", "nothing");
    // A verdict on its own subject does not reach back.
    check(
        "The goroutine leaks if ctx is never cancelled, so a fixed timeout is not the fix and a shutdown context is fine",
        "goroutine-lifetime=hit",
    );
}

#[test]
fn a_list_of_finding_names_earns_nothing() {
    check("goroutine leak, race condition, swallowed errors, all must be fixed", "nothing");
    check("goroutine leak and race condition", "nothing");
}

#[test]
fn a_group_may_ask_for_a_denied_concept() {
    // `!test` in a group: "test, denied" ("no test", "没有测试", "nothing tests it").
    let mut d = drill("containerd-shimv1-leak");
    d.findings.iter_mut().find(|f| f.id == "missing-tests").unwrap().hit.push(vec!["!test".into(), "leak-proof".into()]);
    let g = Grader::new(&d);
    let grade = |t: &str| summary(&g.grade(&answers(&d, "testing", t, vec![])));
    assert_eq!(grade("Nothing here tests that the goroutine count goes back down."), "missing-tests=hit");
    assert_eq!(grade("这个改动没有测试来证明泄露没了"), "missing-tests=hit");
    assert_eq!(grade("The test is fine and proves the cleanup."), "nothing");
}

#[test]
fn catalog_drills_define_no_unused_concept() {
    for d in revdrill_catalog::embedded().unwrap() {
        let unused: Vec<String> = revdrill_grader::lint_concepts(&d).iter().map(|e| e.field.clone()).collect();
        assert!(unused.is_empty(), "{}: {unused:?}", d.id);
    }
    let mut d = drill("containerd-shimv1-leak");
    d.concepts.insert("orphan".into(), Default::default());
    assert_eq!(revdrill_grader::lint_concepts(&d).len(), 1);
}

#[test]
fn rewrites_of_weak_comments_read_as_one_comment() {
    let d = drill("containerd-shimv1-leak");
    let g = Grader::new(&d);
    let weak = [
        "the goroutine leaks if ctx is never cancelled. fix it.",
        "You forgot that errors other than NotFound are silently ignored!!",
        "Get then Delete is not atomic, another goroutine can recreate the task in between.",
        "after ctx is cancelled, Get fails with context.Canceled so nothing is deleted",
        "这里 ctx 已经取消了，Get 会直接失败，Delete 不会执行",
        "race?",
    ];
    for text in weak {
        let r = g.grade(&answers(&d, "expression", text, vec![])).comment;
        let Some(rw) = r.rewrite else { panic!("no rewrite for {text}") };
        let labels = ["issue (blocking): ", "issue: ", "suggestion: ", "nit: "];
        assert!(labels.iter().any(|l| rw.starts_with(l)), "label: {rw}");
        assert!(rw.contains('`'), "grounded in code: {rw}");
        assert!(!rw.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "English: {rw}");
        let prose: String = rw.split('`').step_by(2).collect::<Vec<_>>().join("CODE");
        for bad in ["(see", "..", " .", "fix it.", "Fix it.", "?)", "!!"] {
            assert!(!prose.contains(bad), "pasted fragment {bad:?}: {rw}");
        }
        assert!(prose.matches('?').count() <= 1, "one ask: {rw}");
        let last = prose.rsplit(". ").next().unwrap();
        let asks = ["Could ", "Can ", "Should ", "Consider ", "Would "];
        assert!(last.ends_with('?') || asks.iter().any(|a| last.starts_with(a)), "ends with one ask: {rw}");
        let sentences = prose.matches(". ").count() + 1;
        assert!(sentences <= 4, "{sentences} sentences: {rw}");
        println!("{text}\n  => {rw}");
    }
}

#[test]
fn mechanisms_parse_and_drills_inherit_them() {
    let m = revdrill_grader::concepts::mechanisms();
    for name in ["ended-context", "swallowed-error", "check-then-act", "n-plus-one", "path-traversal", "unbounded-input", "retry"]
    {
        assert!(m.contains_key(name), "{name}");
    }
    // Paraphrases from issue 10, understood through the shared mechanisms.
    check(
        "after the wait, the lookup runs on the very context that just ended, so it errors out and the record stays",
        "cancelled-context=hit",
    );
    check("两次调用之间，别人可能已经用同一个 id 建了新的", "check-then-act-race=hit");
    let d = drill("containerd-shimv1-leak");
    let r = Grader::new(&d).grade(&answers(&d, "error-paths", "Get 出了错就这么算了，一点痕迹都没有", vec![]));
    assert_eq!(summary(&r), "swallowed-errors=partial");
    // An include of nothing is an error when the pack loads.
    let mut bad = drill("containerd-shimv1-leak");
    bad.concepts.get_mut("dropped").unwrap().en.push("@no-such-mechanism".into());
    let errs = revdrill_grader::check_concepts(&bad);
    assert!(errs.iter().any(|e| e.message.contains("@no-such-mechanism")), "{errs:?}");
}

#[test]
fn a_closing_verdict_far_from_the_claim_or_in_the_next_sentence_dismisses_it() {
    // Issue 10, gap 1: a verdict clause-final after more than two content words, or as the next
    // short sentence, cancels the claim it evaluates.
    check("The goroutine leaks if ctx is never cancelled, but the leak is the least of our worries.", "nothing");
    check("Get and Delete are not atomic, so it may race. Good enough.", "nothing");
    check("The goroutine leaks if ctx is never cancelled. Not a big deal in practice.", "nothing");
    check("Get 和 Delete 之间不是原子的，可能会有竞态，不过影响不大，可以先合", "nothing");
    check("Get 和 Delete 之间不是原子的，会有竞态。问题不大。", "nothing");
    check("Get 和 Delete 之间不是原子的，会有竞态。先合了再说。", "nothing");
    check("Get 和 Delete 之间不是原子的，会有竞态。无所谓。", "nothing");
    // A positive remark about something else does not cancel a correct claim.
    check("the fix is fine otherwise, but the goroutine leaks if ctx is never cancelled", "goroutine-lifetime=hit");
    check("The goroutine leaks if ctx is never cancelled, otherwise it's fine.", "goroutine-lifetime=hit");
    check("The goroutine leaks if ctx is never cancelled. The rest looks fine.", "goroutine-lifetime=hit");
    check("The goroutine leaks if ctx is never cancelled. Otherwise fine.", "goroutine-lifetime=hit");
    check("goroutine 在 ctx 永远不 cancel 时会泄露。其他没问题。", "goroutine-lifetime=hit");
    // "not good enough" criticises.
    check("The goroutine leaks if ctx is never cancelled, which is not good enough.", "goroutine-lifetime=hit");
}

#[test]
fn no_need_to_dismisses_only_when_it_judges_the_claim() {
    // Issue 10, gap 5: "不需要再 X" with an object of its own negates X, not the finding before it.
    check("除了 NotFound 之外的错误都被吞掉了，不需要再 Get 一遍", "swallowed-errors=hit");
    check("Errors other than NotFound are silently ignored, and there is no need to call Get twice.", "swallowed-errors=hit");
    // Followed by nothing or by a worry word, it judges the claim.
    check("Get 和 Delete 之间有竞态，不过 store 内部有锁，不需要再担心了", "nothing");
    check("Get and Delete are not atomic, but we no longer need to worry about that.", "nothing");
    // A fix proposed with "no need to worry" keeps the claim it fixes.
    check("Get 和 Delete 之间不是原子的，不过在 store 里加锁之后就不需要再担心并发了", "check-then-act-race=hit");
}

#[test]
fn a_bare_fix_on_the_line_earns_a_partial_and_a_stated_mechanism_a_hit() {
    // Issue 10, gap 4: the place raises a partial to a hit only when the comment says what is wrong.
    check_line(258, "use context.WithoutCancel", "cancelled-context=partial");
    check_line(258, "建议用 context.WithoutCancel", "cancelled-context=partial");
    check_line(258, "ctx is already cancelled here, so Get fails; use context.WithoutCancel", "cancelled-context=hit");
    check_line(259, "race?", "check-then-act-race=hit");
}

#[test]
fn negation_and_judgement_bind_to_what_they_govern() {
    // Issue 10, gap 2: "the intended values" describes; it does not dismiss the statement (nor,
    // through "so ...", the one before it); "(e.g." does not end a sentence.
    let d = drill("prometheus-pool-magic-numbers");
    let g = Grader::new(&d);
    let grade = |t: &str| summary(&g.grade(&answers(&d, &d.checklist[0].id, t, vec![])));
    assert_eq!(
        grade(
            "`163` is not a byte size anyone would pick for \"1 KB\", and next to `100e6` it reads like a typo for `1e3`; please use named constants (e.g. `minBufSize = 1e3 // 1 KB`) so the intended values are reviewable."
        ),
        "magic-numbers=hit"
    );
    // "not only X but also Y" claims X.
    check("Get and Delete are not only non-atomic but also racy.", "check-then-act-race=hit");
    // A consequence after the advice states the failure ("otherwise ...").
    check_line(258, "use context.WithoutCancel, otherwise Get and Delete fail on the cancelled ctx", "cancelled-context=hit");
}

#[test]
fn a_dismissal_does_not_hide_a_misconception() {
    // A trap is a misconception; a learner states one with a verdict ("..., and then it's fine"),
    // which cancels findings but not the misconception itself.
    check("Add a 30s timeout with time.After so the goroutine exits, and then it's fine.", "trap timeout-drops-cleanup");
    check("加一个 30 秒的超时，goroutine 就能退出了，所以没问题。", "trap timeout-drops-cleanup");
    // Its `unless` concepts count the same way.
    check(
        "The goroutine leaks if ctx is never cancelled, so a fixed timeout is not the fix and a shutdown context is fine",
        "goroutine-lifetime=hit",
    );
}

#[test]
fn a_bare_closing_sentence_dismisses_the_claim_before_it() {
    // new4: a short closing sentence that only says "leave it" or "fine as written" is a verdict
    // on the statement before it.
    check("Get and Delete are not atomic, so it may race. Fine as written.", "nothing");
    check("Get and Delete are not atomic, so it may race. So I'd leave it.", "nothing");
    check("Get and Delete are not atomic, so it may race. I would leave it as is.", "nothing");
    // Leaving something else as it is keeps the claim.
    check("Get and Delete are not atomic, so it may race. Leave the timeout as is.", "check-then-act-race=hit");
}

#[test]
fn chinese_verdicts_of_reason_and_practice_dismiss() {
    // new4: "也算合理" (reasonable enough) and "实际不会发生" (cannot happen in practice) judge the claim.
    check("Get 和 Delete 之间不是原子的，会有竞态，不过也算合理", "nothing");
    check("Get 和 Delete 之间理论上可能有竞态，但是实际不会发生", "nothing");
    check("Get 和 Delete 之间不是原子的，会有竞态。实际上不会发生。", "nothing");
    check("Get 和 Delete 之间不是原子的，会有竞态，不过应该是故意的，没事。", "nothing");
}

#[test]
fn a_chain_of_short_clauses_is_not_a_list_of_names() {
    // new4: short clauses with a negation or an aspect word state a sequence of events.
    check("Get 报错了，Delete 没执行，task 还在，不会被清理", "task-still-present=partial");
    // Names stay a list, "no" before a noun included.
    check("goroutine 泄漏、竞态、错误被吞、no test", "nothing");
    check("goroutine leak, race condition, swallowed errors, no-cors fetch", "nothing");
}

#[test]
fn a_closing_verdict_on_the_claim_restated_dismisses_it() {
    // new4: the verdict's subject repeats the claim's words ("leaking a few agents").
    check(
        "The goroutine leaks if ctx is never cancelled, but it's a test, so leaking a few goroutines is too minor to worry about.",
        "nothing",
    );
    // A subject of its own is still judged alone.
    check("The goroutine leaks if ctx is never cancelled, so adding a timeout to the select is fine.", "goroutine-lifetime=hit");
}
