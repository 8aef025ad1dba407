"""The network side: one HTTP client with its limits, bounded decoding, gallery images."""
