# The transformer lab in PyTorch: the lab's model (src/lib/tf/model/transformer.ts), its seeded
# batch order (tf/data/types.ts) and dropout masks (transformer.ts makeDropoutMasks), and the race
# of every optimizer of the link from the same initial weights on the same batches.
#
# Distributed: under torchrun (or RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT set by hand) every
# process takes an equal slice of each global batch; DistributedDataParallel averages the
# gradients (gloo on CPU, nccl on GPUs). Both SAM gradients are averaged over all workers before
# use, so N workers follow the single-process run ("global" perturbation, the default);
# --perturbation local gives each worker its own delta from its local gradient (m-sharpness,
# Foret et al. 2021, with m = the local batch size). Dropout masks are keyed by the example's
# position in the global batch, so they do not depend on the number of workers.

import argparse
import base64
import contextlib
import datetime
import json
import math
import os
import sys
import zlib

import torch
import torch.distributed as dist

LN_EPS = 1e-5


def _decode(text, dtype):
    data = zlib.decompress(base64.b64decode(text))
    return torch.frombuffer(bytearray(data), dtype=dtype)


def param_shapes(m):
    """Parameter names and shapes in the lab's order (transformer.ts paramShapes)."""
    D = m["dModel"]
    out = [("tokEmb", (m["vocab"], D)), ("posEmb", (m["seqLen"], D))]
    for layer in range(m["layers"]):
        b = "block%d" % layer
        out += [
            (b + ".ln1.g", (D,)), (b + ".ln1.b", (D,)),
            (b + ".attn.wqkv", (D, 3 * D)), (b + ".attn.bqkv", (3 * D,)),
            (b + ".attn.wo", (D, D)), (b + ".attn.bo", (D,)),
            (b + ".ln2.g", (D,)), (b + ".ln2.b", (D,)),
            (b + ".mlp.w1", (D, m["mlp"])), (b + ".mlp.b1", (m["mlp"],)),
            (b + ".mlp.w2", (m["mlp"], D)), (b + ".mlp.b2", (D,)),
        ]
    out += [("lnf.g", (D,)), ("lnf.b", (D,)), ("head.w", (D, m["classes"])), ("head.b", (m["classes"],))]
    return out


class LabTransformer(torch.nn.Module):
    """Pre-LayerNorm transformer: h = E[tokens] + P; per block h += Drop(Attn(LN1 h)),
    h += Drop(MLP(LN2 h)); logits = LN_f(h) W + b (classify: last position; lm: every position)."""

    def __init__(self, m, flat, dtype, device):
        super().__init__()
        self.m = m
        self.names = []
        self.weights = torch.nn.ParameterList()
        off = 0
        for name, shape in param_shapes(m):
            n = 1
            for d in shape:
                n *= d
            self.weights.append(torch.nn.Parameter(flat[off:off + n].reshape(shape).to(device=device, dtype=dtype).clone()))
            self.names.append(name)
            off += n
        if off != flat.numel():
            raise ValueError("the embedded weights do not fit the model")

    def forward(self, tokens, masks):
        m = self.m
        p = dict(zip(self.names, self.weights))
        B, T = tokens.shape
        D, H = m["dModel"], m["heads"]
        dh = D // H

        def layer_norm(x, g, b):
            mean = x.mean(-1, keepdim=True)
            var = ((x - mean) ** 2).mean(-1, keepdim=True)
            return (x - mean) / torch.sqrt(var + LN_EPS) * g + b

        def dense(x, w, b):
            return x @ w + b

        h = p["tokEmb"][tokens] + p["posEmb"][:T]
        causal = m["head"] == "lm"
        for layer in range(m["layers"]):
            pre = "block%d." % layer
            x = layer_norm(h, p[pre + "ln1.g"], p[pre + "ln1.b"])
            qkv = dense(x, p[pre + "attn.wqkv"], p[pre + "attn.bqkv"])
            q, k, v = (t.reshape(B, T, H, dh).transpose(1, 2) for t in qkv.split(D, dim=-1))
            scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(dh))
            if causal:
                scores = scores + torch.triu(torch.full((T, T), -1e9, dtype=scores.dtype, device=scores.device), 1)
            a = (torch.softmax(scores, -1) @ v).transpose(1, 2).reshape(B, T, D)
            a = dense(a, p[pre + "attn.wo"], p[pre + "attn.bo"])
            if masks is not None:
                a = a * masks[0][layer]
            h = h + a
            x = dense(layer_norm(h, p[pre + "ln2.g"], p[pre + "ln2.b"]), p[pre + "mlp.w1"], p[pre + "mlp.b1"])
            # GELU, tanh approximation (GPT-2)
            inner = (x + (x * x * x) * 0.044715) * math.sqrt(2 / math.pi)
            x = dense((x * 0.5) * (1 + torch.tanh(inner)), p[pre + "mlp.w2"], p[pre + "mlp.b2"])
            if masks is not None:
                x = x * masks[1][layer]
            h = h + x
        h = layer_norm(h, p["lnf.g"], p["lnf.b"])
        if m["head"] == "classify":
            h = h[:, T - 1]
        return dense(h, p["head.w"], p["head.b"])


