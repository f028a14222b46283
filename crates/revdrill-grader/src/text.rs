//! Reading a learner's text: statements, clauses, word tokens with stems, Chinese characters, and
//! the negation cues that can cancel what a statement seems to claim.
//!
//! Everything works on a *compact* form of a statement: lower-cased, white space and backticks
//! removed, contractions expanded. Tokens and clauses carry character offsets into it, so that
//! English phrases, Chinese phrases and code terms can all be located in one coordinate system.

use std::sync::OnceLock;

use crate::lang::{en, zh};
use rust_stemmers::{Algorithm, Stemmer};

/// One statement of an answer: the unit within which a finding's concepts must occur together.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The statement as the learner wrote it (trimmed), for quoting back.
    pub text: String,
    /// Lower-cased characters without white space or backticks.
    pub compact: Vec<char>,
    /// Words and CJK characters, in order.
    pub tokens: Vec<Token>,
    /// Clause `i` spans `clauses[i]` in `compact`.
    pub clauses: Vec<std::ops::Range<usize>>,
    /// Whether it ends with a question mark.
    pub question: bool,
    /// Clause of each compact offset (one more for the end).
    clause_of: Vec<usize>,
    /// `starts_before[p]`: tokens starting before offset `p`.
    starts_before: Vec<usize>,
    /// `ends_upto[p]`: tokens ending at or before offset `p`.
    ends_upto: Vec<usize>,
}

/// A word (ASCII letters and digits) or one CJK character.
#[derive(Debug, Clone)]
pub struct Token {
    /// Lower-cased text.
    pub text: String,
    /// English stem (the text itself for CJK).
    pub stem: String,
    /// Offsets in `compact`.
    pub start: usize,
    /// End offset (exclusive) in `compact`.
    pub end: usize,
    /// Clause index.
    pub clause: usize,
    /// A CJK character.
    pub cjk: bool,
    /// Inside backticks: code, not prose (a `not in` there negates nothing).
    pub code: bool,
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
}

fn stemmer() -> &'static Stemmer {
    static S: OnceLock<Stemmer> = OnceLock::new();
    S.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The English stem of a lower-case word. Spelling variants are folded first.
///
/// Stems are cached for the life of the process (up to [`STEM_CACHE_MAX`] words): answers
/// reuse a small vocabulary, and stemming was a quarter of grading time.
pub fn stem(word: &str) -> String {
    thread_local! {
        static CACHE: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> = Default::default();
    }
    if let Some(s) = CACHE.with(|c| c.borrow().get(word).cloned()) {
        return s;
    }
    let w = match word {
        "canceled" => "cancelled",
        "canceling" => "cancelling",
        "cancellation" | "cancelation" => "cancel",
        _ => word,
    };
    let s = stemmer().stem(w).into_owned();
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() < STEM_CACHE_MAX {
            c.insert(word.to_string(), s.clone());
        }
    });
    s
}

/// Most words the stem cache keeps per thread (a few MB at most).
pub const STEM_CACHE_MAX: usize = 50_000;

/// Whether `c` ends a clause: full-width marks always, ASCII `, ; :` only before white space
/// (so `a::b`, `1,000` and `#[tokio::test]` stay whole).
fn is_clause_mark(c: char, next: Option<char>) -> bool {
    match c {
        '，' | '；' | '：' | '—' | '（' | '）' | '？' => true,
        ',' | ';' | ':' | '?' => next.is_none_or(|n| n.is_whitespace() || is_cjk(n)),
        _ => false,
    }
}

/// Splits an answer into statements: sentences, lines and bullet points.
pub fn statements(answer: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    for line in answer.lines() {
        let line = strip_bullet(line.trim());
        let mut start = 0;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut in_code = false;
        for (k, &(i, c)) in chars.iter().enumerate() {
            if c == '`' {
                in_code = !in_code;
            }
            if in_code {
                continue;
            }
            let next = chars.get(k + 1).map(|&(_, c)| c);
            let ends = matches!(c, '。' | '！' | '？')
                || (matches!(c, '!' | '?') && closes_sentence(next) && !(c == '!' && ends_with_macro_name(&line[start..i])))
                || (c == '.' && next.is_none_or(|n| n.is_whitespace()) && !ends_with_abbrev(&line[start..i]));
            if ends {
                let end = i + c.len_utf8();
                push_statement(&mut out, &line[start..end]);
                start = end;
            } else if i > start && inline_number_at(&chars, k) {
                // "三个问题：1) ... 2) ...": each numbered point is a statement.
                push_statement(&mut out, &line[start..i]);
                start = i;
            }
        }
        push_statement(&mut out, &line[start..]);
    }
    out
}

