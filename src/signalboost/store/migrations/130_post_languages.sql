-- 130: the language of each post as detected offline (signalboost.text.language), beside the network's own tag
-- (posts.language, kept as the network gave it). detected_languages NULL = not detected yet; [] = detected, unknown
-- (too little text, or no language sure enough); a mixed post lists every language, its main one first.
ALTER TABLE posts ADD COLUMN detected_language VARCHAR;
ALTER TABLE posts ADD COLUMN detected_languages VARCHAR[];
ALTER TABLE posts ADD COLUMN language_confidence DOUBLE;   -- the detector's probability for detected_language
