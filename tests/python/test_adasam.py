"""Checks of the exported PyTorch optimizer (src/lib/export/python/adasam.py) against independent
oracles: every golden-file run replayed in float64 (spec 9.4 tolerance), torch.optim where spec 5/6
say the update is the same, and the behaviour rules of spec 7.

Usage: /usr/bin/python3 tests/python/test_adasam.py <adasam.py> <golden dir> [<cases.json>]
Prints one JSON object {"checks": n, "failures": [...], ...} and exits 1 when anything failed.
With cases.json ({"configs": [...], "schedules": [...], "badSchedules": [...]}, written by the
Vitest side) it also reports what adasam.py says about them, for comparison with the TypeScript:
"messages" ([key, message] or null per config), "lrs" (gamma_t per schedule, base 0.3) and
"scheduleErrors".
"""
import importlib.util
import json
import math
import os
import sys

import torch

spec = importlib.util.spec_from_file_location("adasam", sys.argv[1])
adasam = importlib.util.module_from_spec(spec)
spec.loader.exec_module(adasam)
GOLDEN = sys.argv[2]
torch.set_default_dtype(torch.float64)

checks = 0
failures = []


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)


def load(name):
    with open(os.path.join(GOLDEN, name)) as f:
        return json.load(f)


def compare(name, ours, golden):
    """|a - b| <= 1e-11 + 1e-10 |b| element-wise (spec 9.4)."""
    if len(ours) != len(golden):
        check(False, "%s: length %d != %d" % (name, len(ours), len(golden)))
        return
    for t, (a, b) in enumerate(zip(ours, golden)):
        a = a if isinstance(a, list) else [a]
        b = b if isinstance(b, list) else [b]
        for i, (ai, bi) in enumerate(zip(a, b)):
            if not abs(ai - bi) <= 1e-11 + 1e-10 * abs(bi):
                check(False, "%s[%d][%d]: %r vs %r" % (name, t, i, ai, bi))
                return
    check(True, name)


# ---- the golden problems, written independently in torch (autograd gives the gradients) ----

def quadratic(x):
    H = torch.tensor([[5.5, 4.5], [4.5, 5.5]])
    return 0.5 * x @ H @ x


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def wells(x):
    def bump(c, sigma, depth):
        d = x - torch.tensor(c)
        return -depth * torch.exp(-(d @ d) / (2 * sigma * sigma))
    return bump([-0.8, 0.0], 0.2, 1.0) + bump([0.8, 0.0], 0.8, 0.7)


PROBLEMS = {"quadratic": quadratic, "rosenbrock": rosenbrock, "wells": wells}


def replay(params, groups, loss_at, steps, config, flat):
    """Runs the optimizer; returns per-step lists of the flattened diagnostics."""
    opt = adasam.AdaSAM(groups, diagnostics=True, **config)
    rec = {"x": [flat([p.detach() for p in params])], "loss": [], "delta": [], "m": [], "v": [], "vhat": [], "eta": [], "g": []}
    for t in range(steps):
        def closure():
            loss = loss_at(t)
            loss.backward()
            return loss
        loss = opt.step(closure)
        if loss is None:
            break
        st = [opt.state[p] for p in params]
        rec["loss"].append(float(loss))
        rec["x"].append(flat([p.detach() for p in params]))
        rec["delta"].append(flat([s["delta"] if s["delta"] is not None else torch.zeros_like(p) for s, p in zip(st, params)]))
        rec["m"].append(flat([s["m"] for s in st]))
        if config["adaptive"]:
            rec["v"].append(flat([s["v"] for s in st]))
            rec["vhat"].append(flat([s["vhat"] for s in st]))
            rec["eta"].append(flat([s["eta"] for s in st]))
    return opt, rec


def flat2(ts):
    return [float(v) for t in ts for v in t.reshape(-1)]


