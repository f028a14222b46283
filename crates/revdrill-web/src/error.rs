//! The one error type of the web app. Each variant names its HTTP status; `IntoResponse` turns
//! it into `{"error": code, "message": en, "message_zh": zh}`. Internal errors are logged to
//! stderr and shown only as "internal error".

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use revdrill_store::StoreError;
use serde_json::json;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400 Bad Request: the body is not JSON, or not the shape asked for.
    #[error("the request body is not valid JSON for this endpoint: {0}")]
    BadJson(String),
    /// 422 Unprocessable Entity: the answers do not fit the drill (unknown checklist item, a
    /// comment on a line the diff does not show, answers for another drill).
    #[error("the answers do not fit the drill: {}", .0.join("; "))]
    InvalidAnswers(Vec<String>),
    /// 400 Bad Request: a query parameter has a value it cannot take.
    #[error("bad query parameter: {0}")]
    BadQuery(String),
    /// 404 Not Found: no drill with this id.
    #[error("no drill with id `{0}`")]
    UnknownDrill(String),
    /// 404 Not Found: no attempt with this id.
    #[error("no attempt #{0}")]
    UnknownAttempt(i64),
    /// 409 Conflict: the attempt was never graded, so it has no feedback to show or dispute.
    #[error("attempt #{0} was not finished: it has no feedback")]
    Unfinished(i64),
    /// 422 Unprocessable Entity: the dispute does not fit the attempt's report (unknown finding,
    /// no such statement, a statement number for a credit, a note too long).
    #[error("the dispute does not fit the attempt: {0}")]
    InvalidDispute(revdrill_feedback::DisputeError),
    /// 404 Not Found: no such page or endpoint.
    #[error("not found")]
    NotFound,
    /// 403 Forbidden: a POST without the CSRF token, or from another origin.
    #[error("cross-site request refused: send the `x-revdrill-csrf` header from GET /api/session, from the same origin")]
    Csrf,
    /// 403 Forbidden: a `Host` that is not this machine while serving on loopback (a page that
    /// rebinds its DNS name to 127.0.0.1 must not read or write attempts).
    #[error("this server answers only to localhost, 127.0.0.1 or [::1]")]
    BadHost,
    /// 413 Payload Too Large: the body is over the limit.
    #[error("the request body is larger than {0} bytes")]
    TooLarge(usize),
    /// 408 Request Timeout: the body did not arrive within the body timeout.
    #[error("the request body did not arrive within {0} seconds")]
    BodyTimeout(u64),
    /// 415 Unsupported Media Type: a POST body that is not `application/json`.
    #[error("send the body as `content-type: application/json`")]
    NotJson,
    /// 503 Service Unavailable: a submitted review could not be stored (the database failed:
    /// read-only, full, damaged). Said as such, so that the page keeps the draft and the
    /// learner knows why, instead of a bare "internal error".
    #[error(
        "your review was not saved: the attempts database failed ({0}); it is still on this page, submit it again once the database works"
    )]
    NotSaved(String),
    /// 503 Service Unavailable: another process holds the database lock; try again.
    #[error("the database is locked by another process; try again")]
    Busy,
    /// 500 Internal Server Error: logged; the client sees only that it happened.
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Locked { .. } => ApiError::Busy,
            StoreError::NoSuchAttempt(id) => ApiError::UnknownAttempt(id),
            StoreError::NoSuchCard(_) | StoreError::NoSuchReview(_) => ApiError::NotFound,
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl ApiError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadJson(_) | ApiError::BadQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidAnswers(_) | ApiError::InvalidDispute(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unfinished(_) => StatusCode::CONFLICT,
            ApiError::UnknownDrill(_) | ApiError::UnknownAttempt(_) | ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Csrf | ApiError::BadHost => StatusCode::FORBIDDEN,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Busy | ApiError::NotSaved(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadJson(_) => "bad_json",
            ApiError::InvalidAnswers(_) => "invalid_answers",
            ApiError::InvalidDispute(_) => "invalid_dispute",
            ApiError::Unfinished(_) => "unfinished_attempt",
            ApiError::BadQuery(_) => "bad_query",
            ApiError::UnknownDrill(_) => "unknown_drill",
            ApiError::UnknownAttempt(_) => "unknown_attempt",
            ApiError::NotFound => "not_found",
            ApiError::Csrf => "csrf",
            ApiError::BadHost => "bad_host",
            ApiError::TooLarge(_) => "too_large",
            ApiError::BodyTimeout(_) => "body_timeout",
            ApiError::NotJson => "not_json",
            ApiError::Busy => "busy",
            ApiError::NotSaved(_) => "not_saved",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The message in Chinese (the `Display` text is the English one).
    pub fn message_zh(&self) -> String {
        match self {
            ApiError::BadJson(d) => format!("请求体不是此接口需要的 JSON：{d}"),
            ApiError::InvalidAnswers(v) => format!("回答与该 drill 不符：{}", v.join("；")),
            ApiError::InvalidDispute(e) => format!("异议与这次作答不符：{}", e.message(revdrill_pack::Lang::Zh)),
            ApiError::Unfinished(id) => format!("第 {id} 次作答没有完成：没有反馈"),
            ApiError::BadQuery(d) => format!("查询参数有误：{d}"),
            ApiError::UnknownDrill(id) => format!("没有 id 为 `{id}` 的 drill"),
            ApiError::UnknownAttempt(id) => format!("没有第 {id} 次作答"),
            ApiError::NotFound => "页面不存在".into(),
            ApiError::Csrf => "拒绝跨站请求：请在同源页面中携带 `x-revdrill-csrf` 头（见 GET /api/session）".into(),
            ApiError::BadHost => "本服务只响应 localhost、127.0.0.1 或 [::1]".into(),
            ApiError::TooLarge(n) => format!("请求体超过 {n} 字节上限"),
            ApiError::BodyTimeout(n) => format!("请求体未在 {n} 秒内发送完"),
            ApiError::NotJson => "请以 `content-type: application/json` 发送请求体".into(),
            ApiError::Busy => "数据库被其他进程锁定，请稍后重试".into(),
            ApiError::NotSaved(d) => format!("你的评审未保存：作答数据库出错（{d}）；内容仍在此页面上，数据库恢复后请重新提交"),
            ApiError::Internal(_) => "服务器内部错误".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) | ApiError::NotSaved(detail) = &self {
            eprintln!("revdrill serve: {}: {detail}", self.code());
        }
        let body = json!({"error": self.code(), "message": self.to_string(), "message_zh": self.message_zh()});
        let mut r = (self.status(), axum::Json(body)).into_response();
        // The rest of a body too large or too slow is never read: close rather than keep alive.
        if matches!(self, ApiError::TooLarge(_) | ApiError::BodyTimeout(_)) {
            r.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
        }
        r
    }
}
