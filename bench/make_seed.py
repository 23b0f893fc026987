#!/usr/bin/env python3
"""Write an emulator seed with COUNT Linux instances `{ID_PREFIX}{n:06d}` (n = 1..COUNT) to OUT.

Usage: make_seed.py OUT COUNT ID_PREFIX ACCESS_KEY_ID

The root AccessKey secret is read from BENCH_ACCESS_KEY_SECRET (not the command line). The format is the emulator's
seed format (acs-emulator/data/demo-seed.json); every instance runs the Cloud Assistant agent and has the OS users
root and user01.
"""

import json
import os
import sys


def main():
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    out, count, prefix, key_id = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if not 1 <= count <= 1_000_000:
        raise SystemExit("make_seed.py: COUNT must be between 1 and 1000000")
    secret = os.environ.get("BENCH_ACCESS_KEY_SECRET")
    if not secret:
        raise SystemExit("make_seed.py: BENCH_ACCESS_KEY_SECRET is not set")
    seed = {
        "account_id": "1234567890123456",
        "root_access_keys": [{"id": key_id, "secret": secret}],
        "regions": ["cn-hangzhou"],
        "instances": [
            {
                "id": f"{prefix}{n:06d}",
                "region": "cn-hangzhou",
                "name": f"bench-{n}",
                "os": "Linux",
                "status": "Running",
                "cloud_assistant": True,
                "users": [{"name": "root"}, {"name": "user01"}],
            }
            for n in range(1, count + 1)
        ],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(seed, f)


if __name__ == "__main__":
    main()
