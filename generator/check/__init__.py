"""check: the rules across files, the safety of editor text, the translation status.
"""
