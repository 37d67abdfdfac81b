/**
 * Teaching (issue 11): the opening race's text says what its trace says, the test view scores
 * each run's end point on both landscapes and draws the moved landscape, and a landscape switch
 * brings that landscape's recommended settings.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expectNoSeriousAxe } from './axe';
import { test, expect } from './fixtures';

const SHOTS = 'test-results/teach';

/** The end loss of each run as `trace` prints it for a link, to two decimals with a real minus. */
function traceEnds(link: string): string[] {
  const out = execFileSync('npx', ['tsx', 'scripts/trace.ts', link], { encoding: 'utf8' });
  return (JSON.parse(out) as { trace: { loss: number[] } }[]).map((r) =>
    r.trace.loss[r.trace.loss.length - 1].toFixed(2).replace('-', '−'),
  );
}

test('the opening race says where each run ends with the losses the trace prints', async ({
  page,
}) => {
  const [sgd, amsgrad, sam, adasam] = traceEnds('#v=3');
  await page.goto('./');
  const story = page.getByTestId('race-story');
  await expect(story).toContainText(
    `SGD, AMSGrad and SAM end in the sharp well: training loss ${sgd === amsgrad ? sgd : '?'} to ${sam}`,
  );
  await expect(story).toContainText(`AdaSAM ends in the flat well: training loss ${adasam}`);
  await expect(story).toContainText('same radius ρ = 0.12');
  const rows = page.getByTestId('score-row');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(3)).toContainText(adasam);
  // another race: the reasons for the opening race are not shown
  await page.goto('./#v=2&r0=sgd&r1=adasam');
  await expect(page.getByTestId('race-story')).not.toContainText('same radius');
});

test('the test view moves the landscape on the map and goes into the link', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('contour-view')).not.toContainText('(test)');
  await page.getByTestId('view-testView').check();
  await expect(page).toHaveURL(/tv=true/);
  await expect(page.getByTestId('contour-view')).toContainText('sharp well (test)');
  await page.screenshot({ path: `${SHOTS}/test-view.png`, fullPage: true });
});

test('switching the landscape brings its recommended settings; a changed γ stays', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('scene-problem').selectOption('rosenbrock');
  await expect(page).toHaveURL(/#v=3&land=rosenbrock$/);
  await expect(page.getByTestId('scene-steps')).toHaveValue('1000');
  await expect(page.getByTestId('view-logLoss')).toBeChecked();
  await expect(page.getByTestId('run-legend')).not.toContainText('diverged');
  await expect(page.getByTestId('loss-chart-steps')).toContainText('log₁₀');
  await page.getByTestId('scene-problem').selectOption('himmelblau');
  await expect(page.getByTestId('race-story')).toContainText(
    'SGD and SAM end in the south-east minimum',
  );
  await expect(page.getByTestId('race-story')).toContainText(
    'AMSGrad and AdaSAM end in the north-east minimum',
  );
  await page.screenshot({ path: `${SHOTS}/himmelblau.png`, fullPage: true });
});

interface LessonFile {
  title: string;
  steps: {
    title: string;
    question: { kind?: 'point'; options: string[]; answer: number; run: number };
  }[];
}
const LESSON = JSON.parse(readFileSync('src/lessons/sam-adasam.json', 'utf8')) as LessonFile;

