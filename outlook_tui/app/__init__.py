"""The terminal app (Textual). Everything Textual lives under this package; the core
(catalog, scopes, store) never imports it."""
