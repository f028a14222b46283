//! No input makes the analyzer panic: garbage, binary, non-UTF-8, deep nesting, huge files,
//! truncated Go, and odd diffs.

use revdrill_analyzer_go::{Options, analyze_diff, analyze_source};

fn all_rules(src: &[u8]) -> usize {
    analyze_source("x.go", src, &Options::default()).len()
}

#[test]
fn binary_is_skipped() {
    let bin: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    assert_eq!(all_rules(&bin), 0);
}

#[test]
fn non_utf8_is_analysed_with_replacement() {
    let mut src = b"package p\n// \xff\xfe\xc3\n\nfunc f(s *S) {\n\ts.store.Delete(ctx, \"\xe9\")\n}\ntype S struct{ store *T }\ntype T struct{}\nfunc (*T) Delete(ctx context.Context, k string) error { return nil }\n".to_vec();
    let d = analyze_source("x.go", &src, &Options::default());
    assert_eq!(d.iter().map(|d| d.line).collect::<Vec<_>>(), vec![5]);
    src.truncate(30);
    all_rules(&src);
}

#[test]
fn garbage_and_truncated_go() {
    let seed = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/GO001_goroutine_blocked_forever.go")).unwrap();
    // Every prefix of a real file, and a few shuffles of its bytes.
    for end in (0..seed.len()).step_by(37) {
        all_rules(&seed[..end]);
    }
    let mut state = 0x2545F491u32;
    for _ in 0..50 {
        let mut s = seed.clone();
        for _ in 0..40 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let i = state as usize % s.len();
            let j = (state >> 8) as usize % s.len();
            s.swap(i, j);
        }
        all_rules(&s);
    }
    for junk in ["}}}}{{{{", "go func(", "select {", "for { select { default: } ", "func (", "<-<-<-ctx.Done()", "go go go"] {
        all_rules(junk.as_bytes());
    }
}

#[test]
fn deep_nesting() {
    let mut s = String::from("package p\nfunc f() {\n");
    s.push_str(&"if x {\n".repeat(3000));
    s.push_str("mu.Lock()\nreturn\n");
    s.push_str(&"}\n".repeat(3000));
    s.push_str("}\n");
    all_rules(s.as_bytes());
    // Long `&&` chains and `==` chains: left-deep trees.
    let chain = format!(
        "package p\nfunc f() {{\n\tif err != nil{} {{\n\t}}\n\tx := a{}\n}}\n",
        " && errdefs.IsNotFound(err)".repeat(50_000),
        " == b".repeat(50_000)
    );
    all_rules(chain.as_bytes());
    let parens = format!("package p\nvar x = {}1{}\n", "(".repeat(20000), ")".repeat(20000));
    all_rules(parens.as_bytes());
}

#[test]
fn huge_file_is_skipped_past_the_limit() {
    let body = "func f() { ch := make(chan int); go func() { ch <- 1 }() }\n".repeat(2000);
    let src = format!("package p\n{body}");
    let options = Options { max_file_bytes: 1024, ..Options::default() };
    assert_eq!(analyze_source("x.go", src.as_bytes(), &options).len(), 0);
    // Within the limit the same file is analysed: one finding per function.
    assert_eq!(all_rules(src.as_bytes()), 2000);
}

#[test]
fn odd_diffs() {
    for diff in [
        "",
        "@@ -1 +1 @@\n+x",
        "+++ b/x.go\n@@ -0,0 +1,3 @@\n+package p\n+func f() {\n+\tgo func() { select {} }()",
        "--- a/x.go\n+++ b/x.go\n@@ -99999999999,1 +4294967295,2 @@\n+a\n+b\n",
        "--- a/x.go\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-package p\n",
        "diff --git a/x.go b/x.go\nBinary files differ\n",
        "--- a/x.go\r\n+++ b/x.go\r\n@@ -1,1 +1,2 @@\r\n package p\r\n+func f() { select {} }\r\n",
    ] {
        analyze_diff(diff, None, &Options::default());
    }
}

