"""The vnsearch command's entry point, for the console script and ``python -m searcher``.

Importing the CLI (click, the engines) takes a tenth of a second or more: a Ctrl-C in that time
must read as any later one does (one line, exit 130), not as a traceback from an import. So
this module imports nothing of vnsearch's until it can answer a Ctrl-C.
"""
import signal
import sys


def main() -> None:
    try:
        from .cli import main as run_cli

        run_cli()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the line short
        sys.stderr.write("vnsearch: interrupted\n")
        sys.exit(130)
