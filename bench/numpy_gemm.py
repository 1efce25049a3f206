"""numpy's matrix product (OpenBLAS's sgemm) at one shape, the yardstick for apical's gemm.

usage: python3 bench/numpy_gemm.py TA TB M N K REPS ROUNDS
(TA, TB: N or T; op(A) is M×K, op(B) K×N, float32, as kernels().gemm(transA, transB, m, n, k, …) takes
them.) Prints the median over ROUNDS rounds of REPS products of the CPU-time throughput in GFLOP/s:
the process's CPU time, which a machine shared with other work inflates less than wall time.
Set OPENBLAS_NUM_THREADS=1 for one thread.
"""
import sys
import time

import numpy as np

ta, tb = sys.argv[1], sys.argv[2]
m, n, k, reps, rounds = map(int, sys.argv[3:8])
rng = np.random.default_rng(1)
a = (rng.random((k, m) if ta == 'T' else (m, k)) - 0.5).astype(np.float32)
b = (rng.random((n, k) if tb == 'T' else (k, n)) - 0.5).astype(np.float32)
op_a = a.T if ta == 'T' else a
op_b = b.T if tb == 'T' else b
c = np.empty((m, n), np.float32)


def rate():
    start = time.process_time()
    for _ in range(reps):
        np.matmul(op_a, op_b, out=c)
    return 2 * m * n * k * reps / (time.process_time() - start) / 1e9


rate()
rates = sorted(rate() for _ in range(rounds))
print(f'{rates[len(rates) // 2]:.2f}')
