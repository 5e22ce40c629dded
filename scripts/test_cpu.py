"""Sum a REELCUT_TEST_CPU_LOG file per test file, largest first (see tests/conftest.py)."""

from __future__ import annotations

import sys
from collections import defaultdict


def main(path: str, top: int = 40) -> None:
    per_file: dict[str, float] = defaultdict(float)
    per_test: list[tuple[float, str]] = []
    with open(path, encoding="utf-8") as log:
        for line in log:
            nodeid, _, seconds = line.rstrip("\n").rpartition("\t")
            per_file[nodeid.split("::")[0]] += float(seconds)
            per_test.append((float(seconds), nodeid))
    total = sum(per_file.values())
    print(f"total CPU {total:.0f} s ({total / 60:.1f} min) in {len(per_test)} tests")
    for name, seconds in sorted(per_file.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{seconds:8.1f} s  {100 * seconds / total:5.1f}%  {name}")
    print("slowest tests:")
    for seconds, nodeid in sorted(per_test, reverse=True)[:top]:
        print(f"{seconds:8.1f} s  {nodeid}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
