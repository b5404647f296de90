window.YTD.tweets.part0 = [
  {"tweet" : {"id_str" : "101", "created_at" : "Mon Apr 01 09:00:00 +0000 2024", "full_text" : "Spring drop #sneakers", "favorite_count" : "10", "retweet_count" : "2", "lang" : "en",
    "entities" : {"hashtags" : [{"text" : "sneakers"}], "user_mentions" : [], "urls" : []},
    "extended_entities" : {"media" : [{"type" : "photo"}]}}},
  {"tweet" : {"id_str" : "102", "created_at" : "Tue Apr 02 09:00:00 +0000 2024", "full_text" : "Behind the seams", "favorite_count" : "4", "retweet_count" : "0", "lang" : "en",
    "entities" : {"hashtags" : [], "user_mentions" : [], "urls" : []}}},
  {"tweet" : {"id_str" : "103", "created_at" : "Wed Apr 03 15:00:00 +0000 2024", "full_text" : "Quiet one", "favorite_count" : "0", "retweet_count" : "0", "lang" : "en",
    "entities" : {"hashtags" : [], "user_mentions" : [], "urls" : []}}},
  {"tweet" : {"id_str" : "104", "created_at" : "Wed Apr 03 16:00:00 +0000 2024", "full_text" : "RT @carol: great shoes", "favorite_count" : "0", "retweet_count" : "40", "lang" : "en",
    "entities" : {"hashtags" : [], "user_mentions" : [{"screen_name" : "carol", "id_str" : "2003"}], "urls" : []}}},
  {"tweet" : {"id_str" : "105", "created_at" : "Tue Jan 10 10:00:00 +0000 2023", "full_text" : "Old news", "favorite_count" : "6", "retweet_count" : "1", "lang" : "en",
    "entities" : {"hashtags" : [], "user_mentions" : [], "urls" : []}}},
  {"tweet" : {"id_str" : "106", "created_at" : "Thu Apr 04 09:30:00 +0000 2024", "full_text" : "@bob thanks!", "favorite_count" : "1", "retweet_count" : "0", "lang" : "en",
    "in_reply_to_status_id_str" : "900", "in_reply_to_user_id_str" : "2002",
    "entities" : {"hashtags" : [], "user_mentions" : [{"screen_name" : "bob", "id_str" : "2002"}], "urls" : []}}}
]
