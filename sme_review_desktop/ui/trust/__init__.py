"""Windows of the trust features: backup and restore, integrity check, audit log, 更正."""
