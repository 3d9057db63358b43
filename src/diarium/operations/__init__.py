"""Running Diarium: backups that restore (backup/), health and readiness probes, Prometheus
metrics and structured logs (docs/operations.md). It sits above the apps whose data it
copies and reports on, and no app imports it."""
