//! English rule tables: negation, dismissal, clause words, function words, advice, comment cues.

/// Words after which a new clause starts (negation does not cross them).
pub(crate) const CLAUSE_WORDS: &[&str] =
    &["but", "however", "although", "though", "whereas", "because", "since", "so", "which", "while", "unless", "otherwise"];

/// English words that negate what follows them in the clause.
pub(crate) const NEG: &[&str] = &["not", "no", "never", "without", "none", "neither", "nor", "hardly", "nothing", "nobody"];

/// Words after a negation that make it "not only": "not only leaks but also races" negates nothing.
pub(crate) const NOT_ONLY: &[&str] = &["only", "just", "merely", "simply"];

/// Words before which an adjective describes its noun ("the intended values", "a safe default")
/// instead of judging the claim before it.
pub(crate) const DETERMINERS: &[&str] = &["the", "a", "an", "its", "their", "our", "your", "his", "her"];

/// English words that negate what precedes them in the clause ("the race is fine").
pub(crate) const NEG_AFTER: &[&str] = &[
    "fine",
    "impossible",
    "harmless",
    "safe",
    "correct",
    "ok",
    "okay",
    "right",
    "acceptable",
    "reasonable",
    "sensible",
    "compatible",
    "unnecessary",
    "benign",
    "allowed",
    "intended",
    "intentional",
    "negligible",
    "tolerable",
    "irrelevant",
];

/// English phrases that dismiss what precedes them in the clause ("other errors don't matter").
pub(crate) const DISMISS: &[&[&str]] = &[
    &["not", "matter"],
    &["not", "a", "problem"],
    &["not", "an", "issue"],
    &["no", "problem"],
    &["no", "issue"],
    &["not", "a", "concern"],
    &["not", "needed"],
    &["not", "necessary"],
    &["not", "required"],
    &["not", "worth"],
    &["no", "big", "deal"],
    &["not", "a", "big", "deal"],
    &["nothing", "to", "worry"],
    &["no", "need", "to", "worry"],
    &["too", "small", "to"],
    &["too", "rare", "to"],
    &["too", "minor", "to"],
    &["not", "worry"],
    &["already", "cover"],
    &["already", "covers"],
    &["already", "covered"],
    &["is", "cheap"],
    &["s", "cheap"],
    // Verdicts learners close with, in the clause or as the next sentence ("... Good enough.").
    &["least", "of", "our", "worries"],
    &["least", "of", "my", "worries"],
    &["least", "of", "the", "worries"],
    &["good", "enough"],
    &["not", "a", "blocker"],
    &["not", "blocking"],
    &["no", "longer", "need", "to", "worry"],
    &["not", "need", "to", "worry"],
    &["not", "have", "to", "worry"],
    &["need", "not", "worry"],
    &["can", "live", "with"],
    &["merge", "as", "is"],
    &["merge", "it", "as", "is"],
    &["ship", "it", "as", "is"],
    &["good", "to", "merge"],
    &["ok", "to", "merge"],
    &["okay", "to", "merge"],
    // "..., so that can't happen", "only a theoretical problem": the claim cannot occur.
    &["that", "can", "not", "happen"],
    &["this", "can", "not", "happen"],
    &["it", "can", "not", "happen"],
    &["theoretical", "problem"],
    &["theoretical", "issue"],
    &["theoretical", "concern"],
    // Bare closing sentences that keep the code as it is ("Fine as written.", "So I'd leave it.").
    &["fine", "as", "written"],
    &["fine", "as", "is"],
    &["ok", "as", "is"],
    &["okay", "as", "is"],
    &["would", "leave", "it"],
    &["d", "leave", "it"],
    &["leave", "it", "as", "is"],
];

/// Words that point a verdict away from the claim before it, at something else: "the fix is fine
/// otherwise", "The rest looks good", "Looks fine overall" judge the rest of the change.
pub(crate) const ELSEWHERE: &[&str] = &["otherwise", "overall", "rest", "else", "other", "remaining", "besides", "apart"];

/// Linking verbs before which "fine" judges the subject ("the race is fine"); "would be fine"
/// recommends instead.
pub(crate) const JUDGING: &[&str] = &["is", "are", "was", "were", "looks", "look", "seems", "seem", "s"];

/// Words that, after a negation in the same clause, judge the absence acceptable ("no test is needed").
pub(crate) const NEEDED: &[&str] = &["needed", "necessary", "required", "warranted"];

