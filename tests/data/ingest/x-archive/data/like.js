window.YTD.like.part0 = [
  {"like" : {"tweetId" : "5001", "fullText" : "nice", "expandedUrl" : "https://twitter.com/i/web/status/5001"}},
  {"like" : {"tweetId" : "5002", "fullText" : "cool", "expandedUrl" : "https://twitter.com/i/web/status/5002"}}
]
