window.YTD.tweets.part0 = [
  {"tweet" : {"id_str" : "11", "created_at" : "Wed Oct 10 20:19:24 +0000 2018", "full_text" : "New drop #Sneakers #SS24 with @alice", "favorite_count" : "12", "retweet_count" : "3", "lang" : "en",
    "entities" : {"hashtags" : [{"text" : "Sneakers"}, {"text" : "SS24"}], "user_mentions" : [{"screen_name" : "Alice", "id_str" : "2001"}], "urls" : []},
    "extended_entities" : {"media" : [{"type" : "photo"}, {"type" : "photo"}]}}},
  {"tweet" : {"id_str" : "12", "created_at" : "Thu Oct 11 08:00:00 +0000 2018", "full_text" : "@bob thanks!", "favorite_count" : "0", "retweet_count" : "0", "lang" : "en",
    "in_reply_to_status_id_str" : "900", "in_reply_to_user_id_str" : "2002",
    "entities" : {"hashtags" : [], "user_mentions" : [{"screen_name" : "bob", "id_str" : "2002"}], "urls" : []}}},
  {"tweet" : {"id_str" : "13", "created_at" : "not a date", "full_text" : "broken"}}
]
