"""Text as it is stored and shown: sanitising, search folding, Markdown chunks, formats."""
