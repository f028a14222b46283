//! From an answer set to a [`Report`]: statements, concept matches, verdicts, penalties, score.

use std::collections::HashSet;

use rustc_hash::FxHashMap as HashMap;

use revdrill_pack::diff::LineKind;
use revdrill_pack::{AnswerSet, Category, ConceptGroup, Drill, ItemKind, Localized, Severity};

use crate::comment::grade_comment;
use crate::concepts::{ConceptMatch, Concepts};
use crate::lang::{en, zh};
use crate::report::*;
use crate::text::{Statement, analyze, statements};

/// Points per severity and penalties. The defaults are documented in `docs/grading.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// Points for a hit, by severity (blocker, major, minor, nit).
    pub full: [f64; 4],
    /// Points for a partial, by severity.
    pub partial: [f64; 4],
    /// Points lost per trap shown.
    pub trap: f64,
    /// Points lost per decoy flagged.
    pub decoy: f64,
    /// Share of the total score that the English comment carries (when the drill asks for one).
    pub comment_share: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights { full: [25.0, 15.0, 5.0, 2.0], partial: [12.0, 7.0, 2.0, 1.0], trap: 3.0, decoy: 5.0, comment_share: 0.15 }
    }
}

fn sev_index(s: Severity) -> usize {
    Severity::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Prompt sentences whose words are indexed for the echo check (one bit each in a `u64`).
const PROMPT_SENTENCES_MAX: usize = 64;
/// The source id of a review card's answer ([`Grader::grade_finding`]): no checklist item has it.
pub const CARD_ITEM: &str = "review-card";
/// A statement echoes a checklist prompt when it has at least this many distinct words...
const ECHO_MIN_WORDS: usize = 3;
/// ...and this share of them is in one prompt...
const ECHO_SHARE: f64 = 0.85;
/// ...or, for a question of at least this many words...
const ECHO_QUESTION_MIN_WORDS: usize = 5;
/// ...this share.
const ECHO_QUESTION_SHARE: f64 = 0.6;
/// A keyword list has at least this many tokens...
const KEYWORD_LIST_MIN_TOKENS: usize = 3;
/// ...and either this share of them inside concept terms, telegraphic, naming at least
/// [`KEYWORD_LIST_MIN_FINDINGS`] findings...
const KEYWORD_DENSITY: f64 = 0.6;
const KEYWORD_LIST_MIN_FINDINGS: usize = 2;
/// ...or is telegraphic and at least this long.
const LONG_LIST_MIN_TOKENS: usize = 8;
/// A statement of at least this many tokens that matches nothing is listed as "not in the key".
const NOT_IN_KEY_MIN_TOKENS: usize = 4;
/// A statement is specific enough for a partial when it names at least this many ideas.
const SPECIFIC_MIN_IDEAS: usize = 2;
/// A statement is read as Chinese when more than this share of its tokens are CJK characters.
const CJK_STATEMENT_SHARE: f64 = 1.0 / 3.0;
/// Chinese is choppy (a list of nouns) with at least this many space-separated chunks whose
/// median length is at most [`CHOPPY_MEDIAN_CHUNK`] characters...
const CHOPPY_MIN_CHUNKS: usize = 4;
const CHOPPY_MEDIAN_CHUNK: usize = 3;
/// ...at least this many CJK characters, and fewer function characters than this share.
const TELEGRAPHIC_MIN_CJK: usize = 6;
const TELEGRAPHIC_ZH_FUNCTION_SHARE: f64 = 0.12;
/// English is telegraphic with fewer function words than this share.
const TELEGRAPHIC_EN_FUNCTION_SHARE: f64 = 0.1;
/// Shortest identifier from the diff that counts as grounding.
const IDENT_MIN_LEN: usize = 3;

/// Lexicon concepts that name a topic, not a claim: they never make a statement specific
/// ("建议补充 unit test，提高 test coverage" names testing twice and claims nothing).
const TOPIC_CONCEPTS: &[&str] = &["test", "performance", "security"];

/// A statement naming at least this many findings...
const NAME_LIST_MIN_FINDINGS: usize = 2;
/// ...in fewer tokens than this per finding lists names, not mechanisms, and earns nothing.
const NAME_LIST_TOKENS_PER_FINDING: f64 = 5.0;

/// Lines of slack around a finding's anchors within which an inline comment counts as on it.
const ANCHOR_SLACK: u32 = 2;

/// A statement with everything grading needs to know about it.
pub(crate) struct Analysed {
    pub(crate) stmt: Statement,
    pub(crate) source: Source,
    pub(crate) matches: Vec<ConceptMatch>,
    /// `present[c]`: concept `c` occurs un-negated.
    pub(crate) present: Vec<bool>,
    /// `denied[c]`: concept `c` occurs denied by a plain negation (what `!c` asks for).
    pub(crate) denied: Vec<bool>,
    /// `claimed[c]`: concept `c` occurs un-negated or cancelled only by a judgement: what a trap
    /// needs ("a `cors()` will block them, 不用担心" still states the misconception).
    pub(crate) claimed: Vec<bool>,
    pub(crate) set_aside: Option<SetAsideReason>,
    /// Cached: says enough for a partial (see `Grader::specific`).
    specific: bool,
    /// Cached: fully states some finding.
    hits_any: bool,
    /// Cached: states a decoy's misreading.
    flags_decoy: bool,
    /// Describes a test (it names testing) under a checklist item that asks only about tests.
    test_plan: bool,
    /// Only recommends ("建议...", "Make sure ...", "consider ...") and claims no failure or absence:
    /// it earns no partial away from the code.
    advice_only: bool,
}

/// Grades answer sets for one drill. Build it once per drill; grading is then cheap.
///
/// The grader owns what it needs: a copy of the drill and its answer key compiled against the
/// concepts (every group resolved to concept ids once), so it can be kept anywhere for as long
/// as needed, with no borrow of the catalog.
pub struct Grader {
    drill: Drill,
    key: Key,
    concepts: Concepts,
    weights: Weights,
    /// Each word of the checklist prompts (both languages), with a bit per prompt sentence
    /// that holds it (the first 64 sentences).
    prompt_words: HashMap<String, u64>,
    /// Prompt sentences counted in `prompt_words`.
    prompt_count: usize,
    /// Identifiers of the added lines, lower-cased, for the comment's grounding.
    pub(crate) idents: Vec<String>,
}

/// The answer key compiled: findings, traps and decoys with their groups resolved.
struct Key {
    findings: Vec<KeyFinding>,
    traps: Vec<KeyTrap>,
    decoys: Vec<KeyDecoy>,
}

/// A group of concepts, resolved: `None` when it names an unknown concept (never satisfied).
/// Reads as its names.
pub(crate) struct Group {
    names: Vec<String>,
    terms: Option<Vec<GroupTerm>>,
}

impl std::ops::Deref for Group {
    type Target = [String];
    fn deref(&self) -> &[String] {
        &self.names
    }
}

/// A finding with its groups compiled; reads as the finding for everything else.
pub(crate) struct KeyFinding {
    finding: revdrill_pack::Finding,
    hit: Vec<Group>,
    partial: Vec<Group>,
}

impl std::ops::Deref for KeyFinding {
    type Target = revdrill_pack::Finding;
    fn deref(&self) -> &revdrill_pack::Finding {
        &self.finding
    }
}

struct KeyTrap {
    trap: revdrill_pack::Trap,
    matches: Vec<Group>,
}

impl std::ops::Deref for KeyTrap {
    type Target = revdrill_pack::Trap;
    fn deref(&self) -> &revdrill_pack::Trap {
        &self.trap
    }
}

struct KeyDecoy {
    decoy: revdrill_pack::Decoy,
    matches: Vec<Group>,
}

impl std::ops::Deref for KeyDecoy {
    type Target = revdrill_pack::Decoy;
    fn deref(&self) -> &revdrill_pack::Decoy {
        &self.decoy
    }
}

impl Key {
    fn compile(drill: &Drill, concepts: &Concepts) -> Key {
        let groups = |gs: &[ConceptGroup]| -> Vec<Group> {
            gs.iter()
                .map(|g| Group { names: g.clone(), terms: g.iter().map(|n| resolve(concepts, n)).collect::<Option<Vec<_>>>() })
                .collect()
        };
        Key {
            findings: drill
                .findings
                .iter()
                .map(|f| KeyFinding { finding: f.clone(), hit: groups(&f.hit), partial: groups(&f.partial) })
                .collect(),
            traps: drill.traps.iter().map(|t| KeyTrap { trap: t.clone(), matches: groups(&t.matches) }).collect(),
            decoys: drill.decoys.iter().map(|d| KeyDecoy { decoy: d.clone(), matches: groups(&d.matches) }).collect(),
        }
    }
}

impl Grader {
    /// A grader for `drill` with the default weights.
    pub fn new(drill: &Drill) -> Self {
        Self::with_weights(drill, Weights::default())
    }

    /// A grader with custom weights.
    pub fn with_weights(drill: &Drill, weights: Weights) -> Self {
        let concepts = Concepts::compile(drill);
        let mut prompt_words: HashMap<String, u64> = HashMap::default();
        let prompts: Vec<Statement> = drill
            .checklist
            .iter()
            .flat_map(|c| [c.prompt.en.as_str(), c.prompt.zh.as_str()])
            .flat_map(statements)
            .take(PROMPT_SENTENCES_MAX)
            .collect();
        for (i, p) in prompts.iter().enumerate() {
            for t in &p.tokens {
                *prompt_words.entry(t.stem.clone()).or_default() |= 1u64 << i;
            }
        }
        let prompt_count = prompts.len();
        let idents = diff_identifiers(drill);
        let key = Key::compile(drill, &concepts);
        Grader { drill: drill.clone(), key, concepts, weights, prompt_words, prompt_count, idents }
    }

    /// The drill being graded.
    pub fn drill(&self) -> &Drill {
        &self.drill
    }

    /// The compiled concepts.
    pub fn concepts(&self) -> &Concepts {
        &self.concepts
    }

    fn satisfied(&self, g: &Group, a: &Analysed) -> bool {
        let holds = |t: &GroupTerm| if t.denied { a.denied[t.id] } else { a.present[t.id] };
        g.terms.as_ref().is_some_and(|ts| ts.iter().all(holds))
    }

    /// Whether the statement states a group, even if a judgement then waves it away: a trap is a
    /// misconception, and learners state one with a dismissal ("cors blocks it, no need to worry").
    fn claims(&self, g: &Group, a: &Analysed) -> bool {
        let holds = |t: &GroupTerm| if t.denied { a.denied[t.id] } else { a.claimed[t.id] };
        g.terms.as_ref().is_some_and(|ts| ts.iter().all(holds))
    }

    pub(crate) fn analyse(&self, text: &str, source: Source) -> Vec<Analysed> {
        // An inline comment is one thought about one place: its sentences are read together.
        let stmts = match source {
            Source::Line { .. } => whole(text),
            Source::Item { .. } => statements(text),
        };
        let mut out = self.analyse_statements(stmts, source);
        self.apply_excuses(&mut out);
        out
    }

    /// A statement that opens with a contrast and dismisses ("不过 caller 都会 cancel，所以没问题",
    /// "But the change is too small to need a test"), or is a bare verdict of its own ("Good
    /// enough.", "问题不大。"), withdraws the claim of the statement before it, when it states no
    /// finding itself.
    fn apply_excuses(&self, stmts: &mut [Analysed]) {
        for i in 1..stmts.len() {
            let st = &stmts[i].stmt;
            let excuse = (crate::text::contrastive_verdict(st)
                || crate::text::concluding_verdict(st)
                || crate::text::standalone_verdict(st, &stmts[i - 1].stmt))
                && !self.names_finding(&stmts[i]);
            if !excuse {
                continue;
            }
            let prev = &mut stmts[i - 1];
            for m in &mut prev.matches {
                m.judged_only |= !m.negated;
                m.negated = true;
                m.dismissed = true;
                m.denied = false;
            }
            prev.present.iter_mut().for_each(|p| *p = false);
            prev.denied.iter_mut().for_each(|p| *p = false);
            let prev = &stmts[i - 1];
            let (specific, hits_any, flags_decoy) = (self.specific(prev), self.hits_any(prev), self.flags_decoy(prev));
            let prev = &mut stmts[i - 1];
            prev.specific = specific;
            prev.hits_any = hits_any;
            prev.flags_decoy = flags_decoy;
        }
    }

    /// Whether a statement describes a test under an item that asks only about tests.
    fn test_plan(&self, a: &Analysed) -> bool {
        let Source::Item { id } = &a.source else { return false };
        let Some(item) = self.drill.checklist.iter().find(|c| &c.id == id) else { return false };
        let testing_only = !item.covers.is_empty()
            && item.covers.iter().all(|f| self.drill.finding(f).is_some_and(|f| f.category == Category::Testing));
        let names_test =
            ["test", "missing-test"].iter().any(|n| self.present(a, n) || self.concepts.id(n).is_some_and(|i| a.denied[i]));
        testing_only && names_test
    }

    /// Whether the statement satisfies a group of another finding with more than `n` concepts.
    fn more_about_other(&self, a: &Analysed, f: &KeyFinding, n: usize) -> bool {
        self.key
            .findings
            .iter()
            .filter(|o| o.id != f.id)
            .flat_map(|o| o.hit.iter().chain(&o.partial))
            .any(|g| g.len() > n && self.satisfied(g, a))
    }

    /// Whether a statement satisfies any group (hit or partial) of any finding.
    fn names_finding(&self, a: &Analysed) -> bool {
        self.key.findings.iter().any(|f| f.hit.iter().chain(&f.partial).any(|g| self.satisfied(g, a)))
    }

    fn analyse_statements(&self, stmts: Vec<Statement>, source: Source) -> Vec<Analysed> {
        stmts
            .into_iter()
            .map(|stmt| {
                let matches = self.concepts.find(&stmt);
                let mut present = vec![false; self.concepts.names().len()];
                let mut denied = vec![false; self.concepts.names().len()];
                let mut claimed = vec![false; self.concepts.names().len()];
                for m in &matches {
                    if !m.negated {
                        present[m.concept] = true;
                    }
                    if !m.negated || m.judged_only {
                        claimed[m.concept] = true;
                    }
                    if m.denied {
                        denied[m.concept] = true;
                    }
                }
                let mut a = Analysed {
                    stmt,
                    source: source.clone(),
                    matches,
                    present,
                    denied,
                    claimed,
                    set_aside: None,
                    specific: false,
                    hits_any: false,
                    flags_decoy: false,
                    test_plan: false,
                    advice_only: false,
                };
                a.test_plan = self.test_plan(&a);
                a.advice_only = advice_only(&a);
                a.set_aside = self.set_aside_reason(&a);
                a.specific = self.specific(&a);
                a.hits_any = self.hits_any(&a);
                a.flags_decoy = self.flags_decoy(&a);
                a
            })
            .collect()
    }

    fn set_aside_reason(&self, a: &Analysed) -> Option<SetAsideReason> {
        let mut toks: Vec<&str> = a.stmt.tokens.iter().map(|t| t.stem.as_str()).collect();
        toks.sort_unstable();
        toks.dedup();
        if toks.len() >= ECHO_MIN_WORDS {
            // How many of the statement's distinct words each prompt holds.
            let mut shared = vec![0usize; self.prompt_count];
            for t in &toks {
                if let Some(mask) = self.prompt_words.get(*t) {
                    for (p, n) in shared.iter_mut().enumerate() {
                        if mask & (1u64 << p) != 0 {
                            *n += 1;
                        }
                    }
                }
            }
            for n in shared {
                let shared = n as f64 / toks.len() as f64;
                if shared >= ECHO_SHARE
                    || (a.stmt.question && toks.len() >= ECHO_QUESTION_MIN_WORDS && shared >= ECHO_QUESTION_SHARE)
                {
                    return Some(SetAsideReason::EchoesPrompt);
                }
            }
        }
        // A keyword list: nearly every word is a concept term, and it names several findings.
        let n = a.stmt.len();
        if n >= KEYWORD_LIST_MIN_TOKENS {
            let mut marked = vec![false; a.stmt.compact.len()];
            for m in &a.matches {
                marked[m.start..m.end].iter_mut().for_each(|x| *x = true);
            }
            let covered = a.stmt.tokens.iter().filter(|t| marked[t.start..t.end].iter().all(|&x| x)).count();
            let findings_named =
                self.key.findings.iter().filter(|f| f.hit.iter().chain(&f.partial).any(|g| self.satisfied(g, a))).count();
            let density = covered as f64 / n as f64;
            let telegraphic = telegraphic(&a.stmt);
            let long_list = n >= LONG_LIST_MIN_TOKENS && telegraphic;
            // Several findings named in a few words each: titles, not mechanisms ("goroutine
            // leak, race condition, swallowed errors, all must be fixed").
            // Two names with one of them stated in full is a point with its consequence ("%v -> %w,
            // otherwise errors.Is(err, NotFound) is false"); three are a list.
            let states_one = self.key.findings.iter().any(|f| f.hit.iter().any(|g| self.satisfied(g, a)));
            let name_drop = (findings_named > NAME_LIST_MIN_FINDINGS
                || (findings_named == NAME_LIST_MIN_FINDINGS && !states_one))
                && (n as f64) < NAME_LIST_TOKENS_PER_FINDING * findings_named as f64;
            let dense = density >= KEYWORD_DENSITY && telegraphic && findings_named >= KEYWORD_LIST_MIN_FINDINGS;
            if dense || long_list || name_drop || enumeration(&a.stmt) {
                return Some(SetAsideReason::KeywordList);
            }
        }
        None
    }

    /// Grades one answer set: text → statements and concepts ([`Grader::read`]) → verdicts per
    /// finding, traps, decoys and set-asides → the comment → the score.
    pub fn grade(&self, answers: &AnswerSet) -> Report {
        let read = self.read(answers);
        let (all, own) = (&read.statements, read.own);
        let mut credited: HashSet<usize> = HashSet::new();
        let findings: Vec<FindingResult> = self
            .key
            .findings
            .iter()
            .map(|f| {
                let (result, at) = self.verdict(f, all);
                credited.extend(at);
                result
            })
            .collect();
        let traps = self.traps(&all[..own]);
        let decoys = self.decoys(&all[..own], &credited);
        let set_aside = self.set_asides(&all[..own], &credited, &traps, &decoys);
        let comment_statements: Vec<&Analysed> = all[..own]
            .iter()
            .filter(|a| matches!(&a.source, Source::Item { id } if Some(id) == read.comment_item.as_ref()))
            .collect();
        let comment = grade_comment(self, &read.comment_text, &comment_statements);
        self.score(findings, traps, decoys, set_aside, comment)
    }

    /// Reads every answer and inline comment into analysed statements; then adds, after the
    /// learner's own (`own` of them), each question read together with the sentence answering it.
    fn read(&self, answers: &AnswerSet) -> Read {
        let drill = &self.drill;
        let mut all: Vec<Analysed> = Vec::new();
        let mut comment_text = String::new();
        let comment_item = drill.checklist.iter().find(|c| c.kind == ItemKind::Comment).map(|c| c.id.clone());
        for item in &drill.checklist {
            let Some(text) = answers.answers.get(&item.id) else { continue };
            if item.kind == ItemKind::Comment {
                comment_text = text.trim().to_string();
            }
            all.extend(self.analyse(text, Source::Item { id: item.id.clone() }));
        }
        for c in &answers.comments {
            all.extend(self.analyse(&c.body, Source::Line { line: c.line }));
        }
        // A question answered by the next sentence ("What if the task still exists? We just
        // exit, no log.") is one point: findings may be earned from the pair. Not when the answer
        // denies it ("Can it leak? No.").
        let mut pairs = Vec::new();
        for w in all.windows(2) {
            let (q, a) = (&w[0], &w[1]);
            let denies = a.stmt.tokens.first().is_some_and(|t| en::NEG.contains(&t.text.as_str()) || t.text.starts_with(zh::NEG));
            if q.source == a.source && matches!(q.source, Source::Item { .. }) && q.stmt.question && !a.stmt.question && !denies {
                pairs.extend(self.analyse_statements(whole(&format!("{} {}", q.stmt.text, a.stmt.text)), a.source.clone()));
            }
        }
        let own = all.len();
        all.extend(pairs);
        Read { statements: all, own, comment_text, comment_item }
    }

    /// One finding's verdict: the best statement for it, and that statement's index.
    fn verdict(&self, f: &KeyFinding, all: &[Analysed]) -> (FindingResult, Option<usize>) {
        let w = &self.weights;
        let si = sev_index(f.severity);
        let mut best: (Verdict, Option<usize>, Option<Localized>, Option<&Group>) = (Verdict::Miss, None, None, None);
        for (k, a) in all.iter().enumerate() {
            if let Some((v, note, group)) = self.statement_verdict(f, a)
                && v > best.0
            {
                best = (v, Some(k), note, group);
            }
        }
        let (verdict, at, note, group) = best;
        let concepts = match (at, group) {
            (Some(k), Some(g)) => self.evidence_for(&all[k], g),
            _ => Vec::new(),
        };
        let missing = if verdict == Verdict::Hit {
            Vec::new()
        } else {
            let present = at.map(|k| all[k].present.clone()).unwrap_or_else(|| vec![false; self.concepts.names().len()]);
            f.hit
                .iter()
                .max_by_key(|g| g.iter().filter(|n| self.concepts.id(n).is_some_and(|i| present[i])).count())
                .map(|g| g.iter().filter(|n| !self.concepts.id(n).is_some_and(|i| present[i])).cloned().collect())
                .unwrap_or_default()
        };
        let points = match verdict {
            Verdict::Hit => w.full[si],
            Verdict::Partial => w.partial[si],
            Verdict::Miss => 0.0,
        };
        let result = FindingResult {
            id: f.id.clone(),
            verdict,
            evidence: at.map(|k| all[k].stmt.text.clone()),
            source: at.map(|k| all[k].source.clone()),
            concepts,
            missing,
            category: f.category,
            severity: f.severity,
            points,
            max_points: w.full[si],
            note,
        };
        (result, at)
    }

    /// What one statement earns for one finding (`None`: nothing), with a note when its place
    /// raised or lowered it, and the group that decided it.
    fn statement_verdict<'k>(
        &'k self,
        f: &'k KeyFinding,
        a: &Analysed,
    ) -> Option<(Verdict, Option<Localized>, Option<&'k Group>)> {
        // A statement of a decoy's misreading earns nothing, unless it also states a real
        // finding in full: what it says decides, not where it stands.
        if a.set_aside.is_some() || (a.flags_decoy && !a.hits_any) {
            return None;
        }
        let line = match a.source {
            Source::Line { line } => Some(line),
            Source::Item { .. } => None,
        };
        let near = line.is_some_and(|l| f.lines.iter().any(|r| l + ANCHOR_SLACK >= *r.start() && l <= r.end() + ANCHOR_SLACK));
        // A test plan ("mock a node that returns null and assert NotFound") describes a
        // test, not the problem it would catch: for other findings it earns only what it
        // states in full ("... would fail: Get runs on the cancelled ctx").
        let plan = a.test_plan && f.category != Category::Testing;
        let hit = f.hit.iter().find(|g| self.satisfied(g, a));
        let partial = f.partial.iter().find(|g| self.satisfied(g, a)).filter(|_| (near || !a.advice_only) && !plan);
        // One statement, one point: a partial yields to another finding the statement
        // says more about ("... a failed cleanup leaves no trace and the record leaks
        // again" is about the dropped errors, not the goroutine).
        let states_other = hit.is_none() && (a.hits_any || partial.is_some_and(|g| self.more_about_other(a, f, g.len())));
        let (mut v, mut group) = match (hit, partial) {
            (Some(g), _) => (Verdict::Hit, Some(g)),
            (None, Some(g)) if !states_other && (near || a.specific || self.asserts_absence(a, g)) => (Verdict::Partial, Some(g)),
            _ => (Verdict::Miss, None),
        };
        // On the finding's own line, one idea of the finding says enough: the place says the rest.
        if v == Verdict::Miss
            && near
            && !states_other
            && !self.about_other_finding(a, f)
            && let Some(g) = f.hit.iter().find(|g| {
                g.iter().any(|n| {
                    self.drill.concepts.contains_key(n) && self.own_idea(f, n) && self.present(a, n) && !self.only_code(a, n)
                })
            })
        {
            v = Verdict::Partial;
            group = Some(g);
        }
        if v == Verdict::Miss {
            return None;
        }
        let mut note = None;
        if let Some(line) = line {
            // A bare fix ("use `context.WithoutCancel`") says what to do, not what goes wrong:
            // the place does not make it the finding.
            if near && v == Verdict::Partial && !a.advice_only {
                v = Verdict::Hit;
                note = Some(Localized::new(
                    format!("raised to found: your inline comment is on line {line}, where the problem is"),
                    format!("提升为命中：你的行内评论正落在问题所在的第 {line} 行"),
                ));
            } else if !near && v == Verdict::Hit {
                v = Verdict::Partial;
                note = Some(Localized::new(
                    format!("lowered to partly found: the comment is on line {line}, away from the code it is about"),
                    format!("降为部分命中：这条评论在第 {line} 行，离它所说的代码较远"),
                ));
                group = group.or(f.hit.first());
            }
        }
        Some((v, note, group))
    }

    /// Traps shown: the first of the learner's statements matching each (not an echoed prompt,
    /// none of its `unless` concepts).
    fn traps(&self, own: &[Analysed]) -> Vec<TrapResult> {
        let mut traps = Vec::new();
        for t in &self.key.traps {
            let unless: Vec<usize> = t.unless.iter().filter_map(|n| self.concepts.id(n)).collect();
            if let Some(a) = own.iter().find(|a| {
                a.set_aside != Some(SetAsideReason::EchoesPrompt)
                    && t.matches.iter().any(|g| self.claims(g, a))
                    && !unless.iter().any(|&u| a.claimed[u])
            }) {
                traps.push(TrapResult { id: t.id.clone(), evidence: a.stmt.text.clone(), feedback: t.feedback.clone() });
            }
        }
        traps
    }

    /// Decoys flagged (see [`Grader::flags`]).
    fn decoys(&self, own: &[Analysed], credited: &HashSet<usize>) -> Vec<DecoyResult> {
        let mut decoys = Vec::new();
        for d in &self.key.decoys {
            if let Some((_, a)) = own.iter().enumerate().find(|&(k, a)| self.flags(d, k, a, credited)) {
                let line = match a.source {
                    Source::Line { line } => Some(line),
                    Source::Item { .. } => None,
                };
                decoys.push(DecoyResult { id: d.id.clone(), evidence: a.stmt.text.clone(), line, why: d.why.clone() });
            }
        }
        decoys
    }

    /// Statements that earned nothing, with the reason.
    fn set_asides(
        &self,
        own: &[Analysed],
        credited: &HashSet<usize>,
        traps: &[TrapResult],
        decoys: &[DecoyResult],
    ) -> Vec<SetAside> {
        let drill = &self.drill;
        let mut set_aside = Vec::new();
        for (k, a) in own.iter().enumerate() {
            if let Some(reason) = a.set_aside {
                set_aside.push(SetAside { text: a.stmt.text.clone(), source: a.source.clone(), reason });
                continue;
            }
            let named_any = credited.contains(&k)
                || self.names_finding(a)
                || traps.iter().any(|t| t.evidence == a.stmt.text)
                || decoys.iter().any(|d| d.evidence == a.stmt.text);
            let is_comment_item = matches!(&a.source, Source::Item { id } if drill.checklist.iter().any(|c| &c.id == id && c.kind == ItemKind::Comment));
            if !named_any && !is_comment_item && a.stmt.len() >= NOT_IN_KEY_MIN_TOKENS {
                set_aside.push(SetAside {
                    text: a.stmt.text.clone(),
                    source: a.source.clone(),
                    reason: SetAsideReason::NotInKey,
                });
            }
        }
        set_aside
    }

    /// The score: findings share, comment share, penalties; and per-category sub-scores.
    fn score(
        &self,
        findings: Vec<FindingResult>,
        traps: Vec<TrapResult>,
        decoys: Vec<DecoyResult>,
        set_aside: Vec<SetAside>,
        comment: CommentReport,
    ) -> Report {
        let drill = &self.drill;
        let w = &self.weights;
        let has_comment_item = drill.checklist.iter().any(|c| c.kind == ItemKind::Comment);
        let max: f64 = drill.findings.iter().map(|f| w.full[sev_index(f.severity)]).sum();
        let earned: f64 = findings.iter().map(|f| f.points).sum();
        let findings_score = if max > 0.0 { earned / max * 100.0 } else { 0.0 };
        let share = if has_comment_item { w.comment_share } else { 0.0 };
        let penalty = w.trap * traps.len() as f64 + w.decoy * decoys.len() as f64;
        let raw = (1.0 - share) * findings_score + share * comment.score as f64 - penalty;
        let score = raw.round().clamp(0.0, 100.0) as u8;
        let mut categories = Vec::new();
        for cat in Category::ALL {
            let (e, m) =
                findings.iter().filter(|f| f.category == cat).fold((0.0, 0.0), |(e, m), f| (e + f.points, m + f.max_points));
            if m > 0.0 {
                categories.push(CategoryScore { category: cat, score: (e / m * 100.0).round() as u8, earned: e, max: m });
            }
        }
        Report {
            drill: drill.id.clone(),
            score,
            findings_score,
            penalty,
            findings,
            traps,
            decoys,
            set_aside,
            comment,
            categories,
        }
    }

    fn present(&self, a: &Analysed, name: &str) -> bool {
        self.concepts.id(name).is_some_and(|i| a.present[i])
    }

    /// Whether a statement says enough to earn a partial: two ideas at least, one of them the
    /// drill's own ("Race condition?" or "可以多写点测试" name a topic, not a problem).
    fn specific(&self, a: &Analysed) -> bool {
        let names = self.concepts.names();
        let live: Vec<&ConceptMatch> = a.matches.iter().filter(|m| !m.negated).collect();
        // A concept counts when some match of it stands on its own, not inside another concept's
        // match: "多写点测试" is one idea even if `test` also sees "测试" in it.
        let independent = |c: usize| {
            live.iter().filter(|m| m.concept == c).any(|m| {
                !live.iter().any(|o| {
                    o.concept != c
                        && o.start <= m.start
                        && m.end <= o.end
                        && ((o.end - o.start) > (m.end - m.start) || o.concept < c)
                })
            })
        };
        let counted: Vec<usize> = (0..names.len())
            .filter(|&c| a.present[c] && independent(c) && !TOPIC_CONCEPTS.contains(&names[c].as_str()))
            .collect();
        counted.len() >= SPECIFIC_MIN_IDEAS && counted.iter().any(|&c| self.drill.concepts.contains_key(&names[c]))
    }

    /// Whether a concept of the group is claimed as missing or failing ("no tests", "没有测试").
    fn asserts_absence(&self, a: &Analysed, g: &Group) -> bool {
        g.iter().filter_map(|n| resolve(&self.concepts, n)).any(|t| {
            (t.denied && a.denied[t.id]) || a.matches.iter().any(|m| m.concept == t.id && !m.negated && m.asserts_absence)
        })
    }

    /// Whether the statement fully states some finding (then it earns no partials elsewhere:
    /// one statement, one point).
    fn hits_any(&self, a: &Analysed) -> bool {
        self.key.findings.iter().any(|f| f.hit.iter().any(|g| self.satisfied(g, a)))
    }

    /// Whether statement `k` flags decoy `d`: it states the decoy's misreading (a `match` group)
    /// and no real finding in full; or, for a decoy known only by its lines, it is an inline
    /// comment on one of them that earned no finding.
    fn flags(&self, d: &KeyDecoy, k: usize, a: &Analysed, credited: &HashSet<usize>) -> bool {
        if a.set_aside.is_some() || a.hits_any {
            return false;
        }
        if d.matches.iter().any(|g| self.satisfied(g, a)) {
            return true;
        }
        let on_line = matches!(a.source, Source::Line { line } if d.covers_line(line));
        on_line && d.matches.is_empty() && !credited.contains(&k) && !self.names_finding(a)
    }

    /// Whether a statement states part of another finding (one of its groups in full): then one
    /// idea of `f` on `f`'s line is not enough, the comment is about something else.
    fn about_other_finding(&self, a: &Analysed, f: &KeyFinding) -> bool {
        self.key
            .findings
            .iter()
            .filter(|o| o.id != f.id)
            .flat_map(|o| o.hit.iter().chain(&o.partial))
            .any(|g| self.satisfied(g, a))
    }

    /// Whether every occurrence of concept `n` is a name from the code (`Copy`, `resp.Body`):
    /// naming the code on its own line says where, not what is wrong.
    fn only_code(&self, a: &Analysed, n: &str) -> bool {
        let Some(id) = self.concepts.id(n) else { return false };
        a.matches.iter().filter(|m| m.concept == id && !m.negated).all(|m| {
            let words: String = a.stmt.compact[m.start..m.end].iter().collect();
            self.concepts.is_code_term(m.concept, m.term)
                || self.idents.iter().any(|i| *i == words || i.rsplit('.').next() == Some(words.as_str()))
        })
    }

    /// Whether concept `n` belongs to no finding but `f`: a single idea shared by several
    /// findings (`notfound`, `error`) does not say which one a comment means.
    fn own_idea(&self, f: &KeyFinding, n: &str) -> bool {
        self.key
            .findings
            .iter()
            .filter(|o| o.id != f.id)
            .flat_map(|o| o.hit.iter().chain(&o.partial))
            .flat_map(|g| g.iter())
            .all(|m| m != n)
    }

    /// Whether the statement states a decoy's misreading (it then earns no finding credit).
    fn flags_decoy(&self, a: &Analysed) -> bool {
        self.key.decoys.iter().any(|d| d.matches.iter().any(|g| self.satisfied(g, a)))
    }

    fn evidence_for(&self, a: &Analysed, g: &[String]) -> Vec<ConceptEvidence> {
        g.iter()
            .filter_map(|name| {
                let t = resolve(&self.concepts, name)?;
                let matches = a.matches.iter().filter(|m| m.concept == t.id);
                if t.denied {
                    matches.filter(|m| m.denied).min_by_key(|m| m.start).map(|m| self.evidence(a, m))
                } else {
                    // The learner's own words for it: an un-negated match that does not swallow
                    // another concept of the group, the first such.
                    let others: Vec<(usize, usize)> = a
                        .matches
                        .iter()
                        .filter(|o| {
                            o.concept != t.id && g.iter().any(|n| self.concepts.id(n.trim_start_matches('!')) == Some(o.concept))
                        })
                        .map(|o| (o.start, o.end))
                        .collect();
                    let swallows = |m: &ConceptMatch| others.iter().any(|&(s, e)| m.start <= s && e <= m.end);
                    matches.min_by_key(|m| (m.negated, swallows(m), m.start)).map(|m| self.evidence(a, m))
                }
            })
            .collect()
    }

    /// One concept occurrence, as the learner's words and the pack's term.
    fn evidence(&self, a: &Analysed, m: &ConceptMatch) -> ConceptEvidence {
        ConceptEvidence {
            concept: self.concepts.names()[m.concept].clone(),
            term: self.concepts.term(m.concept, m.term).to_string(),
            words: a.stmt.compact[m.start..m.end].iter().collect(),
            negated: m.negated,
        }
    }

    /// The verdict on one finding for one free-text answer, as a review card asks it ("what would
    /// you comment here?"): the answer is read like a checklist answer (so being shown the place
    /// earns nothing by itself) and only `finding` is judged. `None` when the key has no such
    /// finding.
    pub fn grade_finding(&self, finding: &str, answer: &str) -> Option<FindingResult> {
        let f = self.key.findings.iter().find(|f| f.id == finding)?;
        let all = self.analyse(answer, Source::Item { id: CARD_ITEM.to_string() });
        Some(self.verdict(f, &all).0)
    }

    /// Every concept occurrence of every statement in `text`, for `--explain`.
    pub fn explain(&self, text: &str) -> Vec<(String, Option<SetAsideReason>, Vec<ConceptEvidence>)> {
        self.analyse(text, Source::Item { id: String::new() })
            .into_iter()
            .map(|a| {
                let ev = a.matches.iter().map(|m| self.evidence(&a, m)).collect();
                (a.stmt.text.clone(), a.set_aside, ev)
            })
            .collect()
    }

    /// Verdict of the best statement of `text` for each finding (used by the comment rubric).
    pub(crate) fn best_finding(&self, analysed: &[&Analysed]) -> Option<(usize, Verdict, usize)> {
        let mut best: Option<(usize, Verdict, usize)> = None;
        for (fi, f) in self.key.findings.iter().enumerate() {
            for (k, a) in analysed.iter().enumerate() {
                if a.set_aside.is_some() {
                    continue;
                }
                let v = if f.hit.iter().any(|g| self.satisfied(g, a)) {
                    Verdict::Hit
                } else if f.partial.iter().any(|g| self.satisfied(g, a)) {
                    Verdict::Partial
                } else {
                    continue;
                };
                let better = match best {
                    None => true,
                    Some((bf, bv, _)) => v > bv || (v == bv && f.severity < self.key.findings[bf].severity),
                };
                if better {
                    best = Some((fi, v, k));
                }
            }
        }
        best
    }
}

