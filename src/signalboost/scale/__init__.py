"""signalboost.scale"""
