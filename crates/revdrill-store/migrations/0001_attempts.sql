-- Attempts: one row per drill run, written before any feedback is shown.
CREATE TABLE attempts (
    id           INTEGER PRIMARY KEY,
    drill_id     TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    started_at   INTEGER NOT NULL,           -- unix seconds, UTC
    finished_at  INTEGER,                    -- null while in progress
    answers_json TEXT    NOT NULL,           -- the learner's words, as the grade input format
    score        INTEGER,                    -- 0-100, null until graded
    report_json  TEXT                        -- the grader's report, null until graded
);
CREATE INDEX attempts_by_drill ON attempts (drill_id, started_at);

-- Per-category points of a graded attempt, for progress and the weakest-category suggestion.
CREATE TABLE attempt_categories (
    attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    category   TEXT    NOT NULL,
    earned     REAL    NOT NULL,
    max        REAL    NOT NULL,
    PRIMARY KEY (attempt_id, category)
);
