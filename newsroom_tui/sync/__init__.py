"""Sync with a FreshRSS or Miniflux account, both ways, offline first.

- :mod:`.model`: the records (``ItemId``, ``RemoteFeed``, ``RemoteItem``, ``StateChange``…),
  cleaned where they are made;
- :mod:`.transport`: HTTP with bounded answers and one-line errors (``SyncError``);
- :mod:`.greader`: the Google Reader API (FreshRSS, Miniflux with a password);
- :mod:`.miniflux`: Miniflux's REST API (an API key);
- :mod:`.detect`: which server an address is, at login;
- :mod:`.engine`: one sync (push the outbox, pull), against the cache's ``LocalSide``.
"""
