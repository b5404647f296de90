"""signalboost.outreach"""
