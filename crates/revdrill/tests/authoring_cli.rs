//! Authoring tools end to end: `packs new` scaffolds a drill that `packs check` loads and
//! reports as not ready (never a crash), `packs check` lists what each drill lacks to ship,
//! and `list` sums up the catalog.

mod common;
use common::revdrill_in;

use std::path::Path;

fn revdrill(dir: &Path, args: &[&str]) -> (i32, String, String) {
    revdrill_in(dir, args, "")
}

const LANGUAGES: [&str; 5] = ["go", "rust", "python", "java", "typescript"];

#[test]
fn packs_new_scaffolds_a_drill_per_language_that_check_reports_as_not_ready() {
    let tmp = tempfile::tempdir().unwrap();
    for l in LANGUAGES {
        let (code, out, err) = revdrill(tmp.path(), &["packs", "new", &format!("new-{l}"), "--language", l, "-o", "pack"]);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(&format!("wrote pack/new-{l}")), "{out}");
        for f in ["drill.toml", "change.diff", "AUDIT.md", "answers/README.md"] {
            assert!(tmp.path().join(format!("pack/new-{l}/{f}")).is_file(), "{l}: {f}");
        }
    }
    let (code, out, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    assert_eq!(code, 0, "a scaffold is valid but not ready:\n{out}\n{err}");
    assert!(out.contains("5 drills valid, 0 problems"), "{out}");
    assert!(out.contains("0 of 5 drills ready to ship"), "{out}");
    for l in LANGUAGES {
        let line = err.lines().find(|x| x.contains(&format!("pack/new-{l}/drill.toml: not ready to ship:"))).expect(&err);
        for gap in ["1 findings (medium needs ≥ 4)", "TODO left in purpose", "no answers/model-en.json", "no labelled corpus"] {
            assert!(line.contains(gap), "{l}: `{gap}` missing in {line}");
        }
        assert!(!line.contains("no trap") && !line.contains("no decoy"), "the scaffold has both: {line}");
    }
    // The scaffold can be shown (and so drilled) at once.
    let (code, out, err) = revdrill(tmp.path(), &["--packs", "pack", "show", "new-python"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("TODO"), "{out}");
    // An existing folder is never overwritten; a bad id is refused.
    let (code, _, err) = revdrill(tmp.path(), &["packs", "new", "new-go", "--language", "go", "-o", "pack"]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    let (code, _, err) = revdrill(tmp.path(), &["packs", "new", "Bad Id", "--language", "go", "-o", "pack"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a drill id"), "{err}");
    let (_, out, err) = revdrill(tmp.path(), &["--lang", "zh", "packs", "check", "pack/new-go"]);
    assert!(err.contains("尚不能发布") && err.contains("没有标注语料"), "{err}");
    assert!(out.contains("1 个 drill 中 0 个可以发布"), "{out}");
}

#[test]
fn packs_check_lists_what_each_drill_lacks() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = revdrill(tmp.path(), &["packs", "new", "easy-one", "--language", "go", "-o", "pack"]);
    assert_eq!(code, 0, "{err}");
    let toml = tmp.path().join("pack/easy-one/drill.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    // An easy drill with its texts written, but one risk left in English only, no trap, no decoy.
    let cut = text.find("[[traps]]").unwrap();
    let easy = text[..cut]
        .replace("difficulty = \"medium\"", "difficulty = \"easy\"")
        .replace("zh = \"TODO：会出什么问题，什么时候。\"", "zh = \"what goes wrong\"")
        .replace("TODO: ", "")
        .replace("TODO：", "写好：")
        .replace("issue: TODO", "issue: done")
        .replace("https://github.com/TODO/TODO/pull/0", "https://github.com/example/example/pull/1");
    std::fs::write(&toml, easy).unwrap();
    // A corpus file for another drill does not count; one naming this drill does (in the
    // format of docs/pack-format.md, "Corpus").
    let (code, _, err) = revdrill(tmp.path(), &["packs", "new", "other-one", "--language", "go", "-o", "pack"]);
    assert_eq!(code, 0, "{err}");
    let corpus = |id: &str| {
        format!(
            "drill = \"{id}\"\n\n[[case]]\nanswer = \"todo concept\"\nitem = \"main\"\nlang = \"en\"\nkind = \"strong\"\nexpect = {{ todo-finding = \"found\" }}\n"
        )
    };
    std::fs::create_dir_all(tmp.path().join("pack/corpus/batch1")).unwrap();
    std::fs::write(tmp.path().join("pack/corpus/other.toml"), corpus("other-one")).unwrap();
    let (_, _, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    let line = err.lines().find(|x| x.contains("easy-one/drill.toml: not ready")).expect(&err);
    assert!(line.contains("no labelled corpus (corpus/*.toml)"), "{line}");
    std::fs::write(tmp.path().join("pack/corpus/batch1/easy.toml"), corpus("easy-one")).unwrap();
    let (code, out, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let line = err.lines().find(|x| x.contains("easy-one/drill.toml: not ready to ship")).expect(&err);
    assert!(line.contains("1 findings (easy needs ≥ 2)"), "{line}");
    assert!(line.contains("no Chinese in findings[0].risk.zh"), "{line}");
    assert!(!line.contains("TODO left"), "{line}");
    assert!(!line.contains("no trap") && !line.contains("no decoy"), "easy drills need neither: {line}");
    assert!(!line.contains("no labelled corpus") && !line.contains("AUDIT.md"), "{line}");
    // A corpus is not enough: the drill ships when the last fresh batch recorded for it in
    // corpus/series.toml met the goal before tuning.
    assert!(line.contains("no fresh blind batch recorded in corpus/series.toml"), "{line}");
    let series = |before: &str| {
        format!(
            "[[batch]]\nid = \"batch1\"\nscored_at = \"abc1234\"\ndrills.easy-one = {{ before = {before}, floor = [0.9, 0.1] }}\n"
        )
    };
    let series_path = tmp.path().join("pack/corpus/series.toml");
    std::fs::write(&series_path, series("[0.949, 0.01]")).unwrap();
    let (code, out, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let line = err.lines().find(|x| x.contains("easy-one/drill.toml: not ready to ship")).expect(&err);
    assert!(line.contains("last fresh batch `batch1` scored 0.949 / 0.010 before tuning (goal ≥ 0.95 / ≤ 0.03)"), "{line}");
    assert!(out.contains("last fresh batch `batch1` before tuning 0.949 / 0.010: below the goal"), "{out}");
    std::fs::write(&series_path, series("[0.95, 0.03]")).unwrap();
    let (_, out, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    let line = err.lines().find(|x| x.contains("easy-one/drill.toml: not ready to ship")).expect(&err);
    assert!(!line.contains("batch"), "the goal is met: {line}");
    assert!(out.contains("before tuning 0.950 / 0.030: meets the goal"), "{out}");
    // A broken series is a problem naming the file.
    std::fs::write(&series_path, series("[0.95, 3.0]")).unwrap();
    let (code, _, err) = revdrill(tmp.path(), &["packs", "check", "pack"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("corpus/series.toml") && err.contains("within 0 and 1"), "{err}");
}

#[test]
fn list_sums_up_the_catalog_by_language_difficulty_and_category() {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../catalog");
    let mut total = 0;
    let mut go = 0;
    for e in std::fs::read_dir(&catalog).unwrap() {
        let Ok(text) = std::fs::read_to_string(e.unwrap().path().join("drill.toml")) else { continue };
        total += 1;
        go += usize::from(text.lines().any(|l| l.trim() == "language = \"go\""));
    }
    let tmp = tempfile::tempdir().unwrap();
    let (code, out, err) = revdrill(tmp.path(), &["list"]);
    assert_eq!(code, 0, "{err}");
    let summary = out.lines().last().unwrap();
    assert!(summary.starts_with(&format!("{total} drills · ")), "{summary}");
    assert!(summary.contains(&format!("go {go},")) || summary.contains(&format!("go {go} ")), "{summary}");
    assert!(summary.contains("medium ") && summary.contains("security "), "{summary}");
    let (_, out, _) = revdrill(tmp.path(), &["--lang", "zh", "list"]);
    let summary = out.lines().last().unwrap();
    assert!(summary.starts_with(&format!("{total} 个练习 · ")) && summary.contains("中等 "), "{summary}");
}
