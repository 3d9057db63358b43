"""Sub-commands of `diarium archive`, one module each: `add_parser(actions)` declares the
arguments, `run(command, **options)` does the work."""
