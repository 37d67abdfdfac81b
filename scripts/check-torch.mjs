// Fails early, in one line, when the PyTorch export tests have no PyTorch to run (they are never skipped).
import { spawnSync } from 'node:child_process';

const python = process.env.PYTHON_TORCH || '/usr/bin/python3';
const probe = [
  'import torch, torch.distributed as d',
  'v = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2])',
  'assert v >= (1, 13), "PyTorch " + torch.__version__ + " is older than 1.13"',
  'assert d.is_available() and d.is_gloo_available(), "torch.distributed with gloo is missing"',
].join('\n');
const r = spawnSync(python, ['-c', probe], { encoding: 'utf8' });
if (r.error || r.status !== 0) {
  const why = r.error
    ? `${python} cannot be run (${r.error.code ?? r.error.message})`
    : (r.stderr.trim().split('\n').pop() ?? 'import torch failed');
  console.error(
    `PyTorch for the export tests: ${why}. Install Debian's python3-torch (sudo apt-get install -y python3-torch) or set PYTHON_TORCH to a Python with PyTorch >= 1.13.`,
  );
  process.exit(1);
}
