"""The web pages, served by a real server and driven in a real browser (chromium)."""
