"""signalboost.web"""