analytic = load("analytic2d.json")
for pname, problem in analytic["problems"].items():
    f = PROBLEMS[pname]
    for rname, run in problem["runs"].items():
        x = torch.tensor(problem["x0"], requires_grad=True)
        opt, rec = replay([x], [x], lambda t: f(x), problem["steps"], run["config"], flat2)
        check(opt.status == "ok", "%s/%s diverged" % (pname, rname))
        rec["loss"] = [float(f(torch.tensor(xs))) for xs in rec["x"]]
        for key, golden in run["trace"].items():
            if key == "g":
                continue  # g is not kept in the state (it equals what m and v were built from)
            compare("%s/%s/%s" % (pname, rname, key), rec[key], golden)


# ---- regression and the MLP: several tensors in two parameter groups, one global norm ----

def stochastic(name):
    g = load(name)
    X = torch.tensor(g["data"]["X"])
    y = torch.tensor(g["data"]["y"])
    for rname, run in g["runs"].items():
        theta0 = torch.tensor(g["x0"])
        if g["kind"] == "mlp":
            shapes = [(2, 3), (3,), (3, 1), (1,)]
        else:
            shapes = [(3,), (1,)]
        params, off = [], 0
        for shp in shapes:
            n = math.prod(shp)
            params.append(theta0[off:off + n].reshape(shp).clone().requires_grad_(True))
            off += n

        def predict(Xb):
            if g["kind"] == "mlp":
                K1, b1, K2, b2 = params
                return (torch.tanh(Xb @ K1 + b1) @ K2 + b2).reshape(-1)
            w, c = params
            return Xb @ w + c

        def loss_on(idx):
            return ((predict(X[idx]) - y[idx]) ** 2).mean()

        groups = [{"params": params[:1]}, {"params": params[1:]}]
        opt, rec = replay(params, groups, lambda t: loss_on(g["batches"][t]), g["steps"], run["config"], flat2)
        check(opt.status == "ok", "%s/%s diverged" % (name, rname))
        full = list(range(len(g["data"]["y"])))
        fixed = [p.detach().clone() for p in params]
        rec["fullLoss"] = []
        for xs in rec["x"]:
            off = 0
            with torch.no_grad():
                for p in params:
                    p.copy_(torch.tensor(xs[off:off + p.numel()]).reshape(p.shape))
                    off += p.numel()
                rec["fullLoss"].append(float(loss_on(full)))
        with torch.no_grad():
            for p, v in zip(params, fixed):
                p.copy_(v)
        for key, golden in run["trace"].items():
            compare("%s/%s/%s" % (name, rname, key), rec[key], golden)


stochastic("regression.json")
stochastic("mlp.json")


# ---- edge cases (spec 7) ----

edge = load("edge_cases.json")["cases"]
for cname in ("zero_grad_start_torch", "zero_grad_start_paper", "beta2_1_floor_eps1"):
    case = edge[cname]
    x = torch.tensor(case["x0"], requires_grad=True)
    steps = len(case["trace"]["x"]) - 1
    opt, rec = replay([x], [x], lambda t: quadratic(x), steps, case["config"], flat2)
    for key in ("x", "delta", "m", "v", "vhat", "eta"):
        if key in case["trace"]:
            compare("edge/%s/%s" % (cname, key), rec[key], case["trace"][key])

case = edge["beta2_1_floor_eps1e-8"]
x = torch.tensor(case["x0"], requires_grad=True)
opt, rec = replay([x], [x], lambda t: quadratic(x), 200, case["config"], flat2)
compare("edge/beta2_1_floor_eps1e-8/x", rec["x"][:4], case["trace"]["x"])
check(opt.status == "diverged", "beta2=1, eps=1e-8 must end diverged")
check(all(math.isfinite(v) for v in flat2([x.detach()] + list(opt.state[x].values())) if True), "state holds only finite values after divergence")

try:
    adasam.AdaSAM([torch.zeros(2, requires_grad=True)], **edge["beta2_1_bias_correction"]["config"])
    check(False, "beta2 = 1 with bias correction must be rejected")
except adasam.ConfigError as e:
    check(e.key == "beta2", "beta2 = 1 rejection names beta2")

