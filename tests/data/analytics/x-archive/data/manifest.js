window.__THAR_CONFIG = {
  "userInfo" : {"accountId" : "1000", "userName" : "brandco", "displayName" : "Brand Co"},
  "archiveInfo" : {"sizeBytes" : "4321", "generationDate" : "2024-05-01T12:00:00.000Z", "isPartialArchive" : false}
}
