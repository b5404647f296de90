"""signalboost.ingest"""
