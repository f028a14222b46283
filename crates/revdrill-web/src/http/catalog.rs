//! The catalog: every drill with language, difficulty, categories and the best score; filters.

use std::collections::HashMap;
use std::fmt::Write;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use revdrill_pack::{Category, Difficulty, Drill, Lang};
use revdrill_store::Store;
use serde_json::json;

use super::{PageCtx, ReqLang, query_param};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(page)).route("/api/drills", get(api))
}

/// The filters of `GET /` and `GET /api/drills`: `language`, `category`, `difficulty`, `todo=1`.
struct Filter {
    language: Option<String>,
    category: Option<Category>,
    difficulty: Option<String>,
    todo: bool,
}

impl Filter {
    fn from_query(q: Option<&str>) -> Result<Filter, ApiError> {
        let nonempty = |name| query_param(q, name).filter(|v| !v.is_empty());
        let category = match nonempty("category") {
            Some(c) => Some(Category::parse(&c).ok_or_else(|| ApiError::BadQuery(format!("unknown category `{c}`")))?),
            None => None,
        };
        let difficulty = nonempty("difficulty");
        if let Some(d) = &difficulty {
            if !["easy", "medium", "hard"].contains(&d.as_str()) {
                return Err(ApiError::BadQuery(format!("unknown difficulty `{d}`")));
            }
        }
        let todo = matches!(nonempty("todo").as_deref(), Some("1" | "true" | "on"));
        Ok(Filter { language: nonempty("language"), category, difficulty, todo })
    }

    fn keeps(&self, d: &Drill, best: &HashMap<String, u8>) -> bool {
        self.language.as_ref().is_none_or(|l| &d.language == l)
            && self.category.is_none_or(|c| d.categories().contains(&c))
            && self.difficulty.as_ref().is_none_or(|x| d.difficulty.as_str() == x)
            && (!self.todo || !best.contains_key(&d.id))
    }
}

/// Best score per drill id, or why the database could not say.
pub async fn best_scores(st: &AppState) -> Result<HashMap<String, u8>, ApiError> {
    st.with_store(|s| s.drill_stats()).await.map(|v| v.into_iter().map(|d| (d.drill_id, d.best)).collect())
}

/// `GET /api/drills`: the catalog as JSON (no answer keys).
async fn api(State(st): State<AppState>, uri: Uri) -> Result<Json<serde_json::Value>, ApiError> {
    let f = Filter::from_query(uri.query())?;
    let best = best_scores(&st).await?;
    let rows: Vec<_> = st
        .catalog()
        .drills()
        .iter()
        .filter(|d| f.keeps(d, &best))
        .map(|d| {
            let mut v = json!(d.summary());
            v["best"] = json!(best.get(&d.id));
            v
        })
        .collect();
    Ok(Json(json!(rows)))
}

fn difficulty_label(d: &str, lang: Lang) -> &'static str {
    match d {
        "easy" => Difficulty::Easy.label(lang),
        "medium" => Difficulty::Medium.label(lang),
        _ => Difficulty::Hard.label(lang),
    }
}

/// The catalog's size: drills in total, per language, difficulty and category.
fn size(h: &mut String, c: &revdrill_catalog::Counts, l: Lang) {
    let row = |h: &mut String, label: &str, items: Vec<(String, usize)>| {
        let _ = write!(h, "<div><span class=\"muted\">{}</span> ", esc(label));
        for (name, n) in items {
            let _ = write!(h, "<span class=\"chip\">{} {n}</span>", esc(&name));
        }
        h.push_str("</div>");
    };
    let _ = write!(
        h,
        "<section class=\"card small\" id=\"catalog-size\"><strong>{} {}</strong>",
        c.total,
        esc(t(l, "drills", "个练习"))
    );
    row(h, t(l, "Language", "编程语言"), c.languages.clone());
    row(h, t(l, "Difficulty", "难度"), c.difficulties.iter().map(|(d, n)| (d.label(l).to_string(), *n)).collect());
    row(h, t(l, "Category", "类别"), c.categories.iter().map(|(k, n)| (k.label(l).to_string(), *n)).collect());
    h.push_str("</section>");
}

