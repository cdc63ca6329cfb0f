"""output: the new site assembled, verified (links, QR codes, no script) and published.
"""
