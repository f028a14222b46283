-- A mentor (or an admin) accepts or rejects a learner's dispute. Disputing the same finding
-- again replaces the dispute and clears its resolution (attempts.rs, add_dispute).
ALTER TABLE disputes
    ADD COLUMN resolution  text CHECK (resolution IN ('accepted', 'rejected')),
    ADD COLUMN resolved_by bigint REFERENCES users ON DELETE SET NULL,
    ADD COLUMN resolved_at bigint,
    ADD COLUMN resolution_note text,
    ADD CHECK ((resolution IS NULL) = (resolved_at IS NULL));
