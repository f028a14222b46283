//! Imports from small repositories built with the `git` CLI, one per edge case; every pack
//! that is written must load and grade.

use std::path::{Path, PathBuf};
use std::process::Command;

use revdrill_grader::{Grader, check_concepts};
use revdrill_import::{ImportError, Imported, Options, import_commit, import_patch};
use revdrill_pack::{AnswerSet, load_dir};

struct Repo {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("repo");
        std::fs::create_dir(&path).unwrap();
        let r = Repo { _tmp: tmp, path };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.com",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "core.autocrlf=false",
                "-c",
                "protocol.file.allow=always",
            ])
            .args(args)
            .current_dir(&self.path)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self._tmp.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn write(&self, path: &str, bytes: impl AsRef<[u8]>) {
        let p = self.path.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }
}

const BASE_GO: &str = "package shim\n\nimport \"context\"\n\ntype Service struct{ tasks Store }\n\nfunc (s *Service) Start(ctx context.Context) error {\n\treturn nil\n}\n\n// Store keeps task records.\ntype Store interface {\n\tGet(ctx context.Context, id string) (string, error)\n\tDelete(ctx context.Context, id string) error\n}\n";

const LEAKY_GO: &str = "package shim\n\nimport \"context\"\n\ntype Service struct{ tasks Store }\n\nfunc (s *Service) Start(ctx context.Context) error {\n\treturn nil\n}\n\n// waitOrphaned drops the record once ctx ends.\nfunc (s *Service) waitOrphaned(ctx context.Context, id string) {\n\tgo func() {\n\t\t<-ctx.Done()\n\t\tif _, err := s.tasks.Get(ctx, id); err != nil && errdefs.IsNotFound(err) {\n\t\t\ts.tasks.Delete(ctx, id)\n\t\t}\n\t}()\n}\n\n// Store keeps task records.\ntype Store interface {\n\tGet(ctx context.Context, id string) (string, error)\n\tDelete(ctx context.Context, id string) error\n}\n";

/// Writes the pack, loads it back, checks its concepts and grades an empty and a keyword answer.
fn check_pack(imp: &Imported) -> revdrill_pack::Drill {
    let out = tempfile::tempdir().unwrap();
    let folder = imp.write(out.path()).unwrap();
    let drill = load_dir(&folder).unwrap_or_else(|e| panic!("{e}\n{}", imp.drill_toml));
    assert!(check_concepts(&drill).is_empty(), "{:?}", check_concepts(&drill));
    let grader = Grader::new(&drill);
    let empty = AnswerSet { drill: drill.id.clone(), answers: Default::default(), comments: Vec::new() };
    assert_eq!(grader.grade(&empty).score, 0);
    // Writing again must refuse to overwrite.
    assert!(matches!(imp.write(out.path()), Err(ImportError::Exists { .. })));
    drill
}

fn ids(drill: &revdrill_pack::Drill) -> String {
    let findings: Vec<String> = drill.findings.iter().map(|f| format!("{}{:?}", f.id, f.rules)).collect();
    let items: Vec<&str> = drill.checklist.iter().map(|c| c.id.as_str()).collect();
    format!("findings: {} | checklist: {}", findings.join(" "), items.join(" "))
}

