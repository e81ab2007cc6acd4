-- Independent evidence that an item matters, besides posts that link a paper (item_links): another source that
-- carried the same story (a repost: the item keeps its first-seen source and summary) and contributors' submissions
-- of it. Hotness counts distinct mentions; the item page lists them. One row per item, kind and who.
CREATE TABLE item_mentions (
    id        INTEGER PRIMARY KEY,
    item_id   INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL CHECK (kind IN ('repost', 'submission')),
    who       TEXT NOT NULL,     -- repost: the source's name; submission: 'user:<id>' or 'anonymous:<address hash>'
    url       TEXT,              -- where it was seen (http or https only)
    note      TEXT,              -- a submitter's "why this is hot"
    seen_at   TEXT NOT NULL,     -- UTC ISO-8601
    UNIQUE (item_id, kind, who)
);

CREATE INDEX item_mentions_item ON item_mentions (item_id);