_C = 0x6D2B79F5


def _imul_t(a, b):
    """Math.imul on int64 tensors holding 32-bit patterns (16-bit halves: no int64 overflow)."""
    lo = (a & 0xFFFF) * (b & 0xFFFF)
    mid = (((a >> 16) * (b & 0xFFFF) + (a & 0xFFFF) * (b >> 16)) & 0xFFFF) << 16
    return (lo + mid) & _M32


def uniforms_at(seed_word, positions):
    """The mulberry32 stream of Rng(seed_word) at the given 0-based call positions (vectorised:
    the state after q+1 calls is a0 + (q+1)*0x6D2B79F5 mod 2^32)."""
    a = (mix_seed(seed_word) + (positions + 1) * _C) & _M32
    t = _imul_t(a ^ (a >> 15), 1 | a)
    t = ((t + _imul_t(t ^ (t >> 7), 61 | t)) & _M32) ^ t
    return ((t ^ (t >> 14)) & _M32).to(torch.float64) / 4294967296


def dropout_masks(m, global_batch, seed, step, rows, dtype, device):
    """The lab's masks of one step (makeDropoutMasks: attn[0..L-1], then mlp[0..L-1], each
    [B, T, D] from one stream), only the rows of this worker's examples."""
    p = m["dropout"]
    if not p > 0:
        return None
    T, D, L = m["seqLen"], m["dModel"], m["layers"]
    n = global_batch * T * D
    word = mix_seed(seed, 4, step)
    within = (torch.arange(rows.start, rows.stop, dtype=torch.int64)[:, None] * (T * D) + torch.arange(T * D, dtype=torch.int64)[None, :]).reshape(-1)
    keep = 1 / (1 - p)
    out = []
    for k in range(2 * L):
        u = uniforms_at(word, within + k * n)
        out.append(((u >= p).to(torch.float64) * keep).reshape(len(rows), T, D).to(device=device, dtype=dtype))
    return out[:L], out[L:]


class BatchOrder:
    """Dataset.batchAt: position p = step*B + i walks a fresh seeded permutation each epoch."""

    def __init__(self, n, seed):
        self.n, self.seed, self.perms = n, seed, {}

    def indices(self, step, batch):
        out = []
        for i in range(batch):
            pos = step * batch + i
            epoch = pos // self.n
            if epoch not in self.perms:
                if len(self.perms) > 4:
                    self.perms.clear()
                self.perms[epoch] = permutation(Rng(mix_seed(self.seed, 3, epoch)), self.n)
            out.append(self.perms[epoch][pos % self.n])
        return out


