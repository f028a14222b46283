//! Server-rendered HTML: escaping and the page frame. Every text that comes from a drill pack or
//! from the learner goes through [`esc`]; the Content-Security-Policy (see `http`) forbids inline
//! scripts as a second line of defence.

use std::fmt::Write;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use revdrill_pack::Lang;

use crate::error::ApiError;
use crate::i18n::t;

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes `s` and shows `code` spans (between backticks) as `<code>`: pack texts use them for
/// identifiers. Backticks are not markup, so this cannot undo the escaping.
pub fn rich(s: &str) -> String {
    let e = esc(s);
    let mut out = String::with_capacity(e.len() + 16);
    let mut parts = e.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    // An unmatched last backtick stays a backtick.
    let pairs = rest.len() / 2 * 2;
    for (i, p) in rest.iter().enumerate() {
        if i >= pairs {
            out.push('`');
            out.push_str(p);
        } else if i % 2 == 0 {
            out.push_str("<code>");
            out.push_str(p);
            out.push_str("</code>");
        } else {
            out.push_str(p);
        }
    }
    out
}

/// A link target that is safe to put in `href`: only http(s) URLs, else nothing.
pub fn safe_url(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| esc(url.trim()))
}

/// Which top-level page is shown (for the navigation bar).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The catalog.
    Catalog,
    /// A drill or its feedback.
    Drill,
    /// Progress.
    Progress,
    /// The review template.
    Template,
    /// The learning tracks.
    Tracks,
    /// The phrasebook.
    Phrases,
    /// The review cards due today.
    Review,
}

/// A rendered page; sets the language cookie when the language was chosen in the URL.
pub struct Page {
    /// Language of the page.
    pub lang: Lang,
    /// Set the `revdrill_lang` cookie.
    pub remember_lang: bool,
    /// Status code.
    pub status: StatusCode,
    /// The whole document.
    pub html: String,
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let mut r = (self.status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], self.html).into_response();
        if self.remember_lang {
            let cookie = format!("revdrill_lang={}; Path=/; Max-Age=31536000; SameSite=Strict", self.lang.code());
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
        }
        r
    }
}

/// What a page request needs to draw the frame.
pub struct Ctx<'a> {
    /// Language.
    pub lang: Lang,
    /// Language came from `?lang=`.
    pub remember_lang: bool,
    /// Path of this page (for the language switch).
    pub path: &'a str,
    /// Query string without `lang` (for the language switch).
    pub query: String,
    /// CSRF token, for pages that POST.
    pub csrf: &'a str,
}

impl Ctx<'_> {
    /// This page in the other language.
    fn switch_href(&self, to: Lang) -> String {
        let mut q = self.query.clone();
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str("lang=");
        q.push_str(to.code());
        esc(&format!("{}?{q}", self.path))
    }

    /// Wraps `body` in the frame: head, navigation, language switch.
    pub fn page(&self, nav: Nav, title: &str, body_attrs: &str, body: &str) -> Page {
        self.page_with_status(StatusCode::OK, nav, title, body_attrs, body)
    }

    /// [`Ctx::page`] with a status code.
    pub fn page_with_status(&self, status: StatusCode, nav: Nav, title: &str, body_attrs: &str, body: &str) -> Page {
        let lang = self.lang;
        let mut h = String::with_capacity(body.len() + 2048);
        let _ = write!(
            h,
            "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta name=\"color-scheme\" content=\"light dark\">\
             <meta name=\"revdrill-csrf\" content=\"{}\">\
             <title>{} · revdrill</title>\
             <link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/assets/app.css\">\
             <script src=\"/assets/app.js\"></script></head>\n<body data-lang=\"{}\"{body_attrs}>",
            if lang == Lang::Zh { "zh-CN" } else { "en" },
            esc(self.csrf),
            esc(title),
            lang.code()
        );
        let item = |h: &mut String, n: Nav, href: &str, label: &str| {
            let cur = if n == nav { " aria-current=\"page\"" } else { "" };
            let _ = write!(h, "<a href=\"{href}\"{cur}>{}</a>", esc(label));
        };
        h.push_str("<header class=\"top\"><a class=\"brand\" href=\"/\">revdrill</a><nav>");
        item(&mut h, Nav::Catalog, "/", t(lang, "Drills", "练习"));
        item(&mut h, Nav::Tracks, "/tracks", t(lang, "Tracks", "学习路线"));
        item(&mut h, Nav::Review, "/review", t(lang, "Due today", "今日复习"));
        item(&mut h, Nav::Progress, "/progress", t(lang, "Progress", "进度"));
        item(&mut h, Nav::Template, "/template", t(lang, "Template", "评审模板"));
        item(&mut h, Nav::Phrases, "/phrases", t(lang, "Phrases", "评审用语"));
        let _ = write!(
            h,
            "</nav><span class=\"langs\" aria-label=\"{}\"><a href=\"{}\" lang=\"en\" class=\"{}\" id=\"lang-en\">English</a> <a href=\"{}\" lang=\"zh\" class=\"{}\" id=\"lang-zh\">中文</a></span></header>\n<main>",
            esc(t(lang, "Language", "语言")),
            self.switch_href(Lang::En),
            if lang == Lang::En { "on" } else { "" },
            self.switch_href(Lang::Zh),
            if lang == Lang::Zh { "on" } else { "" },
        );
        h.push_str(body);
        h.push_str("</main></body></html>\n");
        Page { lang, remember_lang: self.remember_lang, status, html: h }
    }

    /// An error as a page.
    pub fn error_page(&self, e: &ApiError) -> Page {
        let msg = match self.lang {
            Lang::En => e.to_string(),
            Lang::Zh => e.message_zh(),
        };
        let body = format!(
            "<section class=\"card\"><h1>{}</h1><p>{}</p><p><a href=\"/\">{}</a></p></section>",
            e.status().as_u16(),
            esc(&msg),
            esc(t(self.lang, "Back to the drills", "返回练习列表"))
        );
        self.page_with_status(e.status(), Nav::Catalog, t(self.lang, "Error", "错误"), "", &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(esc("<script>\"x\"&'y'</script>"), "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;&lt;/script&gt;");
    }

    #[test]
    fn backticks_become_code_after_escaping() {
        assert_eq!(rich("call `f<T>()` now"), "call <code>f&lt;T&gt;()</code> now");
        assert_eq!(rich("a `b` c `d"), "a <code>b</code> c `d");
        assert_eq!(rich("`<script>`"), "<code>&lt;script&gt;</code>");
        assert_eq!(rich("none"), "none");
    }

    #[test]
    fn only_http_links() {
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("https://x.test/?a=\"b\"").as_deref(), Some("https://x.test/?a=&quot;b&quot;"));
    }
}
