"""signalboost.influence"""