/// Whether an ASCII `!` or `?` followed by `next` ends a sentence: only before white space, the end
/// of the line, Chinese or a closing quote. In `a != b`, `!ok`, `x?.y`, `f()?;` it is code.
fn closes_sentence(next: Option<char>) -> bool {
    next.is_none_or(|n| n.is_whitespace() || is_cjk(n) || matches!(n, '"' | '\'' | '”' | '’' | ')' | '）'))
}

/// Whether an inline list number starts at `chars[k]`: `2)`, `2）`, `(2)`, `（2）` after white space
/// or punctuation (not `f(2)` or `x[1)`).
fn inline_number_at(chars: &[(usize, char)], k: usize) -> bool {
    let at = |j: usize| chars.get(j).map(|&(_, c)| c);
    let prev_ok = k == 0 || at(k - 1).is_some_and(|p| p.is_whitespace() || "：:，,；;。".contains(p) || is_cjk(p));
    if !prev_ok {
        return false;
    }
    let (open, first) = match at(k) {
        Some('(' | '（') => (1, k + 1),
        _ => (0, k),
    };
    let digits = (first..).take_while(|&j| at(j).is_some_and(|c| c.is_ascii_digit())).count();
    if digits == 0 || digits > 1 {
        return false;
    }
    let close = at(first + digits);
    let closed = matches!(close, Some(')' | '）'));
    closed && (open == 1 || at(first + digits + 1).is_none_or(|c| c.is_whitespace() || is_cjk(c) || c.is_alphabetic()))
}

/// Rust macro names a review writes without backticks ("the warn! prints the raw key"): their `!`
/// is part of the name, not the end of a sentence.
const MACRO_NAMES: &[&str] = &[
    "println",
    "eprintln",
    "print",
    "eprint",
    "warn",
    "info",
    "debug",
    "trace",
    "error",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "format",
    "vec",
    "todo",
    "unimplemented",
    "unreachable",
    "write",
    "writeln",
    "dbg",
    "bail",
    "ensure",
    "anyhow",
    "matches",
    "select",
    "join",
    "spawn",
];

/// Whether `s` ends with a bare [`MACRO_NAMES`] entry written in lower case (a `!` after it is the macro's).
fn ends_with_macro_name(s: &str) -> bool {
    let last = s.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).next().unwrap_or("");
    let name = last.rsplit("::").next().unwrap_or(last);
    MACRO_NAMES.contains(&name)
}

fn ends_with_abbrev(s: &str) -> bool {
    // "(e.g." and "“i.e." are abbreviations too.
    let last = s.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("").to_ascii_lowercase();
    let last = last.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    matches!(last, "e.g" | "i.e" | "etc" | "vs" | "cf")
}

fn strip_bullet(line: &str) -> &str {
    let l = line.trim_start_matches(['-', '*', '•', '·', '>']).trim_start();
    // "1." "2)" "(3)" numbering
    let digits = l.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 && digits < 3 {
        let rest = &l[digits..];
        if let Some(r) = rest.strip_prefix(['.', ')', '、']) {
            return r.trim_start();
        }
    }
    l
}

fn push_statement(out: &mut Vec<Statement>, raw: &str) {
    let text = raw.trim();
    // "失效。2. Is 只看 reason": an inline "2." ends a sentence of its own; it is numbering.
    if text.chars().any(|c| c.is_alphanumeric()) && strip_bullet(text).chars().any(|c| c.is_alphanumeric()) {
        out.push(analyze(text));
    }
}

fn expand_contractions(s: &str) -> String {
    let lower = s.to_lowercase();
    if !lower.contains(['\'', '\u{2019}', '\u{2018}']) && !lower.contains("cannot") {
        return lower;
    }
    let lower = lower.replace(['\u{2019}', '\u{2018}'], "'");

    lower
        .replace("can't", "can not")
        .replace("cannot", "can not")
        .replace("won't", "will not")
        .replace("shan't", "shall not")
        .replace("n't", " not")
}

