-- An optional key the client sends with a submission (`Idempotency-Key`): the same key from the
-- same user stores one attempt, so a POST resent after a lost answer is not stored twice.
ALTER TABLE attempts ADD COLUMN submission_key text CHECK (length(submission_key) BETWEEN 1 AND 100);
CREATE UNIQUE INDEX attempts_submission_key ON attempts (user_id, submission_key);
