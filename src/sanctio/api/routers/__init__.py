"""One module per HTTP resource: matching, entities and search, the catalog, probes."""
