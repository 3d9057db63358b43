"""Reading and writing plans as CSV, XLSX and JSON files (see docs/plan.md)."""
