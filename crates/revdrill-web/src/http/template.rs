//! The PR review template: a page to read it and a Markdown download.

use std::fmt::Write;

use axum::Router;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use revdrill_catalog::review_template;
use revdrill_pack::Lang;

use super::{PageCtx, ReqLang, query_param};
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/template", get(page)).route("/template.md", get(download)).route("/api/template", get(api))
}

fn markdown(lang: Lang, attachment: bool) -> Response {
    let disposition =
        if attachment { format!("attachment; filename=\"review-template.{}.md\"", lang.code()) } else { "inline".to_string() };
    (
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        review_template(lang),
    )
        .into_response()
}

/// `GET /template.md`: the template as a file to save.
async fn download(lang: ReqLang) -> Response {
    markdown(lang.lang, true)
}

/// `GET /api/template`: the template as Markdown text (`?download=1` for an attachment).
async fn api(lang: ReqLang, uri: Uri) -> Response {
    markdown(lang.lang, query_param(uri.query(), "download").is_some_and(|v| v == "1"))
}

/// `GET /template`.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let mut h = String::new();
    let _ = write!(
        h,
        "<div class=\"toolbar\"><h1>{}</h1><a class=\"button primary\" id=\"download\" href=\"/template.md?lang={}\" download=\"review-template.{}.md\">{}</a></div>\
         <p class=\"muted\">{}</p><section class=\"card\"><pre class=\"md\">{}</pre></section>",
        esc(t(l, "PR review template", "PR 评审模板")),
        l.code(),
        l.code(),
        esc(t(l, "Download .md", "下载 .md")),
        esc(t(
            l,
            "Copy it into your next review, or download it as Markdown.",
            "复制到你的下一次评审中，或下载为 Markdown 文件。"
        )),
        esc(review_template(l)),
    );
    ctx.page(Nav::Template, t(l, "Template", "评审模板"), "", &h).into_response()
}
