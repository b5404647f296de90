"""signalboost.analytics"""
