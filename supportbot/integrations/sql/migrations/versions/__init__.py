"""One module per schema revision, oldest first; ``v0001_baseline`` is the schema migrations began with."""
