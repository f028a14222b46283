//! Accounts, sessions, setup and invite links, password changes and login rate limiting.
//!
//! Passwords are hashed with argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes, OWASP's
//! recommendation) on the blocking pool. Session and link tokens are 256 random bits sent to the
//! client once; the database keeps only their SHA-256, so a copy of the tables opens nothing.
//! Failed logins are rows in `login_failures`, counted per account and per client address over
//! [`LOGIN_WINDOW_SECS`]: every server instance sees the same counts.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use crate::db::Db;
use crate::error::TeamError;

/// A user's id.
pub type UserId = i64;

/// How long a session lasts after login (14 days).
pub const SESSION_TTL_SECS: i64 = 14 * 24 * 3600;
/// How long a setup or invite link stays valid (7 days).
pub const LINK_TTL_SECS: i64 = 7 * 24 * 3600;
/// The window failed logins are counted over (15 minutes).
pub const LOGIN_WINDOW_SECS: i64 = 15 * 60;
/// Failed logins for one account within the window before its logins are refused with 429.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Failed logins from one address within the window before its logins are refused with 429.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted, in bytes (bounds the hashing work one request can ask for).
pub const MAX_PASSWORD_BYTES: usize = 1024;

/// What an account may do (see the matrix in `docs/team-server.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything: every cohort, every attempt, invites for any role.
    Admin,
    /// Creates cohorts, invites learners to them, assigns drills, reads their learners' attempts.
    Mentor,
    /// Practises; sees only their own attempts and their cohorts' assignments.
    Learner,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Mentor => "mentor",
            Role::Learner => "learner",
        }
    }

    /// The role with this stored name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "mentor" => Some(Role::Mentor),
            "learner" => Some(Role::Learner),
            _ => None,
        }
    }
}

/// A signed-in account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Lower-case email, the login name.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
}

impl User {
    fn from_row(r: &Row) -> Result<User, TeamError> {
        let role: String = r.try_get("role")?;
        Ok(User {
            id: r.try_get("id")?,
            email: r.try_get("email")?,
            name: r.try_get("name")?,
            role: Role::parse(&role).ok_or_else(|| TeamError::Internal(format!("unknown role `{role}`")))?,
        })
    }
}

/// What a setup or invite link creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkGrant {
    /// The new account's role.
    pub role: Role,
    /// The cohort a learner joins with it.
    pub cohort: Option<i64>,
}

/// A new random token (256 bits, hex).
pub fn new_token() -> Result<String, TeamError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| TeamError::Internal(format!("no randomness: {e}")))?;
    Ok(hex(&b))
}

/// The SHA-256 of a token: what the database keeps.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Checks a new password's length (in characters, and in bytes to bound hashing).
pub fn check_password(pw: &str) -> Result<(), TeamError> {
    if pw.chars().count() < MIN_PASSWORD_CHARS {
        return Err(TeamError::invalid(
            "password",
            format!("at least {MIN_PASSWORD_CHARS} characters"),
            format!("至少 {MIN_PASSWORD_CHARS} 个字符"),
        ));
    }
    if pw.len() > MAX_PASSWORD_BYTES {
        return Err(TeamError::invalid(
            "password",
            format!("at most {MAX_PASSWORD_BYTES} bytes"),
            format!("最多 {MAX_PASSWORD_BYTES} 字节"),
        ));
    }
    Ok(())
}

/// Normalises and checks an email (lower case, one `@`, no spaces, at most 254 bytes).
pub fn check_email(email: &str) -> Result<String, TeamError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split('@').count() == 2
        && e.split('@').all(|p| !p.is_empty())
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(TeamError::invalid("email", "not an email address", "不是有效的邮箱地址"));
    }
    Ok(e)
}

/// Checks a display name (1-100 characters, no control characters); returns it trimmed.
pub fn check_name(name: &str) -> Result<String, TeamError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 || n.chars().any(char::is_control) {
        return Err(TeamError::invalid("name", "1-100 characters, no control characters", "1-100 个字符，不含控制字符"));
    }
    Ok(n.to_string())
}

/// Hashes a password with argon2id on the blocking pool.
pub async fn hash_password(pw: String) -> Result<String, TeamError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(pw.as_bytes()).map(|h| h.to_string()).map_err(|e| TeamError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| TeamError::Internal(e.to_string()))?
}

