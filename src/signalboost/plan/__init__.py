"""signalboost.plan"""
