"""The database itself: the embedded server, PostgreSQL's client programs, backups and the
monthly audit-log partitions."""
