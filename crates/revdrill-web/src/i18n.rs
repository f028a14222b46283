//! Every string the pages show exists in English and Chinese, picked at its point of use.

use revdrill_pack::Lang;

/// The text in `lang`.
pub fn t<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

/// `en` or `zh` as a language; anything else is not one.
pub fn parse_lang(s: &str) -> Option<Lang> {
    match s {
        "en" => Some(Lang::En),
        "zh" => Some(Lang::Zh),
        _ => None,
    }
}
