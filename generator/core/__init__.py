"""The core: records, routes, the cache, messages, diagnostics, git and the process pool.

Every stage uses these; they import nothing else of the generator (tests/test_architecture.py).
"""
