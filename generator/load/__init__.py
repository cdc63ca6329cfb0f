"""load: the project's files (mkdocs.yml, sites/, content/, the ledger) read into checked records.

The only stage that reads editors' files.
"""
