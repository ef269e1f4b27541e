"""The HTTP service: yente-compatible matching and read endpoints over the registry."""

from sanctio.api.app import create_app

__all__ = ["create_app"]
