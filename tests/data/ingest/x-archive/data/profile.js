window.YTD.profile.part0 = [ {"profile" : {"description" : {"bio" : "Shoes & café culture", "website" : "", "location" : ""}}} ]
