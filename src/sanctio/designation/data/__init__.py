"""Bundled reference data for designation (a package so importlib.resources finds it)."""