/// Analyses one statement.
pub fn analyze(text: &str) -> Statement {
    let expanded = expand_contractions(text);
    let mut compact: Vec<char> = Vec::with_capacity(expanded.len());
    let mut tokens: Vec<Token> = Vec::new();
    let mut clause = 0usize;
    let mut clause_starts = vec![0usize];
    let mut word = String::new();
    let mut word_start = 0;

    let flush = |word: &mut String,
                 start: usize,
                 end: usize,
                 code: bool,
                 dotted: bool,
                 tokens: &mut Vec<Token>,
                 clause: &mut usize,
                 clause_starts: &mut Vec<usize>| {
        if word.is_empty() {
            return;
        }
        if !code && en::CLAUSE_WORDS.contains(&word.as_str()) && !tokens.is_empty() && !dotted {
            *clause += 1;
            clause_starts.push(start);
        }
        tokens.push(Token {
            stem: stem(word),
            text: std::mem::take(word),
            start,
            end,
            clause: *clause,
            cjk: false,
            code: code || dotted,
        });
    };

    let mut in_code = false;
    // Commas inside `f(a, b)` are code, not clause marks.
    let mut depth = 0usize;
    let mut chars = expanded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() || c == '`' {
            let end = compact.len();
            let dotted = word_start > 0 && compact.get(word_start - 1) == Some(&'.');
            flush(&mut word, word_start, end, in_code, dotted, &mut tokens, &mut clause, &mut clause_starts);
            if c == '`' {
                in_code = !in_code;
            }
            continue;
        }
        let pos = compact.len();
        if c.is_ascii_alphanumeric() || c == '_' {
            if word.is_empty() {
                word_start = pos;
            }
            word.push(c);
            compact.push(c);
            continue;
        }
        // A word joined to a dot is part of an identifier (`errors.Is`, `s.tasks`), not prose.
        let dotted = !word.is_empty()
            && (c == '.' && chars.peek().is_some_and(|n| n.is_ascii_alphanumeric())
                || c == '('
                || (word_start > 0 && compact.get(word_start - 1) == Some(&'.')));
        flush(&mut word, word_start, pos, in_code, dotted, &mut tokens, &mut clause, &mut clause_starts);
        compact.push(c);
        if is_cjk(c) {
            tokens.push(Token {
                text: c.to_string(),
                stem: c.to_string(),
                start: pos,
                end: pos + 1,
                clause,
                cjk: true,
                code: in_code,
            });
            // A Chinese connective ending here starts a new clause after it.
            for w in chars_of(&CLAUSE_ZH, zh::CLAUSE_WORDS) {
                let n = w.len();
                if compact.len() >= n && compact[compact.len() - n..] == w[..] {
                    let first = compact.len() - n;
                    if first == 0 || clause_starts.last() == Some(&first) || is_verb_complement(&compact, first, w) {
                        break;
                    }
                    // Re-home the connective's characters into the new clause.
                    clause += 1;
                    clause_starts.push(first);
                    for t in tokens.iter_mut().rev().take(n) {
                        t.clause = clause;
                    }
                    break;
                }
            }
        } else if c == '(' {
            depth += 1;
        } else if c == ')' {
            depth = depth.saturating_sub(1);
        } else if !in_code && depth == 0 && is_clause_mark(c, chars.peek().copied()) {
            clause += 1;
            clause_starts.push(pos + 1);
        }
    }
    let end = compact.len();
    let dotted = word_start > 0 && compact.get(word_start - 1) == Some(&'.');
    flush(&mut word, word_start, end, in_code, dotted, &mut tokens, &mut clause, &mut clause_starts);

    let mut clauses = Vec::with_capacity(clause_starts.len());
    for (i, &s) in clause_starts.iter().enumerate() {
        let e = clause_starts.get(i + 1).copied().unwrap_or(compact.len());
        clauses.push(s..e.max(s));
    }
    let question = text.trim_end().ends_with(['?', '？']);
    let n = compact.len();
    let mut clause_of = vec![0; n + 1];
    for (i, r) in clauses.iter().enumerate() {
        let end = clauses.get(i + 1).map_or(n + 1, |next| next.start.max(r.start));
        for c in &mut clause_of[r.start.min(n + 1)..end.min(n + 1)] {
            *c = i;
        }
    }
    let mut starts_before = vec![0; n + 1];
    let mut ends_upto = vec![0; n + 1];
    for t in &tokens {
        if t.start < n {
            starts_before[t.start + 1] += 1;
        }
        ends_upto[t.end] += 1;
    }
    for p in 1..=n {
        starts_before[p] += starts_before[p - 1];
        ends_upto[p] += ends_upto[p - 1];
    }
    Statement { text: text.to_string(), compact, tokens, clauses, question, clause_of, starts_before, ends_upto }
}

impl Statement {
    /// The clause holding compact offset `pos`.
    pub fn clause_at(&self, pos: usize) -> usize {
        self.clause_of.get(pos).copied().unwrap_or_else(|| self.clauses.len().saturating_sub(1))
    }

    /// Tokens lying wholly in `from..to` (compact offsets).
    pub fn tokens_between(&self, from: usize, to: usize) -> usize {
        let n = self.compact.len();
        self.ends_upto[to.min(n)].saturating_sub(self.starts_before[from.min(n)])
    }

