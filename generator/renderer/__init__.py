"""The renderer's door: the only package that knows MkDocs and Material for MkDocs.

`mkdocs` turns the docs trees into each language's pages (configs, runs, warnings),
`mkdocs_hooks` is the event hook it adds to every config, `theme/` overrides Material's
templates, and `material` writes the few pieces of markup the theme styles (cards, notices,
buttons) and names the theme's parts the checks must tell from editors' text. A second
renderer (Zensical) goes behind the same door.
"""
