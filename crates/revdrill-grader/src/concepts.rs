//! Concepts compiled for fast matching, and the matches they make in a statement.
//!
//! A drill's concepts are merged with the grader's lexicon (`lexicon.toml`); each term is compiled
//! once into an English phrase (stems), a Chinese pattern (characters with `*` gaps) or a code
//! needle. Matching a statement returns every occurrence of every concept, each marked negated or
//! not, so that verdicts can be explained by quoting the words that produced them.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use revdrill_pack::{ConceptTerms, Drill};

use crate::lang::{en, zh};
use crate::text::{Cue, Statement, analyze, bare_no, final_verdict, is_cjk, judged_by_first_clause, negation_cues};

/// Most words allowed between two words of an English phrase.
const PHRASE_GAP: usize = 3;
/// Most characters a `*` of a Chinese pattern stands for.
const CJK_GAP: usize = 8;
/// Most tokens between a negation cue and the concept it negates.
const NEG_REACH_BEFORE: usize = 8;
/// Most tokens between a concept and a Chinese negation that follows it ("泄露应该不会").
const NEG_REACH_AFTER: usize = 4;

/// Review mechanisms (`mechanisms.toml`): drill concepts inherit them with `@name` terms, and a
/// group may name one; they are compiled only then.
pub fn mechanisms() -> &'static BTreeMap<String, ConceptTerms> {
    static M: OnceLock<BTreeMap<String, ConceptTerms>> = OnceLock::new();
    M.get_or_init(|| toml::from_str(include_str!("mechanisms.toml")).expect("mechanisms.toml is valid (checked by a test)"))
}

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
    /// Index of the term that matched in the concept's terms (see [`Concepts::term`]).
    pub term: usize,
    /// Compact offsets of the matched text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// Whether a negation cancels it.
    pub negated: bool,
    /// Whether the matched words hold a negation the term names ("no test", "没有测试",
    /// "not atomic"): a claim that something is missing or fails, definite on its own.
    pub asserts_absence: bool,
    /// Whether a judgement dismisses it ("... is fine", "所以不会有问题"): then it is neither
    /// claimed nor claimed absent.
    pub dismissed: bool,
    /// Whether a plain negation ("not", "no", "没", "未"), not a judgement, denies it, counting
    /// negations inside other terms: what `!concept` in a group asks for ("not closed", "未关闭").
    pub denied: bool,
    /// Whether only a judgement cancels it ("cors blocks it, 不用担心绕过"): the learner still
    /// asserts it, which is what a trap (a misconception) asks for.
    pub judged_only: bool,
}

/// The compiled concepts of one drill.
#[derive(Debug, Clone)]
pub struct Concepts {
    names: Vec<String>,
    index: HashMap<String, usize>,
    terms: Vec<Vec<Term>>,
    /// (concept, term) by the first stem of an English phrase.
    by_stem: HashMap<String, Vec<(usize, usize)>>,
    /// (concept, term) by the first word of an exact phrase.
    by_word: HashMap<String, Vec<(usize, usize)>>,
    /// (concept, term) by the first two characters of a Chinese pattern or code needle
    /// (the second is `\0` for one-character patterns).
    by_chars: HashMap<(char, char), Vec<(usize, usize)>>,
}

