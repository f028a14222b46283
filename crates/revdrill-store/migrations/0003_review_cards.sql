-- Review cards: a finding the learner missed or only partly found in a graded attempt, scheduled
-- for spaced review with FSRS (see crates/revdrill-review). One card per (drill, finding); the
-- columns after `finding` are its FSRS memory state and schedule.
CREATE TABLE review_cards (
    id          INTEGER PRIMARY KEY,
    drill_id    TEXT    NOT NULL,
    finding     TEXT    NOT NULL,            -- finding id of the drill's answer key
    stability   REAL    NOT NULL,            -- FSRS stability, days
    difficulty  REAL    NOT NULL,            -- FSRS difficulty, 1-10
    due         INTEGER NOT NULL,            -- unix seconds, UTC
    reps        INTEGER NOT NULL DEFAULT 0,  -- reviews so far (attempt lapses included)
    lapses      INTEGER NOT NULL DEFAULT 0,  -- reviews rated Again
    last_review INTEGER NOT NULL,            -- unix seconds, UTC
    created_at  INTEGER NOT NULL,            -- unix seconds, UTC
    UNIQUE (drill_id, finding)
);
CREATE INDEX review_cards_by_due ON review_cards (due);

-- Every review of a card: a graded attempt's verdict on its finding (`attempt_id` set), or an
-- answer to the card itself (`attempt_id` null, with the learner's words and the stored verdict).
CREATE TABLE review_log (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES review_cards (id) ON DELETE CASCADE,
    attempt_id   INTEGER REFERENCES attempts (id) ON DELETE CASCADE,
    reviewed_at  INTEGER NOT NULL,           -- unix seconds, UTC
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4), -- FSRS: 1 Again, 2 Hard, 3 Good, 4 Easy
    verdict      TEXT    NOT NULL,           -- miss, partial or hit
    answer       TEXT    NOT NULL DEFAULT '',-- the learner's words (card reviews)
    result_json  TEXT,                       -- the grader's verdict on the finding, as shown (card reviews)
    lang         TEXT    NOT NULL DEFAULT 'en',
    stability    REAL    NOT NULL,           -- the card's state after this review
    difficulty   REAL    NOT NULL,
    due          INTEGER NOT NULL,
    UNIQUE (attempt_id, card_id)             -- an attempt reviews a card once
);
CREATE INDEX review_log_by_card ON review_log (card_id);

-- Graded attempts whose misses are already cards (recording an attempt twice changes nothing).
CREATE TABLE review_recorded (
    attempt_id  INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
    recorded_at INTEGER NOT NULL
);
