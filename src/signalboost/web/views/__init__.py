"""Page data builders: plain functions from the workspace to JSON-safe dicts (the pages' JSON twins)."""
