-- What replicas sharing one PostgreSQL database coordinate through, so that
-- together they act as one caller of each cloud. Times are milliseconds
-- since the epoch by the database's clock, so replicas' clocks never
-- matter. The tables stay empty on SQLite (one process, all in memory).

-- The next moment a call of `api` may start, per account.
CREATE TABLE call_slots (
    account   TEXT NOT NULL,
    api       TEXT NOT NULL,
    next_slot BIGINT NOT NULL,
    PRIMARY KEY (account, api)
);

-- Each live feed's shared refresh schedule and latest snapshot: one
-- replica refreshes a feed when it is due (or wanted, after a launch),
-- and the others show what it published.
CREATE TABLE live_feeds (
    account       TEXT NOT NULL,
    feed          TEXT NOT NULL,
    -- Moves at each publication; a replica applies only newer ones.
    seq           BIGINT NOT NULL,
    -- The snapshot's JSON; NULL until the first refresh ends.
    body          TEXT,
    next_due      BIGINT NOT NULL,
    -- A refresh asked for (a launch) at this time; served by a refresh
    -- that started later.
    wanted_at     BIGINT NOT NULL,
    -- The replica refreshing now, since when, and until when it may.
    holder        TEXT NOT NULL,
    claimed_at    BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL,
    PRIMARY KEY (account, feed)
);

-- Failed sign-ins per throttle key (`na|NAME|ADDR`, `a|ADDR`, `n|NAME`),
-- as a leaky bucket: `tat` moves one interval later per failure; `noted`
-- once the current burst's first refusal was audited.
CREATE TABLE login_failures (
    key   TEXT PRIMARY KEY,
    tat   BIGINT NOT NULL,
    noted INTEGER NOT NULL
);

-- Each account's authentication refusals in a row and its pause, counted
-- by all replicas together: the cloud locks a key after a few refusals
-- from all callers, so every replica pauses at the shared count.
CREATE TABLE key_guards (
    account        TEXT PRIMARY KEY,
    refusals       INTEGER NOT NULL,
    -- The refusal that paused the account; NULL while it is not paused.
    paused_code    TEXT,
    paused_message TEXT
);
