//! Concepts compiled for fast matching, and the matches they make in a statement.
//!
//! A drill's concepts are merged with the grader's lexicon (`lexicon.toml`); each term is compiled
//! once into an English phrase (stems), a Chinese pattern (characters with `*` gaps) or a code
//! needle. Matching a statement returns every occurrence of every concept, each marked negated or
//! not, so that verdicts can be explained by quoting the words that produced them.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use revdrill_pack::{ConceptTerms, Drill};

use crate::text::{Cue, Statement, analyze, bare_no, is_cjk, judged_by_first_clause, negation_cues};

/// Most words allowed between two words of an English phrase.
const PHRASE_GAP: usize = 3;
/// Most characters a `*` of a Chinese pattern stands for.
const CJK_GAP: usize = 8;
/// Most tokens between a negation cue and the concept it negates.
const NEG_REACH_BEFORE: usize = 8;
/// Most tokens between a concept and a Chinese negation that follows it ("泄露应该不会").
const NEG_REACH_AFTER: usize = 4;

/// The grader's built-in concepts.
pub fn lexicon() -> &'static BTreeMap<String, ConceptTerms> {
    static L: OnceLock<BTreeMap<String, ConceptTerms>> = OnceLock::new();
    L.get_or_init(|| toml::from_str(include_str!("lexicon.toml")).expect("lexicon.toml is valid (checked by a test)"))
}

#[derive(Debug, Clone)]
enum Pattern {
    /// English stems in order, small gaps allowed, one clause.
    Phrase(Vec<String>),
    /// English words in order, as written (no stemming), small gaps allowed, one clause.
    Words(Vec<String>),
    /// Chinese (or ASCII) character runs separated by short gaps, one clause.
    Chars(Vec<Vec<char>>),
    /// A case-insensitive substring anywhere in the statement.
    Code(Vec<char>),
}

#[derive(Debug, Clone)]
struct Term {
    text: String,
    pattern: Pattern,
}

/// One occurrence of a concept in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConceptMatch {
    /// Index of the concept in [`Concepts::names`].
    pub concept: usize,
    /// The term that matched, as written in the pack.
    pub term: String,
    /// Compact offsets of the matched text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Whether a negation cancels it.
    pub negated: bool,
    /// Whether the matched words hold a negation the term names ("no test", "没有测试",
    /// "not atomic"): a claim that something is missing or fails, definite on its own.
    pub asserts_absence: bool,
}

/// The compiled concepts of one drill.
#[derive(Debug, Clone)]
pub struct Concepts {
    names: Vec<String>,
    index: HashMap<String, usize>,
    terms: Vec<Vec<Term>>,
}

impl Concepts {
    /// Compiles the drill's concepts merged with the lexicon.
    pub fn compile(drill: &Drill) -> Concepts {
        let mut merged: BTreeMap<String, ConceptTerms> = lexicon().clone();
        for (name, t) in &drill.concepts {
            let e = merged.entry(name.clone()).or_default();
            e.en.extend(t.en.iter().cloned());
            e.zh.extend(t.zh.iter().cloned());
        }
        let mut c = Concepts { names: Vec::new(), index: HashMap::new(), terms: Vec::new() };
        for (name, t) in merged {
            let mut terms = Vec::new();
            for (text, zh) in t.en.iter().map(|s| (s, false)).chain(t.zh.iter().map(|s| (s, true))) {
                if let Some(pattern) = compile_term(text, zh) {
                    terms.push(Term { text: text.clone(), pattern });
                }
            }
            c.index.insert(name.clone(), c.names.len());
            c.names.push(name);
            c.terms.push(terms);
        }
        c
    }

