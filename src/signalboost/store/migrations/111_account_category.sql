-- 111: an account's category as an account list says it (Kim et al.'s influencer list: beauty, fashion, travel …;
-- an agency's spreadsheet: its niche column). A label of the list, not of the network: NULL = none given.
ALTER TABLE accounts ADD COLUMN category VARCHAR;
