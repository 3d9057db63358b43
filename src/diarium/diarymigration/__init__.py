"""Bringing a former diarium into Diarium (`diarium migrate-diary import`): an export of CSV
files (cases, documents, parties and a files folder, docs/migrate-diary.md) or CITS ERMS
packages, read and checked whole, then written in batches through the registry's service for
cases brought in (registry/services/migrated.py), which keeps the original diary numbers.

- mapping.py: other systems' column names and codes (a YAML or CSV mapping file);
- values.py: reading dates, codes, diary numbers and secrecy markings from text;
- staging.py: what was read, on disk (a temporary SQLite file), so memory stays flat;
- csv_source.py, erms_source.py: the two kinds of source;
- importing.py: check everything, report every problem, then bring it in (or not);
- report.py: the problems, where (file, row, column), and the counts."""