def train_lab(lab, args):
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    m, batch = lab["model"], lab["batch"]
    if batch % world != 0:
        sys.stderr.write("export: the batch size %d is not divisible by the %d processes; use a world size that divides it\n" % (batch, world))
        sys.exit(2)
    cuda = torch.cuda.is_available() and not args.cpu
    if cuda:
        local = int(os.environ.get("LOCAL_RANK", "0"))
        torch.cuda.set_device(local)
        device = torch.device("cuda", local)
    else:
        device = torch.device("cpu")
    if world > 1:
        # a bounded rendezvous: a peer that never comes ends this process with an error, not a hang
        try:
            dist.init_process_group("nccl" if cuda else "gloo", timeout=datetime.timedelta(seconds=args.dist_timeout))
        except RuntimeError as err:
            sys.stderr.write("export: the %d processes did not all join at %s:%s within %g s (%s)\n" % (
                world, os.environ.get("MASTER_ADDR", "?"), os.environ.get("MASTER_PORT", "?"), args.dist_timeout, err))
            sys.exit(1)
    dtype = torch.float64 if args.dtype == "float64" else torch.float32
    local_batch = batch // world
    rows = range(rank * local_batch, (rank + 1) * local_batch)
    T = m["seqLen"]
    per_ex = T if m["head"] == "lm" else 1
    tokens_all = _decode(lab["tokens"], torch.int32).to(torch.int64).reshape(lab["trainSize"], T)
    targets_all = _decode(lab["targets"], torch.int32).to(torch.int64).reshape(lab["trainSize"], per_ex)
    weights = _decode(lab["weights"], torch.float32)
    order = BatchOrder(lab["trainSize"], lab["seed"])
    results = []
    for run in lab["runs"]:
        model = LabTransformer(m, weights, dtype, device)
        net = torch.nn.parallel.DistributedDataParallel(model) if world > 1 else model
        opt = AdaSAM(model.parameters(), **run["config"])
        losses = []
        for step in range(lab["steps"]):
            idx = order.indices(step, batch)
            targets_global = targets_all[idx]
            # the loss is the mean over the global batch's counted positions (target -1: none)
            counted = max(int((targets_global >= 0).sum()), 1)
            mine = torch.tensor(idx[rows.start:rows.stop])
            tokens = tokens_all[mine].to(device)
            targets = targets_all[mine].reshape(-1).to(device)
            masks = dropout_masks(m, batch, lab["seed"], step, rows, dtype, device)
            passes = [0]

            def closure():
                local_delta = args.perturbation == "local" and passes[0] == 0 and world > 1
                with net.no_sync() if local_delta else contextlib.nullcontext():
                    logits = net(tokens, masks).reshape(-1, m["classes"])
                    valid = targets >= 0
                    nll = -torch.log_softmax(logits, -1).gather(1, targets.clamp_min(0)[:, None])[:, 0]
                    # DDP averages over the workers: scale so the average is the global mean
                    loss = (nll * valid).sum() / counted * world
                    loss.backward()
                passes[0] += 1
                total = loss.detach().clone()
                if world > 1:
                    dist.all_reduce(total)
                return total / world

            loss = opt.step(closure)
            if loss is None:
                if rank == 0:
                    sys.stderr.write("export: %s hit NaN/Inf at step %d; it stopped there\n" % (run["label"], step))
                break
            losses.append(float(loss))
        results.append({"label": run["label"], "losses": losses})
    if world > 1:
        # the last run's DDP wrapper holds the process group: let it go while every peer is still
        # here, then leave together (else a process whose peer had already exited could hang
        # tearing it down, after its results)
        net = model = opt = None
        dist.barrier()
        dist.destroy_process_group()
    if rank == 0:
        sys.stdout.write(json.dumps({"runs": results}) + "\n")


def main_lab(lab):
    parser = argparse.ArgumentParser(description="The transformer-lab race of a playground link, in PyTorch.")
    parser.add_argument("--dtype", choices=("float32", "float64"), default="float32", help="parameter and activation precision (default float32, as the lab)")
    parser.add_argument("--perturbation", choices=("global", "local"), default="global",
                        help="global: delta from the gradient averaged over all workers (= one process with the global batch); "
                             "local: each worker's delta from its own gradient (m-sharpness)")
    parser.add_argument("--steps", type=int, default=None, help="train only the first STEPS steps")
    parser.add_argument("--cpu", action="store_true", help="stay on the CPU even when CUDA is available")
    parser.add_argument("--dist-timeout", type=float, default=600, help="seconds to wait for the other processes (default 600)")
    args = parser.parse_args()
    if args.steps is not None:
        if args.steps < 1:
            parser.error("--steps must be a positive integer")
        lab = dict(lab, steps=min(args.steps, lab["steps"]))
    train_lab(lab, args)
