"""The `diarium` command: every Django management command plus Diarium's own."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diarium.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["diarium", *sys.argv[1:]])


if __name__ == "__main__":
    main()
