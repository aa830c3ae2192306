-- The feedback table, as in SQLite (assistant/server/feedback.py): one row per 👍/👎 verdict.
CREATE TABLE feedback (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at timestamptz NOT NULL,
    verdict    text        NOT NULL CHECK (verdict IN ('up', 'down')),
    question   text        NOT NULL,
    answer     text        NOT NULL,
    citations  jsonb       NOT NULL,
    source     text        NOT NULL
);
CREATE INDEX feedback_created_at ON feedback (created_at);
