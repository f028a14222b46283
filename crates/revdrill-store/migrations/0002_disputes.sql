-- Disputes: the learner says a verdict of a graded attempt is wrong. A `said-it` dispute points at
-- the learner's own statement for a finding graded missed or partial; a `wrong-credit` dispute says
-- a credited finding was not earned. They never change the score; a pack author reviews them
-- (`revdrill disputes export`) and may add them to the drill's labelled corpus.
CREATE TABLE disputes (
    id          INTEGER PRIMARY KEY,
    attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
    finding     TEXT    NOT NULL,            -- finding id of the drill's answer key
    kind        TEXT    NOT NULL CHECK (kind IN ('said-it', 'wrong-credit')),
    verdict     TEXT    NOT NULL,            -- the stored verdict disputed: miss, partial or hit
    statement   TEXT    NOT NULL,            -- the learner's statement pointed at (or that earned the credit)
    item        TEXT,                        -- the checklist item it was written under, or
    line        INTEGER,                     -- the new-file line of the inline comment it was written as
    note        TEXT    NOT NULL DEFAULT '', -- the learner's words on why, optional
    created_at  INTEGER NOT NULL,            -- unix seconds, UTC
    UNIQUE (attempt_id, finding)             -- disputing a finding again replaces the dispute
);
CREATE INDEX disputes_by_attempt ON disputes (attempt_id);
