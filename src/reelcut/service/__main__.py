"""``python -m reelcut.service [--host H] [--port P] [--data-dir D]``; other settings from
``REELCUT_*`` variables. The same as ``reelcut serve``."""

from __future__ import annotations

import argparse
from pathlib import Path

from reelcut.service.app import serve
from reelcut.service.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m reelcut.service")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    overrides = {} if args.data_dir is None else {"data_dir": args.data_dir}
    serve(Settings(**overrides), args.host, args.port)


if __name__ == "__main__":
    main()
