-- Gorgon's own tables. They live in the schema "gorgon" so Medusa's "public" schema keeps
-- exactly Medusa's shape.

-- Admin sessions behind the connect.sid cookie: stored server-side so they survive restarts, are
-- shared by every instance on the database, and end for good on logout.
CREATE TABLE IF NOT EXISTS gorgon.session (
    id          character varying PRIMARY KEY,
    user_id     character varying NOT NULL,
    created_at  timestamp with time zone NOT NULL DEFAULT now(),
    expires_at  timestamp with time zone NOT NULL
);
CREATE INDEX IF NOT EXISTS session_user_id_idx ON gorgon.session (user_id);
CREATE INDEX IF NOT EXISTS session_expires_at_idx ON gorgon.session (expires_at);

-- Outbox of the events Medusa's services emit (user.created, user.password_reset, …). Rows are
-- written in the same transaction as the change they describe; subscribers (notification
-- providers) consume them.
CREATE TABLE IF NOT EXISTS gorgon.event (
    id          bigserial PRIMARY KEY,
    name        character varying NOT NULL,
    data        jsonb NOT NULL,
    created_at  timestamp with time zone NOT NULL DEFAULT now(),
    processed_at timestamp with time zone
);
CREATE INDEX IF NOT EXISTS event_unprocessed_idx ON gorgon.event (id) WHERE processed_at IS NULL;
