"""Everything the app writes for people: forms, reports, lists, certificates."""