/// The learner's statements, analysed (`own` of them their own; pairs follow), and the comment.
struct Read {
    statements: Vec<Analysed>,
    own: usize,
    comment_text: String,
    comment_item: Option<String>,
}

/// One concept of a group: `name` (claimed) or `!name` (claimed absent: "not closed", "未关闭").
#[derive(Debug, Clone, Copy)]
struct GroupTerm {
    id: usize,
    denied: bool,
}

fn resolve(concepts: &Concepts, name: &str) -> Option<GroupTerm> {
    match name.strip_prefix('!') {
        Some(n) => concepts.id(n).map(|id| GroupTerm { id, denied: true }),
        None => concepts.id(name).map(|id| GroupTerm { id, denied: false }),
    }
}

/// A text read as one statement (an inline comment, a question with its answer).
fn whole(text: &str) -> Vec<Statement> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().any(char::is_alphanumeric) { vec![analyze(&t)] } else { Vec::new() }
}

/// Whether a statement reads as a list of words rather than a sentence: English with almost no
/// function words, or Chinese in short space-separated chunks ("泄露 竞态 取消 错误").
fn telegraphic(s: &Statement) -> bool {
    let cjk = s.tokens.iter().filter(|t| t.cjk).count();
    if (cjk as f64) > CJK_STATEMENT_SHARE * s.len() as f64 {
        // Chinese without its grammar (的, 了, 会, 如果 ...) in short space-separated chunks is a
        // list of nouns; terse but real Chinese ("503 重试也没打日志，排查困难") runs on.
        let cjk_tokens: Vec<&crate::text::Token> = s.tokens.iter().filter(|t| t.cjk).collect();
        let function = cjk_tokens.iter().filter(|t| is_function_word(&t.text)).count();
        let mut chunks = cjk_chunks(&s.text);
        chunks.sort_unstable();
        let choppy = chunks.len() >= CHOPPY_MIN_CHUNKS && chunks[chunks.len() / 2] <= CHOPPY_MEDIAN_CHUNK;
        cjk_tokens.len() >= TELEGRAPHIC_MIN_CJK
            && choppy
            && (function as f64) < TELEGRAPHIC_ZH_FUNCTION_SHARE * cjk_tokens.len() as f64
    } else {
        let words: Vec<&crate::text::Token> = s.tokens.iter().filter(|t| !t.cjk && !t.code).collect();
        let function = words.iter().filter(|t| is_function_word(&t.text)).count();
        (function as f64) < TELEGRAPHIC_EN_FUNCTION_SHARE * words.len() as f64
    }
}

