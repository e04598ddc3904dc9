"""The embedded engine: a whoosh index in a folder, the default (no server, nothing to run)."""
