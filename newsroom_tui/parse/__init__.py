"""Feed and page bytes to entries: the parsers, the registry that picks one, their types.

Nothing here fetches, stores or draws: parsing runs in the poll's worker processes, and the
poll's main process imports only :mod:`newsroom_tui.parse.entries` (no parser library).
"""
