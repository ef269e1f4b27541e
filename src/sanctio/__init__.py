"""Sanctio: targeted sanctions from evidence to a published list, and screening against it."""

__version__ = "0.1.0"