# A non-finite gradient at step 3 commits nothing: x, m, v, vhat and k keep their values.
x = torch.tensor([-2.0, 1.0], requires_grad=True)
opt = adasam.AdaSAM([x], lr=0.1, rho=0.05)
calls = {"n": 0}


def poisoned():
    calls["n"] += 1
    loss = quadratic(x) * (math.nan if calls["n"] == 6 else 1.0)
    loss.backward()
    return loss


for _ in range(2):
    opt.step(poisoned)
before = [x.detach().clone()] + [opt.state[x][k].clone() for k in ("m", "v", "vhat")]
check(opt.step(poisoned) is None and opt.status == "diverged", "NaN in the second pass of step 3 is rejected")
after = [x.detach()] + [opt.state[x][k] for k in ("m", "v", "vhat")]
check(all(torch.equal(a, b) for a, b in zip(before, after)) and opt.k == 2, "a rejected step commits nothing")
check(opt.step(poisoned) is None and calls["n"] == 6, "a diverged optimizer takes no more steps")


# ---- torch.optim equivalences (spec 5 and 6) ----

def trajectories(make_ours, make_theirs, f, x0, steps=50):
    out = []
    for make in (make_ours, make_theirs):
        x = torch.tensor(x0, requires_grad=True)
        opt = make([x])
        path = []
        for _ in range(steps):
            def closure():
                opt.zero_grad() if not isinstance(opt, adasam.AdaSAM) else None
                loss = f(x)
                loss.backward()
                return loss
            opt.step(closure)
            path.append(x.detach().clone())
        out.append(torch.stack(path))
    return float((out[0] - out[1]).abs().max()), float(out[1].abs().max())


EQUIV = [
    ("AMSGrad torch preset = torch.optim.Adam(amsgrad=True)",
     lambda p: adasam.AdaSAM(p, preset="torch", lr=0.05, rho=0, beta1=0.9, beta2=0.999, eps=1e-8),
     lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.9, 0.999), eps=1e-8, amsgrad=True)),
    ("Adam torch preset = torch.optim.Adam",
     lambda p: adasam.AdaSAM(p, preset="torch", lr=0.05, rho=0, amsgrad=False),
     lambda p: torch.optim.Adam(p, lr=0.05)),
    ("AMSGrad + weight decay = torch.optim.Adam(amsgrad, weight_decay)",
     lambda p: adasam.AdaSAM(p, preset="torch", lr=0.05, rho=0, weightDecay=0.1),
     lambda p: torch.optim.Adam(p, lr=0.05, amsgrad=True, weight_decay=0.1)),
    ("SGD = torch.optim.SGD",
     lambda p: adasam.AdaSAM(p, lr=1e-3, rho=0, adaptive=False, beta1=0),
     lambda p: torch.optim.SGD(p, lr=1e-3)),
    ("SGD + weight decay = torch.optim.SGD(weight_decay)",
     lambda p: adasam.AdaSAM(p, lr=1e-3, rho=0, adaptive=False, beta1=0, weightDecay=0.5),
     lambda p: torch.optim.SGD(p, lr=1e-3, weight_decay=0.5)),
    ("EMA SGD-momentum = torch.optim.SGD(lr (1 - beta1), momentum)",
     lambda p: adasam.AdaSAM(p, lr=1e-3, rho=0, adaptive=False, beta1=0.9),
     lambda p: torch.optim.SGD(p, lr=1e-3 * (1 - 0.9), momentum=0.9)),
]
for what, ours, theirs in EQUIV:
    for pname in ("quadratic", "rosenbrock", "wells"):
        diff, scale = trajectories(ours, theirs, PROBLEMS[pname], analytic["problems"][pname]["x0"])
        # spec 9.4 self-check threshold (1e-12); torch fuses some of its updates (addcdiv), so a few ulps differ
        check(diff <= 1e-12 * max(1.0, scale), "%s on %s: max |diff| %g" % (what, pname, diff))

