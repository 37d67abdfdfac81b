# The 2-D explainer in Python floats: the playground's landscapes (src/lib/landscapes), their
# seeded stochastic mode (landscapes/stochastic.ts) and the race that `trace` prints, with the
# same operation order as the TypeScript code, so the JSON below equals `npm run trace -- '<link>'`.
# The optimizer is the AdaSAM class above on one float64 tensor of 2 parameters.

import json
import math
import os
import sys

import torch


def _quadratic_f(x):
    return 0.5 * (5.5 * x[0] * x[0] + 9 * x[0] * x[1] + 5.5 * x[1] * x[1])


def _quadratic_grad(x):
    return [5.5 * x[0] + 4.5 * x[1], 4.5 * x[0] + 5.5 * x[1]]


def _rosenbrock_f(x):
    a = 1 - x[0]
    r = x[1] - x[0] * x[0]
    return a * a + 100 * r * r


def _rosenbrock_grad(x):
    r = x[1] - x[0] * x[0]
    return [-2 * (1 - x[0]) - 400 * x[0] * r, 200 * r]


_SX, _SY, _SS2, _SA = -0.8, 0.0, 0.2 * 0.2, 1.0
_FX, _FY, _FS2, _FA = 0.8, 0.0, 0.8 * 0.8, 0.7


def _wells_f(x):
    sx, sy, fx, fy = x[0] - _SX, x[1] - _SY, x[0] - _FX, x[1] - _FY
    return -_SA * det_exp(-(sx * sx + sy * sy) / (2 * _SS2)) - _FA * det_exp(-(fx * fx + fy * fy) / (2 * _FS2))


def _wells_value_and_grad(x):
    sx, sy, fx, fy = x[0] - _SX, x[1] - _SY, x[0] - _FX, x[1] - _FY
    es = det_exp(-(sx * sx + sy * sy) / (2 * _SS2))
    ef = det_exp(-(fx * fx + fy * fy) / (2 * _FS2))
    a = (_SA * es) / _SS2
    b = (_FA * ef) / _FS2
    return -_SA * es - _FA * ef, [a * sx + b * fx, a * sy + b * fy]


def _himmelblau_f(x):
    a = x[0] * x[0] + x[1] - 11
    b = x[0] + x[1] * x[1] - 7
    return (a * a + b * b) / 10


def _himmelblau_grad(x):
    a = x[0] * x[0] + x[1] - 11
    b = x[0] + x[1] * x[1] - 7
    return [(4 * x[0] * a + 2 * b) / 10, (2 * a + 4 * x[1] * b) / 10]


def _saddle_f(x):
    y2 = x[1] * x[1]
    return 0.5 * x[0] * x[0] - 0.5 * y2 + 0.25 * y2 * y2


def _saddle_grad(x):
    return [x[0], x[1] * (x[1] * x[1] - 1)]


_ALONG, _ACROSS = 0.1, 10


def _ravine_f(x):
    return 0.5 * (_ALONG * x[0] * x[0] + _ACROSS * x[1] * x[1])


def _ravine_grad(x):
    return [_ALONG * x[0], _ACROSS * x[1]]


_A_BOWL, _DEPTH, _S, _H, _K = 0.5, 0.3, 0.1, 0.8, 2
_INV_2S2 = 1 / (2 * _S * _S)
_DEPTH_S2 = _DEPTH / (_S * _S)


def _bumpy_f(x):
    ex = ey = 0.0
    for i in range(-_K, _K + 1):
        dx, dy = x[0] - i * _H, x[1] - i * _H
        ex += det_exp(-dx * dx * _INV_2S2)
        ey += det_exp(-dy * dy * _INV_2S2)
    e0 = det_exp(-(x[0] * x[0] + x[1] * x[1]) * _INV_2S2)
    return 0.5 * _A_BOWL * (x[0] * x[0] + x[1] * x[1]) - _DEPTH * (ex * ey - e0)


def _bumpy_grad(x):
    ex = ey = px = py = 0.0
    for i in range(-_K, _K + 1):
        dx, dy = x[0] - i * _H, x[1] - i * _H
        gx, gy = det_exp(-dx * dx * _INV_2S2), det_exp(-dy * dy * _INV_2S2)
        ex += gx
        ey += gy
        px += dx * gx
        py += dy * gy
    e0 = det_exp(-(x[0] * x[0] + x[1] * x[1]) * _INV_2S2)
    return [_A_BOWL * x[0] + _DEPTH_S2 * (px * ey - x[0] * e0), _A_BOWL * x[1] + _DEPTH_S2 * (py * ex - x[1] * e0)]


def _pair(f, grad):
    return lambda x: (f(x), grad(x))


