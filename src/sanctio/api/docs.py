"""``/docs``: the OpenAPI documentation, with Swagger UI served from the package's own
files (``web/static/swagger-ui``, pinned, see ``web/static/SOURCE.md``) rather than
from a CDN, and a page that may not be framed.

FastAPI's own page loads swagger-ui unpinned from jsDelivr, without integrity, and
starts it with an inline script: a CDN compromise would run code on a page that can
send requests with an officer's token, and the page could be framed for clickjacking.
Here the page's one script of its own is a static file too, so its content security
policy allows scripts from this origin only; ReDoc is not served.
"""

from __future__ import annotations

import html

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

#: Where ``include_web`` serves the package's static files.
ASSETS = "/ui/static/swagger-ui"
#: Swagger UI sets styles inline (its own, from its bundle), hence 'unsafe-inline' for
#: styles only; nothing else from outside this origin, and no framing.
DOCS_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def docs_page(title: str, openapi_url: str, root_path: str = "") -> str:
    """The Swagger UI page over ``openapi_url``, every asset from this server."""
    assets = html.escape(root_path + ASSETS, quote=True)
    spec = html.escape(root_path + openapi_url, quote=True)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
<title>{html.escape(title)} - Swagger UI</title>
</head>
<body>
<div id="swagger-ui" data-openapi-url="{spec}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/sanctio-docs.js"></script>
</body>
</html>
"""


def include_docs(app: FastAPI) -> None:
    """Serve ``/docs`` on ``app`` (made with ``docs_url=None, redoc_url=None``)."""

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = docs_page(app.title, app.openapi_url or "/openapi.json", root)
        return HTMLResponse(page, headers=DOCS_HEADERS)
