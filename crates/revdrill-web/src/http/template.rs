//! The PR review template: a page to read it and a Markdown download, personal when the learner
//! has history (as `revdrill template`; `?generic=1` for the plain one).

use std::fmt::Write;

use axum::Router;
use axum::extract::State;
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use revdrill_catalog::review_template;
use revdrill_pack::{Category, Lang};
use revdrill_practice::template::{Strength, missed_in_reports, personalize};
use revdrill_store::Store;

use super::{PageCtx, ReqLang, query_param};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/template", get(page)).route("/template.md", get(download)).route("/api/template", get(api))
}

/// Newest attempts read for the personal template.
const SCANNED_ATTEMPTS: usize = 500;

/// The template for this learner: personal when the store has history, unless `?generic=1`.
async fn text(st: &AppState, lang: Lang, uri: &Uri) -> Result<String, ApiError> {
    let base = review_template(lang);
    if query_param(uri.query(), "generic").is_some_and(|v| v == "1") {
        return Ok(base.to_string());
    }
    let (stats, reports) =
        st.with_store(|s| Ok((s.category_stats()?, revdrill_store::graded_reports(s, SCANNED_ATTEMPTS)?))).await?;
    let strengths: Vec<Strength> =
        stats.iter().filter_map(|c| Some(Strength { category: Category::parse(&c.category)?, share: c.share()? })).collect();
    let missed = missed_in_reports(reports.iter().map(|(a, d, r)| (*a, d.as_str(), r.as_str())), |id| st.catalog().get(id), lang);
    Ok(personalize(base, lang, &strengths, &missed))
}

fn markdown(lang: Lang, attachment: bool, body: String) -> Response {
    let disposition =
        if attachment { format!("attachment; filename=\"review-template.{}.md\"", lang.code()) } else { "inline".to_string() };
    ([(header::CONTENT_TYPE, "text/markdown; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// `GET /template.md`: the template as a file to save.
async fn download(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Result<Response, ApiError> {
    Ok(markdown(lang.lang, true, text(&st, lang.lang, &uri).await?))
}

/// `GET /api/template`: the template as Markdown text (`?download=1` for an attachment).
async fn api(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Result<Response, ApiError> {
    let attachment = query_param(uri.query(), "download").is_some_and(|v| v == "1");
    Ok(markdown(lang.lang, attachment, text(&st, lang.lang, &uri).await?))
}

/// `GET /template`.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let body = match text(&st, l, &uri).await {
        Ok(b) => b,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
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
        esc(&body),
    );
    ctx.page(Nav::Template, t(l, "Template", "评审模板"), "", &h).into_response()
}
