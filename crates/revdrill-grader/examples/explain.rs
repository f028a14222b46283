//! Prints what the grader sees in one answer: `cargo run -p revdrill-grader --example explain --
//! DRILL_ID "answer text"`. For pack authors tuning concepts without the CLI.

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(id), Some(text)) = (args.next(), args.next()) else {
        eprintln!("usage: explain DRILL_ID \"answer text\"");
        std::process::exit(2);
    };
    let drills = revdrill_catalog::embedded().expect("embedded catalog is valid");
    let drill = drills.iter().find(|d| d.id == id).expect("no such drill");
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
