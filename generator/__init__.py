"""The heritage-site generator: the only package that knows sites/, content/, languages,
MkDocs and URLs. `qr` and `maps` are leaf libraries it uses."""