/// Whether `pw` matches the stored hash (on the blocking pool). With no hash (an account
/// without a password yet, or no account) a dummy hash is checked, so the answer takes as long.
async fn verify_password(pw: String, stored: Option<String>) -> Result<bool, TeamError> {
    tokio::task::spawn_blocking(move || {
        let dummy;
        let phc = match &stored {
            Some(s) => s.as_str(),
            None => {
                dummy = Argon2::default().hash_password(b"no such account").map(|h| h.to_string()).unwrap_or_default();
                dummy.as_str()
            }
        };
        let ok = PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(pw.as_bytes(), &h).is_ok());
        ok && stored.is_some()
    })
    .await
    .map_err(|e| TeamError::Internal(e.to_string()))
}

const USER_COLS: &str = "u.id, u.email, u.name, u.role";

impl Db {
    /// The user a session token belongs to, when the session exists and has not expired.
    pub async fn session_user(&self, token: &str) -> Result<Option<User>, TeamError> {
        let c = self.client().await?;
        let sql = format!(
            "SELECT {USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > revdrill_now()"
        );
        c.query_opt(&sql, &[&token_hash(token)]).await?.map(|r| User::from_row(&r)).transpose()
    }

    /// Signs in: refuses with 429 when the account or the address has too many recent failures
    /// (without checking the password), records a failure on a wrong password, and on success
    /// clears the account's failures and opens a session. Returns the user and the session token.
    pub async fn login(&self, email: &str, password: &str, address: &str) -> Result<(User, String), TeamError> {
        let email = email.trim().to_lowercase();
        let c = self.client().await?;
        let counts = c
            .query_one(
                "SELECT (SELECT count(*) FROM login_failures WHERE email = $1 AND at > revdrill_now() - $3), \
                        (SELECT count(*) FROM login_failures WHERE address = $2 AND at > revdrill_now() - $3)",
                &[&email, &address, &LOGIN_WINDOW_SECS],
            )
            .await?;
        let (by_account, by_address): (i64, i64) = (counts.get(0), counts.get(1));
        if by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS {
            return Err(TeamError::RateLimited(LOGIN_WINDOW_SECS / 60));
        }
        let sql = format!("SELECT {USER_COLS}, u.password_hash FROM users u WHERE u.email = $1");
        let row = c.query_opt(&sql, &[&email]).await?;
        let stored: Option<String> = row.as_ref().and_then(|r| r.get("password_hash"));
        let pw = password.get(..password.len().min(MAX_PASSWORD_BYTES)).unwrap_or("").to_string();
        if !verify_password(pw, stored).await? {
            // Failures older than the window count for nothing: they go as new ones come.
            c.execute("DELETE FROM login_failures WHERE at <= revdrill_now() - $1", &[&LOGIN_WINDOW_SECS]).await?;
            c.execute("INSERT INTO login_failures (email, address) VALUES ($1, $2)", &[&email, &address]).await?;
            return Err(TeamError::BadCredentials);
        }
        let user = User::from_row(row.as_ref().ok_or(TeamError::BadCredentials)?)?;
        c.execute("DELETE FROM login_failures WHERE email = $1", &[&email]).await?;
        let token = self.open_session(&c, user.id).await?;
        Ok((user, token))
    }

    async fn open_session(&self, c: &tokio_postgres::Client, user: UserId) -> Result<String, TeamError> {
        // The account's expired sessions go when it opens a new one.
        c.execute("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= revdrill_now()", &[&user]).await?;
        let token = new_token()?;
        c.execute(
            "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, revdrill_now() + $3)",
            &[&token_hash(&token), &user, &SESSION_TTL_SECS],
        )
        .await?;
        Ok(token)
    }

