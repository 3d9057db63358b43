"""Background work as jobs: a persisted Job (models.py) run by `diarium worker` through
Django's task interface (django-tasks, database backend), exactly once under a lease
(runner.py), with progress (progress.py), kinds registered by the apps (kinds.py) and a
periodic schedule from the settings (schedule.py). docs/jobs.md tells the whole story.

Apps use:  start / run_here / attach (services), kind / JobFailed (kinds), Progress."""
