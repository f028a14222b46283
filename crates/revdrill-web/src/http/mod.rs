//! The router: one `router()` per feature module merged here, plus what every request goes
//! through: the body limit (a `Content-Length` over it is refused before any byte of the body
//! is read), the CSRF check on POSTs and the security headers.

mod attempts;
mod catalog;
mod disputes;
mod drills;
mod feedback;
mod phrases;
mod progress;
mod review;
mod template;
mod tracks;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use revdrill_pack::Lang;

use crate::error::ApiError;
use crate::html::Ctx;
use crate::i18n::parse_lang;
use crate::state::AppState;

/// Largest request body accepted, in bytes (answers are text; 256 KiB is a long review).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The name of the header every POST must carry, with the token from `GET /api/session`.
pub const CSRF_HEADER: &str = "x-revdrill-csrf";

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The whole app.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(catalog::router())
        .merge(drills::router())
        .merge(attempts::router())
        .merge(disputes::router())
        .merge(progress::router())
        .merge(template::router())
        .merge(tracks::router())
        .merge(phrases::router())
        .merge(review::router())
        .route("/api/session", get(session))
        .route("/assets/app.css", get(|| async { asset("text/css; charset=utf-8", include_str!("../assets/app.css")) }))
        .route("/assets/app.js", get(|| async { asset("text/javascript; charset=utf-8", include_str!("../assets/app.js")) }))
        .route("/assets/icon.svg", get(|| async { asset("image/svg+xml", include_str!("../assets/icon.svg")) }))
        .route("/favicon.ico", get(|| async { asset("image/svg+xml", include_str!("../assets/icon.svg")) }))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf))
        .layer(middleware::from_fn_with_state(state.clone(), loopback_host))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(declared_length))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

fn asset(content_type: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-cache")], text).into_response()
}

/// `GET /api/session`: the CSRF token and the default language.
async fn session(State(st): State<AppState>, lang: ReqLang) -> Response {
    axum::Json(serde_json::json!({"csrf": st.csrf_token(), "lang": lang.lang.code(), "csrf_header": CSRF_HEADER})).into_response()
}

async fn not_found(State(st): State<AppState>, lang: ReqLang, req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        PageCtx::new(&st, lang, req.uri()).ctx().error_page(&ApiError::NotFound).into_response()
    }
}

/// Refuses state-changing requests that do not come from our own pages: they must carry the
/// per-process token (a cross-site page cannot read it, and a custom header forces a CORS
/// preflight we never answer), and when the browser says where they come from, it must be here.
async fn csrf(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let h = req.headers();
    let token_ok = h.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) == Some(st.csrf_token());
    let site_ok = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_none_or(|s| s == "same-origin" || s == "none");
    if !token_ok || !site_ok || !same_origin(h) {
        return ApiError::Csrf.into_response();
    }
    next.run(req).await
}

/// On loopback, answers only requests addressed to a loopback name: a site whose DNS name is
/// rebound to 127.0.0.1 still sends its own name as `Host`.
async fn loopback_host(State(st): State<AppState>, req: Request, next: Next) -> Response {
    if !st.any_host() {
        if let Some(host) = req.headers().get(header::HOST) {
            let host = host.to_str().unwrap_or("");
            let name = match host.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or(""),
                None => host.rsplit_once(':').map_or(host, |(n, _)| n),
            };
            if !matches!(name.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1") {
                return ApiError::BadHost.into_response();
            }
        }
    }
    next.run(req).await
}

/// An `Origin` header, when present, names the host the request was sent to.
fn same_origin(h: &HeaderMap) -> bool {
    let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let host = h.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
}

/// A body that says it is over the limit is refused at once, without waiting for it.
async fn declared_length(req: Request, next: Next) -> Response {
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return ApiError::TooLarge(BODY_LIMIT).into_response();
    }
    next.run(req).await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    r
}

/// The value of query parameter `name`, percent-decoded.
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() => {
                let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The language of a request: `?lang=en|zh`, else the `revdrill_lang` cookie, else the
/// server's default. An unknown value is ignored rather than refused.
pub struct ReqLang {
    /// The language.
    pub lang: Lang,
    /// It came from the query string (pages then remember it in a cookie).
    pub from_query: bool,
}

impl FromRequestParts<AppState> for ReqLang {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        if let Some(l) = query_param(parts.uri.query(), "lang").as_deref().and_then(parse_lang) {
            return Ok(ReqLang { lang: l, from_query: true });
        }
        let cookie = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|c| c.split(';').find_map(|kv| kv.trim().strip_prefix("revdrill_lang=").and_then(parse_lang)));
        Ok(ReqLang { lang: cookie.unwrap_or(st.default_lang()), from_query: false })
    }
}

/// What a page handler needs to draw the frame.
pub struct PageCtx<'a> {
    st: &'a AppState,
    lang: ReqLang,
    path: String,
    query: String,
}

impl<'a> PageCtx<'a> {
    /// From the state, the request language and the URI.
    pub fn new(st: &'a AppState, lang: ReqLang, uri: &axum::http::Uri) -> Self {
        let query = uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .collect::<Vec<_>>()
            .join("&");
        PageCtx { st, lang, path: uri.path().to_string(), query }
    }

    /// The frame renderer.
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            lang: self.lang.lang,
            remember_lang: self.lang.from_query,
            path: &self.path,
            query: self.query.clone(),
            csrf: self.st.csrf_token(),
        }
    }
}

/// A JSON request body as text: checks the content type, the size limit and the body timeout,
/// so that each answers with a clear JSON error.
pub struct JsonText(pub String);

impl FromRequest<AppState> for JsonText {
    type Rejection = ApiError;

    async fn from_request(req: Request<Body>, state: &AppState) -> Result<Self, ApiError> {
        let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if mime != "application/json" {
            return Err(ApiError::NotJson);
        }
        let limit = state.body_timeout();
        let read = tokio::time::timeout(limit, Bytes::from_request(req, state));
        let bytes = read.await.map_err(|_| ApiError::BodyTimeout(limit.as_secs().max(1)))?.map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge(BODY_LIMIT)
            } else {
                ApiError::BadJson(r.body_text())
            }
        })?;
        String::from_utf8(bytes.to_vec()).map(JsonText).map_err(|_| ApiError::BadJson("the body is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_params_are_decoded() {
        assert_eq!(query_param(Some("a=1&lang=zh&c=error%2Dhandling+x"), "c").as_deref(), Some("error-handling x"));
        assert_eq!(query_param(Some("a=1"), "lang"), None);
        assert_eq!(query_param(Some("a=%zz%4%E4%B8%AD%"), "a").as_deref(), Some("%zz%4中%"));
        assert_eq!(query_param(None, "a"), None);
    }
}