# negative control (spec 6): torch's dampened momentum is not the EMA form
diff, _ = trajectories(
    lambda p: adasam.AdaSAM(p, lr=1e-3, rho=0, adaptive=False, beta1=0.9),
    lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9, dampening=0.1),
    quadratic, [-2.0, 1.0])
check(diff > 1e-6, "negative control: SGD(dampening) differs from EMA momentum")

# the norm is global: one group or one group per tensor give the same steps; a per-tensor norm would not
a = [torch.tensor([1.0, -2.0], requires_grad=True), torch.tensor([0.5], requires_grad=True)]
b = [t.detach().clone().requires_grad_(True) for t in a]


def f3(ps):
    return (ps[0] ** 2).sum() * 3 + (ps[1] ** 4).sum() + ps[0][0] * ps[1][0]


opt_a = adasam.AdaSAM(a, lr=0.01, rho=0.3)
opt_b = adasam.AdaSAM([{"params": [b[0]]}, {"params": [b[1]]}], lr=0.01, rho=0.3)
for opt, ps in ((opt_a, a), (opt_b, b)):
    for _ in range(5):
        def closure(ps=ps):
            loss = f3(ps)
            loss.backward()
            return loss
        opt.step(closure)
check(all(torch.equal(x, y) for x, y in zip(a, b)), "one group or two: the same global norm")
c = torch.tensor([1.0, -2.0])
s0 = torch.tensor([6.0 + 0.5, -12.0])
delta_global = s0 * 0.3 / (math.sqrt(6.5 ** 2 + 144 + (0.5 ** 3 * 4 + 1.0) ** 2) + 1e-12)
x = [torch.tensor([1.0, -2.0], requires_grad=True), torch.tensor([0.5], requires_grad=True)]
opt = adasam.AdaSAM(x, lr=0.01, rho=0.3, diagnostics=True)


def closure3():
    loss = f3(x)
    loss.backward()
    return loss


opt.step(closure3)
check(torch.allclose(opt.state[x[0]]["delta"], delta_global, rtol=1e-14, atol=0), "delta uses the norm over both tensors")

# a checkpoint (state_dict with k) taken after 3 steps resumes the same run
def wells_run(x, opt, steps):
    for _ in range(steps):
        def closure():
            loss = wells(x)
            loss.backward()
            return loss
        opt.step(closure)


x_full = torch.tensor([-0.45, 0.3], requires_grad=True)
wells_run(x_full, adasam.AdaSAM([x_full], preset="torch", lr=0.05, rho=0.25), 8)
x_part = torch.tensor([-0.45, 0.3], requires_grad=True)
opt_part = adasam.AdaSAM([x_part], preset="torch", lr=0.05, rho=0.25)
wells_run(x_part, opt_part, 3)
saved = opt_part.state_dict()
x_resumed = x_part.detach().clone().requires_grad_(True)
opt_resumed = adasam.AdaSAM([x_resumed], preset="torch", lr=0.05, rho=0.25)
opt_resumed.load_state_dict(saved)
check(opt_resumed.k == 3, "the step count k is restored")
wells_run(x_resumed, opt_resumed, 5)
check(torch.equal(x_resumed, x_full), "a resumed run equals the uninterrupted one")

report = {"checks": checks, "failures": failures}
if len(sys.argv) > 3:
    with open(sys.argv[3]) as f:
        cases = json.load(f)
    report["messages"] = []
    for c in cases["configs"]:
        try:
            adasam.AdaSAM([torch.zeros(2, requires_grad=True)], **c)
            report["messages"].append(None)
        except adasam.ConfigError as e:
            report["messages"].append([e.key, str(e)])
    report["lrs"] = [[adasam.scheduled_lr(s, 0.3, t) for t in range(s["steps"])] for s in cases["schedules"]]
    report["scheduleErrors"] = [adasam.schedule_error(s) for s in cases["badSchedules"]]
print(json.dumps(report, ensure_ascii=False))
sys.exit(1 if failures else 0)