# id -> (f, value_and_grad): the loss `trace` prints is f; the optimizer sees value_and_grad
LANDSCAPES = {
    "quadratic": (_quadratic_f, _pair(_quadratic_f, _quadratic_grad)),
    "rosenbrock": (_rosenbrock_f, _pair(_rosenbrock_f, _rosenbrock_grad)),
    "wells": (_wells_f, _wells_value_and_grad),
    "himmelblau": (_himmelblau_f, _pair(_himmelblau_f, _himmelblau_grad)),
    "saddle": (_saddle_f, _pair(_saddle_f, _saddle_grad)),
    "ravine": (_ravine_f, _pair(_ravine_f, _ravine_grad)),
    "bumpyBowl": (_bumpy_f, _pair(_bumpy_f, _bumpy_grad)),
}


def noise_schedule(sigma, batch, samples, seed, steps):
    """sigma * mean of z_i over B_t for t = 0 ... steps-1 (stochastic.ts makeBatchSchedule)."""
    rng = Rng(mix_seed(seed, 0x5A))
    n = samples
    z = [rng.normal() for _ in range(2 * n)]
    for c in range(2):
        total = 0.0
        for i in range(n):
            total += z[2 * i + c]
        mean = total / n
        ss = 0.0
        for i in range(n):
            z[2 * i + c] -= mean
            ss += z[2 * i + c] * z[2 * i + c]
        scale = math.sqrt(n / ss) if ss > 0 else 0.0
        for i in range(n):
            z[2 * i + c] *= scale
    per_epoch = n // batch
    perms = {}
    out = []
    for t in range(steps):
        epoch = t // per_epoch
        if epoch not in perms:
            perms.clear()
            perms[epoch] = permutation(Rng(mix_seed(seed, 0xBA7C, epoch)), n)
        perm = perms[epoch]
        start = (t % per_epoch) * batch
        zx = zy = 0.0
        for k in range(start, start + batch):
            zx += z[2 * perm[k]]
            zy += z[2 * perm[k] + 1]
        out.append((sigma * (zx / batch), sigma * (zy / batch)))
    return out


def run_2d(problem, x0, steps, config, noise):
    """One run of the race: the AdaSAM optimizer on x in R^2 (float64), the trace of spec 9.2."""
    f, value_and_grad = LANDSCAPES[problem]
    x = torch.tensor(x0, dtype=torch.float64)
    opt = AdaSAM([x], diagnostics=True, **config)
    xs = [list(x0)]
    rec = {"delta": [], "m": [], "vhat": [], "eta": []}
    for t in range(steps):
        nx, ny = noise[t] if noise else (0.0, 0.0)

        def closure():
            p = x.tolist()
            loss, g = value_and_grad(p)
            if noise:
                # f_B = f + <n, x>, grad f_B = grad f + n (stochastic.ts noisyObjective)
                loss, g = loss + (nx * p[0] + ny * p[1]), [g[0] + nx, g[1] + ny]
            x.grad = torch.tensor(g, dtype=torch.float64)
            return loss

        if opt.step(closure) is None:
            break
        st = opt.state[x]
        xs.append(x.tolist())
        rec["delta"].append(st["delta"].tolist() if st["delta"] is not None else [0.0, 0.0])
        rec["m"].append(st["m"].tolist())
        if config["adaptive"]:
            rec["vhat"].append(st["vhat"].tolist())
            rec["eta"].append(st["eta"].tolist())
    trace = {"x": xs, "loss": [f(p) for p in xs], "delta": rec["delta"], "m": rec["m"]}
    if config["adaptive"]:
        trace["vhat"], trace["eta"] = rec["vhat"], rec["eta"]
    return opt.status, trace


def test_view(problem, shift, status, end):
    """The end point on the landscape and on its test view f(x - u) (landscapes/testView.ts)."""
    f = LANDSCAPES[problem][0]
    ok = status == "ok"
    return {
        "shift": list(shift),
        "train": f(end) if ok else None,
        "test": f([end[0] - shift[0], end[1] - shift[1]]) if ok else None,
    }


def to_json(value, indent=""):
    """JSON.stringify(value, null, 2): numbers as JavaScript writes them, non-finite as null."""
    inner = indent + "  "
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(v, inner) for v in value) + "\n" + indent + "]"
    if not value:
        return "{}"
    return "{\n" + ",\n".join(inner + json.dumps(k) + ": " + to_json(v, inner) for k, v in value.items()) + "\n" + indent + "}"


def main_2d(scene, runs):
    stochastic = scene["stochastic"]
    noise = noise_schedule(steps=scene["steps"], **stochastic) if stochastic else None
    out = []
    for run in runs:
        status, trace = run_2d(scene["problem"], scene["x0"], scene["steps"], run["config"], noise)
        item = {"problem": scene["problem"], "optimizer": run["optimizer"], "x0": scene["x0"], "steps": scene["steps"]}
        if stochastic:
            item["stochastic"] = stochastic
        item.update({"config": {k: run["config"][k] for k in SPEC_KEYS}, "status": status, "trace": trace})
        item["testView"] = test_view(scene["problem"], scene["shift"], status, trace["x"][-1])
        out.append(item)
    # Several processes (torchrun) compute the same race; only rank 0 prints.
    if int(os.environ.get("RANK", "0")) == 0:
        sys.stdout.write(to_json(out) + "\n")
