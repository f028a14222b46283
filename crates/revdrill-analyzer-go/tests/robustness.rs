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
    let mut src = b"package p\n// \xff\xfe\xc3\n\nfunc f(s *S) {\n\ts.store.Delete(ctx, \"\xe9\")\n}\n".to_vec();
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
