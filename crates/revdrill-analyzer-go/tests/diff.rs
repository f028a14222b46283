//! Diff mode: findings only on added lines, post-image rebuilt from hunks or read from the repo,
//! and GO018 (package without test).

use std::path::Path;

use revdrill_analyzer_go::{Lang, Options, analyze_diff, analyze_diff_with, render};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn check(diff: &str, repo: Option<&Path>, options: &Options) -> String {
    let report = analyze_diff(diff, repo, options);
    render::text(&report.diagnostics, Lang::En)
}

#[test]
fn go018_package_without_test() {
    let options = Options { select: vec!["GO018".into()], ..Options::default() };
    let report = analyze_diff(&fixture("GO018_package_without_test.diff"), None, &options);
    let got: Vec<(String, u32, u32)> = report.diagnostics.iter().map(|d| (d.path.clone(), d.line, d.end_line)).collect();
    // Only the untested package (the tested one and the comment-only change are quiet); the
    // finding spans the first added code line and the comment above it.
    assert_eq!(got, vec![("pkg/untested/worker.go".to_string(), 13, 14)]);
    insta::assert_snapshot!(check(&fixture("GO018_package_without_test.diff"), None, &options));
}

const SMALL: &str = "\
--- a/x.go
+++ b/x.go
@@ -1,6 +1,12 @@
 package x
 
 func f(s *S, ctx context.Context) {
+	s.store.Delete(ctx, \"a\")
 	s.store.Delete(ctx, \"b\")
+	s.store.Delete(ctx, \"c\")
 }
+
+type S struct{ store *T }
+type T struct{}
+func (*T) Delete(ctx context.Context, k string) error { return nil }
";

/// Only added lines are reported: the context line calling `Delete` is not.
#[test]
fn only_added_lines() {
    let options = Options { select: vec!["GO006".into()], ..Options::default() };
    let lines: Vec<u32> = analyze_diff(SMALL, None, &options).diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![4, 6]);
}

/// With a repository whose file matches the diff, the full file is used: a function defined
/// outside the hunks is known to return an error.
#[test]
fn repo_file_is_used_when_it_agrees() {
    let dir = std::env::temp_dir().join(format!("revdrill-analyzer-go-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let diff = "--- a/y.go\n+++ b/y.go\n@@ -3,2 +3,3 @@\n func g() {\n+\tsave()\n }\n";
    let full = "package y\n\nfunc g() {\n\tsave()\n}\n\nfunc save() error { return nil }\n";
    std::fs::write(dir.join("y.go"), full).unwrap();
    let options = Options { select: vec!["GO006".into()], ..Options::default() };
    let without = analyze_diff(diff, None, &options).diagnostics.len();
    let with = analyze_diff(diff, Some(&dir), &options).diagnostics;
    // A file that disagrees with the diff is not used.
    std::fs::write(dir.join("y.go"), "package y\n").unwrap();
    let stale = analyze_diff(diff, Some(&dir), &options).diagnostics.len();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(without, 0);
    assert_eq!(with.iter().map(|d| d.line).collect::<Vec<_>>(), vec![4]);
    assert_eq!(stale, 0);
}

/// Two hunks rebuilt as one text put `work(ctx)` under `case <-ctx.Done():`; with the whole
/// post-change file (as the importer gives it from a commit's blobs) the call is after the
/// `select`, where the context is live.
#[test]
fn whole_post_image_beats_hunks_glued_together() {
    let diff = fixture("GO003_two_hunks.diff");
    let options = Options { select: vec!["GO003".into()], ..Options::default() };
    let glued = analyze_diff(&diff, None, &options);
    assert_eq!(glued.diagnostics.iter().map(|d| d.line).collect::<Vec<_>>(), vec![18], "the hunk-only view is fooled");
    let file = fixture("GO003_two_hunks.go.txt");
    let whole = analyze_diff_with(&diff, &|path| (path == "p.go").then(|| file.clone().into_bytes()), &options);
    assert!(whole.diagnostics.is_empty(), "{:?}", whole.diagnostics);
}
