"""The ``sanctio`` command (Typer): ``main`` holds the app and the lists, screening and
demo commands, one module per other group of commands, ``common`` for what they share
(options, errors, exit statuses), ``display`` for Rich output. Nothing is imported
here, so that ``sanctio.cli.display`` stays cheap to import."""
