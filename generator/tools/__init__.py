"""tools: the editors' commands around the build: preview, new site, scans, spreadsheets.
"""