test('the built-in lesson, end to end: every step hides the result, records a prediction, reveals and plays', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('lesson-menu-button').click();
  await page.getByTestId('lesson-start').click();
  const player = page.getByTestId('lesson-player');
  const n = LESSON.steps.length;
  let right = 0;
  for (const [i, step] of LESSON.steps.entries()) {
    await expect(page.getByTestId('lesson-count')).toHaveText(`step ${i + 1} of ${n}`);
    await expect(page.getByTestId('lesson-step-title')).toHaveText(step.title);
    await expect(page).toHaveURL(new RegExp(`lesson=builtin%3Asam-adasam&ls=${i}$`));
    // before the reveal: the paths and numbers are hidden and the reveal waits for an answer
    await expect(page.getByTestId('concealed')).toBeVisible();
    await expect(page.getByTestId('trajectories')).toBeHidden();
    await expect(page.getByTestId('test-scores')).toBeHidden();
    await expect(page.getByTestId('lesson-reveal')).toBeDisabled();
    await expect(player.getByTestId('lesson-equation')).toBeVisible();
    // predict: the right answer on even steps, a wrong one on odd steps
    if (step.question.kind === 'point') {
      // typed: Himmelblau's north-east minimum (3, 2) is within the tolerance of AdaSAM's end
      expect(i % 2).toBe(0);
      right += 1;
      await player.getByTestId('lesson-predict-x').fill('3');
      await player.getByTestId('lesson-predict-y').fill('2');
      await player.getByTestId('lesson-predict-y').press('Enter');
      await expect(player.getByTestId('lesson-prediction')).toHaveText(
        'Your prediction: (3.00, 2.00)',
      );
      await page.getByTestId('lesson-reveal').click();
      await expect(page.getByTestId('lesson-verdict')).toContainText('your prediction was right');
    } else {
      const pick =
        i % 2 === 0
          ? step.question.answer
          : (step.question.answer + 1) % step.question.options.length;
      if (pick === step.question.answer) right += 1;
      await player.getByTestId('lesson-option').nth(pick).check();
      await page.getByTestId('lesson-reveal').click();
      await expect(page.getByTestId('lesson-verdict')).toContainText(
        pick === step.question.answer ? 'Your prediction was right.' : 'Not this time.',
      );
    }
    await expect(page.getByTestId('concealed')).toHaveCount(0);
    await expect(page.getByTestId('trajectories')).toBeVisible();
    // the result plays: the step player runs
    await expect(page.getByTestId('play')).toHaveText(/Pause/);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('lesson-score')).toHaveText(`${right} of ${i + 1}`);
    if (i === 0) await page.screenshot({ path: `${SHOTS}/lesson-step1-revealed.png` });
    if (i + 1 < n) await page.keyboard.press('PageDown');
  }
  // PageUp goes back; the recorded answer and the reveal stay
  await page.keyboard.press('PageUp');
  await expect(page.getByTestId('lesson-count')).toHaveText(`step ${n - 1} of ${n}`);
  await expect(page.getByTestId('lesson-verdict')).toBeVisible();
  await expect(
    player
      .getByTestId('lesson-option')
      .nth((LESSON.steps[n - 2].question.answer + 1) % LESSON.steps[n - 2].question.options.length),
  ).toBeChecked();
  await page.getByTestId('lesson-close').click();
  await expect(page.getByTestId('lesson-player')).toHaveCount(0);
  await expect(page).not.toHaveURL(/lesson=/);
});

/** The prediction's distance as the verdict shows it, and the run's end as its map marker says. */
async function shownDistance(page: import('@playwright/test').Page): Promise<number> {
  return Number((await page.getByTestId('lesson-distance').innerText()).replace('−', '-'));
}
async function endOnMap(page: import('@playwright/test').Page, run: number): Promise<number[]> {
  const title = await page
    .locator(`[data-testid="end-marker"][data-run="${run}"] title`)
    .textContent();
  const m = /ends at \((-?[\d.]+), (-?[\d.]+)\)/.exec(title ?? '');
  expect(m, title ?? '').not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

test('click where AdaSAM will end: by the mouse, then by the keyboard; the distance shown is from the end on the map', async ({
  page,
}) => {
  const i = LESSON.steps.findIndex((s) => s.question.kind === 'point');
  const run = LESSON.steps[i].question.run;
  await page.goto(`./#lesson=builtin:sam-adasam&ls=${i}`);
  const map = page.getByTestId('contour-map');
  await expect(page.getByTestId('concealed')).toBeVisible();
  await expect(page.getByTestId('lesson-reveal')).toBeDisabled();
  await expect(page.getByTestId('prediction-marker')).toHaveCount(0);
  // the blurb says what a click does while the question is open
  const hint = page.getByTestId('map-hint');
  await expect(hint).toHaveText(
    'Click or drag on the map to mark where AdaSAM will end (the start stays where it is).',
  );
  // Himmelblau's map spans [−5, 5]²: a click at 30 % across and 40 % down is (−2, 1)
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: 0.3 * box.width, y: 0.4 * box.height } });
  // recorded: the fields hold the clicked point, and the player says it in words
  const x = Number(await page.getByTestId('lesson-predict-x').inputValue());
  const y = Number(await page.getByTestId('lesson-predict-y').inputValue());
  expect(Math.abs(x + 2)).toBeLessThanOrEqual(0.03);
  expect(Math.abs(y - 1)).toBeLessThanOrEqual(0.03);
  const words = (v: number) => v.toFixed(2).replace('-', '−');
  await expect(page.getByTestId('lesson-prediction')).toHaveText(
    `Your prediction: (${words(x)}, ${words(y)})`,
  );
  await expect(page.getByTestId('prediction-marker')).toBeVisible();
  // the start did not move: the click placed the prediction
  await expect(page).not.toHaveURL(/x0=/);
  // the keyboard: arrow keys on the map move the marker by 1 % of the domain (0.1), Shift 10 %
  await map.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('lesson-predict-x')).toHaveValue(
    String(Number((x + 1).toFixed(3))),
  );
  await expect(page.getByTestId('lesson-predict-y')).toHaveValue(
    String(Number((y + 0.1).toFixed(3))),
  );
  const answer = [x + 1, y + 0.1];
  await page.screenshot({ path: `${SHOTS}/lesson-point-predict.png` });
  await page.getByTestId('lesson-reveal').click();
  await expect(page.getByTestId('trajectories')).toBeVisible();
  const end = await endOnMap(page, run);
  const d = await shownDistance(page);
  expect(Math.abs(d - Math.hypot(answer[0] - end[0], answer[1] - end[1]))).toBeLessThanOrEqual(
    0.006,
  );
  await expect(page.getByTestId('lesson-verdict')).toContainText('not this time');
  await expect(page.getByTestId('lesson-score')).toHaveText('0 of 1');
  // after the reveal the map moves the start again, and the prediction stays put
  await expect(page.getByTestId('lesson-predict-x')).toBeDisabled();
  await expect(hint).toHaveText('Click or drag on the map to move the start.');
  await page.screenshot({ path: `${SHOTS}/lesson-point-revealed.png` });
  await expectNoSeriousAxe(page, 'a revealed point question');
});

