-- Posts linked to the papers they discuss (issue 4). paper_key is the paper as the post names it: 'arxiv:<id>'
-- (an items.item_key) or 'doi:<doi>' (matched against items.doi), so the link exists even before the paper is stored.
CREATE TABLE item_links (
    post_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
    paper_key   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (post_id, paper_key)
) WITHOUT ROWID;

CREATE INDEX item_links_paper ON item_links (paper_key);

-- The sanitised HTML body of a post (a feed's content:encoded or content), shown on the item page.
CREATE TABLE post_contents (
    item_id  INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    html     TEXT NOT NULL
);

-- The same story from different sources (near-identical titles on the same day): each later item points to the
-- story's first item.
CREATE TABLE same_stories (
    item_id   INTEGER PRIMARY KEY REFERENCES items (id) ON DELETE CASCADE,
    story_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE
);

CREATE INDEX same_stories_story ON same_stories (story_id);