/// `GET /`: the catalog page.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let f = match Filter::from_query(uri.query()) {
        Ok(f) => f,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    // A broken database must not hide the catalog, nor pass for "nothing done yet".
    let (best, db_error) = match best_scores(&st).await {
        Ok(b) => (b, None),
        Err(e) => (HashMap::new(), Some(e)),
    };
    let drills = st.catalog().drills();
    let mut h = String::new();
    let _ = write!(h, "<h1>{}</h1>", esc(t(l, "Review drills", "代码评审练习")));
    // Due review cards first, as `revdrill drill` offers them.
    let d = super::review::due(&st, 0).await.map_or(0, |d| d.count);
    if d > 0 {
        let msg = match l {
            Lang::En => format!("{d} review card(s) due today: findings you missed, back on the day the scheduler said."),
            Lang::Zh => format!("今天有 {d} 张复习卡片到期：你漏掉的问题，按调度算法指定的日子回来了。"),
        };
        let _ = write!(
            h,
            "<div class=\"card banner\" id=\"due-banner\">{} <a class=\"button primary\" href=\"/review\">{}</a></div>",
            esc(&msg),
            esc(t(l, "Review them first", "先复习"))
        );
    }
    size(&mut h, &revdrill_catalog::counts(drills), l);
    if let Some(e) = db_error {
        if let ApiError::Internal(detail) = &e {
            eprintln!("revdrill serve: cannot read scores: {detail}");
        }
        let why = if l == Lang::Zh { e.message_zh() } else { e.to_string() };
        let _ = write!(
            h,
            "<div class=\"card banner error\" role=\"alert\" id=\"db-error\"><strong>{}</strong> {}</div>",
            esc(t(
                l,
                "Your scores could not be read from the attempts database, so none are shown (the “not done yet” filter shows every drill).",
                "无法从作答数据库读取你的成绩，因此不显示任何成绩（“尚未完成”筛选会显示所有练习）。"
            )),
            esc(&why)
        );
    }
    // Filters: a plain GET form, so they work without JavaScript and can be bookmarked.
    let _ = write!(h, "<form class=\"filters card\" method=\"get\" action=\"/\">");
    let mut languages: Vec<&str> = drills.iter().map(|d| d.language.as_str()).collect();
    languages.sort();
    languages.dedup();
    let sel = |h: &mut String, name: &str, label: &str, opts: &[(String, String)], cur: Option<&str>| {
        let _ =
            write!(h, "<label>{}<select name=\"{name}\"><option value=\"\">{}</option>", esc(label), esc(t(l, "any", "全部")));
        for (v, text) in opts {
            let s = if Some(v.as_str()) == cur { " selected" } else { "" };
            let _ = write!(h, "<option value=\"{}\"{s}>{}</option>", esc(v), esc(text));
        }
        h.push_str("</select></label>");
    };
    let lang_opts: Vec<(String, String)> = languages.iter().map(|x| (x.to_string(), x.to_string())).collect();
    sel(&mut h, "language", t(l, "Language", "编程语言"), &lang_opts, f.language.as_deref());
    let cat_opts: Vec<(String, String)> =
        Category::ALL.iter().map(|c| (c.as_str().to_string(), c.label(l).to_string())).collect();
    sel(&mut h, "category", t(l, "Category", "类别"), &cat_opts, f.category.map(|c| c.as_str()));
    let diff_opts: Vec<(String, String)> =
        ["easy", "medium", "hard"].iter().map(|d| (d.to_string(), difficulty_label(d, l).to_string())).collect();
    sel(&mut h, "difficulty", t(l, "Difficulty", "难度"), &diff_opts, f.difficulty.as_deref());
    let _ = write!(
        h,
        "<label class=\"check\"><input type=\"checkbox\" name=\"todo\" value=\"1\"{}> {}</label><button type=\"submit\">{}</button></form>",
        if f.todo { " checked" } else { "" },
        esc(t(l, "not done yet", "尚未完成")),
        esc(t(l, "Filter", "筛选"))
    );
    let shown: Vec<&Drill> = drills.iter().filter(|d| f.keeps(d, &best)).collect();
    if shown.is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "No drill matches these filters.", "没有符合筛选条件的练习。")));
    }
    h.push_str("<ul class=\"drills\">");
    for d in shown {
        let score = match best.get(&d.id) {
            Some(b) => format!("<span class=\"score s{}\">{b}</span>", b / 34),
            None => format!("<span class=\"score none\">{}</span>", esc(t(l, "new", "未做"))),
        };
        let cats: String = d.categories().iter().map(|c| format!("<span class=\"chip\">{}</span>", esc(c.label(l)))).collect();
        let _ = write!(
            h,
            "<li class=\"card drill-card\" data-id=\"{id}\"><a class=\"title\" href=\"/drills/{id}\">{title}</a>{score}\
             <div class=\"meta\"><span class=\"chip lang\">{language}</span><span class=\"chip diff-{dif}\">{difl}</span>{cats}</div>\
             <div class=\"muted small\">{id}</div></li>",
            id = esc(&d.id),
            title = esc(&d.title),
            language = esc(&d.language),
            dif = d.difficulty.as_str(),
            difl = esc(d.difficulty.label(l)),
        );
    }
    h.push_str("</ul>");
    ctx.page(Nav::Catalog, t(l, "Drills", "练习"), "", &h).into_response()
}