#[test]
fn plain_commit_drafts_findings_from_the_analyzer() {
    let r = Repo::new();
    r.write("shim/service.go", BASE_GO);
    r.commit("init");
    r.write("shim/service.go", LEAKY_GO);
    r.write("go.sum", "example.com/x v1.0.0 h1:abc=\n");
    let sha = r.commit(
        "fix: shimv1 leak issue\n\nRemove the task record once the container is gone.\n\nSigned-off-by: T <t@example.com>",
    );
    let imp = import_commit(&r.path, "HEAD", &Options::default()).unwrap();
    assert_eq!(imp.id, format!("fix-shimv1-leak-issue-{}", &sha[..7]));
    let drill = check_pack(&imp);
    assert_eq!(drill.title, "fix: shimv1 leak issue");
    assert_eq!(drill.purpose.en, "Remove the task record once the container is gone.");
    assert!(drill.source.starts_with("git:") && drill.source.ends_with(&format!("@{sha}")), "{}", drill.source);
    assert!(drill.tags.contains(&"drafted".to_string()));
    assert_eq!(imp.dropped.iter().map(|d| (d.path.as_str(), d.why.0)).collect::<Vec<_>>(), [("go.sum", "lock file")]);
    assert!(imp.drill_toml.contains("# not shown: go.sum (lock file)"));
    assert_eq!(
        ids(&drill),
        "findings: goroutine-waits-only-on-context[\"GO002\"] cancelled-context-use[\"GO003\"] check-then-act[\"GO004\"] partial-error-handling[\"GO005\"] missing-tests[\"GO018\"] | checklist: concurrency error-paths testing expression"
    );
    assert_eq!(drill.checklist.last().unwrap().kind, revdrill_pack::ItemKind::Comment);
    // A learner naming the leak and the cancelled context earns points.
    let mut answers = std::collections::BTreeMap::new();
    answers.insert(
        "concurrency".to_string(),
        "The goroutine can leak forever because nobody may cancel ctx; it only exits on `ctx.Done`.".to_string(),
    );
    answers.insert(
        "error-paths".to_string(),
        "After `<-ctx.Done` the calls use an already cancelled context, so `s.tasks.Get` fails with context.Canceled."
            .to_string(),
    );
    let a = AnswerSet { drill: drill.id.clone(), answers, comments: Vec::new() };
    assert!(Grader::new(&drill).grade(&a).score > 0);
}

#[test]
fn github_remote_becomes_the_source_url() {
    let r = Repo::new();
    r.write("a.go", BASE_GO);
    r.commit("init");
    r.write("a.go", LEAKY_GO);
    let sha = r.commit("leak");
    r.git(&["remote", "add", "origin", "git@github.com:acme/shim.git"]);
    let imp = import_commit(&r.path, &sha[..10], &Options { id: Some("my-drill".into()), ..Options::default() }).unwrap();
    let drill = check_pack(&imp);
    assert_eq!(drill.id, "my-drill");
    assert_eq!(drill.source, format!("https://github.com/acme/shim/commit/{sha}"));
}

#[test]
fn root_commit_diffs_against_the_empty_tree() {
    let r = Repo::new();
    r.write("main.go", "package main\n\nfunc main() {}\n");
    r.write("main_test.go", "package main\n\nimport \"testing\"\n\nfunc TestMain(t *testing.T) {}\n");
    r.commit("initial import");
    let imp = import_commit(&r.path, "HEAD", &Options::default()).unwrap();
    assert!(imp.diff.contains("new file mode 100644\n--- /dev/null\n+++ b/main.go\n@@ -0,0 +1,3 @@\n"), "{}", imp.diff);
    assert!(imp.notes[0].0.starts_with("Root commit"));
    let drill = check_pack(&imp);
    assert_eq!(ids(&drill), "findings: test-coverage[] | checklist: testing expression");
    assert!(drill.new_logic.en[0].starts_with("Root commit"));
}

#[test]
fn merge_commit_diffs_against_the_first_parent() {
    let r = Repo::new();
    r.write("a.go", BASE_GO);
    r.commit("init");
    r.git(&["checkout", "-q", "-b", "side"]);
    r.write("b.go", "package shim\n\nfunc B() int { return 2 }\n");
    r.commit("side");
    r.git(&["checkout", "-q", "main"]);
    r.write("c.go", "package shim\n\nfunc C() int { return 3 }\n");
    r.commit("main");
    r.git(&["-c", "user.name=T", "merge", "-q", "--no-ff", "-m", "Merge branch side", "side"]);
    let imp = import_commit(&r.path, "HEAD", &Options::default()).unwrap();
    let paths: Vec<&str> = imp.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["b.go"], "only what the merge brings to the first parent");
    assert!(imp.notes[0].0.starts_with("Merge commit with 2 parents: the diff is against the first parent"));
    check_pack(&imp);
}

