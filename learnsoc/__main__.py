"""Run the command line: ``python -m learnsoc``."""

from learnsoc.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