    /// Ends the session with this token (nothing when there is none).
    pub async fn logout(&self, token: &str) -> Result<(), TeamError> {
        self.client().await?.execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash(token)]).await?;
        Ok(())
    }

    /// Changes `user`'s password after checking the current one, and ends every other session of
    /// the account (one transaction).
    pub async fn change_password(&self, user: &User, session: &str, old: &str, new: &str) -> Result<(), TeamError> {
        check_password(new)?;
        let mut c = self.client().await?;
        let stored: Option<String> = c.query_one("SELECT password_hash FROM users WHERE id = $1", &[&user.id]).await?.get(0);
        if !verify_password(old.to_string(), stored).await? {
            return Err(TeamError::invalid("old_password", "the current password is wrong", "当前密码不正确"));
        }
        let hash = hash_password(new.to_string()).await?;
        let tx = c.transaction().await?;
        tx.execute("UPDATE users SET password_hash = $1 WHERE id = $2", &[&hash, &user.id]).await?;
        tx.execute("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", &[&user.id, &token_hash(session)]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `revdrill team init`: creates the first admin (without a password) and a one-time setup
    /// link for it; returns the link's token. Refused once any account exists.
    pub async fn init_admin(&self, email: &str, name: &str) -> Result<String, TeamError> {
        let email = check_email(email)?;
        let name = check_name(name)?;
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        // Two `team init` at once: the second waits here, then sees the first one's admin.
        tx.execute("LOCK TABLE users IN EXCLUSIVE MODE", &[]).await?;
        let n: i64 = tx.query_one("SELECT count(*) FROM users", &[]).await?.get(0);
        if n > 0 {
            return Err(TeamError::AlreadyInitialised);
        }
        let id: i64 = tx
            .query_one("INSERT INTO users (email, name, role) VALUES ($1, $2, 'admin') RETURNING id", &[&email, &name])
            .await?
            .get(0);
        let token = new_token()?;
        tx.execute(
            "INSERT INTO invites (token_hash, kind, role, user_id, expires_at) \
             VALUES ($1, 'setup', 'admin', $2, revdrill_now() + $3)",
            &[&token_hash(&token), &id, &LINK_TTL_SECS],
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Creates an invite link granting `grant`; `by` must be allowed to (checked by the caller
    /// with [`crate::policy`]). Returns the token.
    pub async fn create_invite(&self, by: &User, grant: LinkGrant) -> Result<String, TeamError> {
        let token = new_token()?;
        self.client()
            .await?
            .execute(
                "INSERT INTO invites (token_hash, kind, role, cohort_id, created_by, expires_at) \
                 VALUES ($1, 'invite', $2, $3, $4, revdrill_now() + $5)",
                &[&token_hash(&token), &grant.role.as_str(), &grant.cohort, &by.id, &LINK_TTL_SECS],
            )
            .await?;
        Ok(token)
    }

    /// Uses a setup or invite link: a setup link sets the waiting account's password; an invite
    /// creates the account (and its cohort membership). The link is spent and a session opened
    /// in the same transaction. Returns the user and the session token.
    pub async fn join(&self, token: &str, email: &str, name: &str, password: &str) -> Result<(User, String), TeamError> {
        check_password(password)?;
        let hash = hash_password(password.to_string()).await?;
        let mut c = self.client().await?;
        let tx = c.transaction().await?;
        let link = tx
            .query_opt(
                "SELECT kind, role, user_id, cohort_id FROM invites \
                 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > revdrill_now() FOR UPDATE",
                &[&token_hash(token)],
            )
            .await?
            .ok_or(TeamError::LinkGone)?;
        let kind: String = link.get("kind");
        let user_id: i64 = if kind == "setup" {
            let id: i64 = link.get("user_id");
            tx.execute("UPDATE users SET password_hash = $1 WHERE id = $2", &[&hash, &id]).await?;
            id
        } else {
            let (email, name) = (check_email(email)?, check_name(name)?);
            let role: String = link.get("role");
            let inserted = tx
                .query_one(
                    "INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&email, &name, &role, &hash],
                )
                .await;
            let id: i64 = match inserted {
                Ok(r) => r.get(0),
                Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => return Err(TeamError::EmailTaken),
                Err(e) => return Err(e.into()),
            };
            if let Some(cohort) = link.get::<_, Option<i64>>("cohort_id") {
                tx.execute("INSERT INTO cohort_members (cohort_id, user_id) VALUES ($1, $2)", &[&cohort, &id]).await?;
            }
            id
        };
        tx.execute("UPDATE invites SET used_at = revdrill_now() WHERE token_hash = $1", &[&token_hash(token)]).await?;
        let session = new_token()?;
        tx.execute(
            "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, revdrill_now() + $3)",
            &[&token_hash(&session), &user_id, &SESSION_TTL_SECS],
        )
        .await?;
        let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1");
        let user = User::from_row(&tx.query_one(&sql, &[&user_id]).await?)?;
        tx.commit().await?;
        Ok((user, session))
    }

    /// Every account (for admins).
    pub async fn users(&self) -> Result<Vec<User>, TeamError> {
        let sql = format!("SELECT {USER_COLS} FROM users u ORDER BY u.id");
        self.client().await?.query(&sql, &[]).await?.iter().map(User::from_row).collect()
    }
}
