-- What a scan found, as fetched from the cloud: one row per account, kind
-- of finding and image. Findings change only when the image is scanned
-- again, so a row stays good while `scanned_at` (the image's last scan
-- time, as the cloud reported it) is unchanged. `body` is the JSON of
-- every finding of that kind, all pages.
CREATE TABLE findings_cache (
    account    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    image      TEXT NOT NULL,
    scanned_at TEXT NOT NULL,
    body       TEXT NOT NULL,
    fetched_at BIGINT NOT NULL,
    PRIMARY KEY (account, kind, image)
);
