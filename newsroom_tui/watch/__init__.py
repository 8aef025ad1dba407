"""Watchlists: standing searches matched against every new article as it is stored."""
