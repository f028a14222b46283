//! Chinese rule tables: negation, dismissal, clause words, function characters, advice.

/// Chinese connectives that start a new clause.
pub(crate) const CLAUSE_WORDS: &[&str] =
    &["但是", "但", "不过", "而且", "并且", "所以", "因为", "因此", "从而", "然后", "否则", "如果", "那么", "可是", "然而"];

/// Connectives that are also a verb's complement: "编译不过" / "跑不过" ("fails to compile / run")
/// when joined to the Chinese word before them; only after punctuation, a space or a particle do
/// they start a clause.
pub(crate) const COMPLEMENT_CONNECTIVES: &[&str] = &["不过"];

/// Chinese judgements that dismiss their clause ("task 还在时直接退出是对的").
pub(crate) const DISMISS: &[&str] = &[
    "是对的",
    "没问题",
    "没有问题",
    "不是问题",
    "不用处理",
    "不需要处理",
    "可以接受",
    "是合理的",
    "影响不大",
    "不存在",
    "不会有问题",
    "是安全的",
    "是正确的",
    "没关系",
    "没必要",
    "不需要",
    "不用管",
    "是允许的",
    "无所谓",
    "不要紧",
    "不碍事",
    "问题不大",
    "没什么问题",
    "没啥问题",
    "也没事",
    "没什么影响",
    "没有影响",
    "符合预期",
    "是预期的",
    "可以忽略",
    "不值得",
    "可以不管",
    "先不管",
    "不在考虑范围",
    "影响有限",
    "不是什么大问题",
    "没什么大不了",
    "问题也不大",
    "实际上不可能",
    "不可能发生",
    "不会出问题",
    "不会出什么问题",
    "出不了问题",
    "不算问题",
    "不算什么问题",
    "算不上问题",
    "是预期行为",
    "属于预期行为",
    "挺好的",
    "没影响",
    "风险很低",
    "风险不大",
    "风险较低",
    "只是理论上",
    // Merge now, worry later: a verdict on what came before ("不过影响不大，可以先合").
    "先合了再说",
    "先这样合",
    // Praise closes a point as settled ("…，调用方 errors.Is 就行，设计得挺清楚").
    "挺清楚",
    "挺清晰",
    "很清晰",
    "不算blocker",
    "不是blocker",
    "先合进去",
    "先合",
    "不用担心",
    "不必担心",
    "不用在意",
    "不必在意",
    "不需要担心",
    "不需要再担心",
    "不用再担心",
    // Reasonable enough, cannot happen in practice ("不过 int pipe 截断也算合理", "实际不会发生").
    "算合理",
    "实际不会发生",
    "实际上不会发生",
    "没事",
];

/// Dismissals that say "no need to ...": a judgement on the claim only when nothing or a worry
/// word follows ("不需要再担心并发了", "不需要再加"); with an object of its own it negates that
/// object only ("不需要再 parseInt 一遍" says nothing about the claim before it).
pub(crate) const NEED_NOT: &[&str] = &["不需要", "没必要", "不必", "不用"];

/// Words after [`NEED_NOT`] that make it a judgement on the claim: "worry", "care", "handle".
pub(crate) const WORRY: &[&str] = &["担心", "考虑", "关心", "在意", "管", "处理", "修", "改", "理会", "操心"];

/// Most code characters after [`NEED_NOT`] for it still to be a judgement ("不需要再加 1 次").
pub const NEED_NOT_MAX_OBJECT: usize = 1;

/// Words that point a verdict at something else: "其他没问题", "整体没问题".
pub(crate) const ELSEWHERE: &[&str] = &["其他", "其它", "其余", "别的", "整体", "总体", "另外", "除此之外", "剩下"];

/// Questions of the A-not-A form that ask whether a whole proposition holds: their negation
/// negates nothing ("是不是每个 dag 都会再查一次数据库").
pub(crate) const A_NOT_A: &[&str] = &["是不是"];

/// Chinese characters that negate.
pub(crate) const NEG: &[char] = &['不', '没', '无', '未', '非', '别', '勿'];

/// Words that start with a negating character but do not negate.
pub(crate) const NOT_NEG: &[&str] = &[
    "不断",
    "不同",
    "不过",
    "不仅",
    "不少",
    "不管",
    "不论",
    "不如",
    "不然",
    "不停",
    "无论",
    "非常",
    "别人",
    "别的",
    "别处",
    "未来",
    "无数",
    "不得不",
    "无非",
    "非得",
    "不一定",
    // Potential complements: 退不出来, 删不掉, 关不了 say "cannot", which is the claim itself.
    "不出",
    "不掉",
    "不了",
    "不下",
    "不到",
    "不住",
    "不动",
    "不起",
    "不完",
];

/// Words that end in a negating character but do not negate: "特别是", "区别", "分别", "除非".
pub(crate) const NOT_NEG_ENDING: &[&str] =
    &["特别", "区别", "分别", "类别", "级别", "识别", "差别", "个别", "告别", "判别", "辨别", "鉴别", "派别", "性别", "除非"];

pub(crate) const VERDICT_FILLER: &[char] = &[
    '所', '以', '但', '是', '这', '个', '也', '就', '都', '应', '该', '我', '觉', '得', '那', '其', '实', '还', '因', '此', '总',
    '之', '样', '倒', '反', '正', '可', '能', '吧', '的', '了', '啊', '呢', '际', '上', '它', '里', '儿', '些', '问', '题', '并',
    '先',
];

pub(crate) const CONTRAST: &[&str] = &["不过", "但是", "但", "可是", "然而", "只是"];

/// Connectives that open a reason after a closing verdict ("...，不过没关系，因为 ...").
pub(crate) const REASON: &[&str] = &["因为", "由于"];

pub(crate) const CONCLUSION: &[&str] = &["所以", "因此", "因而", "那么"];

/// Words that give the failure a recommendation avoids ("..., 否则 ...").
pub(crate) const CONSEQUENCE: &[&str] = &["否则", "不然"];

pub(crate) const ADVICE: &[&str] = &["建议", "可以考虑", "考虑", "最好", "应该", "推荐", "要", "需要", "请"];

/// Sentence particles that do not count as what a clause-final Chinese negation negates.
pub(crate) const PARTICLES: &[char] = &['了', '的', '吧', '啊', '呢', '吗', '啦', '呀'];

/// Characters that make Chinese a sentence: a list of nouns has almost none of them.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "的", "了", "会", "在", "是", "都", "就", "被", "把", "和", "也", "还", "要", "能", "这", "那", "个", "有", "如", "果", "因",
    "为", "所", "以", "时", "后", "再", "对", "让", "用", "从", "到", "里", "吗", "呢", "吧", "而", "但", "即", "使", "则", "可",
    "我", "你", "他", "它", "之", "中", "说", "得", "地", "着", "过", "又", "才", "已", "经", "该", "应", "比", "很", "太", "更",
    "最",
];

/// A statement whose last clause is only one of these answers "no" to its own label ("泄露：没有").
pub(crate) const BARE_NO: &[&str] = &["没有", "无", "不存在", "没", "否"];
