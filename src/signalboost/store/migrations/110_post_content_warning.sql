-- 110: a post's content warning (Mastodon's `summary` in outbox.json, `spoiler_text` in the API): the line a reader
-- sees before opening the post. Kept apart from `text`, which stays the post's own words, so pillar classification,
-- text length and language read the body as before; NULL = the post has none (or the network has no such thing).
ALTER TABLE posts ADD COLUMN content_warning VARCHAR;
