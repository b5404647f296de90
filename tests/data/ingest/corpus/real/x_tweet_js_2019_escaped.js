window.YTD.tweet.part0 = [
 {
  "id_str": "100",
  "id": "100",
  "created_at": "Wed Oct 10 20:19:24 +0000 2018",
  "full_text": "Fish &amp; chips &lt;3 &gt; pizza",
  "favorite_count": "3",
  "retweet_count": "1",
  "entities": {
   "hashtags": [],
   "user_mentions": [],
   "urls": []
  },
  "lang": "en"
 },
 {
  "id_str": "101",
  "id": "101",
  "created_at": "Thu Oct 11 20:19:24 +0000 2018",
  "full_text": "RT @bob: hi &amp; bye",
  "favorite_count": "0",
  "retweet_count": "0",
  "entities": {
   "hashtags": [],
   "urls": [],
   "user_mentions": [
    {
     "screen_name": "bob",
     "id_str": "55"
    }
   ]
  },
  "lang": "en"
 }
]