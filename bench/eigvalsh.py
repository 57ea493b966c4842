"""LAPACK reference for npm run bench: torch.linalg.eigvalsh (float64) on random symmetric matrices.

Usage: python3 bench/eigvalsh.py SEED N [N ...]  ->  one JSON line per N: {"n", "seconds", "threads"}
The matrix is (B + B^T) / 2 with B standard Gaussian (seeded); the time is the best of two runs,
with torch using every core of the machine.
"""
import json
import os
import sys
import time

import torch

torch.set_num_threads(os.cpu_count() or 1)
seed = int(sys.argv[1])
for n in map(int, sys.argv[2:]):
    generator = torch.Generator().manual_seed(seed)
    b = torch.randn(n, n, dtype=torch.float64, generator=generator)
    a = (b + b.T) / 2
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        torch.linalg.eigvalsh(a)
        best = min(best, time.perf_counter() - start)
    print(json.dumps({"n": n, "seconds": best, "threads": torch.get_num_threads()}), flush=True)
