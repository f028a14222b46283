-- The team server's schema: accounts, sessions, invites, cohorts, assignments, attempts.
-- Times are Unix seconds from the database's clock (revdrill_now()), so every server instance
-- agrees on them. Applied migrations are never edited; a change is a new numbered file.

CREATE FUNCTION revdrill_now() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT EXTRACT(EPOCH FROM now())::bigint $$;

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role          text NOT NULL CHECK (role IN ('admin', 'mentor', 'learner')),
    -- argon2id PHC string; NULL until the account's setup link is used.
    password_hash text,
    created_at    bigint NOT NULL DEFAULT revdrill_now()
);

-- Only a SHA-256 of each session token is stored: a copy of this table opens no session.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at bigint NOT NULL DEFAULT revdrill_now(),
    expires_at bigint NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE cohorts (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    mentor_id  bigint NOT NULL REFERENCES users,
    created_at bigint NOT NULL DEFAULT revdrill_now()
);

CREATE TABLE cohort_members (
    cohort_id bigint NOT NULL REFERENCES cohorts ON DELETE CASCADE,
    user_id   bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    joined_at bigint NOT NULL DEFAULT revdrill_now(),
    PRIMARY KEY (cohort_id, user_id)
);
CREATE INDEX cohort_members_user ON cohort_members (user_id);

-- One-time links: `setup` completes an existing account (the first admin), `invite` creates one
-- with the given role (and cohort, for learners). Only a SHA-256 of the token is stored.
CREATE TABLE invites (
    token_hash bytea PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('setup', 'invite')),
    role       text NOT NULL CHECK (role IN ('admin', 'mentor', 'learner')),
    user_id    bigint REFERENCES users ON DELETE CASCADE,
    cohort_id  bigint REFERENCES cohorts ON DELETE CASCADE,
    created_by bigint REFERENCES users ON DELETE SET NULL,
    created_at bigint NOT NULL DEFAULT revdrill_now(),
    expires_at bigint NOT NULL,
    used_at    bigint,
    CHECK ((kind = 'setup') = (user_id IS NOT NULL))
);

-- A drill set a mentor gives a cohort, with a due date.
CREATE TABLE assignments (
    id         bigserial PRIMARY KEY,
    cohort_id  bigint NOT NULL REFERENCES cohorts ON DELETE CASCADE,
    title      text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    due_at     bigint,
    created_by bigint REFERENCES users ON DELETE SET NULL,
    created_at bigint NOT NULL DEFAULT revdrill_now()
);
CREATE INDEX assignments_cohort ON assignments (cohort_id);

CREATE TABLE assignment_drills (
    assignment_id bigint NOT NULL REFERENCES assignments ON DELETE CASCADE,
    position      integer NOT NULL,
    drill_id      text NOT NULL,
    PRIMARY KEY (assignment_id, position),
    UNIQUE (assignment_id, drill_id)
);

-- The same columns as SQLite's attempts (revdrill-store), plus the learner they belong to.
CREATE TABLE attempts (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users ON DELETE CASCADE,
    drill_id     text NOT NULL,
    lang         text NOT NULL,
    started_at   bigint NOT NULL DEFAULT revdrill_now(),
    finished_at  bigint,
    score        smallint CHECK (score BETWEEN 0 AND 100),
    answers_json text NOT NULL,
    report_json  text
);
CREATE INDEX attempts_user ON attempts (user_id, id DESC);

CREATE TABLE attempt_categories (
    attempt_id bigint NOT NULL REFERENCES attempts ON DELETE CASCADE,
    category   text NOT NULL,
    earned     double precision NOT NULL,
    max        double precision NOT NULL,
    PRIMARY KEY (attempt_id, category)
);

CREATE TABLE disputes (
    id         bigserial PRIMARY KEY,
    attempt_id bigint NOT NULL REFERENCES attempts ON DELETE CASCADE,
    finding    text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('said-it', 'wrong-credit')),
    verdict    text NOT NULL,
    statement  text NOT NULL,
    item       text,
    line       integer,
    note       text NOT NULL,
    created_at bigint NOT NULL DEFAULT revdrill_now(),
    UNIQUE (attempt_id, finding)
);

-- Failed logins, for rate limiting per account and per client address (the server keeps no
-- state of its own, so every instance sees the same counts).
CREATE TABLE login_failures (
    id      bigserial PRIMARY KEY,
    email   text NOT NULL,
    address text NOT NULL,
    at      bigint NOT NULL DEFAULT revdrill_now()
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_address ON login_failures (address, at);
