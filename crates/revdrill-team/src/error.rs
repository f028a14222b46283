//! The one error type of the team server, from the database to the HTTP response. Each variant
//! names its status; `IntoResponse` turns it into `{"error": code, "message": en, "message_zh":
//! zh}`. Database and internal details are logged to stderr, never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// 500, at start: the database URL or pool settings are wrong.
    #[error("team server configuration: {0}")]
    Config(String),
    /// 500, at start: a schema migration failed (its transaction was rolled back).
    #[error("cannot apply team schema migration {version}: {detail}")]
    Migration {
        /// The migration's number.
        version: i32,
        /// What PostgreSQL said.
        detail: String,
    },
    /// 500, at start: the database was migrated by a newer revdrill.
    #[error("the team database has schema version {found}; this revdrill knows up to {known}: upgrade revdrill")]
    SchemaTooNew {
        /// Version found.
        found: i32,
        /// Newest version known.
        known: i32,
    },
    /// 401: no valid session (not signed in, or the session expired or was logged out).
    #[error("sign in first")]
    Unauthenticated,
    /// 401: the email or the password is wrong (which one is not said).
    #[error("wrong email or password")]
    BadCredentials,
    /// 403: signed in, but this role or this account may not do it.
    #[error("you may not do this")]
    Forbidden,
    /// 403: a state-changing request from another site.
    #[error("cross-site request refused")]
    CrossSite,
    /// 404: no such resource or route.
    #[error("not found")]
    NotFound,
    /// 404: no drill with this id.
    #[error("no drill with id `{0}`")]
    UnknownDrill(String),
    /// 400: the body is not JSON of the expected shape.
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    BadJson(String),
    /// 415: a body that is not `application/json`.
    #[error("send the body as `content-type: application/json`")]
    NotJson,
    /// 413: the body is over the limit.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// 422: a field has a value it cannot take (the message names the field).
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong, in English.
        message: String,
        /// What is wrong, in Chinese.
        message_zh: String,
    },
    /// 422: the answers do not fit the drill.
    #[error("the answers do not fit the drill: {}", .0.join("; "))]
    InvalidAnswers(Vec<String>),
    /// 409: the attempt was never graded, so it has no verdict to dispute.
    #[error("attempt #{0} was not finished: it has no verdicts")]
    Unfinished(i64),
    /// 409: the email already has an account.
    #[error("an account with this email exists")]
    EmailTaken,
    /// 409: `revdrill team init` on a database that has accounts already.
    #[error("this team database has accounts already; invite people from the web instead")]
    AlreadyInitialised,
    /// 410: the setup or invite link was used already or has expired.
    #[error("this link was used already or has expired; ask for a new one")]
    LinkGone,
    /// 429: too many failed logins for this account or from this address; retry later.
    #[error("too many failed logins; try again in {0} minutes")]
    RateLimited(i64),
    /// 503: the database cannot be reached (down, restarting, or every connection busy).
    #[error("the database is unavailable; try again shortly")]
    Unavailable(String),
    /// 500: logged; the client sees only that it happened.
    #[error("internal error")]
    Internal(String),
    /// A PostgreSQL error: 503 when the connection is gone, else 500.
    #[error("database error: {0}")]
    Pg(#[from] tokio_postgres::Error),
    /// No connection from the pool within its timeout: 503.
    #[error("database unavailable: {0}")]
    Pool(#[from] deadpool_postgres::PoolError),
}

impl TeamError {
    /// A 422 on `field`, in both languages.
    pub fn invalid(field: &'static str, en: impl Into<String>, zh: impl Into<String>) -> TeamError {
        TeamError::Invalid { field, message: en.into(), message_zh: zh.into() }
    }

    /// Whether the database is unreachable (as opposed to a query being wrong).
    fn db_down(&self) -> bool {
        match self {
            TeamError::Pg(e) => e.is_closed() || e.code().map_or(e.as_db_error().is_none(), |c| unreachable_state(c.code())),
            TeamError::Pool(_) | TeamError::Unavailable(_) => true,
            _ => false,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            _ if self.db_down() => StatusCode::SERVICE_UNAVAILABLE,
            TeamError::Unauthenticated | TeamError::BadCredentials => StatusCode::UNAUTHORIZED,
            TeamError::Forbidden | TeamError::CrossSite => StatusCode::FORBIDDEN,
            TeamError::NotFound | TeamError::UnknownDrill(_) => StatusCode::NOT_FOUND,
            TeamError::BadJson(_) => StatusCode::BAD_REQUEST,
            TeamError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TeamError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            TeamError::Invalid { .. } | TeamError::InvalidAnswers(_) => StatusCode::UNPROCESSABLE_ENTITY,
            TeamError::EmailTaken | TeamError::AlreadyInitialised | TeamError::Unfinished(_) => StatusCode::CONFLICT,
            TeamError::LinkGone => StatusCode::GONE,
            TeamError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            _ if self.db_down() => "database_unavailable",
            TeamError::Unauthenticated => "unauthenticated",
            TeamError::BadCredentials => "bad_credentials",
            TeamError::Forbidden => "forbidden",
            TeamError::CrossSite => "cross_site",
            TeamError::NotFound => "not_found",
            TeamError::UnknownDrill(_) => "unknown_drill",
            TeamError::BadJson(_) => "bad_json",
            TeamError::NotJson => "not_json",
            TeamError::TooLarge(_) => "too_large",
            TeamError::Invalid { .. } => "invalid",
            TeamError::InvalidAnswers(_) => "invalid_answers",
            TeamError::EmailTaken => "email_taken",
            TeamError::Unfinished(_) => "unfinished_attempt",
            TeamError::AlreadyInitialised => "already_initialised",
            TeamError::LinkGone => "link_gone",
            TeamError::RateLimited(_) => "rate_limited",
            _ => "internal",
        }
    }

    /// The message in Chinese (the `Display` text is the English one).
    pub fn message_zh(&self) -> String {
        match self {
            _ if self.db_down() => "数据库暂时不可用，请稍后重试".into(),
            TeamError::Unauthenticated => "请先登录".into(),
            TeamError::BadCredentials => "邮箱或密码错误".into(),
            TeamError::Forbidden => "你没有权限执行此操作".into(),
            TeamError::CrossSite => "拒绝跨站请求".into(),
            TeamError::NotFound => "不存在".into(),
            TeamError::UnknownDrill(id) => format!("没有 id 为 `{id}` 的 drill"),
            TeamError::BadJson(d) => format!("请求体不是此接口需要的 JSON：{d}"),
            TeamError::NotJson => "请以 `content-type: application/json` 发送请求体".into(),
            TeamError::TooLarge(n) => format!("请求体超过 {n} 字节上限"),
            TeamError::Invalid { field, message_zh, .. } => format!("{field}：{message_zh}"),
            TeamError::InvalidAnswers(v) => format!("回答与该 drill 不符：{}", v.join("；")),
            TeamError::EmailTaken => "该邮箱已有账号".into(),
            TeamError::Unfinished(id) => format!("第 {id} 次作答没有完成：没有可异议的判定"),
            TeamError::AlreadyInitialised => "该团队数据库已有账号，请在网页上邀请成员".into(),
            TeamError::LinkGone => "此链接已被使用或已过期，请索取新链接".into(),
            TeamError::RateLimited(m) => format!("登录失败次数过多，请 {m} 分钟后再试"),
            _ => "服务器内部错误".into(),
        }
    }
}

/// Whether a SQLSTATE says the server cannot serve us rather than that the query is wrong:
/// class 08 (connection exception), class 57P (the server is shutting down, restarting or not
/// accepting connections yet, or killed our session) and 53300 (too many connections).
fn unreachable_state(code: &str) -> bool {
    code.starts_with("08") || code.starts_with("57P") || code == "53300"
}

impl IntoResponse for TeamError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            match &self {
                TeamError::Pg(e) if e.as_db_error().is_some() => {
                    let d = e.as_db_error().expect("checked");
                    eprintln!("revdrill serve (team): database error {}: {}", d.code().code(), d.message());
                }
                other => eprintln!("revdrill serve (team): {other}"),
            }
        }
        // A database that is down says so without its detail; internal errors say nothing more.
        let message = if status.is_server_error() {
            if self.db_down() {
                "the database is unavailable; try again shortly".to_string()
            } else {
                "internal error".to_string()
            }
        } else {
            self.to_string()
        };
        let body = json!({"error": self.code(), "message": message, "message_zh": self.message_zh()});
        let mut r = (status, axum::Json(body)).into_response();
        if let TeamError::RateLimited(minutes) = self
            && let Ok(v) = axum::http::HeaderValue::from_str(&(minutes * 60).to_string())
        {
            r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        r
    }
}
