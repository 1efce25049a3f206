"""A straightforward numpy back-propagation through time, the speed reference for apical's
recurrent populations.

The same computation as `apical run experiments/seq-temporal-order-bptt.json` at one sequence
length: a simple recurrent network h_t = tanh(x_t W + h_{t-1} U + b) of 100 units reading 6
one-hot inputs per step, a softmax of the last state over 4 classes, cross-entropy, full BPTT,
SGD with momentum 0.9, float32, minibatches of 20 sequences of temporal order (Pascanu et al.
2013's generator, drawn before the clock starts). Written the way a researcher would write it with
numpy (one array expression per equation). `--inputs 28 --classes 10` gives sequential MNIST's
shape (28 rows of 28 pixels), on random inputs.

usage: python3 bench/numpy_bptt.py --length T [--sequences N] [--inputs D --classes K] [--rounds R]
prints one JSON line per round: {"seconds_per_1000": s, "cpu_seconds_per_1000": c, "sequences": N, "length": T}
(c: the process's CPU time, which a machine shared with other work inflates less than the wall time s)
"""
import argparse
import json
import time

import numpy as np


def orthogonal(rng, rows, cols):
    q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
    q = q * np.sign(np.diag(r))
    return (q if rows >= cols else q.T).astype(np.float32)


def temporal_order(rng, batch, length, inputs, classes):
    """Temporal order (6 inputs, 4 classes) or, for other shapes, random inputs and labels."""
    if (inputs, classes) != (6, 4):
        return rng.random((length, batch, inputs), dtype=np.float32), rng.integers(classes, size=batch)
    tenth = length // 10
    p0 = rng.integers(tenth, size=batch) + tenth
    p1 = rng.integers(tenth, size=batch) + 5 * tenth
    v0, v1 = rng.integers(2, size=batch), rng.integers(2, size=batch)
    symbols = rng.integers(4, size=(length, batch)) + 2
    symbols[p0, np.arange(batch)] = v0
    symbols[p1, np.arange(batch)] = v1
    x = np.zeros((length, batch, 6), dtype=np.float32)
    x[np.arange(length)[:, None], np.arange(batch)[None, :], symbols] = 1
    return x, v0 + 2 * v1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--length", type=int, required=True)
    parser.add_argument("--sequences", type=int, default=2000)
    parser.add_argument("--inputs", type=int, default=6)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=100)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    n, d, k, m, T = args.hidden, args.inputs, args.classes, args.batch, args.length
    params = [orthogonal(rng, d, n), orthogonal(rng, n, n), np.zeros(n, np.float32), orthogonal(rng, n, k), np.zeros(k, np.float32)]
    velocity = [np.zeros_like(p) for p in params]
    batches = [temporal_order(rng, m, T, d, k) for _ in range(args.sequences // m)]
    for _ in range(args.rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        for x, y in batches:
            W, U, b, V, c = params
            hs = [np.zeros((m, n), np.float32)]
            for t in range(T):
                hs.append(np.tanh(x[t] @ W + hs[-1] @ U + b))
            scores = hs[-1] @ V + c
            p = np.exp(scores - scores.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(m), y] -= 1
            g_out = p / m
            grads = [np.zeros_like(W), np.zeros_like(U), np.zeros_like(b), hs[-1].T @ g_out, g_out.sum(axis=0)]
            dh = g_out @ V.T
            for t in range(T, 0, -1):
                da = dh * (1 - hs[t] * hs[t])
                grads[0] += x[t - 1].T @ da
                grads[1] += hs[t - 1].T @ da
                grads[2] += da.sum(axis=0)
                dh = da @ U.T
            for param, grad, v in zip(params, grads, velocity):
                v *= 0.9
                v -= 0.01 * grad
                param += v
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        per_1000 = 1000 / (len(batches) * m)
        print(json.dumps({"seconds_per_1000": seconds * per_1000, "cpu_seconds_per_1000": cpu_seconds * per_1000, "sequences": len(batches) * m, "length": T}), flush=True)


if __name__ == "__main__":
    main()
