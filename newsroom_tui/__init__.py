"""newsroom: a keyboard-driven terminal news client."""

__version__ = "0.1.0"
APP_NAME = "newsroom"
USER_AGENT = f"newsroom/{__version__} (+terminal news client)"
