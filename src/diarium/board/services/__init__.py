"""Every write of the board process: one function per use case, transactional, audited.
The modules: bodies (bodies and members), agenda (readiness, meetings, the agenda),
notices (the kallelse), conduct (the meeting itself), minutes (minutes, justering,
extracts, decisions in cases), delegation (the scheme and delegated decisions)."""
