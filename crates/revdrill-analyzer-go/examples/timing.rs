//! Quick alternating timing of parse-only vs full analysis: `timing DIR [ROUNDS]`.
//! The criterion bench (`benches/analyze.rs`) is the reference; this is for fast iteration.
use std::path::PathBuf;
use std::time::Instant;

/// Process CPU time (user + system, all threads) in seconds, from /proc: robust to other load.
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}

use revdrill_analyzer_go::{Options, analyze_paths, go_files};

fn main() {
    let mut args = std::env::args().skip(1);
    let paths = vec![PathBuf::from(args.next().expect("DIR"))];
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
    let options = Options::default();
    let (files, _) = go_files(&paths, &options);
    let (mut parse, mut full) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        let c0 = cpu();
        let n = std::thread::scope(|s| {
            let chunks: Vec<_> = files.chunks(files.len().div_ceil(2).max(1)).collect();
            let hs: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    s.spawn(move || {
                        let mut p = tree_sitter::Parser::new();
                        p.set_language(&tree_sitter_go::LANGUAGE.into()).unwrap();
                        chunk
                            .iter()
                            .map(|f| {
                                let b = std::fs::read(f).unwrap();
                                let src = String::from_utf8_lossy(&b);
                                p.parse(src.as_ref(), None).map_or(0, |t| t.root_node().descendant_count())
                            })
                            .sum::<usize>()
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).sum::<usize>()
        });
        parse.push(t.elapsed().as_secs_f64());
        let c1 = cpu();
        let t = Instant::now();
        let r = analyze_paths(&paths, &options);
        full.push(t.elapsed().as_secs_f64());
        let c2 = cpu();
        eprintln!("cpu: parse {:.2}s full {:.2}s ratio {:.2}", c1 - c0, c2 - c1, (c2 - c1) / (c1 - c0));
        eprintln!(
            "nodes {n} findings {} parse {:.3}s full {:.3}s",
            r.diagnostics.len(),
            parse.last().unwrap(),
            full.last().unwrap()
        );
    }
    if std::env::var_os("TIMING_SEQ").is_some() {
        // Single thread, interleaved per file so that load drift hits every variant alike.
        let sources: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();
        let mut codes: Vec<String> = vec!["NONE".into(), "ALL".into()];
        if std::env::var("TIMING_SEQ").as_deref() != Ok("ALL") {
            codes.extend(revdrill_analyzer_go::rules().map(|r| r.code.to_string()));
        }
        let mut totals = vec![0f64; codes.len() + 1];
        let mut p = tree_sitter::Parser::new();
        p.set_language(&tree_sitter_go::LANGUAGE.into()).unwrap();
        for _ in 0..2 {
            for (f, src) in files.iter().zip(&sources) {
                let t = Instant::now();
                let s = String::from_utf8_lossy(src);
                std::hint::black_box(p.parse(s.as_ref(), None));
                totals[0] += t.elapsed().as_secs_f64();
                for (i, code) in codes.iter().enumerate() {
                    let o = Options { select: if code == "ALL" { vec![] } else { vec![code.clone()] }, ..Options::default() };
                    let t = Instant::now();
                    std::hint::black_box(revdrill_analyzer_go::analyze_source(&f.to_string_lossy(), src, &o));
                    totals[i + 1] += t.elapsed().as_secs_f64();
                }
            }
        }
        println!("parse {:.3}", totals[0]);
        for (i, code) in codes.iter().enumerate() {
            println!("{code} {:.3} (+{:.3} over NONE)", totals[i + 1], totals[i + 1] - totals[1]);
        }
        return;
    }
    if std::env::var_os("TIMING_RULES").is_some() {
        let mut codes: Vec<&str> = vec!["NONE"];
        codes.extend(revdrill_analyzer_go::rules().map(|r| r.code));
        for code in codes {
            let o = Options { select: vec![code.to_string()], ..Options::default() };
            let best = (0..2)
                .map(|_| {
                    let t = cpu();
                    analyze_paths(&paths, &o);
                    cpu() - t
                })
                .fold(f64::MAX, f64::min);
            println!("{code} {best:.3}s");
        }
    }
    let min = |v: &Vec<f64>| v.iter().cloned().fold(f64::MAX, f64::min);
    println!("min parse {:.3}s, min full {:.3}s, ratio {:.2}", min(&parse), min(&full), min(&full) / min(&parse));
}

/// Per-rule cost, when `TIMING_RULES` is set: full analysis with one rule at a time.
#[allow(dead_code)]
fn per_rule() {}
