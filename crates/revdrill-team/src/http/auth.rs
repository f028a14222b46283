//! Accounts: login, logout, who am I, password change, joining through a setup or invite link,
//! creating invites, and the admin's list of accounts.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::{ClientAddr, CurrentUser, JsonBody, over_tls, session_cookie};
use crate::accounts::{LinkGrant, Role, SESSION_TTL_SECS};
use crate::error::TeamError;
use crate::policy::{self, CohortRelation};
use crate::state::TeamState;

pub fn router() -> Router<TeamState> {
    Router::new()
        .route("/api/team/login", post(login))
        .route("/api/team/logout", post(logout))
        .route("/api/team/me", get(me))
        .route("/api/team/password", post(password))
        .route("/api/team/join", post(join))
        .route("/api/team/invites", post(invite))
        .route("/api/team/users", get(users))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Login {
    email: String,
    password: String,
}

/// `POST /api/team/login {email, password}`: `200 {user}` with the session cookie; `401` on a
/// wrong email or password; `429` after too many failures for the account or the address.
async fn login(
    State(st): State<TeamState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    JsonBody(b): JsonBody<Login>,
) -> Result<Response, TeamError> {
    let (user, token) = st.db().login(&b.email, &b.password, &addr).await?;
    let cookie = session_cookie(&token, SESSION_TTL_SECS, over_tls(&st, &headers));
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({ "user": user }))).into_response())
}

/// `POST /api/team/logout`: ends this session; `204`, and the cookie is cleared.
async fn logout(State(st): State<TeamState>, me: CurrentUser, headers: HeaderMap) -> Result<Response, TeamError> {
    st.db().logout(&me.token).await?;
    let cookie = session_cookie("", 0, over_tls(&st, &headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// `GET /api/team/me`: the signed-in user.
async fn me(me: CurrentUser) -> Json<serde_json::Value> {
    Json(json!({ "user": me.user }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Password {
    old_password: String,
    new_password: String,
}

/// `POST /api/team/password {old_password, new_password}`: `204`; every other session of the
/// account ends.
async fn password(
    State(st): State<TeamState>,
    me: CurrentUser,
    JsonBody(b): JsonBody<Password>,
) -> Result<StatusCode, TeamError> {
    st.db().change_password(&me.user, &me.token, &b.old_password, &b.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Join {
    token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    password: String,
}

/// `POST /api/team/join {token, email, name, password}`: uses a setup link (email and name are
/// then ignored: the account exists) or an invite link; `201 {user}` with a session cookie,
/// `410` when the link was used or expired, `409` when the email has an account.
async fn join(State(st): State<TeamState>, headers: HeaderMap, JsonBody(b): JsonBody<Join>) -> Result<Response, TeamError> {
    let (user, token) = st.db().join(&b.token, &b.email, &b.name, &b.password).await?;
    let cookie = session_cookie(&token, SESSION_TTL_SECS, over_tls(&st, &headers));
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], Json(json!({ "user": user }))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Invite {
    role: String,
    #[serde(default)]
    cohort_id: Option<i64>,
}

/// `POST /api/team/invites {role, cohort_id}`: `201 {token, path}`, a one-time link valid for
/// 7 days. Admins invite any role; mentors invite learners into a cohort they mentor.
async fn invite(State(st): State<TeamState>, me: CurrentUser, JsonBody(b): JsonBody<Invite>) -> Result<Response, TeamError> {
    let role = Role::parse(&b.role)
        .ok_or_else(|| TeamError::invalid("role", "one of admin, mentor, learner", "只能是 admin、mentor 或 learner"))?;
    if role != Role::Learner && b.cohort_id.is_some() {
        return Err(TeamError::invalid("cohort_id", "only learners join a cohort by invite", "只有学员通过邀请加入小组"));
    }
    let rel = match b.cohort_id {
        Some(c) => st.db().cohort_relation(&me.user, c).await?,
        None => CohortRelation::Outsider,
    };
    let grant = LinkGrant { role, cohort: b.cohort_id };
    if !policy::can_invite(&me.user, grant, rel) {
        return Err(TeamError::Forbidden);
    }
    let token = st.db().create_invite(&me.user, grant).await?;
    Ok((StatusCode::CREATED, Json(json!({ "token": token, "path": format!("/join/{token}") }))).into_response())
}

/// `GET /api/team/users`: every account (admins only).
async fn users(State(st): State<TeamState>, me: CurrentUser) -> Result<Json<serde_json::Value>, TeamError> {
    if !policy::can_list_users(&me.user) {
        return Err(TeamError::Forbidden);
    }
    Ok(Json(json!(st.db().users().await?)))
}
