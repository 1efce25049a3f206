"""A straightforward numpy implementation of one DTP epoch, the speed reference for apical.

The same computation as `apical run experiments/mnist-dtp.json`: a 784-240x7-10 tanh network,
alternating schedule (every decoder trained on all 500 minibatches, then every forward layer),
centered RMSprop, float32, batch 100, 50,000 MNIST images. Written the way a researcher would
write it with numpy (one array expression per equation); it reads the same IDX files as apical.

usage: python3 bench/numpy_dtp_epoch.py MNIST_DIR [EPOCHS]
prints one JSON line per epoch: {"epoch": e, "seconds": s, "train_error": x, "peak_rss_mib": m}
"""
import json
import resource
import sys
import time

import numpy as np

TOP_STEP, LR_F, LR_B, SIGMA = 0.327736332653, 0.0148893490317, 0.00501149118237, 0.359829566008


def read_idx(path):
    data = open(path, "rb").read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def orthogonal(rng, rows, cols):
    q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
    q = q * np.sign(np.diag(r))
    return (q if rows >= cols else q.T).astype(np.float32)


class RMSprop:
    def __init__(self, param, lr):
        self.param, self.lr = param, lr
        self.avg, self.avg_sq, self.inc = (np.zeros_like(param) for _ in range(3))

    def step(self, grad):
        self.avg *= 0.95
        self.avg += 0.05 * grad
        self.avg_sq *= 0.95
        self.avg_sq += 0.05 * grad * grad
        self.inc *= 0.9
        self.inc -= self.lr * grad / np.sqrt(self.avg_sq - self.avg * self.avg + 0.001)
        self.param += self.inc


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    x = read_idx(f"{folder}/train-images-idx3-ubyte")[:50000].reshape(50000, 784).astype(np.float32) / 255
    y = read_idx(f"{folder}/train-labels-idx1-ubyte")[:50000].astype(np.int64)
    rng = np.random.default_rng(1)
    sizes = [784] + [240] * 7 + [10]
    W = [orthogonal(rng, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    B = [np.zeros(b, np.float32) for b in sizes[1:]]
    V = {l: orthogonal(rng, sizes[l + 1], sizes[l]) for l in range(1, 7)}  # g_{l+1}: h_{l+1} -> h_l
    C = {l: np.zeros(sizes[l], np.float32) for l in range(1, 7)}
    opt_f = [(RMSprop(w, LR_F), RMSprop(b, LR_F)) for w, b in zip(W, B)]
    opt_b = {l: (RMSprop(V[l], LR_B), RMSprop(C[l], LR_B)) for l in V}
    m = 100

    def forward(xb):
        h = [xb]
        for w, b in zip(W[:-1], B[:-1]):
            h.append(np.tanh(h[-1] @ w + b))
        return h

    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        for i in range(500):  # decoders
            h = forward(x[i * m:(i + 1) * m])
            for l in range(1, 7):
                hc = h[l] + rng.standard_normal(h[l].shape, dtype=np.float32) * SIGMA
                fhc = np.tanh(hc @ W[l] + B[l])
                rec = np.tanh(fhc @ V[l] + C[l])
                d = (2 / m) * (rec - hc) * (1 - rec * rec)
                opt_b[l][0].step(fhc.T @ d)
                opt_b[l][1].step(d.sum(0))
        errors = 0
        for i in range(500):  # forward layers
            xb, yb = x[i * m:(i + 1) * m], y[i * m:(i + 1) * m]
            h = forward(xb)
            s = h[7] @ W[7] + B[7]
            p = np.exp(s - s.max(1, keepdims=True))
            p /= p.sum(1, keepdims=True)
            errors += int((p.argmax(1) != yb).sum())
            ds = p.copy()
            ds[np.arange(m), yb] -= 1
            ds /= m
            target = {7: h[7] - TOP_STEP * (ds @ W[7].T)}
            for l in range(7, 1, -1):
                g = np.tanh(np.vstack([target[l], h[l]]) @ V[l - 1] + C[l - 1])
                target[l - 1] = h[l - 1] + g[:m] - g[m:]
            opt_f[7][0].step(h[7].T @ ds)
            opt_f[7][1].step(ds.sum(0))
            for l in range(1, 8):
                d = (2 / m) * (h[l] - target[l]) * (1 - h[l] * h[l])
                opt_f[l - 1][0].step(h[l - 1].T @ d)
                opt_f[l - 1][1].step(d.sum(0))
        seconds = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"epoch": epoch, "seconds": seconds, "train_error": errors / 50000, "peak_rss_mib": peak_mib}), flush=True)


if __name__ == "__main__":
    main()