#[test]
fn rename_deleted_binary_and_submodule() {
    let sub = Repo::new();
    sub.write("x.txt", "x\n");
    let s1 = sub.commit("s1");
    let r = Repo::new();
    let body: String = (1..=30).map(|i| format!("func F{i}() int {{ return {i} }}\n")).collect();
    r.write("old/name.go", format!("package p\n\n{body}"));
    r.write("gone.go", "package p\n\nfunc Gone() {}\n");
    r.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0data");
    r.git(&["submodule", "add", "-q", sub.path.to_str().unwrap(), "deps/sub"]);
    r.commit("init");
    sub.write("x.txt", "y\n");
    let s2 = sub.commit("s2");
    r.git(&["-C", "deps/sub", "fetch", "-q"]);
    r.git(&["-C", "deps/sub", "checkout", "-q", &s2]);
    std::fs::remove_file(r.path.join("old/name.go")).unwrap();
    r.write("new/name.go", format!("package p\n\n{body}func F31() int {{ return 31 }}\n"));
    r.git(&["rm", "-q", "gone.go"]);
    r.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0other");
    r.commit("rename, delete, binary, submodule");
    let imp = import_commit(&r.path, "HEAD", &Options::default()).unwrap();
    assert!(
        imp.diff.contains(
            "diff --git a/old/name.go b/new/name.go\nsimilarity index 98%\nrename from old/name.go\nrename to new/name.go\n"
        ),
        "{}",
        imp.diff
    );
    assert!(imp.diff.contains("deleted file mode 100644\n--- a/gone.go\n+++ /dev/null\n"));
    let dropped: Vec<(&str, &str)> = imp.dropped.iter().map(|d| (d.path.as_str(), d.why.0)).collect();
    assert_eq!(dropped, [("deps/sub", "submodule moved to another commit"), ("logo.png", "binary file")]);
    assert_ne!(s1, s2);
    let drill = check_pack(&imp);
    assert!(drill.new_logic.en.iter().any(|l| l.contains("`new/name.go` (renamed from `old/name.go`)")));
}

#[test]
fn non_utf8_and_crlf_content() {
    let r = Repo::new();
    r.write("latin1.go", b"package p\n\n// caf\xe9\nfunc A() {}\n");
    r.write("dos.go", "package p\r\n\r\nfunc B() {}\r\n");
    r.commit("init");
    r.write("latin1.go", b"package p\n\n// caf\xe9 cr\xe8me\nfunc A() {}\n");
    r.write("dos.go", "package p\r\n\r\nfunc B() {}\r\n\r\nfunc C() {}\r\n");
    r.commit("latin-1 and CRLF");
    let imp = import_commit(&r.path, "HEAD", &Options::default()).unwrap();
    assert!(imp.diff.contains("+// caf\u{fffd} cr\u{fffd}me\n"));
    assert!(!imp.diff.contains('\r'));
    let notes: Vec<&str> = imp.notes.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(notes[0].contains("CRLF") && notes[1].contains("not UTF-8"));
    check_pack(&imp);
}

