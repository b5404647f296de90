-- 075: a time known only to the day. Exports that give a date without a time ("2020-05-08", "5/8/2020", YouTube
-- Studio's publish dates) store it at 00:00 in the import's time zone with date_only = TRUE, so analytics can
-- leave such rows out of hour and weekday-hour views instead of inventing a midnight peak. NULL = a full time.
ALTER TABLE posts ADD COLUMN date_only BOOLEAN;
ALTER TABLE interactions ADD COLUMN date_only BOOLEAN;
