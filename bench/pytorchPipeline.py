"""PyTorch float64 reference for npm run bench: the three Hessian ranks of linear mse networks.

Usage: python3 bench/pytorchPipeline.py FILE.jsonl
FILE has one architecture a line, as `hessian-rank measure --batch` reads it:
  {"widths": [d, M_1, ..., K], "samples": N, "bias": true|false, "seed": s}
(linear activation, mse loss ½ Σ_i ‖f(x_i) − y_i‖²). For each line, with a Gaussian instance drawn by
torch from the seed (weights N(0, 1/fan-in), inputs and targets N(0, 1), as the TypeScript side
draws its own):
  H   = autograd Hessian of the loss (torch.autograd.functional.hessian),
  H_O = Jᵀ J with J the autograd Jacobian of the NK outputs,
  H_F = Σ_i Σ_k e_ik ∇²f_ik as its own sum: the autograd Hessian of Σ e_ik f_ik with the residuals
        e = f − y held fixed,
each rank = #{|λ| > τ}, τ = max|λ| · p · ε (ε = 2^-52) from torch.linalg.eigvalsh, the same tolerance
as src/numeric/numericalRank.ts. Output: one JSON line {"import": seconds} when torch is loaded, then
one JSON line a network {"line", "p", "H", "HO", "HF", "seconds", "eigenSeconds"} (seconds: build and
eigenvalues of that network, process start-up and import excluded; eigenSeconds: of those, the time in
eigvalsh on the two p × p matrices H and H_F alone, LAPACK's share that a faster pipeline cannot skip
without avoiding those two eigendecompositions).
"""
import json
import os
import sys
import time

started = time.perf_counter()
import torch  # noqa: E402

torch.set_num_threads(os.cpu_count() or 1)
torch.set_default_dtype(torch.float64)
print(json.dumps({"import": time.perf_counter() - started}), flush=True)
EPSILON = 2.0 ** -52


def rank(matrix, p):
    values = torch.linalg.eigvalsh(matrix).abs()
    return int((values > values.max() * p * EPSILON).sum()) if values.numel() else 0


def timed_rank(matrix, p):
    start = time.perf_counter()
    value = rank(matrix, p)
    return value, time.perf_counter() - start


def ranks(spec):
    widths, samples, bias = spec["widths"], spec["samples"], bool(spec.get("bias", False))
    generator = torch.Generator().manual_seed(int(spec.get("seed", 0)))
    shapes = [(widths[l + 1], widths[l] + (1 if bias else 0)) for l in range(len(widths) - 1)]
    theta = torch.cat([torch.randn(r * c, generator=generator) / widths[l] ** 0.5 for l, (r, c) in enumerate(shapes)])
    X = torch.randn(widths[0], samples, generator=generator)
    Y = torch.randn(widths[-1], samples, generator=generator)
    p = theta.numel()

    def forward(t):
        Z, offset = X, 0
        for r, c in shapes:
            W = t[offset : offset + r * c].reshape(r, c)
            offset += r * c
            Z = W @ (torch.cat([Z, torch.ones(1, samples)]) if bias else Z)
        return Z

    H = torch.autograd.functional.hessian(lambda t: 0.5 * ((forward(t) - Y) ** 2).sum(), theta, vectorize=True)
    J = torch.autograd.functional.jacobian(lambda t: forward(t).reshape(-1), theta, vectorize=True)
    residual = (forward(theta) - Y).detach()
    HF = torch.autograd.functional.hessian(lambda t: (residual * forward(t)).sum(), theta, vectorize=True)
    rank_H, seconds_H = timed_rank(H, p)
    rank_HF, seconds_HF = timed_rank(HF, p)
    return {"p": p, "H": rank_H, "HO": rank(J.T @ J, p), "HF": rank_HF, "eigenSeconds": seconds_H + seconds_HF}


with open(sys.argv[1]) as lines:
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        start = time.perf_counter()
        result = ranks(json.loads(line))
        print(json.dumps({"line": index + 1, **result, "seconds": time.perf_counter() - start}), flush=True)
