"""site: records → the pages of each language (site pages, lists, maps, /Q/ pages, search,
the offline worker), as Markdown for the renderer and as files.
"""
