"""assets: the files made from content beside the pages: photos and print files.
"""
