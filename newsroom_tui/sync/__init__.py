"""Sync with a FreshRSS or Miniflux account, both ways, offline first.

- :mod:`.model`: the records (``ItemId``, ``RemoteFeed``, ``RemoteItem``, ``StateChange``,
  ``Pull``…), cleaned where they are made;
- :mod:`.transport`: HTTP with bounded answers and one-line errors (``SyncError``,
  ``LoginFailed``);
- :mod:`.greader`: the Google Reader API (FreshRSS, Miniflux with a password);
- :mod:`.miniflux`: Miniflux's REST API (an API key);
- :mod:`.detect`: which server an address is, at login (``Account``);
- :mod:`.engine`: one sync (push the outbox, pull), against the cache's ``LocalSide``;
- :mod:`.account_file`, :mod:`.secret_store`: the saved account and its secret;
- :mod:`.account_sync`: ``sync_saved_account(data_dir, local)``, what the poll calls.

How the cache takes part (the store implements :class:`.engine.LocalSide`):

- each ``RemoteFeed`` is a feed of kind ``synced`` keyed by its ``id`` ("feed/12"), with its
  title, URL and category; the poller leaves such feeds to the sync;
- each ``RemoteItem`` is an article of its feed; its guid is ``id.decimal`` and ``id.given`` is
  kept beside it (it goes back in each ``StateChange``); ``html`` is the entry's content, to be
  turned into Markdown like a feed's (a teaser gets its page extracted as for any
  summary-only entry); ``read`` and ``starred`` are newsroom's read and flagged;
- ``set_read``/``set_flagged`` on a synced article add a row to an outbox table (seq, item,
  flag, on) in the same transaction; ``outbox``/``drop_pushed``/``pending`` read and trim it;
- ``apply_pull`` writes a ``Pull`` in one transaction and keeps the cache's value for an
  (item, flag) that has a row in the outbox at that moment.
"""