#[test]
fn three_hundred_files_need_path() {
    let r = Repo::new();
    r.write("README", "x\n");
    r.commit("init");
    for i in 0..300 {
        let lines: String = (0..=i % 7).map(|k| format!("func F{k}() {{}}\n")).collect();
        r.write(&format!("pkg/m{:03}/f.go", i), format!("package m\n\n{lines}"));
    }
    r.commit("add 300 packages");
    let err = import_commit(&r.path, "HEAD", &Options::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("the change touches 300 files (more than 40): pick the ones to review with --path GLOB; the largest are: pkg/m006/f.go (9 lines)"), "{msg}");
    let picked = Options { paths: vec!["pkg/m00*/**".into()], ..Options::default() };
    let imp = import_commit(&r.path, "HEAD", &picked).unwrap();
    assert_eq!(imp.files.len(), 10);
    assert_eq!(imp.dropped.len(), 290);
    check_pack(&imp);
    let none = Options { paths: vec!["nothing/**".into()], ..Options::default() };
    assert!(matches!(import_commit(&r.path, "HEAD", &none), Err(ImportError::NoPathMatches { .. })));
    let outside = Options { paths: vec!["../etc/*".into()], ..Options::default() };
    assert_eq!(
        import_commit(&r.path, "HEAD", &outside).unwrap_err().to_string(),
        "--path `../etc/*` points outside the repository: give a path relative to its root"
    );
}

#[test]
fn bare_repository_and_bad_input() {
    let r = Repo::new();
    r.write("a.go", BASE_GO);
    r.commit("init");
    r.write("a.go", LEAKY_GO);
    r.commit("leak");
    let bare = r._tmp.path().join("bare.git");
    r.git(&["clone", "-q", "--bare", r.path.to_str().unwrap(), bare.to_str().unwrap()]);
    check_pack(&import_commit(&bare, "main~0", &Options::default()).unwrap());

    let unknown = import_commit(&r.path, "no-such-branch", &Options::default()).unwrap_err();
    assert!(unknown.to_string().starts_with("there is no commit `no-such-branch` in"), "{unknown}");
    assert!(unknown.to_string().ends_with(": no branch, tag or commit id has that name"), "{unknown}");
    let not_repo = tempfile::tempdir().unwrap();
    let err = import_commit(not_repo.path(), "HEAD", &Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::NotARepository { .. }), "{err}");
    assert!(err.to_string().contains("is not a git repository"));
    let bad_id = import_commit(&r.path, "HEAD", &Options { id: Some("Bad Id".into()), ..Options::default() }).unwrap_err();
    assert_eq!(bad_id.to_string(), "`Bad Id` is not a drill id: use lower-case letters, digits and `-`");
    let only_lock = Repo::new();
    only_lock.write("go.sum", "a\n");
    only_lock.commit("deps");
    let err = import_commit(&only_lock.path, "HEAD", &Options::default()).unwrap_err();
    assert_eq!(err.to_string(), "nothing left to review: every changed file was dropped: go.sum (lock file)");
}

#[test]
fn format_patch_and_plain_diff() {
    let r = Repo::new();
    r.write("shim/service.go", BASE_GO);
    r.commit("init");
    r.write("shim/service.go", LEAKY_GO);
    r.write("shim/service_test.go", "package shim\n\nimport \"testing\"\n\nfunc TestX(t *testing.T) {}\n");
    let sha = r.commit("fix: shimv1 leak issue\n\nWatch orphaned tasks.");
    let out = r.git(&["format-patch", "-1", "HEAD", "-o", "../patches"]);
    let patch = Path::new(&r.path).join(out.lines().next().unwrap().trim());
    let patch = if patch.exists() { patch } else { PathBuf::from(out.lines().next().unwrap().trim()) };
    let imp = import_patch(&patch, &Options::default()).unwrap();
    assert_eq!(imp.id, format!("fix-shimv1-leak-issue-{}", &sha[..7]));
    let drill = check_pack(&imp);
    assert_eq!(drill.title, "fix: shimv1 leak issue");
    assert_eq!(drill.purpose.en, "Watch orphaned tasks.");
    assert!(drill.source.starts_with("file://"));
    assert!(!imp.diff.contains("\n-- \n"), "signature dropped");
    assert!(ids(&drill).ends_with("test-coverage[] | checklist: concurrency error-paths testing expression"), "{}", ids(&drill));
    assert_eq!(imp.files.len(), 2);

    // The same diff without any header.
    let plain = r._tmp.path().join("plain.diff");
    std::fs::write(&plain, r.git(&["diff", "HEAD~1", "HEAD", "--", "shim/service.go"]) + "\n").unwrap();
    let imp = import_patch(&plain, &Options::default()).unwrap();
    assert_eq!(imp.id, "plain");
    check_pack(&imp);
    let not_patch = r._tmp.path().join("notes.txt");
    std::fs::write(&not_patch, "hello\n").unwrap();
    assert!(
        import_patch(&not_patch, &Options::default())
            .unwrap_err()
            .to_string()
            .ends_with("is not a patch: no `diff --git` or `---`/`+++` file header found")
    );
}

