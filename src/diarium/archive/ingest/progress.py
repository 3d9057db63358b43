"""The ingest's progress is a job's progress (diarium.core.jobs.progress): counted in
bytes per phase, saved on the job row, shown on the command line's progress bar."""

from diarium.core.jobs.progress import Callback, LeaseLost, Progress

__all__ = ["Callback", "LeaseLost", "Progress"]
