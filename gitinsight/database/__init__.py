"""The database itself: the embedded server, PostgreSQL's client programs, the owner and
runtime roles, backups and point-in-time recovery, tables partitioned by month (the audit
log's among them) and archive-then-delete retention."""
