window.YTD.tweets.part1 = [
  {"tweet" : {"id_str" : "14", "created_at" : "Fri Oct 12 09:30:00 +0000 2018", "full_text" : "RT @carol: great shoes", "favorite_count" : "0", "retweet_count" : "40", "lang" : "en",
    "entities" : {"hashtags" : [], "user_mentions" : [{"screen_name" : "carol", "id_str" : "2003"}], "urls" : []}}},
  {"tweet" : {"id_str" : "15", "created_at" : "Sat Oct 13 10:00:00 +0000 2018", "full_text" : "Read https://t.co/x", "favorite_count" : "5", "retweet_count" : "1", "lang" : "de",
    "entities" : {"hashtags" : [], "user_mentions" : [], "urls" : [{"expanded_url" : "https://example.com"}]}}}
]
