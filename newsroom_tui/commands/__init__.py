"""The subcommands of ``newsroom``, one module per kind of work; ``cli`` parses and dispatches."""