    /// Concept names, by index.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Index of a concept.
    pub fn id(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Whether a backward cue closes its clause: an English judgement ("is fine") always does; a
    /// Chinese negation only when nothing it could negate follows it ("泄露应该不会(发生)", not
    /// "包一下就不会 panic").
    fn ends_clause(&self, s: &Statement, cue: &Cue, found: &[ConceptMatch]) -> bool {
        if !s.compact.get(cue.pos).is_some_and(|&c| is_cjk(c)) {
            return true;
        }
        let clause = s.clause_at(cue.pos);
        let end = s.clauses[clause].end;
        let rest = s.compact[cue.pos + cue.width..end].iter().filter(|c| c.is_alphanumeric()).count();
        rest <= 3 && !found.iter().any(|m| m.start > cue.pos && m.start < end)
    }

    /// Every occurrence of every concept in `s`, with negation decided.
    pub fn find(&self, s: &Statement) -> Vec<ConceptMatch> {
        let mut found = Vec::new();
        for (ci, terms) in self.terms.iter().enumerate() {
            for t in terms {
                for (start, end) in find_pattern(&t.pattern, s) {
                    found.push(ConceptMatch { concept: ci, term: t.text.clone(), start, end, negated: false, asserts_absence: false });
                }
            }
        }
        let all_cues = negation_cues(s);
        for m in &mut found {
            m.asserts_absence = all_cues.iter().any(|c| c.forward && m.start <= c.pos && c.pos + c.width <= m.end);
        }
        let cues: Vec<Cue> =
            all_cues.into_iter().filter(|c| !found.iter().any(|m| m.start <= c.pos && c.pos + c.width <= m.end)).collect();
        let whole = bare_no(s)
            || (judged_by_first_clause(s) && cues.iter().any(|c| c.clause_wide && s.clause_at(c.pos) == 0));
        let negated: Vec<bool> = found
            .iter()
            .map(|m| {
                whole
                    || cues.iter().any(|cue| {
                        if s.clause_at(cue.pos) != s.clause_at(m.start) {
                            return false;
                        }
                        if cue.pos < m.start {
                            cue.forward && tokens_between(s, cue.pos + cue.width, m.start) <= NEG_REACH_BEFORE
                        } else if cue.pos >= m.end && cue.backward {
                            cue.clause_wide
                                || (self.ends_clause(s, cue, &found)
                                    && (tokens_between(s, m.end, cue.pos) <= NEG_REACH_AFTER
                                        || (is_cjk_final(s, cue) && nearest_before(&found, cue.pos) == Some(m.end))))
                        } else {
                            false
                        }
                    })
            })
            .collect();
        for (m, n) in found.iter_mut().zip(negated) {
            m.negated = n;
        }
        found
    }
}

/// A Chinese negation that ends its clause reaches back over the whole clause
/// ("cancelled ctx 复用的问题我觉得不存在").
fn is_cjk_final(s: &Statement, cue: &Cue) -> bool {
    s.compact.get(cue.pos).is_some_and(|&c| is_cjk(c))
}

/// Where the concept match closest before `pos` ends: a clause-final Chinese negation negates
/// its subject ("证明泄露没了" negates 泄露, not 指标 earlier in the clause).
fn nearest_before(found: &[ConceptMatch], pos: usize) -> Option<usize> {
    found.iter().filter(|m| m.end <= pos).map(|m| m.end).max()
}

/// Tokens lying wholly in `from..to` (compact offsets).
fn tokens_between(s: &Statement, from: usize, to: usize) -> usize {
    s.tokens.iter().filter(|t| t.start >= from && t.end <= to).count()
}

fn compile_term(text: &str, zh_list: bool) -> Option<Pattern> {
    let t = text.trim();
    if t.contains('`') {
        // Code, possibly with words around it ("after `<-ctx.Done`"): matched as written.
        let needle: Vec<char> = t.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '`').collect();
        return (!needle.is_empty()).then_some(Pattern::Code(needle));
    }
    let has_cjk = t.chars().any(is_cjk);
    if has_cjk || zh_list || t.contains('*') {
        let parts: Vec<Vec<char>> = t
            .to_lowercase()
            .split('*')
            .map(|p| p.chars().filter(|c| !c.is_whitespace() && *c != '`').collect::<Vec<char>>())
            .filter(|p| !p.is_empty())
            .collect();
        return (!parts.is_empty()).then_some(Pattern::Chars(parts));
    }
    if t.chars().skip(1).any(|c| !(c.is_ascii_alphanumeric() || c.is_whitespace() || matches!(c, '-' | '\'' | '_'))) {
        let needle: Vec<char> = t.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
        return Some(Pattern::Code(needle));
    }
    if let Some(exact) = t.strip_prefix('=') {
        let words: Vec<String> = analyze(exact).tokens.into_iter().filter(|tok| !tok.cjk).map(|tok| tok.text).collect();
        return (!words.is_empty()).then_some(Pattern::Words(words));
    }
    let stems: Vec<String> = analyze(t).tokens.into_iter().filter(|tok| !tok.cjk).map(|tok| tok.stem).collect();
    (!stems.is_empty()).then_some(Pattern::Phrase(stems))
}

