/**
 * `export torch '<link>'` and the pages' "Export → PyTorch" button: one self-contained Python
 * file (PyTorch ≥ 1.13 and the standard library) that runs what the link shows.
 *
 * - 2-D explainer link: the landscape, its seeded stochastic mode and every run of the race, in
 *   Python floats with the same operation order; it prints what `trace` prints for the link.
 * - Transformer-lab link: the lab's transformer in torch, the seeded training set and initial
 *   weights embedded (made here by the lab's own TypeScript), the race; it prints
 *   {"runs":[{"label","losses":[…]}…]}. DistributedDataParallel under torchrun.
 *
 * The file is assembled from the Python sources in ./python and literals written from
 * validated values only (pyLiteral.ts). A link the exporter cannot express exactly (a newer
 * version, unknown keys, values the decoder had to replace) is refused with a message.
 */
import { getLandscape, LANDSCAPE_IDS } from '../landscapes';
import { CONFIG_KEYS, FAMILY_NAMES, type OptimizerConfig } from '../optim/config';
import { labProblems } from '../state/labCheck';
import { decodeLink, toLabSettings, type PlaygroundLink } from '../state/url';
import { stochasticOf } from '../trace/trace';
import { testShift } from '../landscapes/testView';
import { makeTask } from '../tf/data';
import { initValues } from '../tf/model/initValues';
import type { ModelSettings, TextName } from '../lab/types';
import {
  deflateBase64,
  ExportError,
  pyBase64,
  pyBool,
  pyDict,
  pyEnum,
  pyFloat,
  pyInt,
} from './pyLiteral';
import type { PythonSources } from './sources';

export interface ExportDeps {
  sources: PythonSources;
  /** texts of the char-LM task (only needed for such a lab link) */
  texts?: Partial<Record<TextName, string>>;
}

export type ExportResult =
  { ok: true; filename: string; text: string } | { ok: false; message: string };

/** One line, printable: the message may quote a hostile link (control characters become spaces). */
const oneLine = (s: string): string =>
  Array.from(s, (ch) => {
    const c = ch.codePointAt(0)!;
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 ? ' ' : ch;
  })
    .join('')
    .slice(0, 300);

const EPS_MODES = ['floor', 'add'];
const PERTURBATIONS = ['sam', 'asam'];

/** A full optimizer config (spec §3 keys, spec order) as a Python dict literal. */
function configLiteral(c: OptimizerConfig): string {
  return pyDict(
    CONFIG_KEYS.map((k): [string, string] => {
      const v = c[k];
      if (k === 'epsMode') return [k, pyEnum(v as string, EPS_MODES)];
      if (k === 'perturbation') return [k, pyEnum(v as string, PERTURBATIONS)];
      return [k, typeof v === 'boolean' ? pyBool(v) : pyFloat(v as number)];
    }),
  );
}

const section = (file: string, source: string): string =>
  `# ${'─'.repeat(20)} ${file} ${'─'.repeat(60 - file.length)}\n\n${source.trimEnd()}\n`;

const HEADER = [
  '#!/usr/bin/env python3',
  '# AdaSAM playground export for PyTorch (>= 1.13; nothing else beyond the standard library).',
  '# Generated from a share link by `npm run --silent export -- torch <link>` or the page’s',
  '# "Export → PyTorch" button; the optimizer is the playground’s own (spec/optimizer.md).',
];

function explainerScript(link: PlaygroundLink, src: PythonSources): ExportResultOk {
  const scene = link.scene;
  const land = getLandscape(scene.problem);
  if (!land) throw new ExportError(`unknown landscape`);
  const x0 = scene.x0 ?? land.x0;
  const stochastic = stochasticOf(scene);
  const sceneLiteral = pyDict([
    ['problem', pyEnum(land.id, LANDSCAPE_IDS)],
    ['x0', `[${x0.map(pyFloat).join(', ')}]`],
    ['steps', pyInt(scene.steps)],
    // the test view's seeded shift u (landscapes/testView.ts), as trace computes it
    ['shift', `[${testShift(land, scene.seed).map(pyFloat).join(', ')}]`],
    [
      'stochastic',
      stochastic
        ? pyDict([
            ['sigma', pyFloat(stochastic.sigma)],
            ['batch', pyInt(stochastic.batch)],
            ['samples', pyInt(stochastic.samples)],
            ['seed', pyInt(stochastic.seed)],
          ])
        : 'None',
    ],
  ]);
  const runs = link.runs.map(
    (r) =>
      `    ${pyDict([
        ['optimizer', pyEnum(r.family, FAMILY_NAMES)],
        ['config', configLiteral(r.config)],
      ])},`,
  );
  const text = [
    ...HEADER,
    '#',
    '# The 2-D explainer: the landscape, its seeded minibatch noise (bit-compatible with the page)',
    '# and every run of the race, computed in Python floats in the same operation order.',
    '#   python3 THIS_FILE        prints the race as JSON, equal to',
    "#                            `npm run --silent trace -- '<the same link>'`",
    '#   torchrun --nproc_per_node=N THIS_FILE   runs unchanged: every process computes the race,',
    '#                            rank 0 alone prints (nothing here is worth distributing)',
    '',
    section('adasam.py', src.adasam),
    section('detmath.py', src.detmath),
    section('explainer.py', src.explainer),
    section('this link', `SCENE = ${sceneLiteral}\n\nRUNS = [\n${runs.join('\n')}\n]`),
    'if __name__ == "__main__":',
    '    main_2d(SCENE, RUNS)',
    '',
  ].join('\n');
  return { ok: true, filename: `adasam_2d_${land.id}.py`, text };
}

