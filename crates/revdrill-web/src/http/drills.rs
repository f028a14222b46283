//! One drill: the page to review it, its JSON (never the answer key), and grading without saving.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use revdrill_pack::diff::{DiffLine, FileDiff, LineKind};
use revdrill_pack::{AnswerSet, Drill, ItemKind, Lang, Severity, parse_answers};

use super::{JsonText, PageCtx, ReqLang};
use crate::error::ApiError;
use crate::highlight::hunk_html;
use crate::html::{Nav, esc, rich, safe_url};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/drills/{id}", get(page))
        .route("/api/drills/{id}", get(api))
        .route("/api/drills/{id}/grade", post(grade))
}

/// Reads an answers body for `drill` and checks it against the drill.
pub fn parse_body(drill: &Drill, text: &str) -> Result<AnswerSet, ApiError> {
    parse_answers("body", text, Some(drill)).map_err(|errs| {
        if errs.iter().all(|e| e.field.is_empty()) {
            ApiError::BadJson(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        } else {
            ApiError::InvalidAnswers(errs.iter().map(|e| format!("{}: {}", e.field, e.message)).collect())
        }
    })
}

/// `GET /api/drills/{id}`: what the learner sees, as `revdrill show --format json`, plus the
/// parsed diff.
async fn api(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang) -> Result<Json<serde_json::Value>, ApiError> {
    let d = st.drill(&id)?;
    let lang = lang.lang;
    // The same view as `revdrill show --format json`, plus the parsed diff for the page.
    let mut v = serde_json::to_value(d.view(lang)).map_err(|e| ApiError::Internal(e.to_string()))?;
    v["files"] = serde_json::to_value(&d.diff).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(Json(v))
}

/// `POST /api/drills/{id}/grade`: grades an answers body and returns the report; saves nothing.
/// Parsing and grading run on the blocking pool (`AppState::cpu`).
async fn grade(
    State(st): State<AppState>,
    Path(id): Path<String>,
    lang: ReqLang,
    JsonText(body): JsonText,
) -> Result<Json<serde_json::Value>, ApiError> {
    let lang = lang.lang;
    st.drill(&id)?;
    let report = st
        .cpu(move |st| {
            let d = st.drill(&id)?;
            let answers = parse_body(d, &body)?;
            Ok(st.grader(d).grade(&answers).to_json(lang))
        })
        .await?;
    Ok(Json(report))
}

/// The strings the page's script shows, as `data-s-*` attributes of `<body>`.
fn script_strings(l: Lang) -> String {
    let pairs: [(&str, &str, &str); 21] = [
        ("comment", "Comment", "评论"),
        ("edit", "Edit", "编辑"),
        ("delete", "Delete", "删除"),
        ("save", "Save", "保存"),
        ("cancel", "Cancel", "取消"),
        ("line", "line", "行"),
        ("lines", "lines", "行"),
        ("placeholder", "Leave a comment on this line", "对这一行写评论"),
        ("submitting", "Submitting…", "提交中…"),
        ("empty", "Write at least one answer or comment before submitting.", "提交前请至少写一项回答或一条评论。"),
        ("failed", "Could not submit:", "提交失败："),
        ("saved", "Draft saved in this browser", "草稿已保存在本浏览器"),
        ("restored", "Draft restored from this browser", "已从本浏览器恢复草稿"),
        ("ncomments", "inline comments", "条行内评论"),
        ("blocker", Severity::Blocker.label(Lang::En), Severity::Blocker.label(Lang::Zh)),
        ("major", Severity::Major.label(Lang::En), Severity::Major.label(Lang::Zh)),
        ("minor", Severity::Minor.label(Lang::En), Severity::Minor.label(Lang::Zh)),
        ("nit", Severity::Nit.label(Lang::En), Severity::Nit.label(Lang::Zh)),
        ("severity", "Severity", "严重程度"),
        ("discard", "Discard the draft?", "放弃草稿？"),
        (
            "nostore",
            "This browser cannot keep a draft (storage full or turned off): submit before you leave this page, or the text is lost.",
            "此浏览器无法保存草稿（存储已满或已关闭）：请在离开此页面前提交，否则内容会丢失。",
        ),
    ];
    let mut s = String::new();
    for (k, en, zh) in pairs {
        let _ = write!(s, " data-s-{k}=\"{}\"", esc(t(l, en, zh)));
    }
    s
}

/// `GET /drills/{id}`: the review page.
async fn page(State(st): State<AppState>, Path(id): Path<String>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let d = match st.drill(&id) {
        Ok(d) => d,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let body = st.cached_page(&d.id, l, || body(d, l));
    ctx.page(Nav::Drill, &d.title, &script_strings(l), &body).into_response()
}

/// The page's body: everything but the frame.
fn body(d: &Drill, l: Lang) -> String {
    let mut h = String::with_capacity(16 * 1024);
    let _ = write!(h, "<article class=\"drill\" id=\"drill\" data-drill=\"{}\" data-multi=\"{}\">", esc(&d.id), d.diff.len() > 1);
    header(&mut h, d, l);
    let _ = write!(
        h,
        "<section class=\"card\"><h2>{}</h2><p>{}</p><h2>{}</h2><ul>",
        esc(t(l, "Purpose", "目的")),
        rich(d.purpose.get(l)),
        esc(t(l, "What the new code does", "新逻辑"))
    );
    for b in d.new_logic.get(l) {
        let _ = write!(h, "<li>{}</li>", rich(b));
    }
    h.push_str("</ul></section>");
    let _ = write!(
        h,
        "<section class=\"card diff-card\"><div class=\"toolbar\"><h2>{}</h2><div class=\"seg\" role=\"group\">\
         <button type=\"button\" id=\"view-unified\" aria-pressed=\"true\">{}</button><button type=\"button\" id=\"view-split\" aria-pressed=\"false\">{}</button></div>\
         <p class=\"muted small hint\">{}</p></div>",
        esc(t(l, "Files changed", "变更文件")),
        esc(t(l, "Unified", "合并视图")),
        esc(t(l, "Split", "分栏视图")),
        esc(t(
            l,
            "Click a line number (or drag over several) to comment. Keys: j / k move between lines, c comments, Esc cancels.",
            "点击行号（或拖选多行）添加评论。快捷键：j / k 上下移动，c 评论，Esc 取消。"
        )),
    );
    for f in &d.diff {
        diff_file(&mut h, f, &d.language);
    }
    h.push_str("</section>");
    let _ = write!(h, "<section class=\"card checklist\"><h2>{}</h2><ol>", esc(t(l, "Checklist", "检查清单")));
    for c in &d.checklist {
        let hint = if c.kind == ItemKind::Comment {
            format!(
                "<span class=\"muted small\">{}</span>",
                esc(t(
                    l,
                    "One review comment in English, as you would post it.",
                    "写一条英文评审评论，就像你会在 PR 上发的那样。"
                ))
            )
        } else {
            String::new()
        };
        let _ = write!(
            h,
            "<li><label for=\"a-{id}\">{prompt}</label>{hint}<textarea id=\"a-{id}\" data-item=\"{id}\" rows=\"4\" spellcheck=\"true\"></textarea></li>",
            id = esc(&c.id),
            prompt = rich(c.prompt.get(l)),
        );
    }
    let _ = write!(
        h,
        "</ol><div id=\"comment-summary\" class=\"muted small\"></div><div class=\"submit-row\"><button type=\"button\" id=\"submit\" class=\"primary\">{}</button>\
         <button type=\"button\" id=\"discard\" class=\"link\">{}</button><span id=\"status\" role=\"status\" aria-live=\"polite\"></span></div>\
         <p class=\"muted small\">{}</p></section></article>",
        esc(t(l, "Submit review", "提交评审")),
        esc(t(l, "Discard draft", "放弃草稿")),
        esc(t(l, "The reference review is shown after you submit.", "提交后才会显示参考评审。")),
    );
    h
}

/// The PR header: title, source, chips.
pub fn header(h: &mut String, d: &Drill, l: Lang) {
    let _ = write!(h, "<header class=\"card pr-head\"><h1 id=\"drill-title\">{}</h1><div class=\"meta\">", esc(&d.title));
    let _ = write!(
        h,
        "<span class=\"chip lang\">{}</span><span class=\"chip diff-{}\">{}</span>",
        esc(&d.language),
        d.difficulty.as_str(),
        esc(d.difficulty.label(l))
    );
    for c in d.categories() {
        let _ = write!(h, "<span class=\"chip\">{}</span>", esc(c.label(l)));
    }
    match safe_url(&d.source) {
        Some(u) => {
            let _ = write!(
                h,
                "<span class=\"src\">{} <a href=\"{u}\" rel=\"noopener noreferrer\" target=\"_blank\">{u}</a></span>",
                esc(t(l, "Modeled on", "原型 PR："))
            );
        }
        None => {
            let _ = write!(h, "<span class=\"src\">{} {}</span>", esc(t(l, "Modeled on", "原型 PR：")), esc(&d.source));
        }
    }
    let _ = write!(h, "</div></header>");
}

fn num(n: Option<u32>) -> String {
    n.map_or(String::new(), |n| n.to_string())
}

fn kind_class(k: LineKind) -> &'static str {
    match k {
        LineKind::Added => "add",
        LineKind::Removed => "del",
        LineKind::Context => "ctx",
    }
}

fn sign(k: LineKind) -> &'static str {
    match k {
        LineKind::Added => "+",
        LineKind::Removed => "-",
        LineKind::Context => " ",
    }
}

