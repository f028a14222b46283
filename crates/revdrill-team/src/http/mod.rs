//! The team server's HTTP API: one `router()` per feature merged here, the extractors every
//! handler shares (the signed-in user, the client address, a JSON body) and what every request
//! goes through (same-origin check on state-changing requests, body limit, security headers).
//!
//! Architecture invariant: a handler that touches team data takes [`CurrentUser`], which
//! answers `401` before the handler runs when there is no valid session.

mod attempts;
mod auth;
mod cohorts;
mod drills;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use revdrill_pack::Lang;
use serde::de::DeserializeOwned;

use crate::accounts::User;
use crate::error::TeamError;
use crate::state::TeamState;

/// Largest request body accepted, in bytes (the same limit as the local web app).
pub const BODY_LIMIT: usize = 256 * 1024;

/// How long a body may take to arrive once the headers are in.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "revdrill_session";

const CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The whole team API.
pub fn router(state: TeamState) -> Router {
    Router::new()
        .merge(auth::router())
        .merge(cohorts::router())
        .merge(drills::router())
        .merge(attempts::router())
        .fallback(|| async { TeamError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), same_origin))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// The signed-in user of a request (from the session cookie) and their session token.
pub struct CurrentUser {
    /// The user.
    pub user: User,
    /// The session token (to log out or keep this session on a password change).
    pub token: String,
}

/// The session token the request's cookie carries.
fn session_token(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        c.split(';').find_map(|kv| kv.trim().strip_prefix(SESSION_COOKIE).and_then(|r| r.strip_prefix('=')).map(str::to_string))
    })
}

impl FromRequestParts<TeamState> for CurrentUser {
    type Rejection = TeamError;

    async fn from_request_parts(parts: &mut Parts, st: &TeamState) -> Result<Self, TeamError> {
        let token = session_token(&parts.headers).filter(|t| t.len() == 64).ok_or(TeamError::Unauthenticated)?;
        let user = st.db().session_user(&token).await?.ok_or(TeamError::Unauthenticated)?;
        Ok(CurrentUser { user, token })
    }
}

/// The client's address, for rate limiting: the peer's IP, or behind a trusted proxy the last
/// address of `X-Forwarded-For` (the one the proxy added).
pub struct ClientAddr(pub String);

impl FromRequestParts<TeamState> for ClientAddr {
    type Rejection = TeamError;

    async fn from_request_parts(parts: &mut Parts, st: &TeamState) -> Result<Self, TeamError> {
        if st.trust_proxy() {
            let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).next_back();
            if let Some(last) = forwarded.and_then(|v| v.rsplit(',').next()).map(str::trim).filter(|s| !s.is_empty()) {
                return Ok(ClientAddr(last.to_string()));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(ClientAddr(peer.unwrap_or_else(|| "unknown".into())))
    }
}

/// The language of a request: `?lang=en|zh`, else the server's default.
pub struct ReqLang(pub Lang);

impl FromRequestParts<TeamState> for ReqLang {
    type Rejection = TeamError;

    async fn from_request_parts(parts: &mut Parts, st: &TeamState) -> Result<Self, TeamError> {
        let q = query_param(parts.uri.query(), "lang");
        Ok(ReqLang(match q.as_deref() {
            Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            _ => st.default_lang(),
        }))
    }
}

/// A JSON body of type `T`: `415` unless `content-type: application/json`, `400` when it does
/// not arrive within [`BODY_TIMEOUT`] or is not `T`, `413` over [`BODY_LIMIT`].
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<TeamState> for JsonBody<T> {
    type Rejection = TeamError;

    async fn from_request(req: Request, st: &TeamState) -> Result<Self, TeamError> {
        let bytes = json_bytes(req, st).await?;
        serde_json::from_slice(&bytes).map(JsonBody).map_err(|e| TeamError::BadJson(e.to_string()))
    }
}

/// A JSON body as text (checked as [`JsonBody`] is, but not parsed).
pub struct JsonText(pub String);

impl FromRequest<TeamState> for JsonText {
    type Rejection = TeamError;

    async fn from_request(req: Request, st: &TeamState) -> Result<Self, TeamError> {
        let bytes = json_bytes(req, st).await?;
        String::from_utf8(bytes.to_vec()).map(JsonText).map_err(|_| TeamError::BadJson("the body is not UTF-8".into()))
    }
}

async fn json_bytes(req: Request, st: &TeamState) -> Result<Bytes, TeamError> {
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json") {
        return Err(TeamError::NotJson);
    }
    tokio::time::timeout(BODY_TIMEOUT, Bytes::from_request(req, st))
        .await
        .map_err(|_| TeamError::BadJson(format!("the body did not arrive within {} seconds", BODY_TIMEOUT.as_secs())))?
        .map_err(|r| {
            if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                TeamError::TooLarge(BODY_LIMIT)
            } else {
                TeamError::BadJson(r.body_text())
            }
        })
}

/// The value of query parameter `name` (no percent-decoding: team parameters are numbers and
/// language codes).
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| v.to_string())
    })
}

/// The `Set-Cookie` value opening a session: HttpOnly, SameSite=Lax, the whole site, and
/// `Secure` when the request came over TLS (a trusted proxy's `X-Forwarded-Proto: https`).
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("revdrill_session=; Path=/; Max-Age=0"))
}

/// Whether the client reached us over TLS, as far as we can tell.
pub fn over_tls(st: &TeamState, h: &HeaderMap) -> bool {
    st.trust_proxy() && h.get("x-forwarded-proto").and_then(|v| v.to_str().ok()).is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// Refuses state-changing requests from other sites: when the browser says where a request
/// comes from (`Sec-Fetch-Site`, `Origin`), it must be this site. With the session cookie's
/// `SameSite=Lax` and JSON-only bodies (a cross-site `application/json` request needs a CORS
/// preflight, which is never granted), this is the CSRF defence.
async fn same_origin(State(st): State<TeamState>, req: Request, next: Next) -> Response {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return next.run(req).await;
    }
    let h = req.headers();
    let site_ok = h.get("sec-fetch-site").and_then(|v| v.to_str().ok()).is_none_or(|s| s == "same-origin" || s == "none");
    let host = if st.trust_proxy() { h.get("x-forwarded-host").or_else(|| h.get(header::HOST)) } else { h.get(header::HOST) };
    let host = host.and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_ok = match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(o) => o.strip_prefix("https://").or_else(|| o.strip_prefix("http://")) == Some(host),
    };
    if !site_ok || !origin_ok {
        return TeamError::CrossSite.into_response();
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
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
