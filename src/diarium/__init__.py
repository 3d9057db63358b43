"""Diarium: records, case and e-archive system for Swedish municipalities."""