/// The CJK characters of each chunk of `text`: chunks end at punctuation, and at a space only
/// between two Chinese characters ("泄露 竞态 取消"); a space next to an English word or code is
/// part of a mixed sentence ("proto 字段号重排，老 client 解码 reason/message 对调").
fn cjk_chunks(text: &str) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut chunks = Vec::new();
    let mut n = 0;
    for (i, &c) in chars.iter().enumerate() {
        let ends = "，、,;；。:：".contains(c)
            || (c.is_whitespace()
                && chars[..i].iter().rev().find(|c| !c.is_whitespace()).is_some_and(|&p| crate::text::is_cjk(p))
                && chars[i..].iter().find(|c| !c.is_whitespace()).is_some_and(|&p| crate::text::is_cjk(p)));
        if ends {
            if n > 0 {
                chunks.push(n);
            }
            n = 0;
        } else if crate::text::is_cjk(c) {
            n += 1;
        }
    }
    if n > 0 {
        chunks.push(n);
    }
    chunks
}

/// Whether a statement only recommends: it opens with advice and claims no failure, absence or
/// consequence ("otherwise ...", "否则 ...").
fn advice_only(a: &Analysed) -> bool {
    let s = &a.stmt;
    let opens = s.tokens.first().is_some_and(|t| !t.cjk && en::ADVICE.contains(&t.text.as_str()))
        || zh::ADVICE.iter().any(|w| s.compact.starts_with(&w.chars().collect::<Vec<char>>()));
    if !opens {
        return false;
    }
    let claims = a.matches.iter().any(|m| !m.negated && m.asserts_absence) || a.denied.iter().any(|&d| d);
    // "Please wrap it; otherwise callers stop recognising timeouts": the advice states its failure.
    let consequence = || {
        s.tokens.iter().any(|t| !t.cjk && !t.code && en::CONSEQUENCE.contains(&t.text.as_str()))
            || zh::CONSEQUENCE.iter().any(|w| s.text.contains(w))
    };
    !claims && !consequence()
}