fn find_pattern(p: &Pattern, s: &Statement) -> Vec<(usize, usize)> {
    let raw = match p {
        Pattern::Phrase(stems) => find_phrase(stems, s, |t| &t.stem),
        Pattern::Words(words) => find_phrase(words, s, |t| &t.text),
        Pattern::Chars(parts) => find_chars(parts, s),
        Pattern::Code(needle) => find_all(&s.compact, needle, 0, s.compact.len()).into_iter().map(|i| (i, i + needle.len())).collect(),
    };
    match p {
        Pattern::Phrase(_) | Pattern::Words(_) => raw,
        // Substring patterns must not start or end inside an English word ("test" in "notes today").
        Pattern::Chars(_) | Pattern::Code(_) => raw.into_iter().filter(|&(a, b)| word_aligned(s, a, b)).collect(),
    }
}

fn word_aligned(s: &Statement, start: usize, end: usize) -> bool {
    let alnum = |i: usize| s.compact.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let starts_ok = !alnum(start) || s.tokens.iter().any(|t| !t.cjk && t.start == start) || (start > 0 && !alnum(start - 1));
    let ends_ok = end == 0 || !alnum(end - 1) || s.tokens.iter().any(|t| !t.cjk && t.end == end) || !alnum(end);
    starts_ok && ends_ok
}

fn find_phrase(stems: &[String], s: &Statement, key: fn(&crate::text::Token) -> &String) -> Vec<(usize, usize)> {
    let toks = &s.tokens;
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.cjk || key(t) != &stems[0] {
            continue;
        }
        let mut last = i;
        let mut ok = true;
        for st in &stems[1..] {
            let mut next = None;
            for (j, u) in toks.iter().enumerate().skip(last + 1).take(PHRASE_GAP + 1) {
                if u.clause != t.clause {
                    break;
                }
                if !u.cjk && key(u) == st {
                    next = Some((j, u));
                    break;
                }
                if is_negation(u) {
                    break;
                }
            }
            match next {
                Some((j, _)) => last = j,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            out.push((t.start, toks[last].end));
        }
    }
    out
}

/// A negation inside a phrase's gap would flip its meaning ("is not cancelled" is not "is
/// cancelled"), so phrases do not stretch across one; a negation the term itself names still
/// matches.
fn is_negation(t: &crate::text::Token) -> bool {
    !t.cjk && crate::text::NEG_EN.contains(&t.text.as_str())
}

fn find_chars(parts: &[Vec<char>], s: &Statement) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for clause in &s.clauses {
        let mut from = clause.start;
        while let Some(first) = find_all(&s.compact, &parts[0], from, clause.end).first().copied() {
            let mut end = first + parts[0].len();
            let mut ok = true;
            for p in &parts[1..] {
                let limit = (end + CJK_GAP + p.len()).min(clause.end);
                match find_all(&s.compact, p, end, limit).first() {
                    Some(&at) => end = at + p.len(),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                out.push((first, end));
            }
            from = first + 1;
        }
    }
    out
}

/// Start offsets of `needle` in `hay[from..to]`.
fn find_all(hay: &[char], needle: &[char], from: usize, to: usize) -> Vec<usize> {
    let to = to.min(hay.len());
    if needle.is_empty() || to < from || to - from < needle.len() {
        return Vec::new();
    }
    (from..=to - needle.len()).filter(|&i| hay[i..i + needle.len()] == *needle).collect()
}
