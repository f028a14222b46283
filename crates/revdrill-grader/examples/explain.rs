//! Prints what the grader sees in one answer: `cargo run -p revdrill-grader --example explain --
//! DRILL "answer text"`, where DRILL is an embedded drill's id or a drill folder on disk (read each
//! run, so edits to its `drill.toml` need no rebuild). For pack authors tuning concepts.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: explain DRILL_ID \"answer text\"");
        std::process::exit(2);
    };
    let drills = if std::path::Path::new(&id).is_dir() {
        vec![revdrill_pack::load_dir(std::path::Path::new(&id)).unwrap_or_else(|e| panic!("{e}"))]
    } else {
        revdrill_catalog::embedded().expect("embedded catalog is valid")
    };
    let drill = drills.iter().find(|d| d.id == id || std::path::Path::new(&id).is_dir()).expect("no such drill");
    let id = drill.id.clone();
    let grader = revdrill_grader::Grader::new(drill);
    for (stmt, aside, concepts) in grader.explain(&text) {
        println!("“{stmt}” {}", aside.map(|a| format!("[{a:?}]")).unwrap_or_default());
        for c in concepts {
            println!("   {}{} ← “{}” ({})", if c.negated { "✗" } else { "" }, c.concept, c.words, c.term);
        }
    }
    let mut a = revdrill_pack::AnswerSet { drill: id.clone(), ..Default::default() };
    a.answers.insert(drill.checklist[0].id.clone(), text);
    for f in grader.grade(&a).findings.iter().filter(|f| f.verdict != revdrill_grader::Verdict::Miss) {
        println!("=> {} {}", f.id, f.verdict.as_str());
    }
}
