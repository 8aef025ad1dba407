"""Getting articles in: feed parsing, polling with its worker processes, OPML and urls lists."""