test('presenter view of a lesson step at 1280×720', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('./#lesson=builtin:sam-adasam&ls=4');
  await expect(page.getByTestId('lesson-step-title')).toHaveText(LESSON.steps[4].title);
  await page.locator('body').press('p');
  await page.screenshot({ path: `${SHOTS}/lesson-presenter.png` });
});

test('a teacher writes a lesson: problems are named, then it plays from one link', async ({
  page,
}) => {
  await page.goto('./#v=3&land=ravine');
  await page.getByTestId('lesson-menu-button').click();
  await page.getByTestId('lesson-write').click();
  const editor = page.getByTestId('lesson-editor');
  await expect(editor.getByTestId('edit-step')).toHaveCount(LESSON.steps.length);
  await page.getByTestId('edit-title').fill('My ravine lesson');
  await editor.getByTestId('edit-link').first().fill('#v=3&zzz=1');
  await expect(page.getByTestId('edit-problems')).toContainText(
    "step 1: the link's zzz=1 is not understood (unknown setting)",
  );
  await expect(page.getByTestId('edit-play')).toBeDisabled();
  await editor.getByRole('button', { name: 'Use the page as it is now' }).first().click();
  await expect(editor.getByTestId('edit-link').first()).toHaveValue('#v=3&land=ravine');
  await expect(page.getByTestId('edit-problems')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/lesson-editor.png`, fullPage: true });
  await page.getByTestId('edit-play').click();
  await expect(page).toHaveURL(/lesson=data%3A[A-Za-z0-9_-]+&ls=0$/);
  await expect(page.getByTestId('lesson-player')).toContainText('My ravine lesson');
  await expect(page.getByTestId('scene-problem')).toHaveValue('ravine');
  // the same link in a fresh page opens the same lesson
  const url = page.url();
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.getByTestId('lesson-player')).toContainText('My ravine lesson');
});

test('a damaged lesson link says what is wrong and opens the page', async ({ page }) => {
  await page.goto('./#v=2&lesson=data%3A%25%25&ls=0');
  await expect(page.getByTestId('notice')).toContainText(
    'The lesson in this link could not be opened',
  );
  await expect(page.getByTestId('notice')).toContainText('damaged');
  await expect(page.getByTestId('trajectories')).toBeVisible();
});

const LAB_LESSON = JSON.parse(
  readFileSync('src/lessons/transformer-lab.json', 'utf8'),
) as LessonFile;

test('the lab lesson, end to end: every step opens the lab with its settings hidden until the reveal, which starts the race', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('lesson-menu-button').click();
  await page.getByTestId('lesson-start-transformer-lab').click();
  const player = page.getByTestId('lesson-player');
  const n = LAB_LESSON.steps.length;
  for (const [i, step] of LAB_LESSON.steps.entries()) {
    await expect(page.getByTestId('lesson-count')).toHaveText(`step ${i + 1} of ${n}`);
    await expect(page.getByTestId('lesson-step-title')).toHaveText(step.title);
    await expect(page).toHaveURL(new RegExp(`page=lab.*lesson=builtin%3Atransformer-lab&ls=${i}$`));
    await expect(player.getByTestId('lesson-equation')).toBeVisible();
    await expect(page.getByTestId('lab-task')).toContainText('1 block, d_model 32, 2 heads');
    if (i === 0) {
      await expect(page.getByTestId('concealed')).toBeVisible();
      await expect(page.getByTestId('lesson-reveal')).toBeDisabled();
      await expectNoSeriousAxe(page, 'the lab lesson with its question open');
      await player.getByTestId('lesson-option').nth(step.question.answer).check();
      await page.getByTestId('lesson-reveal').click();
      await expect(page.getByTestId('lesson-verdict')).toContainText('Your prediction was right.');
      await expect(page.getByTestId('concealed')).toHaveCount(0);
      // the reveal starts the race
      await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', /running|done/, {
        timeout: 30_000,
      });
      await page.screenshot({ path: `${SHOTS}/lab-lesson-revealed.png` });
      await expectNoSeriousAxe(page, 'the lab lesson revealed, training');
      await page.getByTestId('lab-stop').click();
    } else await expect(page.getByTestId('concealed')).toBeVisible();
    if (i + 1 < n) await page.keyboard.press('PageDown');
  }
  await expect(page.getByTestId('lesson-score')).toHaveText('1 of 1');
  await page.screenshot({ path: `${SHOTS}/lab-lesson-last-step.png` });
});