/// One file of the diff as two tables, unified and split (the page shows one of them).
fn diff_file(h: &mut String, f: &FileDiff, language: &str) {
    let path = esc(f.path());
    let _ = write!(h, "<div class=\"file\" data-file=\"{path}\"><div class=\"file-head\">{path}</div><div class=\"scroll\">");
    let hunks: Vec<Vec<(&DiffLine, String)>> =
        f.hunks.iter().map(|hk| hk.lines.iter().zip(hunk_html(language, hk)).collect()).collect();
    h.push_str("<table class=\"diff unified\">");
    for (hk, lines) in f.hunks.iter().zip(&hunks) {
        let _ = write!(h, "<tr class=\"hunk\"><td colspan=\"3\">{}</td></tr>", esc(&hk.header));
        for (x, code) in lines {
            let data = x.new_line.map_or(String::new(), |n| format!(" data-line=\"{n}\""));
            let _ = write!(
                h,
                "<tr class=\"ln {k}\"{data}><td class=\"no\">{o}</td><td class=\"no nn\">{n}</td><td class=\"code\"><span class=\"sign\">{s}</span>{code}</td></tr>",
                k = kind_class(x.kind),
                o = num(x.old_line),
                n = num(x.new_line),
                s = sign(x.kind),
            );
        }
    }
    h.push_str("</table><table class=\"diff split\"><colgroup><col class=\"c-no\"><col><col class=\"c-no\"><col></colgroup>");
    for (hk, lines) in f.hunks.iter().zip(&hunks) {
        let _ = write!(h, "<tr class=\"hunk\"><td colspan=\"4\">{}</td></tr>", esc(&hk.header));
        let mut i = 0;
        while i < lines.len() {
            if lines[i].0.kind == LineKind::Context {
                let (x, code) = &lines[i];
                let n = num(x.new_line);
                let _ = write!(
                    h,
                    "<tr class=\"ln ctx\" data-line=\"{n}\"><td class=\"no\">{}</td><td class=\"code\">{code}</td><td class=\"no nn\">{n}</td><td class=\"code\">{code}</td></tr>",
                    num(x.old_line)
                );
                i += 1;
                continue;
            }
            // A run of removed lines then a run of added lines, side by side.
            let dels: Vec<_> = lines[i..].iter().take_while(|(x, _)| x.kind == LineKind::Removed).collect();
            let adds: Vec<_> = lines[i + dels.len()..].iter().take_while(|(x, _)| x.kind == LineKind::Added).collect();
            for r in 0..dels.len().max(adds.len()) {
                let (lo, lc, lk) =
                    dels.get(r).map_or((String::new(), "", "empty"), |(x, c)| (num(x.old_line), c.as_str(), "del"));
                let (rn, rc, rk) =
                    adds.get(r).map_or((String::new(), "", "empty"), |(x, c)| (num(x.new_line), c.as_str(), "add"));
                let data = if rn.is_empty() { String::new() } else { format!(" data-line=\"{rn}\"") };
                let _ = write!(
                    h,
                    "<tr class=\"ln\"{data}><td class=\"no {lk}\">{lo}</td><td class=\"code {lk}\">{lc}</td><td class=\"no nn {rk}\">{rn}</td><td class=\"code {rk}\">{rc}</td></tr>"
                );
            }
            i += dels.len() + adds.len();
        }
    }
    h.push_str("</table></div></div>");
}