type ExportResultOk = Extract<ExportResult, { ok: true }>;

async function labScript(link: PlaygroundLink, deps: ExportDeps): Promise<ExportResultOk> {
  const lab = link.lab;
  if (!lab) throw new ExportError('the link has no lab settings');
  const problems = labProblems(lab);
  if (problems.length) throw new ExportError(problems[0]);
  const settings = toLabSettings(lab);
  const data = makeTask(settings.task, settings.seed, deps.texts ?? {});
  const model: ModelSettings = {
    ...settings.model,
    vocab: data.vocab,
    seqLen: data.seqLen,
    head: data.head,
    classes: data.classes,
  };
  const parts = initValues(model, settings.seed);
  const weights = new Float32Array(parts.reduce((n, p) => n + p.values.length, 0));
  let off = 0;
  for (const p of parts) {
    weights.set(p.values, off);
    off += p.values.length;
  }
  const labels = settings.runs.map((r) => r.label);
  const modelLiteral = pyDict([
    ['layers', pyInt(model.layers)],
    ['dModel', pyInt(model.dModel)],
    ['heads', pyInt(model.heads)],
    ['mlp', pyInt(model.mlp)],
    ['dropout', pyFloat(model.dropout)],
    ['vocab', pyInt(model.vocab)],
    ['seqLen', pyInt(model.seqLen)],
    ['head', pyEnum(model.head, ['classify', 'lm'])],
    ['classes', pyInt(model.classes)],
  ]);
  const runs = settings.runs.map(
    (r) =>
      `        ${pyDict([
        ['label', pyEnum(r.label, labels)],
        ['config', configLiteral(r.config)],
      ])},`,
  );
  const labLiteral = [
    'LAB = {',
    `    "task": ${pyEnum(settings.task.kind, ['modadd', 'reverse', 'sort', 'brackets', 'majority', 'charlm'])},`,
    `    "model": ${modelLiteral},`,
    `    "batch": ${pyInt(settings.batch)},`,
    `    "steps": ${pyInt(settings.steps)},`,
    `    "seed": ${pyInt(settings.seed)},`,
    `    "trainSize": ${pyInt(data.train.n)},`,
    `    "runs": [\n${runs.join('\n')}\n    ],`,
    '    # the training set (int32, zlib, base64) and the initial weights (float32 in the order of',
    '    # param_shapes, zlib, base64), made by the lab’s own TypeScript for this link',
    `    "tokens": ${pyBase64(await deflateBase64(data.train.tokens))},`,
    `    "targets": ${pyBase64(await deflateBase64(data.train.targets))},`,
    `    "weights": ${pyBase64(await deflateBase64(weights))},`,
    '}',
  ].join('\n');
  const text = [
    ...HEADER,
    '#',
    '# The transformer lab: the model, the seeded training data and initial weights, and every',
    '# optimizer of the race from the same weights on the same batches.',
    '#   python3 THIS_FILE [--dtype float64] [--steps N] [--cpu]',
    '#   torchrun --nproc_per_node=N THIS_FILE [--perturbation local]   DistributedDataParallel:',
    '#       gloo on CPU, nccl on GPUs; the batch must be divisible by N. Both SAM gradients are',
    '#       averaged over all workers before use (= one process with the whole batch); with',
    '#       --perturbation local each worker perturbs by its own gradient (m-sharpness).',
    '# Prints (rank 0 only): {"runs": [{"label": ..., "losses": [training loss per step, ...]}, ...]}',
    '',
    section('adasam.py', deps.sources.adasam),
    section('detmath.py', deps.sources.detmath),
    section('lab.py', deps.sources.lab),
    section('this link', labLiteral),
    'if __name__ == "__main__":',
    '    main_lab(LAB)',
    '',
  ].join('\n');
  return { ok: true, filename: `adasam_lab_${settings.task.kind}.py`, text };
}

/** The script for a share link, or why the link cannot be exported. Never throws. */
export async function exportTorch(linkText: string, deps: ExportDeps): Promise<ExportResult> {
  const { link, ignored } = decodeLink(linkText);
  if (ignored.length > 0) {
    const first = ignored[0];
    const more = ignored.length > 1 ? ` (and ${ignored.length - 1} more)` : '';
    return {
      ok: false,
      message: oneLine(
        `cannot export this link exactly: ${JSON.stringify(first.key)}: ${first.reason}${more}`,
      ),
    };
  }
  try {
    return link.page === 'lab' ? await labScript(link, deps) : explainerScript(link, deps.sources);
  } catch (err) {
    return {
      ok: false,
      message: oneLine(
        `cannot export this link: ${err instanceof Error ? err.message : String(err)}`,
      ),
    };
  }
}

/** The optimizer alone, as the module adasam.py. */
export const standaloneAdasam = (sources: PythonSources): string => sources.adasam;
