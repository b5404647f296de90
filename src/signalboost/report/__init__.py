"""signalboost.report"""