/// Runs every rule on `src` in a thread and says whether it finished within `secs`. The bound
/// is generous (debug build, shared machine): it tells "linear" from "does not finish", and the
/// speed itself is measured in the bench.
fn finishes_within(secs: u64, src: String) -> bool {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let n = all_rules(src.as_bytes());
        let _ = tx.send(n);
    });
    rx.recv_timeout(std::time::Duration::from_secs(secs)).is_ok()
}

/// Issue 9 item 9: GO004 walked every `if` body from every enclosing `if`, so its cost grew with
/// the square of the nesting depth (16,000 levels took 5.5 s in release, 50,000 did not finish).
#[test]
fn deep_if_nesting_is_linear() {
    // A lookup in every condition and a change of the same key at the bottom: every level is a
    // candidate check-then-act.
    let depth = 50_000;
    let mut s = String::from("package p\nfunc (s *S) f(k string) {\n");
    s.push_str(&"if _, ok := s.m.Get(k); !ok {\n".repeat(depth));
    s.push_str("s.m.Delete(k)\n");
    s.push_str(&"}\n".repeat(depth));
    s.push_str("}\n");
    assert!(finishes_within(120, s), "{depth} nested `if` with a check-then-act did not finish");
    // An act at every level.
    let depth = 16_000;
    let mut s = String::from("package p\nfunc (s *S) f(k string) {\n");
    s.push_str(&"if s.m.Has(k) {\ns.m.Set(k, 1)\n".repeat(depth));
    s.push_str(&"}\n".repeat(depth));
    s.push_str("}\n");
    assert!(finishes_within(120, s.clone()), "{depth} nested `if` with an act on each level did not finish");
    // Such a file is not analysed, and says so.
    let diff =
        format!("--- a/deep.go\n+++ b/deep.go\n@@ -0,0 +1,{} @@\n+{}", s.lines().count(), s.trim_end().replace('\n', "\n+"));
    let report = analyze_diff(&diff, None, &Options::default());
    let notes: Vec<&str> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(notes, vec![revdrill_analyzer_go::SKIP_TOO_DEEP]);
    // Within the depth limit GO004 still finds the race, once per `if` that decides on a lookup.
    let depth = 150;
    let mut s = String::from("package p\nfunc (s *S) f(k string) {\n");
    s.push_str(&"if s.m.Has(k) {\ns.m.Set(k, 1)\n".repeat(depth));
    s.push_str(&"}\n".repeat(depth));
    s.push_str("}\n");
    let options = Options { select: vec!["GO004".into()], ..Options::default() };
    assert_eq!(analyze_source("x.go", s.as_bytes(), &options).len(), depth);
}

/// Siblings of item 9: other nestings every rule walks (loops, closures, selects, locks).
#[test]
fn deep_nesting_of_other_statements_is_linear() {
    let depth = 16_000;
    let shapes = [
        ("for {\nmu.Lock()\n", "}\n"),
        ("go func() {\nch <- 1\n", "}()\n"),
        ("if err := s.c.Delete(k); errdefs.IsNotFound(err) {\ns.c.Close()\n", "}\n"),
        ("select {\ncase <-ctx.Done():\n", "}\n"),
        ("defer func() {\ns.mu.Lock()\n", "}()\n"),
        ("switch {\ncase x:\nwg.Wait()\n", "}\n"),
    ];
    for (open, close) in shapes {
        let mut s = String::from("package p\nfunc (s *S) f(ctx context.Context, k string) {\n");
        s.push_str(&open.repeat(depth));
        s.push_str(&close.repeat(depth));
        s.push_str("}\n");
        assert!(finishes_within(120, s), "{depth} x {open:?} did not finish");
    }
}

