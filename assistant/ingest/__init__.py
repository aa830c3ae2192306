"""Ingest any Chinese policy or regulation: file formats to text (formats), text to units (structure)."""
