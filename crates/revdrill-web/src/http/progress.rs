//! Progress: score over time, strength per category, and the next suggested drill.

use std::fmt::Write;

use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use revdrill_catalog::Catalog;
use revdrill_pack::{Category, Drill, Lang};
use revdrill_store::{AttemptSummary, CategoryStat, DrillStat, Store};
use serde_json::json;

use super::{PageCtx, ReqLang};
use crate::error::ApiError;
use crate::html::{Nav, esc};
use crate::i18n::t;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/progress", get(page)).route("/api/progress", get(api))
}

struct Progress {
    history: Vec<AttemptSummary>,
    categories: Vec<CategoryStat>,
    drills: Vec<DrillStat>,
}

async fn load(st: &AppState) -> Result<Progress, ApiError> {
    st.with_store(|s| Ok(Progress { history: s.history(100)?, categories: s.category_stats()?, drills: s.drill_stats()? })).await
}

/// The next drill, as `revdrill drill` picks it (`Catalog::next_drill`).
fn next_drill<'a>(catalog: &'a Catalog, p: &Progress) -> Option<&'a Drill> {
    let best = p.drills.iter().map(|d| (d.drill_id.clone(), d.best)).collect();
    let strength = p.categories.iter().map(|c| (c.category.clone(), c.share().unwrap_or(1.0))).collect();
    catalog.next_drill(&best, &strength)
}

/// `GET /api/progress`: scores over time (oldest first), per-category and per-drill stats, and
/// the next suggested drill.
async fn api(State(st): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let p = load(&st).await?;
    let due = super::review::due(&st, 0).await?;
    let next = next_drill(st.catalog(), &p).map(|d| d.id.clone());
    let scores: Vec<_> = p.history.iter().rev().filter(|a| a.score.is_some()).collect();
    let review = json!({"due": due.count, "streak": due.streak});
    Ok(Json(json!({"scores": scores, "categories": p.categories, "drills": p.drills, "next": next, "review": review})))
}

/// Score over time as an inline SVG line chart; colours come from CSS (light and dark).
fn score_chart(h: &mut String, scores: &[(i64, u8, String)], l: Lang) {
    let (w, ht, pad) = (640.0, 220.0, 32.0);
    let _ = write!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-labelledby=\"score-chart-title\"><title id=\"score-chart-title\">{}</title>",
        esc(t(l, "Score over time", "得分趋势"))
    );
    for g in [0, 50, 100] {
        let y = ht - pad - (g as f64) / 100.0 * (ht - 2.0 * pad);
        let _ = write!(
            h,
            "<line class=\"grid\" x1=\"{pad}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\"/><text class=\"axis\" x=\"4\" y=\"{}\">{g}</text>",
            w - 8.0,
            y + 4.0
        );
    }
    let n = scores.len();
    let x = |i: usize| if n <= 1 { pad + (w - pad - 8.0) / 2.0 } else { pad + (i as f64) * (w - pad - 16.0) / ((n - 1) as f64) };
    let y = |s: u8| ht - pad - (s as f64) / 100.0 * (ht - 2.0 * pad);
    let pts: Vec<String> = scores.iter().enumerate().map(|(i, (_, s, _))| format!("{:.1},{:.1}", x(i), y(*s))).collect();
    if n > 1 {
        let _ = write!(h, "<polyline class=\"series\" points=\"{}\"/>", pts.join(" "));
    }
    for (i, (id, s, drill)) in scores.iter().enumerate() {
        let _ = write!(
            h,
            "<a href=\"/attempts/{id}\"><circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\"><title>#{id} {} — {s}</title></circle></a>",
            x(i),
            y(*s),
            esc(drill)
        );
    }
    h.push_str("</svg>");
}

/// Strength per category as horizontal bars.
fn category_chart(h: &mut String, cats: &[CategoryStat], l: Lang) {
    let row = 28.0;
    let ht = row * cats.len().max(1) as f64 + 8.0;
    let _ = write!(
        h,
        "<svg class=\"chart\" viewBox=\"0 0 640 {ht}\" role=\"img\" aria-labelledby=\"cat-chart-title\"><title id=\"cat-chart-title\">{}</title>",
        esc(t(l, "Strength per category", "各类别掌握程度"))
    );
    for (i, c) in cats.iter().enumerate() {
        let ratio = c.share().unwrap_or(0.0);
        let pct = (ratio * 100.0).round();
        let label = Category::parse(&c.category).map_or(c.category.as_str(), |k| k.label(l));
        let y = 4.0 + row * i as f64;
        let cls = if pct >= 80.0 {
            "good"
        } else if pct >= 50.0 {
            "warn"
        } else {
            "bad"
        };
        let _ = write!(
            h,
            "<text class=\"label\" x=\"0\" y=\"{}\">{}</text><rect class=\"track\" x=\"180\" y=\"{y}\" width=\"400\" height=\"18\" rx=\"4\"/>\
             <rect class=\"bar {cls}\" x=\"180\" y=\"{y}\" width=\"{:.1}\" height=\"18\" rx=\"4\"><title>{} {pct}% ({} {})</title></rect><text class=\"label\" x=\"590\" y=\"{}\">{pct}%</text>",
            y + 14.0,
            esc(label),
            4.0 * pct,
            esc(label),
            c.attempts,
            esc(t(l, "attempts", "次")),
            y + 14.0
        );
    }
    h.push_str("</svg>");
}