/// A list needs at least this many items...
const ENUMERATION_MIN_ITEMS: usize = 4;
/// ...of which at least this share are short: at most [`ENUMERATION_ITEM_WORDS`] words (two
/// Chinese characters a word).
const ENUMERATION_SHORT_SHARE: f64 = 0.75;
const ENUMERATION_ITEM_WORDS: usize = 3;

/// Whether a statement is an enumeration of short items ("zip slip, symlink attack, path
/// traversal, decompression bomb, TOCTOU, 建议全部修复"; "哨兵错误、错误包装、%w、errors.Is"):
/// names, not mechanisms.
fn enumeration(s: &Statement) -> bool {
    // Cheap test first: a list has separators.
    let separators = s.text.chars().filter(|c| matches!(c, '、' | '，' | ',' | ';' | '；')).count();
    if separators + 1 < ENUMERATION_MIN_ITEMS {
        return false;
    }
    // Code in backticks is one item whatever it holds.
    let prose: String = s.text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 { "code" } else { part }).collect();
    let items: Vec<(usize, bool)> = prose
        .split(['、', '，', ';', '；'])
        .flat_map(|chunk| chunk.split(", "))
        .map(|item| {
            let words = item.split_whitespace().filter(|w| w.chars().any(|c| c.is_ascii_alphanumeric())).count();
            let cjk = item.chars().filter(|&c| crate::text::is_cjk(c)).count();
            (words + cjk.div_ceil(2), states_event(item))
        })
        .filter(|&(n, _)| n > 0)
        .collect();
    // Short clauses that negate or mark a change ("Delete 没执行", "task is not removed") are a
    // chain of events, not names.
    let short = items.iter().filter(|&&(n, event)| n <= ENUMERATION_ITEM_WORDS && !event).count();
    items.len() >= ENUMERATION_MIN_ITEMS && short as f64 >= ENUMERATION_SHORT_SHARE * items.len() as f64
}

