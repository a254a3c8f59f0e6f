"""The store's machinery (no Qt, no business rules): the database and its sessions, where it
lives, this PC's settings, the one-writer lock, backups and restore, the integrity check, the
audit log (chain and readable view), optimistic edit checks, the shared-server check, the
content-addressed evidence blobs, and atomic file writes."""
