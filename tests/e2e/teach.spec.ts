/**
 * Teaching (issue 11): the opening race's text says what its trace says, the test view scores
 * each run's end point on both landscapes and draws the moved landscape, and a landscape switch
 * brings that landscape's recommended settings.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  const [sgd, amsgrad, sam, adasam] = traceEnds('#v=2');
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
  await expect(page).toHaveURL(/#v=2&land=rosenbrock$/);
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
  steps: { title: string; question: { options: string[]; answer: number } }[];
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
    // predict: the right option on even steps, a wrong one on odd steps
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
  await page.goto('./#v=2&land=ravine');
  await page.getByTestId('lesson-menu-button').click();
  await page.getByTestId('lesson-write').click();
  const editor = page.getByTestId('lesson-editor');
  await expect(editor.getByTestId('edit-step')).toHaveCount(LESSON.steps.length);
  await page.getByTestId('edit-title').fill('My ravine lesson');
  await editor.getByTestId('edit-link').first().fill('#v=2&zzz=1');
  await expect(page.getByTestId('edit-problems')).toContainText(
    "step 1: the link's zzz=1 is not understood (unknown setting)",
  );
  await expect(page.getByTestId('edit-play')).toBeDisabled();
  await editor.getByRole('button', { name: 'Use the page as it is now' }).first().click();
  await expect(editor.getByTestId('edit-link').first()).toHaveValue('#v=2&land=ravine');
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
