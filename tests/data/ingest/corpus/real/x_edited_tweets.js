window.YTD.tweets.part0 = [
  {
    "tweet": {
      "id_str": "302",
      "id": "302",
      "created_at": "Mon Jan 02 11:00:00 +0000 2023",
      "full_text": "unedited",
      "favorite_count": "3",
      "retweet_count": "1",
      "entities": {
        "hashtags": [],
        "user_mentions": [],
        "urls": []
      },
      "lang": "en",
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "302"
          ],
          "editableUntil": "2023-01-02T11:30:00.000Z",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      }
    }
  },
  {
    "tweet": {
      "id_str": "301",
      "id": "301",
      "created_at": "Mon Jan 02 10:05:00 +0000 2023",
      "full_text": "first draft",
      "favorite_count": "6",
      "retweet_count": "2",
      "entities": {
        "hashtags": [],
        "user_mentions": [],
        "urls": []
      },
      "lang": "en",
      "edit_info": {
        "edit": {
          "initialTweetId": "300",
          "editControlInitial": {
            "editTweetIds": [
              "300",
              "301"
            ],
            "editableUntil": "2023-01-02T10:30:00.000Z",
            "editsRemaining": "4",
            "isEditEligible": true
          }
        }
      }
    }
  },
  {
    "tweet": {
      "id_str": "300",
      "id": "300",
      "created_at": "Mon Jan 02 10:00:00 +0000 2023",
      "full_text": "frist draft",
      "favorite_count": "4",
      "retweet_count": "1",
      "entities": {
        "hashtags": [],
        "user_mentions": [],
        "urls": []
      },
      "lang": "en",
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "300",
            "301"
          ],
          "editableUntil": "2023-01-02T10:30:00.000Z",
          "editsRemaining": "4",
          "isEditEligible": true
        }
      }
    }
  }
]