/// Words that carry no subject of their own in a closing verdict ("so it is fine", "所以这也没问题").
pub(crate) const VERDICT_FILLER: &[&str] = &[
    "so",
    "but",
    "and",
    "then",
    "therefore",
    "thus",
    "hence",
    "overall",
    "it",
    "this",
    "that",
    "which",
    "these",
    "those",
    "is",
    "s",
    "are",
    "was",
    "be",
    "all",
    "i",
    "think",
    "guess",
    "probably",
    "still",
    "really",
    "actually",
    "anyway",
    "in",
    "the",
    "end",
    "practice",
    "should",
    "looks",
    "look",
    "seems",
    "seem",
    "pretty",
    "quite",
    "totally",
    "fine",
    "ok",
    "okay",
    "here",
    "now",
    "just",
    "so",
    "we",
    "can",
    "too",
    "as",
    "well",
    "also",
    "for",
    "us",
    "me",
    "of",
    "course",
    "really",
    "a",
    "an",
    "our",
    "my",
    // Hedges before a verdict ("Hmm, maybe fine.").
    "hmm",
    "maybe",
    "likely",
];

/// Connectives that open a statement answering the one before it ("But ...", "不过 ...").
pub(crate) const CONTRAST: &[&str] = &["but", "however", "though", "still", "anyway"];

/// Connectives that open a reason: a clause after a closing verdict that only explains it ("..., but
/// that's fine because it is best-effort cleanup").
pub(crate) const REASON: &[&str] = &["because", "since"];

/// Connectives that open a conclusion ("..., so it's fine", "...，所以没问题").
pub(crate) const CONCLUSION: &[&str] = &["so", "therefore", "thus", "hence"];

/// Words that give the failure a recommendation avoids ("..., otherwise callers break").
pub(crate) const CONSEQUENCE: &[&str] = &["otherwise"];

/// Openings of a recommendation.
pub(crate) const ADVICE: &[&str] =
    &["suggest", "consider", "make", "please", "should", "use", "maybe", "ensure", "prefer", "try", "recommend"];

/// Words that give a consequence. Cues are words (matched on word edges, outside code, not
/// right after a negation), never substrings: "because" holds no "use", `LazyLock` is not "lazy".
pub(crate) const WHY_CUES: &[&str] = &[
    "because",
    "so",
    "otherwise",
    "which means",
    "this means",
    "that means",
    "meaning",
    "leads to",
    "lead to",
    "result in",
    "results in",
    "cause",
    "causes",
    "would",
    "will",
    "since",
    "as a result",
    "then",
    "therefore",
    "means",
    "risk",
    "can",
    "could",
];

/// Words that offer a way forward.
pub(crate) const GUIDANCE_CUES: &[&str] = &[
    "consider",
    "could we",
    "can we",
    "should we",
    "would it",
    "how about",
    "what about",
    "suggest",
    "instead",
    "prefer",
    "please",
    "use",
    "add",
    "replace",
    "move",
    "wrap",
    "let's",
    "recommend",
    "switch to",
    "pass",
    "log",
    "return",
    "check",
    "handle",
    "should",
    "might want",
    "i'd",
    "we could",
    "maybe",
];

/// Blame, contempt and diminishing words (thoughtbot's list and Google's example).
pub(crate) const RUDE: &[&str] = &[
    "you forgot",
    "you didn't",
    "you did not",
    "you should have",
    "why did you",
    "why would you",
    "obviously",
    "clearly",
    "simply",
    "stupid",
    "dumb",
    "lazy",
    "terrible",
    "horrible",
    "awful",
    "wtf",
    "nonsense",
    "sloppy",
    "careless",
    "idiot",
    "ridiculous",
    "any idiot",
    "come on",
    "seriously",
    "your code",
    "you always",
    "you never",
    // "just" diminishes when it tells someone what to do; "was just cancelled" is only time.
    "just fix",
    "just use",
    "just add",
    "just do",
    "just make",
    "just change",
    "just remove",
    "just call",
    "just read",
];

pub(crate) const LABELS: &[&str] = &[
    "praise",
    "nitpick",
    "nit",
    "suggestion",
    "issue",
    "todo",
    "question",
    "thought",
    "chore",
    "note",
    "typo",
    "polish",
    "quibble",
    "optional",
    "consider",
    "fyi",
];

/// Words that make a sentence a sentence: a keyword list has almost none of them.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "is", "are", "was", "be", "been", "to", "of", "in", "on", "at", "if", "when", "this", "that", "it", "its",
    "will", "can", "may", "might", "would", "could", "should", "does", "do", "and", "or", "but", "after", "before", "with", "by",
    "for", "from", "so", "then", "because", "there", "which", "not", "never", "has", "have", "as", "than", "into", "we", "you",
    // Prepositions, pronouns and auxiliaries of terse prose ("holds the guard across the await").
    "across", "between", "out", "per", "via", "without", "while", "until", "they", "them", "their", "were", "had", "did", "being",
    "also", "only", "still", "every", "all", "each", "any", "who", "what", "where", "how", "why", "our", "i",
];

/// Words that continue a negated list ("no test or metric", "not logged, nor returned").
pub(crate) const LIST_JOINERS: &[&str] = &["or", "nor", "and", "a", "an", "the", "any", "even", "either"];

/// A statement whose last clause is only one of these answers "no" to its own label ("Leak: none").
pub(crate) const BARE_NO: &[&str] = &["none", "no", "nope", "n/a", "na"];