/// Issue 9 item 10: a file is read at most up to the size limit (`/dev/zero` never ends).
#[cfg(unix)]
#[test]
fn endless_file_is_capped_while_reading() {
    let options = Options { max_file_bytes: 1 << 20, ..Options::default() };
    let report = revdrill_analyzer_go::analyze_paths(&["/dev/zero".into()], &options);
    assert_eq!(report.files, 0);
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(report.skipped[0].reason, revdrill_analyzer_go::SKIP_TOO_LARGE);
    let endless = std::io::repeat(b'x');
    assert_eq!(revdrill_analyzer_go::read_capped(endless, 10).unwrap(), None);
    assert_eq!(revdrill_analyzer_go::read_capped(&b"0123456789"[..], 10).unwrap().map(|b| b.len()), Some(10));
}

/// Issue 9 item 15: a symlinked or oversized `.go` file is skipped with a note, never silently.
#[cfg(unix)]
#[test]
fn symlinked_and_oversized_files_are_noted() {
    let dir = std::env::temp_dir().join(format!("revdrill-analyzer-skip-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("pkg/a.go"), "package pkg\n").unwrap();
    std::fs::write(dir.join("pkg/big.go"), format!("package pkg\n{}", "// padding\n".repeat(200))).unwrap();
    std::os::unix::fs::symlink(dir.join("pkg/a.go"), dir.join("pkg/link.go")).unwrap();
    let options = Options { max_file_bytes: 1024, ..Options::default() };
    let report = revdrill_analyzer_go::analyze_paths(std::slice::from_ref(&dir), &options);
    let notes: Vec<(String, String)> =
        report.skipped.iter().map(|s| (s.path.file_name().unwrap().to_string_lossy().into_owned(), s.reason.clone())).collect();
    assert_eq!(
        notes,
        vec![
            ("big.go".to_string(), revdrill_analyzer_go::SKIP_TOO_LARGE.to_string()),
            ("link.go".to_string(), revdrill_analyzer_go::SKIP_SYMLINK.to_string())
        ]
    );
    assert_eq!(report.files, 1);

    // The same files named by a diff, read from the repository.
    let diff = "--- a/pkg/big.go\n+++ b/pkg/big.go\n@@ -1,1 +1,2 @@\n package pkg\n+// padding\n--- a/pkg/link.go\n+++ b/pkg/link.go\n@@ -1,1 +1,2 @@\n package pkg\n+var x = 1\n--- a/../x.go\n+++ b/../x.go\n@@ -0,0 +1,1 @@\n+package x\n";
    let report = analyze_diff(diff, Some(&dir), &options);
    let notes: Vec<(String, String)> =
        report.skipped.iter().map(|s| (s.path.to_string_lossy().into_owned(), s.reason.clone())).collect();
    assert_eq!(
        notes,
        vec![
            ("../x.go".to_string(), revdrill_analyzer_go::SKIP_OUTSIDE.to_string()),
            ("pkg/big.go".to_string(), revdrill_analyzer_go::SKIP_TOO_LARGE.to_string()),
            ("pkg/link.go".to_string(), revdrill_analyzer_go::SKIP_SYMLINK.to_string()),
        ]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 9 item 15: text that is not a diff is an error, not "0 findings".
#[test]
fn text_that_is_not_a_diff_is_an_error() {
    for text in ["hello world\n", "package p\n\nfunc f() {}\n", "\u{0}\u{1}binary"] {
        let report = analyze_diff(text, None, &Options::default());
        assert_eq!(report.errors.len(), 1, "{text:?}");
        assert_eq!(report.errors[0].reason, revdrill_analyzer_go::NOT_A_DIFF);
    }
    // An empty diff (no changes) and a diff of binary files only are diffs.
    for text in ["", "\n", "diff --git a/x.png b/x.png\nBinary files differ\n"] {
        assert!(analyze_diff(text, None, &Options::default()).errors.is_empty(), "{text:?}");
    }
}
