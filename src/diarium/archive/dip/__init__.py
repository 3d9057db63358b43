"""Access: dissemination information packages (E-ARK DIP) ordered by archivists, with a
secrecy review of restricted records before anything is delivered. See docs/archive.md,
"Orders and deliveries (DIP)"."""
