//! Every string the CLI prints exists in English and Chinese; `t` picks one.
//!
//! Texts live next to their use as `t(lang, "English", "中文")` pairs, so that neither language
//! can be forgotten when a message is added.

use revdrill_pack::Lang;

/// The text for `lang`.
pub fn t<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
