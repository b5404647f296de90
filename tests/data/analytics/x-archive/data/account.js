window.YTD.account.part0 = [
  {"account" : {"email" : null, "username" : "brandco", "accountId" : "1000", "createdAt" : "2015-03-04T05:06:07.000Z", "accountDisplayName" : "Brand Co"}}
]
