-- Topic classifier (issue 5): models and their metrics history, every item's topic scores, organizers' labels.

-- Every trained model: the promoted one tags items; the others stay as history (why they were not promoted).
CREATE TABLE topic_models (
    id              INTEGER PRIMARY KEY,
    file            TEXT NOT NULL,                 -- file name inside the model directory
    created_at      TEXT NOT NULL,
    trigger         TEXT NOT NULL,                 -- 'first start', 'schedule', 'organizer', 'cli'
    training_size   INTEGER NOT NULL,
    training_hash   TEXT NOT NULL,
    evaluated_on    INTEGER NOT NULL,              -- items in the held-back recent slice
    micro_f1        REAL NOT NULL,
    macro_f1        REAL NOT NULL,
    samples_f1      REAL NOT NULL,
    previous_micro_f1 REAL,                        -- the model in service, on the same slice
    previous_macro_f1 REAL,
    status          TEXT NOT NULL CHECK (status IN ('promoted', 'kept previous', 'retired')),
    note            TEXT NOT NULL DEFAULT ''
);

-- One row per item and topic of the model that tagged it. margin = log-odds(score) - log-odds(threshold):
-- positive means predicted; the review queue sorts by |margin|.
CREATE TABLE item_topics (
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    score       REAL NOT NULL,
    margin      REAL NOT NULL,
    predicted   INTEGER NOT NULL,
    model_id    INTEGER NOT NULL REFERENCES topic_models (id),
    PRIMARY KEY (item_id, topic)
) WITHOUT ROWID;

CREATE INDEX item_topics_topic ON item_topics (topic, predicted);
CREATE INDEX item_topics_margin ON item_topics (abs(margin));

-- An organizer's decision: this item has (present = 1) or has not (present = 0) this topic. Wins over the model
-- on the item page and in search, and over the category mapping in training.
CREATE TABLE topic_labels (
    item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    topic       TEXT NOT NULL,
    present     INTEGER NOT NULL CHECK (present IN (0, 1)),
    labelled_by TEXT NOT NULL,
    labelled_at TEXT NOT NULL,
    PRIMARY KEY (item_id, topic)
) WITHOUT ROWID;

-- Bumped in the same transaction as every change to item_topics or topic_labels, so the search's in-memory topic
-- table knows with one read whether it is still current (other processes, such as the CLI, write too).
CREATE TABLE topic_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
INSERT INTO topic_version (id, version) VALUES (1, 0);
