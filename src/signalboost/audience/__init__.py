"""The audience as it is: segments found in the follow/interaction graph, in what people say and in how they
behave, turned into persona cards and held against the personas of strategy.yaml."""