impl Concepts {
    /// Compiles the drill's concepts merged with the lexicon.
    pub fn compile(drill: &Drill) -> Concepts {
        let mut merged: BTreeMap<String, ConceptTerms> = lexicon().clone();
        // Mechanisms a group or an `unless` names directly are concepts of this drill.
        let named = drill
            .findings
            .iter()
            .flat_map(|f| f.hit.iter().chain(&f.partial))
            .chain(drill.traps.iter().flat_map(|t| &t.matches))
            .chain(drill.decoys.iter().flat_map(|d| &d.matches))
            .flatten()
            .chain(drill.traps.iter().flat_map(|t| &t.unless))
            .map(|n| n.strip_prefix('!').unwrap_or(n));
        for n in named {
            if let Some(m) = mechanisms().get(n) {
                merged.entry(n.to_string()).or_insert_with(|| m.clone());
            }
        }
        for (name, t) in &drill.concepts {
            let e = merged.entry(name.clone()).or_default();
            for (list, terms) in [(&mut e.en, &t.en), (&mut e.zh, &t.zh)] {
                for term in terms {
                    match include_of(term) {
                        // `@mechanism` inherits every phrasing of a lexicon concept, both languages.
                        Some(lex) => {
                            if let Some(l) = mechanisms().get(lex).or_else(|| lexicon().get(lex)) {
                                list.extend(l.en.iter().chain(&l.zh).cloned());
                            }
                        }
                        None => list.push(term.clone()),
                    }
                }
            }
        }
        let mut c = Concepts {
            names: Vec::new(),
            index: HashMap::default(),
            terms: Vec::new(),
            by_stem: HashMap::default(),
            by_word: HashMap::default(),
            by_chars: HashMap::default(),
        };
        for (name, t) in merged {
            let mut terms = Vec::new();
            for (text, zh) in t.en.iter().map(|s| (s, false)).chain(t.zh.iter().map(|s| (s, true))) {
                if let Some(pattern) = compile_term(text, zh) {
                    terms.push(Term { text: text.clone(), pattern });
                }
            }
            let ci = c.names.len();
            for (ti, t) in terms.iter().enumerate() {
                match &t.pattern {
                    Pattern::Phrase(stems) => c.by_stem.entry(stems[0].clone()).or_default().push((ci, ti)),
                    Pattern::Words(words) => c.by_word.entry(words[0].clone()).or_default().push((ci, ti)),
                    Pattern::Chars(parts) => c.by_chars.entry(lead(&parts[0])).or_default().push((ci, ti)),
                    Pattern::Code(needle) => c.by_chars.entry(lead(needle)).or_default().push((ci, ti)),
                }
            }
            c.index.insert(name.clone(), ci);
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

    /// The text of a term, as written in the pack.
    pub fn term(&self, concept: usize, term: usize) -> &str {
        &self.terms[concept][term].text
    }

    /// Whether a term is code (a backticked or symbol-bearing needle), not words.
    pub fn is_code_term(&self, concept: usize, term: usize) -> bool {
        matches!(self.terms[concept][term].pattern, Pattern::Code(_))
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
        // "泄露应该不会", "泄露没了": nothing but an auxiliary or a particle follows. "永远不退出"
        // has its own verb: it says "never exits", which negates nothing before it.
        let rest =
            s.compact[cue.pos + cue.width..end].iter().filter(|c| c.is_alphanumeric() && !zh::PARTICLES.contains(c)).count();
        rest <= ZH_FINAL_NEG_MAX_REST && !found.iter().any(|m| m.start > cue.pos && m.start < end)
    }

    /// Every occurrence of every concept in `s`, with negation decided.
    pub fn find(&self, s: &Statement) -> Vec<ConceptMatch> {
        let mut found = Vec::new();
        let mut push = |ci: usize, ti: usize, start: usize, end: usize| {
            found.push(ConceptMatch {
                concept: ci,
                term: ti,
                start,
                end,
                negated: false,
                asserts_absence: false,
                dismissed: false,
                denied: false,
                judged_only: false,
            });
        };
        // Only the terms that can start at each token or character are tried.
        for (i, tok) in s.tokens.iter().enumerate().filter(|(_, t)| !t.cjk) {
            for &(ci, ti) in self.by_stem.get(&tok.stem).into_iter().flatten() {
                if let Pattern::Phrase(stems) = &self.terms[ci][ti].pattern
                    && let Some(end) = phrase_from(stems, s, i, |t| &t.stem)
                {
                    push(ci, ti, tok.start, end);
                }
            }
            for &(ci, ti) in self.by_word.get(&tok.text).into_iter().flatten() {
                if let Pattern::Words(words) = &self.terms[ci][ti].pattern
                    && let Some(end) = phrase_from(words, s, i, |t| &t.text)
                {
                    push(ci, ti, tok.start, end);
                }
            }
        }
        let (word_starts, word_ends) = word_edges(s);
        for (p, &ch) in s.compact.iter().enumerate() {
            let next = s.compact.get(p + 1).copied().unwrap_or('\0');
            let pairs = self.by_chars.get(&(ch, next)).into_iter().flatten();
            let singles = self.by_chars.get(&(ch, '\0')).into_iter().flatten();
            for &(ci, ti) in pairs.chain(singles) {
                let end = match &self.terms[ci][ti].pattern {
                    Pattern::Chars(parts) => chars_from(parts, s, p),
                    Pattern::Code(needle) => s.compact[p..].starts_with(needle).then_some(p + needle.len()),
                    _ => None,
                };
                if let Some(end) = end.filter(|&e| word_aligned(s, p, e, &word_starts, &word_ends)) {
                    push(ci, ti, p, end);
                }
            }
        }
        let all_cues = negation_cues(s);
        for m in &mut found {
            m.asserts_absence = all_cues.iter().any(|c| c.forward && m.start <= c.pos && c.pos + c.width <= m.end);
        }
        // Denial, for `!concept`: any plain negation before it in its clause, even one inside
        // another term ("no test" denies `test`), or a Chinese one right after it ("关闭没有").
        let denied: Vec<bool> = found
            .iter()
            .map(|m| {
                all_cues.iter().filter(|c| !(c.clause_wide || m.start <= c.pos && c.pos + c.width <= m.end)).any(|c| {
                    s.clause_at(c.pos) == s.clause_at(m.start)
                        && ((c.forward && c.pos < m.start && s.tokens_between(c.pos + c.width, m.start) <= NEG_REACH_BEFORE)
                            || (c.backward
                                && c.pos >= m.end
                                && is_cjk_final(s, c)
                                && s.tokens_between(m.end, c.pos) <= NEG_REACH_AFTER))
                })
            })
            .collect();
        let cues: Vec<Cue> =
            all_cues.into_iter().filter(|c| !found.iter().any(|m| m.start <= c.pos && c.pos + c.width <= m.end)).collect();
        let whole = bare_no(s)
            || (judged_by_first_clause(s) && cues.iter().any(|c| c.clause_wide && s.clause_at(c.pos) == 0))
            || final_verdict(s, &cues);
        let dismissed: Vec<bool> = found
            .iter()
            .map(|m| {
                whole
                    || cues.iter().any(|c| {
                        c.clause_wide
                            && s.clause_at(c.pos) == s.clause_at(m.start)
                            && (c.pos >= m.end || (c.forward && c.pos < m.start))
                    })
            })
            .collect();
        let negated_by = |m: &ConceptMatch, cues: &[Cue]| {
            cues.iter().any(|cue| {
                if s.clause_at(cue.pos) != s.clause_at(m.start) {
                    return false;
                }
                if cue.pos < m.start {
                    cue.forward
                        && s.tokens_between(cue.pos + cue.width, m.start) <= NEG_REACH_BEFORE
                        && in_scope(s, cue, m, &found)
                } else if cue.pos >= m.end && cue.backward {
                    cue.clause_wide
                        || (self.ends_clause(s, cue, &found)
                            && (s.tokens_between(m.end, cue.pos) <= NEG_REACH_AFTER
                                || (is_cjk_final(s, cue) && nearest_before(&found, cue.pos) == Some(m.end))))
                } else {
                    false
                }
            })
        };
        let plain: Vec<Cue> = cues.iter().filter(|c| !c.clause_wide).copied().collect();
        let negated: Vec<bool> = found.iter().map(|m| whole || negated_by(m, &cues)).collect();
        let judged_only: Vec<bool> = found.iter().zip(&negated).map(|(m, &n)| n && !negated_by(m, &plain)).collect();
        for (i, m) in found.iter_mut().enumerate() {
            m.judged_only = judged_only[i];
            m.negated = negated[i];
            m.dismissed = dismissed[i];
            m.denied = denied[i] && !dismissed[i];
        }
        found
    }
}

/// Most characters (besides particles) after a Chinese negation for it to close its clause.
const ZH_FINAL_NEG_MAX_REST: usize = 1;

/// Whether a forward negation reaches `m`: it negates the first idea after it and the ideas listed
/// with that one, not every idea later in the clause ("no test proves the goroutine count drops"
/// denies the test, not the count).
fn in_scope(s: &Statement, cue: &Cue, m: &ConceptMatch, found: &[ConceptMatch]) -> bool {
    let after = cue.pos + cue.width;
    // Idea starts between the cue and `m`, outside `m` and outside what holds the cue.
    let mut starts: Vec<(usize, usize)> =
        found.iter().filter(|o| o.start >= after && o.start < m.start && o.end <= m.start).map(|o| (o.start, o.end)).collect();
    if starts.is_empty() {
        return true;
    }
    starts.sort_unstable();
    // Walk the chain from the first idea: each next one must follow after list words only.
    let mut end = starts[0].1;
    for &(st, en) in starts.iter().skip(1).chain(std::iter::once(&(m.start, m.end))) {
        if st > end && !joined(s, end, st) {
            return false;
        }
        end = end.max(en);
    }
    true
}

/// Whether only list words (and punctuation) lie between compact offsets `from` and `to`.
fn joined(s: &Statement, from: usize, to: usize) -> bool {
    s.tokens.iter().filter(|t| t.start >= from && t.end <= to).all(|t| !t.cjk && en::LIST_JOINERS.contains(&t.text.as_str()))
}

/// The lexicon concept a term includes (`@swallowed-error`), if it is an include.
pub(crate) fn include_of(term: &str) -> Option<&str> {
    term.trim().strip_prefix('@')
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

/// The index key of a pattern: its first two characters.
fn lead(chars: &[char]) -> (char, char) {
    (chars[0], chars.get(1).copied().unwrap_or('\0'))
}

/// Where the phrase that starts at token `i` ends (compact offset), if it matches there.
fn phrase_from(stems: &[String], s: &Statement, i: usize, key: fn(&crate::text::Token) -> &String) -> Option<usize> {
    let toks = &s.tokens;
    let first = &toks[i];
    let mut last = i;
    for st in &stems[1..] {
        let mut next = None;
        for (j, u) in toks.iter().enumerate().skip(last + 1).take(PHRASE_GAP + 1) {
            if u.clause != first.clause {
                break;
            }
            if !u.cjk && key(u) == st {
                next = Some(j);
                break;
            }
            if is_negation(u) {
                break;
            }
        }
        last = next?;
    }
    Some(toks[last].end)
}

/// A negation inside a phrase's gap would flip its meaning ("is not cancelled" is not "is
/// cancelled"), so phrases do not stretch across one; a negation the term itself names still
/// matches.
fn is_negation(t: &crate::text::Token) -> bool {
    !t.cjk && !t.code && (en::NEG.contains(&t.text.as_str()) || en::NEG_AFTER.contains(&t.text.as_str()))
}

/// Where the Chinese pattern that starts at compact offset `p` ends, if it matches there.
fn chars_from(parts: &[Vec<char>], s: &Statement, p: usize) -> Option<usize> {
    let clause_end = s.clauses[s.clause_at(p)].end;
    let first = &parts[0];
    if p + first.len() > clause_end || s.compact[p..p + first.len()] != first[..] {
        return None;
    }
    let mut end = p + first.len();
    for part in &parts[1..] {
        let limit = (end + CJK_GAP + part.len()).min(clause_end);
        let at = find_first(&s.compact, part, end, limit)?;
        // A gap never holds a negation: `body*泄` must not read "body 不会泄漏" as a leak.
        if s.compact[end..at].iter().any(|c| zh::NEG.contains(c)) {
            return None;
        }
        end = at + part.len();
    }
    Some(end)
}

/// Which compact offsets start and end an English word.
fn word_edges(s: &Statement) -> (Vec<bool>, Vec<bool>) {
    let mut starts = vec![false; s.compact.len() + 1];
    let mut ends = vec![false; s.compact.len() + 1];
    for t in s.tokens.iter().filter(|t| !t.cjk) {
        starts[t.start] = true;
        ends[t.end] = true;
    }
    (starts, ends)
}

/// Substring patterns must not start or end inside an English word ("test" in "notes today").
fn word_aligned(s: &Statement, start: usize, end: usize, starts: &[bool], ends: &[bool]) -> bool {
    let alnum = |i: usize| s.compact.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    let starts_ok = !alnum(start) || starts[start] || (start > 0 && !alnum(start - 1));
    let ends_ok = end == 0 || !alnum(end - 1) || ends[end] || !alnum(end);
    starts_ok && ends_ok
}

/// First start offset of `needle` in `hay[from..to]`.
fn find_first(hay: &[char], needle: &[char], from: usize, to: usize) -> Option<usize> {
    let to = to.min(hay.len());
    if needle.is_empty() || to < from || to - from < needle.len() {
        return None;
    }
    (from..=to - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}