/// Whether a list item is a clause stating that something does not happen: a verbal negation
/// ("Delete 没执行", "不会清理", "task is not removed", "never runs"); "no-cors" names a mode.
fn states_event(item: &str) -> bool {
    let lower = item.to_lowercase();
    item.chars().any(|c| ENUMERATION_NEGATION_ZH.contains(&c))
        || lower.split_whitespace().any(|w| ENUMERATION_NEGATION_EN.contains(&w.trim_end_matches(['.', '!'])))
}

/// Chinese verbal negations that make a short list item a clause.
const ENUMERATION_NEGATION_ZH: &[char] = &['没', '不', '未'];
/// English verbal negations that make a short list item a clause.
const ENUMERATION_NEGATION_EN: &[&str] = &["not", "never", "isn't", "doesn't", "don't", "won't", "can't", "didn't"];

/// Words that make a sentence a sentence: a keyword list has almost none of them.
fn is_function_word(w: &str) -> bool {
    en::FUNCTION_WORDS.contains(&w) || zh::FUNCTION_WORDS.contains(&w)
}

/// Identifiers on the added lines: dotted names, calls, camelCase and snake_case words.
fn diff_identifiers(drill: &Drill) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in drill.diff.iter().flat_map(|f| f.lines()).filter(|l| l.kind == LineKind::Added) {
        let text = &line.text;
        let mut cur = String::new();
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
                cur.push(c);
            }
            let boundary = !(c.is_ascii_alphanumeric() || c == '_' || c == '.') || i + 1 == chars.len();
            if boundary && !cur.is_empty() {
                let word = cur.trim_matches('.').to_string();
                cur.clear();
                let called = c == '(';
                let dotted = word.contains('.');
                let camel = word.chars().skip(1).any(|c| c.is_ascii_uppercase());
                let snake = word.contains('_') && word.len() > 2;
                if word.len() >= IDENT_MIN_LEN && (called || dotted || camel || snake) {
                    let lw = word.to_lowercase();
                    if !out.contains(&lw) {
                        out.push(lw);
                    }
                }
            }
        }
    }
    out
}
