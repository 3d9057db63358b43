"""Distribution lists and dispatch (expediering) of outgoing documents: per-authority SMTP
settings and cover letter, versioned lists of recipients, and the record of each dispatch
by e-mail (a job, registry/tasks.py) or by post (docs/dispatch.md)."""