#[test]
fn a_revision_past_the_root_says_the_history_is_too_short() {
    // Before: "delegate.traverse(NthAncestor(99)) failed".
    let r = Repo::new();
    r.write("a.go", BASE_GO);
    r.commit("init");
    r.write("a.go", LEAKY_GO);
    r.commit("leak");
    let err = import_commit(&r.path, "HEAD~99", &Options::default()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("there is no commit `HEAD~99` in"), "{msg}");
    assert!(msg.ends_with(": the history is too short: `HEAD` has only 1 commit(s) before it"), "{msg}");
    assert!(!msg.contains("NthAncestor"), "{msg}");
    if let ImportError::UnknownRevision { why, .. } = &err {
        assert_eq!(why.zh(), "历史不够长：`HEAD` 之前只有 1 个提交");
    }
    // The last commit that exists still imports.
    check_pack(&import_commit(&r.path, "HEAD~1", &Options::default()).unwrap());
}

#[test]
fn a_binary_file_is_refused_as_a_patch_naming_it() {
    // Before: the bytes were read as (lossy) text and any `---`/`+++` pair in them made a patch.
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("tool.bin");
    let mut bytes = b"\x7fELF\0\0\0\n--- a/x.go\n+++ b/x.go\n@@ -1 +1 @@\n-a\n+b\n".to_vec();
    bytes.extend([0u8; 64]);
    std::fs::write(&bin, bytes).unwrap();
    let err = import_patch(&bin, &Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::BinaryPatch { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        format!("`{}` is a binary file, not a patch: give a `git format-patch` file or a unified diff", bin.display())
    );
}

#[test]
fn control_characters_in_a_subject_never_reach_the_pack() {
    // Before: the subject went into `title` as `\u001B...`, and the drill printed it raw.
    let tmp = tempfile::tempdir().unwrap();
    let patch = tmp.path().join("evil.patch");
    let subject = "fix\u{1b}]0;pwned\u{7} the\u{9b}2J leak\u{1b}[2J";
    let text = format!(
        "From 1a2b3c4d5e6f Mon Sep 17 00:00:00 2001\nSubject: [PATCH] {subject}\n\nBody \u{1b}]52;c;aGk=\u{7} here.\n---\n\
         --- a/shim/service.go\n+++ b/shim/service.go\n@@ -1,3 +1,4 @@\n package shim\n+// x\n \n import \"context\"\n"
    );
    std::fs::write(&patch, text).unwrap();
    let imp = import_patch(&patch, &Options::default()).unwrap();
    assert!(!imp.drill_toml.chars().any(|c| c.is_control() && c != '\n'), "{}", imp.drill_toml);
    assert!(!imp.drill_toml.contains("\\u001B"), "{}", imp.drill_toml);
    let drill = check_pack(&imp);
    assert_eq!(drill.title, "fix ]0;pwned  the 2J leak [2J");
    for text in [&drill.title, &drill.purpose.en, &drill.purpose.zh] {
        assert!(!text.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{text:?}");
    }
}

#[cfg(unix)]
#[test]
fn an_endless_patch_is_read_only_up_to_the_cap() {
    // Before: `fs::read` of /dev/zero grew until memory ran out.
    let err = import_patch(Path::new("/dev/zero"), &Options::default()).unwrap_err();
    assert!(matches!(err, ImportError::BinaryPatch { .. }), "{err}");
}
