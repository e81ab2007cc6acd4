-- What to harvest and how it went. One row per source; the kind picks the harvester (arxiv-oai, arxiv-api,
-- arxiv-rss, feed). Failures are data: the state columns are what the sources page shows.
CREATE TABLE sources (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL UNIQUE,          -- what the CLI and the page call it
    kind                  TEXT NOT NULL,
    url                   TEXT NOT NULL,
    settings              TEXT NOT NULL DEFAULT '{}',    -- JSON, kind-specific (categories, OAI set, ...)
    enabled               INTEGER NOT NULL DEFAULT 1,
    schedule              TEXT,                          -- Quartz cron expression; NULL = not scheduled
    from_config           INTEGER NOT NULL DEFAULT 0,    -- seeded from configuration (config wins for url/settings/schedule)
    cursor                TEXT,                          -- JSON resume position, written with the items it produced
    etag                  TEXT,                          -- conditional GET validators of the last 200
    last_modified         TEXT,
    last_attempt_at       TEXT,
    last_success_at       TEXT,
    last_error            TEXT,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    next_attempt_at       TEXT,                          -- after a failure: not before this (back-off)
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);

-- Every run of every job, whatever started it; organizers' dashboard reads this.
CREATE TABLE job_runs (
    id             INTEGER PRIMARY KEY,
    job            TEXT NOT NULL,                        -- e.g. 'harvest:arxiv-oai-cs'
    source_id      INTEGER REFERENCES sources (id) ON DELETE SET NULL,
    trigger_kind   TEXT NOT NULL CHECK (trigger_kind IN ('schedule', 'manual', 'retry')),
    started_at     TEXT NOT NULL,
    finished_at    TEXT,
    status         TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'interrupted')),
    items_new      INTEGER NOT NULL DEFAULT 0,
    items_updated  INTEGER NOT NULL DEFAULT 0,
    error          TEXT
);

CREATE INDEX job_runs_job_started ON job_runs (job, started_at);
CREATE INDEX job_runs_source ON job_runs (source_id, id);