/// `GET /progress`.
async fn page(State(st): State<AppState>, lang: ReqLang, uri: Uri) -> Response {
    let pc = PageCtx::new(&st, lang, &uri);
    let ctx = pc.ctx();
    let l = ctx.lang;
    let p = match load(&st).await {
        Ok(p) => p,
        Err(e) => return ctx.error_page(&e).into_response(),
    };
    let mut h = String::new();
    let _ = write!(h, "<h1>{}</h1>", esc(t(l, "Progress", "进度")));
    if let Ok(d) = super::review::due(&st, 0).await {
        let _ = write!(
            h,
            "<section class=\"card\" id=\"review-due\"><h2>{}</h2><p><b id=\"due-count\">{}</b> {} · <b id=\"streak\">{}</b> {} · <a href=\"/review\">{}</a></p></section>",
            esc(t(l, "Spaced review", "间隔复习")),
            d.count,
            esc(t(l, "card(s) due today", "张卡片今天到期")),
            d.streak,
            esc(t(l, "day(s) in a row", "天连续练习")),
            esc(t(l, "Due today", "今日复习"))
        );
    }
    if let Some(d) = next_drill(st.catalog(), &p) {
        let _ = write!(
            h,
            "<section class=\"card next\"><h2>{}</h2><a class=\"title\" id=\"next-drill\" href=\"/drills/{}\">{}</a> <span class=\"chip lang\">{}</span></section>",
            esc(t(l, "Next suggested drill", "建议的下一个练习")),
            esc(&d.id),
            esc(&d.title),
            esc(&d.language)
        );
    }
    let scores: Vec<(i64, u8, String)> =
        p.history.iter().rev().filter_map(|a| a.score.map(|s| (a.id, s, a.drill_id.clone()))).collect();
    let _ = write!(h, "<section class=\"card\"><h2>{}</h2>", esc(t(l, "Score over time", "得分趋势")));
    if scores.is_empty() {
        let _ = write!(
            h,
            "<p class=\"muted\">{}</p>",
            esc(t(l, "No graded attempt yet: do a drill first.", "还没有评分记录：先做一个练习吧。"))
        );
    } else {
        score_chart(&mut h, &scores, l);
    }
    let _ = write!(h, "</section><section class=\"card\"><h2>{}</h2>", esc(t(l, "Strength per category", "各类别掌握程度")));
    if p.categories.is_empty() {
        let _ = write!(h, "<p class=\"muted\">{}</p>", esc(t(l, "Nothing yet.", "暂无数据。")));
    } else {
        category_chart(&mut h, &p.categories, l);
    }
    let _ = write!(
        h,
        "</section><section class=\"card\"><h2>{}</h2><table class=\"table\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        esc(t(l, "Per drill", "各练习")),
        esc(t(l, "Drill", "练习")),
        esc(t(l, "Attempts", "次数")),
        esc(t(l, "Best", "最佳")),
        esc(t(l, "Last", "最近")),
    );
    for s in &p.drills {
        let _ = write!(
            h,
            "<tr><td><a href=\"/drills/{id}\">{id}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            s.attempts,
            s.best,
            s.last,
            id = esc(&s.drill_id)
        );
    }
    let _ = write!(h, "</tbody></table><h3>{}</h3><ul class=\"history\">", esc(t(l, "Recent attempts", "最近的作答")));
    for a in p.history.iter().take(20) {
        let score = a.score.map_or("–".to_string(), |s| s.to_string());
        let disputed = match (a.disputed, l) {
            (0, _) => String::new(),
            (n, Lang::En) => format!(" <span class=\"flag\">⚑ {n} disputed</span>"),
            (n, Lang::Zh) => format!(" <span class=\"flag\">⚑ {n} 项有异议</span>"),
        };
        let _ = write!(h, "<li><a href=\"/attempts/{}\">#{} {}</a> <b>{score}</b>{disputed}</li>", a.id, a.id, esc(&a.drill_id));
    }
    h.push_str("</ul></section>");
    ctx.page(Nav::Progress, t(l, "Progress", "进度"), "", &h).into_response()
}