    /// Number of tokens (words and CJK characters).
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether it has no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// Phrase lists as characters, computed once: comparing `char` slices is what the hot loops do.
fn chars_of(cell: &'static OnceLock<Vec<Vec<char>>>, words: &[&str]) -> &'static [Vec<char>] {
    cell.get_or_init(|| words.iter().map(|w| w.chars().collect()).collect())
}
static CLAUSE_ZH: OnceLock<Vec<Vec<char>>> = OnceLock::new();
static COMPLEMENT_ZH: OnceLock<Vec<Vec<char>>> = OnceLock::new();
static DISMISS_ZH_CHARS: OnceLock<Vec<Vec<char>>> = OnceLock::new();
static NOT_NEG_ZH_CHARS: OnceLock<Vec<Vec<char>>> = OnceLock::new();

/// Whether `c[i..]` starts with `w`.
fn starts_at(c: &[char], i: usize, w: &[char]) -> bool {
    c.len() >= i + w.len() && c[i..i + w.len()] == *w
}

/// A word that can cancel what a statement claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cue {
    /// Compact offset.
    pub pos: usize,
    /// Width in compact characters.
    pub width: usize,
    /// Negates what follows it ("no race").
    pub forward: bool,
    /// May negate what precedes it ("the race is fine", "泄露应该不会").
    pub backward: bool,
    /// A judgement that dismisses its whole clause, however far back ("...是对的", "is fine").
    pub clause_wide: bool,
}

/// Most words between the negation and that word.
const NEEDED_REACH: usize = 6;

/// Negation cues of a statement. Whether a Chinese cue also reaches back is decided by the
/// caller, who knows where the concepts are.
pub(crate) fn negation_cues(s: &Statement) -> Vec<Cue> {
    let mut cues = Vec::new();
    let prose: Vec<&Token> = s.tokens.iter().filter(|t| !t.code && !t.cjk).collect();
    for (i, t) in prose.iter().enumerate() {
        // "not good enough" criticises: a dismissal right after a negation is not one.
        let after_neg = i > 0 && en::NEG.contains(&prose[i - 1].text.as_str());
        if let Some(d) = en::DISMISS
            .iter()
            .filter(|_| !after_neg)
            .find(|d| prose.len() >= i + d.len() && prose[i..i + d.len()].iter().zip(d.iter()).all(|(p, w)| p.text == *w))
        {
            let end = prose[i + d.len() - 1].end;
            cues.push(Cue { pos: t.start, width: end - t.start, forward: false, backward: true, clause_wide: true });
        } else if en::NEG.contains(&t.text.as_str())
            && !prose.get(i + 1).is_some_and(|n| n.clause == t.clause && en::NOT_ONLY.contains(&n.text.as_str()))
        {
            cues.push(Cue { pos: t.start, width: t.end - t.start, forward: true, backward: false, clause_wide: false });
            // "no test is needed": an absence judged acceptable dismisses the clause.
            if let Some(n) = prose[i + 1..]
                .iter()
                .take(NEEDED_REACH)
                .take_while(|p| p.clause == t.clause)
                .find(|p| en::NEEDED.contains(&p.text.as_str()))
            {
                cues.push(Cue { pos: n.start, width: n.end - n.start, forward: false, backward: true, clause_wide: true });
            }
        } else if en::NEG_AFTER.contains(&t.text.as_str()) {
            let before = &prose[i.saturating_sub(3)..i];
            // "所以 fine", "..., OK": a judgement word after Chinese or opening its clause. After a
            // Chinese verb or 的 it is a noun ("返回的 ok", "应该判断 ok": Go's `ok`), not a verdict.
            let after_cjk = t.start > 0
                && s.compact
                    .get(t.start - 1)
                    .is_some_and(|&c| is_cjk(c) && c != '的' && (zh::VERDICT_FILLER.contains(&c) || zh::PARTICLES.contains(&c)));
            let opens_clause = s.clauses.get(t.clause).is_some_and(|r| {
                s.tokens
                    .iter()
                    .filter(|u| u.clause == t.clause && u.start < t.start)
                    .all(|u| en::VERDICT_FILLER.contains(&u.text.as_str()))
                    && r.start <= t.start
            });
            let linked = before.iter().any(|p| en::JUDGING.contains(&p.text.as_str()));
            // "so the intended values are ...", "a safe default": an adjective before its noun
            // describes, it does not judge what came before.
            let attributive = !linked
                && i > 0
                && en::DETERMINERS.contains(&prose[i - 1].text.as_str())
                && prose.get(i + 1).is_some_and(|n| n.clause == t.clause && !en::VERDICT_FILLER.contains(&n.text.as_str()));
            let judged = (after_cjk || opens_clause || linked)
                && !attributive
                && !before.iter().any(|p| matches!(p.text.as_str(), "would" | "should" | "be" | "could" | "not" | "never"));
            if judged {
                cues.push(Cue { pos: t.start, width: t.end - t.start, forward: false, backward: true, clause_wide: true });
            }
        }
    }
    let c = &s.compact;
    let mut i = 0;
    let dismiss = chars_of(&DISMISS_ZH_CHARS, zh::DISMISS);
    let not_neg = chars_of(&NOT_NEG_ZH_CHARS, zh::NOT_NEG);
    while i < c.len() {
        if !is_cjk(c[i]) {
            i += 1;
            continue;
        }
        // "是不是 ...": a question (A-not-A), not a negation.
        if a_not_a(c, i) {
            i += 2;
            continue;
        }
        // "会不会有问题" asks; only "不会有问题" judges.
        let asks = i > 0 && zh::NEG.contains(&c[i]) && c.get(i + 1) == Some(&c[i - 1]);
        if let Some(d) = dismiss.iter().filter(|d| !asks && starts_at(c, i, d)).max_by_key(|d| d.len()) {
            let n = d.len();
            let forward = zh::NEG.contains(&d[0]);
            let clause_wide = !need_not_with_object(s, i, d);
            cues.push(Cue { pos: i, width: n, forward, backward: clause_wide, clause_wide });
            i += n;
            continue;
        }
        if zh::NEG.contains(&c[i]) {
            if let Some(w) = not_neg.iter().find(|w| starts_at(c, i, w)) {
                i += w.len();
                continue;
            }
            if ends_not_neg_word(c, i) {
                i += 1;
                continue;
            }
            cues.push(Cue { pos: i, width: 1, forward: true, backward: true, clause_wide: false });
        }
        i += 1;
    }
    cues
}

/// Whether the negating character at `c[i]` ends a word of [`zh::NOT_NEG_ENDING`] ("特别是",
/// "区别"): part of that word, not a negation.
fn ends_not_neg_word(c: &[char], i: usize) -> bool {
    zh::NOT_NEG_ENDING.iter().any(|w| {
        let w: Vec<char> = w.chars().collect();
        i + 1 >= w.len() && c[i + 1 - w.len()..=i] == w[..]
    })
}

/// Whether the negation at `c[i]` asks whether a whole proposition holds ("是不是每个 dag 都会再
/// 查一次"): one of [`zh::A_NOT_A`] around it. "会不会有问题" and "有没有泄露" stay negations: they
/// mostly ask about a bare topic, and a bare topic in a question claims nothing.
pub(crate) fn a_not_a(c: &[char], i: usize) -> bool {
    i > 0 && zh::A_NOT_A.iter().any(|w| c[i - 1..].starts_with(&w.chars().collect::<Vec<char>>()))
}

/// Whether the "no need to" at `c[i..]` (`d`, one of [`zh::NEED_NOT`]) has code of its own as its
/// object ("不需要再 parseInt 一遍", "不需要再 Get 一遍"): then it negates that object, not the claim
/// before it. Followed by nothing, a worry word or prose ("不需要再加", "不需要再担心并发了", "不需要
/// 打日志") it is a judgement; so is a first clause announcing its explanation ("不需要 X：...").
fn need_not_with_object(s: &Statement, i: usize, d: &[char]) -> bool {
    let c = &s.compact;
    if !chars_of(&NEED_NOT_CHARS, zh::NEED_NOT).iter().any(|w| w[..] == *d) {
        return false;
    }
    let clause = s.clause_at(i);
    if clause == 0 && judged_by_first_clause(s) {
        return false;
    }
    let end = s.clauses[clause].end;
    let mut rest = &c[(i + d.len()).min(end)..end];
    while let Some((first, tail)) = rest.split_first()
        && *first == '再'
    {
        rest = tail;
    }
    if chars_of(&WORRY_CHARS, zh::WORRY).iter().any(|w| rest.starts_with(w)) {
        return false;
    }
    let object = rest.iter().filter(|&&ch| ch.is_ascii_alphanumeric()).count();
    object > zh::NEED_NOT_MAX_OBJECT
}
static NEED_NOT_CHARS: OnceLock<Vec<Vec<char>>> = OnceLock::new();
static WORRY_CHARS: OnceLock<Vec<Vec<char>>> = OnceLock::new();

/// Whether the statement answers its own label with a bare "no" ("Race: none.", "泄露：没有").
pub(crate) fn bare_no(s: &Statement) -> bool {
    if s.clauses.len() < 2 {
        return false;
    }
    let last = s.clauses.last().expect("checked");
    let rest: String = s.compact[last.clone()].iter().filter(|c| c.is_alphanumeric() || **c == '/').collect();
    en::BARE_NO.contains(&rest.as_str()) || zh::BARE_NO.contains(&rest.as_str())
}

/// Most content words a last clause may hold besides its judgement and still be a verdict on the
/// whole statement ("..., so it's fine", "...，所以不会有问题"): more, and it judges its own subject
/// ("..., so adding a timeout is fine").
pub const VERDICT_MAX_CONTENT: usize = 2;

/// Whether the statement closes with a bare verdict that dismisses everything before it, across
/// because / so / but: "the lookup may fail on the old context, but that only delays the cleanup,
/// so it's fine"; "Get 和 Delete 之间确实有窗口，但 store 内部有锁，所以不会有问题".
pub(crate) fn final_verdict(s: &Statement, cues: &[Cue]) -> bool {
    // Trailing clauses that only give the verdict's reason ("because it is best-effort") do not
    // end it: the verdict is the last clause before them.
    let mut last = s.clauses.len().saturating_sub(1);
    while last > 0 && opens_with_reason(s, last) {
        last -= 1;
    }
    if last == 0 {
        return false;
    }
    let Some(cue) = cues.iter().find(|c| c.clause_wide && s.clause_at(c.pos) == last) else { return false };
    // "..., otherwise it's fine" judges the rest of the change, not the claim.
    if points_elsewhere(s, s.clauses[last].clone()) {
        return false;
    }
    // What the verdict judges stands before it; what follows is its complement ("too small to
    // need a test"). Chinese characters count two to a word.
    let before = s.tokens.iter().filter(|t| t.clause == last && t.end <= cue.pos);
    let content = |cjk: bool| {
        before
            .clone()
            .filter(|t| t.cjk == cjk)
            .filter(|t| {
                if t.cjk {
                    !t.text.chars().next().is_some_and(|c| zh::VERDICT_FILLER.contains(&c) || zh::NEG.contains(&c))
                } else {
                    !en::VERDICT_FILLER.contains(&t.text.as_str()) && !en::NEG.contains(&t.text.as_str()) && !restates(s, last, t)
                }
            })
            .count()
    };
    content(false) + content(true).div_ceil(2) <= VERDICT_MAX_CONTENT
}

/// Whether the English word `t` of clause `last` restates the claim: its stem stands in an earlier
/// clause ("the agents aren't shut down, … so leaking a few agents is too minor to worry about").
fn restates(s: &Statement, last: usize, t: &Token) -> bool {
    s.tokens.iter().any(|p| p.clause < last && !p.cjk && p.stem == t.stem)
}

/// Whether clause `k` of `s` opens with a reason connective ("because", "since", "因为").
fn opens_with_reason(s: &Statement, k: usize) -> bool {
    let r = &s.clauses[k];
    s.tokens.iter().find(|t| t.start >= r.start).is_some_and(|t| !t.cjk && en::REASON.contains(&t.text.as_str()))
        || zh::REASON.iter().any(|w| s.compact[r.clone()].starts_with(&w.chars().collect::<Vec<char>>()))
}

/// Whether the words in `range` (compact offsets) point a verdict at something else than the
/// claim before it: "otherwise", "the rest", "overall", "其他", "整体".
fn points_elsewhere(s: &Statement, range: std::ops::Range<usize>) -> bool {
    let words = s.tokens.iter().filter(|t| !t.cjk && !t.code && t.start >= range.start && t.end <= range.end);
    words.clone().any(|t| en::ELSEWHERE.contains(&t.text.as_str()))
        || chars_of(&ELSEWHERE_ZH, zh::ELSEWHERE)
            .iter()
            .any(|w| (range.start..range.end.saturating_sub(w.len() - 1)).any(|i| starts_at(&s.compact, i, w)))
}
static ELSEWHERE_ZH: OnceLock<Vec<Vec<char>>> = OnceLock::new();

/// Most tokens of a statement that is a bare verdict on the statement before it ("Good enough.",
/// "Not a big deal in practice.", "影响不大，可以先合。").
pub const STANDALONE_VERDICT_MAX_TOKENS: usize = 10;

/// Whether `s` is a verdict on the statement before it: as a whole ("It may race. Good enough.",
/// "...。影响不大。"), or in a first clause that its explanation follows ("That's fine, a failing
/// hook means something is broken anyway"), though not one that concedes ("Fine, but ...").
/// The verdict has no subject of its own besides words of `prev`, and no word points elsewhere
/// ("The rest is fine.", "Otherwise fine.", "其他没问题。").
pub fn standalone_verdict(s: &Statement, prev: &Statement) -> bool {
    let short = |r: std::ops::Range<usize>| s.tokens_between(r.start, r.end) <= STANDALONE_VERDICT_MAX_TOKENS;
    let first_short = s.clauses.len() >= 2 && short(s.clauses[0].clone());
    if s.question || !(s.len() <= STANDALONE_VERDICT_MAX_TOKENS || first_short) {
        return false;
    }
    let cues: Vec<Cue> = negation_cues(s).into_iter().filter(|c| c.clause_wide).collect();
    if cues.is_empty() || points_elsewhere(s, 0..s.compact.len()) {
        return false;
    }
    if s.len() <= STANDALONE_VERDICT_MAX_TOKENS && bare_verdict(s, &cues, 0..s.compact.len(), prev) {
        return true;
    }
    let conceded = s.clauses.get(1).is_some_and(|r| {
        s.tokens.iter().find(|t| t.start >= r.start).is_some_and(|t| !t.cjk && en::CONTRAST.contains(&t.text.as_str()))
            || zh::CONTRAST.iter().any(|w| s.compact[r.clone()].starts_with(&w.chars().collect::<Vec<char>>()))
    });
    first_short && !conceded && bare_verdict(s, &cues, s.clauses[0].clone(), prev)
}

/// Whether the words of `s` in `range` are a judgement and nothing else of their own.
fn bare_verdict(s: &Statement, cues: &[Cue], range: std::ops::Range<usize>, prev: &Statement) -> bool {
    let cues: Vec<&Cue> = cues.iter().filter(|c| c.pos >= range.start && c.pos < range.end).collect();
    if cues.is_empty() {
        return false;
    }
    let in_cue = |t: &Token| cues.iter().any(|c| t.start >= c.pos && t.end <= c.pos + c.width);
    let mut own = s.tokens.iter().filter(|t| t.start >= range.start && t.end <= range.end && !in_cue(t)).filter(|t| {
        if t.cjk {
            let ch = t.text.chars().next().unwrap_or(' ');
            !(zh::VERDICT_FILLER.contains(&ch)
                || zh::NEG.contains(&ch)
                || zh::PARTICLES.contains(&ch)
                || prev.compact.contains(&ch))
        } else {
            !(en::VERDICT_FILLER.contains(&t.text.as_str())
                || en::NEG.contains(&t.text.as_str())
                || prev.tokens.iter().any(|p| p.stem == t.stem))
        }
    });
    own.next().is_none()
}

/// Whether the statement ends in a concluding bare verdict ("..., so it's fine"): an excuse for
/// what came before it.
pub fn concluding_verdict(s: &Statement) -> bool {
    let Some(last) = s.clauses.last() else { return false };
    let opens =
        s.tokens.iter().find(|t| t.start >= last.start).is_some_and(|t| !t.cjk && en::CONCLUSION.contains(&t.text.as_str()))
            || zh::CONCLUSION.iter().any(|w| s.compact[last.clone()].starts_with(&w.chars().collect::<Vec<char>>()));
    opens && final_verdict(s, &negation_cues(s))
}

/// Whether the statement opens with a contrast and carries a dismissing judgement: then it
/// excuses the statement before it ("X leaks. 不过 caller 正常都会 cancel，所以没问题。").
pub fn contrastive_verdict(s: &Statement) -> bool {
    let opens = s.tokens.first().is_some_and(|t| !t.cjk && en::CONTRAST.contains(&t.text.as_str()))
        || zh::CONTRAST.iter().any(|w| s.compact.starts_with(&w.chars().collect::<Vec<char>>()));
    opens && negation_cues(s).iter().any(|c| c.clause_wide)
}

/// Whether the connective `w` starting at `compact[first]` is a verb's complement instead
/// ("编译不过", "跑不过": "fails to"), i.e. one of [`zh::COMPLEMENT_CONNECTIVES`] joined to the
/// Chinese word before it. As a connective it follows punctuation, a space or a particle.
fn is_verb_complement(compact: &[char], first: usize, w: &[char]) -> bool {
    let before = compact[first - 1];
    is_cjk(before)
        && !zh::PARTICLES.contains(&before)
        && chars_of(&COMPLEMENT_ZH, zh::COMPLEMENT_CONNECTIVES).iter().any(|c| c[..] == *w)
}

/// Whether the first clause ends with a colon: then a judgement in it ("X is fine:") covers the
/// explanation that follows.
pub(crate) fn judged_by_first_clause(s: &Statement) -> bool {
    s.clauses.len() >= 2 && s.clauses[0].end > 0 && matches!(s.compact.get(s.clauses[0].end - 1), Some(':' | '：'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        let got: Vec<String> = statements(input)
            .iter()
            .map(|s| {
                let clauses: Vec<String> = s.clauses.iter().map(|r| s.compact[r.clone()].iter().collect()).collect();
                clauses.join(" | ")
            })
            .collect();
        assert_eq!(got.join("\n"), expect);
    }

    #[test]
    fn splits_sentences_but_not_code_or_abbreviations() {
        check(
            "The goroutine leaks, e.g. when `ctx.Done()` never fires. It doesn't stop!",
            "thegoroutineleaks, | e.g.whenctx.done()neverfires.\nitdoesnotstop!",
        );
    }

    #[test]
    fn splits_chinese_sentences_and_clauses() {
        check("如果 ctx 不被取消，goroutine 会泄露。但是没有测试", "如果ctx不被取消， | goroutine会泄露。\n但是没有测试");
    }

    #[test]
    fn a_connective_joined_to_a_verb_is_its_complement() {
        // 编译不过 / 跑不过 say "fails to compile / run": one clause, not "compile. However ...".
        check("外部调用方升级以后都编译不过。", "外部调用方升级以后都编译不过。");
        check("这个测试在 CI 上跑不过", "这个测试在ci上跑不过");
        // After punctuation, a space or a particle it is still "however".
        check("会泄露，不过影响不大", "会泄露， | 不过影响不大");
        check("会泄露的 不过影响不大", "会泄露的 | 不过影响不大");
    }

    #[test]
    fn code_operators_do_not_end_sentences() {
        // `!=`, `!x`, `?.`, `..`, `::` outside backticks are code, not sentence ends.
        check(
            "got.Reason != got.Reason is always false. So it never fails!",
            "got.reason!=got.reasonisalwaysfalse.\nsoitneverfails!",
        );
        check("if !ok the body stays open", "if!okthebodystaysopen");
        check("user?.name is undefined and it throws", "user?.nameisundefinedanditthrows");
        check("the range 0..n skips the last one", "therange0..nskipsthelastone");
        check("tokio::spawn never joins", "tokio::spawnneverjoins");
        check("Yes!! It leaks.", "yes!!\nitleaks.");
    }

    #[test]
    fn a_macro_bang_does_not_end_a_sentence() {
        check("so even if you fix the warn! the key still leaks.", "soevenifyoufixthewarn!thekeystillleaks.");
        check("It uses println! instead of tracing. Fine!", "itusesprintln!insteadoftracing.\nfine!");
        check("log::warn! prints the raw key", "log::warn!printstherawkey");
        check("Warn! It leaks.", "warn!\nitleaks.");
    }

    /// The words of each negation cue of a one-statement input, `+` marking a clause-wide judgement.
    fn check_cues(input: &str, expect: &str) {
        let s = analyze(input);
        let got: Vec<String> = negation_cues(&s)
            .iter()
            .map(|c| {
                let w: String = s.compact[c.pos..c.pos + c.width].iter().collect();
                if c.clause_wide { format!("+{w}") } else { w }
            })
            .collect();
        assert_eq!(got.join(" "), expect, "{input}");
    }

    #[test]
    fn negation_binds_to_the_predicate_it_governs() {
        // An adjective before its noun describes; after a linking verb it judges.
        check_cues("so the intended values are reviewable", "");
        check_cues("a safe default for the buffer", "");
        check_cues("the race is fine", "+fine");
        check_cues("so it is the right call", "+right");
        // "not only X but Y" negates nothing; "not X, Y" negates X only (the clause ends).
        check_cues("it not only leaks but also races", "");
        check_cues("163 is not a byte size, it is a count of items", "not");
        // A criticism is not a dismissal.
        check_cues("a timeout is not good enough", "not");
        check_cues("a timeout is good enough", "+goodenough");
        // After a Chinese verb, `ok` is its object (Go's `ok`); after a filler it judges.
        check_cues("返回的 ok 被忽略了，应该判断 ok", "");
        check_cues("返回的 ok 被忽略了，所以 ok", "+ok");
    }

    #[test]
    fn a_not_a_questions_negate_nothing() {
        check_cues("是不是每个 dag 都会再查一次数据库", "");
        check_cues("是不是不会退出", "不");
        check_cues("这里不会泄露", "不");
        // "会不会有问题" asks: a plain negation at most, never a verdict on the statement.
        check_cues("这里会不会有问题", "不");
        check_cues("这里不会有问题", "+不会有问题");
    }

    #[test]
    fn words_ending_in_a_negating_character_do_not_negate() {
        check_cues("特别是 Get 失败的时候会泄露", "");
        check_cues("两个分支的区别在于是否加锁", "");
        check_cues("除非 ctx 被取消，goroutine 会一直阻塞", "");
        // A plain 别 still negates.
        check_cues("别在循环里加锁", "别");
    }

    #[test]
    fn no_need_to_with_code_of_its_own_is_a_plain_negation() {
        check_cues("不需要再 parseInt 一遍", "不需要");
        check_cues("测试已经够了，不需要再加", "+不需要");
        check_cues("加锁之后就不需要再担心并发了", "+不需要再担心");
        check_cues("不过影响不大，可以先合", "+影响不大 +先合");
    }

    #[test]
    fn strips_bullets_and_numbers() {
        check("- first point\n2. second point", "firstpoint\nsecondpoint");
        // Inline numbering after a sentence end is not a statement of its own.
        check("1. 全部失效。2. Is 只看 reason。", "全部失效。\nis只看reason。");
        check("It leaks. 2. It races.", "itleaks.\nitraces.");
    }

    #[test]
    fn stems_fold_spelling() {
        assert_eq!(stem("canceled"), stem("cancelled"));
        assert_eq!(stem("leaking"), stem("leak"));
    }
}
