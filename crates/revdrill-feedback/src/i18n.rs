//! Every text of the view exists in English and Chinese; `t` picks one at its point of use.

use revdrill_pack::Lang;

/// The text for `lang`.
pub fn t<'a>(lang: Lang, en: &'a str, zh: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}
