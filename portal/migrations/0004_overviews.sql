-- Each account's overview (images by severity, scan failures, running
-- tasks, the most widespread CVEs), gathered in the background and shown
-- by every replica. One replica gathers an account at a time: it takes the
-- turn when the next gathering is due and nobody holds it. Times are
-- milliseconds since the epoch by the gathering replica's clock.
CREATE TABLE overviews (
    account       TEXT PRIMARY KEY,
    -- The overview's JSON; NULL until the first gathering ends.
    body          TEXT,
    fetched_at    BIGINT NOT NULL,
    next_due      BIGINT NOT NULL,
    -- The replica gathering now, and until when it may.
    holder        TEXT NOT NULL,
    claimed_until BIGINT NOT NULL
);
