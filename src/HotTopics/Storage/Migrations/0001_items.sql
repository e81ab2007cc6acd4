-- The one noun: an arXiv paper, a blog post or a submitted link.
-- id is the rowid the full-text index uses; item_key is the stable identity:
-- 'arxiv:<id without version>' for papers, the canonical URL for everything else.
CREATE TABLE items (
    id               INTEGER PRIMARY KEY,
    item_key         TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL CHECK (kind IN ('paper', 'post', 'link')),
    title            TEXT NOT NULL,
    summary          TEXT NOT NULL DEFAULT '',
    authors          TEXT NOT NULL DEFAULT '[]',   -- JSON array, in order
    categories       TEXT NOT NULL DEFAULT '',     -- space-separated, primary first when known
    comment          TEXT,
    journal_ref      TEXT,
    doi              TEXT,
    license          TEXT,
    arxiv_id         TEXT,
    version          INTEGER,
    url              TEXT,                         -- abs page for papers, canonical URL otherwise
    pdf_url          TEXT,
    source           TEXT NOT NULL,
    published        TEXT NOT NULL,                -- first submitted / first seen, UTC ISO-8601
    updated          TEXT,                         -- last updated (newest version), UTC ISO-8601
    rev              INTEGER NOT NULL,             -- increases with every write: what changed since rev N
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE INDEX items_published ON items (published);
CREATE INDEX items_rev ON items (rev);
CREATE INDEX items_arxiv_id ON items (arxiv_id) WHERE arxiv_id IS NOT NULL;

-- Full-text index over the items table (external content: the text is stored once).
-- Column order matters: SearchIndex weights title > summary > authors, categories only filter.
CREATE VIRTUAL TABLE items_fts USING fts5 (
    title, summary, authors, categories,
    content = 'items', content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- The index follows the table inside the same transaction: what is committed is searchable.
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts (rowid, title, summary, authors, categories)
    VALUES (new.id, new.title, new.summary, new.authors, new.categories);
END;

CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, summary, authors, categories)
    VALUES ('delete', old.id, old.title, old.summary, old.authors, old.categories);
END;

CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, authors, categories ON items BEGIN
    INSERT INTO items_fts (items_fts, rowid, title, summary, authors, categories)
    VALUES ('delete', old.id, old.title, old.summary, old.authors, old.categories);
    INSERT INTO items_fts (rowid, title, summary, authors, categories)
    VALUES (new.id, new.title, new.summary, new.authors, new.categories);
END;

-- Ranking: bm25 with column weights, title above abstract above authors; categories only filter.
INSERT INTO items_fts (items_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 0.5, 0.0)');
