/**
 * Accessibility of both pages in headless Chromium (issue 12): axe-core (injected from the
 * axe-core package) finds no critical or serious violation on the explainer (landing, anatomy
 * playing, keyboard panel, presenter mode) or the lab (before and after a short race); sliders
 * speak their real values; the equations carry MathML; announcements are words; the page's keys
 * stay out of fields and arrow keys belong to the focused widget; presenter mode makes the
 * figures larger with the map and the step anatomy side by side (screenshots in
 * test-results/a11y/ to look at).
 */
import { expectNoSeriousAxe as axe } from './axe';
import { test, expect } from './fixtures';

const SHOTS = 'test-results/a11y';
const SMALL_LAB =
  '#v=1&page=lab&lab.be=cpu&lab.p=11&lab.L=1&lab.d=32&lab.h=2&lab.mlp=32&lab.b=16&lab.steps=30&lab.eval=10';

test('explainer: no serious axe violation on landing, while playing, with the keys panel', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  await axe(page, 'the landing page');

  await page.getByTestId('play').click();
  const phase = page.getByTestId('anatomy-phase');
  const first = await phase.getAttribute('data-phase');
  await expect(phase).not.toHaveAttribute('data-phase', first!);
  await axe(page, 'the anatomy playing');
  await page.getByTestId('play').click();

  await page.locator('body').press('?');
  await expect(page.getByTestId('keyboard-help')).toBeVisible();
  await expect(page.getByTestId('keyboard-help')).toContainText('previous phase');
  await axe(page, 'the keyboard panel');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('keyboard-help')).toBeHidden();
});

for (const [w, h] of [
  [1280, 720],
  [1024, 768],
] as const) {
  test(`presenter mode at ${w}×${h}: larger figures, the map beside the step anatomy`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('./');
    await expect(page.getByTestId('trajectory')).toHaveCount(4);
    const map = page.getByTestId('contour-view');
    const tick = page.getByTestId('loss-chart-steps').locator('.tick text').first();
    const before = (await map.boundingBox())!;
    const tickBefore = (await tick.boundingBox())!.height;

    await page.locator('body').press('p');
    await expect(page.locator('html.presenter')).toHaveCount(1);
    const after = (await map.boundingBox())!;
    expect(after.width).toBeGreaterThan(1.3 * before.width);
    expect((await tick.boundingBox())!.height).toBeGreaterThan(1.3 * tickBefore);
    // the settings are in a closed drawer, the step anatomy beside the map, both on screen
    await expect(page.locator('#explainer-settings')).toBeHidden();
    const anatomy = (await page.getByTestId('step-anatomy').boundingBox())!;
    expect(anatomy.x).toBeGreaterThanOrEqual(after.x + after.width - 1);
    expect(after.y + after.height).toBeLessThanOrEqual(h);
    expect(anatomy.y).toBeLessThan(h / 2);
    await page.screenshot({ path: `${SHOTS}/presenter-${w}x${h}.png` });
    await axe(page, `presenter mode at ${w}×${h}`);

    await page.getByTestId('settings-drawer').click();
    await expect(page.locator('#explainer-settings')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/presenter-drawer-${w}x${h}.png` });
  });
}

test('screen readers: real slider values, MathML equations, buttons named by their text, words', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  // ρ = 0.12 on the AdaSAM run (the wells' recommended ρ, link version 2) reads "0.12" and what
  // it is, not the slider's position (24)
  await expect(page.getByTestId('r3-rho-slider')).toHaveAttribute(
    'aria-valuetext',
    '0.12 (radius of the ascent step)',
  );
  await expect(page.getByTestId('r3-beta1-slider')).toHaveAttribute(
    'aria-valuetext',
    '0.9 (momentum weight)',
  );
  // every slider on the page says a value and a unit: a number, then words
  const texts = await page
    .locator('input[type="range"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-valuetext') ?? ''));
  expect(texts.length).toBeGreaterThanOrEqual(6);
  for (const t of texts)
    expect(t).toMatch(/^(step )?(minus )?[\d.]+( times 10 to the [\w ]+)? \(?[a-z]/);
  // the steps field carries its unit as its description
  await expect(page.getByTestId('scene-steps')).toHaveAccessibleDescription('steps');
  await expect(page.getByRole('slider', { name: 'Animation speed' })).toHaveAttribute(
    'aria-valuetext',
    /phases per second$/,
  );
  // β1's slider reaches 0.9 exactly: one position down and up again
  const b1 = page.getByTestId('r3-beta1-slider');
  await b1.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/r3\.b1=0\.899/);
  await page.keyboard.press('ArrowRight');
  await expect(page).not.toHaveURL(/r3\.b1=/);

  // each line of Algorithm 1 carries MathML, outside any button
  const lines = page.getByTestId('algorithm').locator('li');
  expect(await lines.count()).toBeGreaterThanOrEqual(8);
  await expect(lines.first().locator('math')).toHaveCount(1);
  await expect(page.getByTestId('algorithm').locator('button math')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '+1 step' })).toHaveCount(1);

  // the live region speaks words, after the phase settles
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('.');
  const live = page.getByTestId('live-announcer');
  await expect(live).toContainText(/phase \d: the /);
  expect(await live.textContent()).not.toMatch(/[_{}]/);
});

test('keyboard: arrows move x₀ on the map and runs on the tabs; page keys stay out of fields', async ({
  page,
}) => {
  await page.goto('./');
  await expect(page.getByTestId('trajectory')).toHaveCount(4);
  const phase = page.getByTestId('anatomy-phase');
  const p0 = await phase.getAttribute('data-phase');

  // the map: → moves x₀ right by 1 % of the domain, into the link
  const x0 = async () => Number((await page.getByTestId('start-x').inputValue()).trim()) as number;
  const before = await x0();
  await page.getByTestId('contour-map').focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(x0).toBeGreaterThan(before);
  await expect(page).toHaveURL(/x0=/);
  await expect(phase).toHaveAttribute('data-phase', p0!);

  // the numeric field
  await page.getByTestId('start-y').fill('0.25');
  await page.getByTestId('start-y').press('Enter');
  await expect(page).toHaveURL(/x0=[-\d.]+(,|%2C)0\.25/);
  // "." typed in a field is text, not "next phase"
  await page.getByTestId('start-x').press('.');
  await expect(phase).toHaveAttribute('data-phase', p0!);

  // run tabs: one tab stop, → selects the next run
  await page.getByTestId('run-tab-3').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('run-tab-0')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('run-tab-0')).toBeFocused();
  await expect(phase).toHaveAttribute('data-phase', p0!);

  // the 3-D view turns with the keys
  const canvas = page.getByTestId('surface-view').locator('canvas');
  const shot = await canvas.screenshot();
  await canvas.focus();
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => (await canvas.screenshot()).equals(shot)).toBe(false);
});

test('controls say what they do: SGD hides the adaptive knobs; ρ > 0 makes it SAM', async ({
  page,
}) => {
  await page.goto('./');
  await page.getByTestId('run-tab-0').click();
  await expect(page.getByTestId('run-tab-0')).toHaveText(/SGD/);
  await expect(page.getByTestId('r0-beta2')).toHaveCount(0);
  await expect(page.getByTestId('r0-eps')).toHaveCount(0);
  await expect(page.getByTestId('inert-0')).toContainText('β2');
  await expect(page.getByTestId('inert-0')).toContainText('not adaptive');
  await page.getByTestId('r0-rho').fill('0.1');
  await page.getByTestId('r0-rho').press('Enter');
  await expect(page.getByTestId('run-tab-0')).toHaveText(/^\s*SAM\s*$/);
  await expect(page).toHaveURL(/r0=sam&r0\.rho=0\.1/);
  await expect(page.getByTestId('run-legend').getByTestId('legend-item').first()).toContainText(
    'SAM',
  );
});

test('lab: no serious axe violation before and after a short race, and in presenter mode', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./' + SMALL_LAB);
  await expect(page.getByRole('heading', { name: 'Transformer lab' })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('lab-start')).toBeEnabled({ timeout: 30_000 });
  await axe(page, 'the lab before training');
  // the lab's sliders and fields say their units too (dropout 0, batch 16 examples)
  await expect(page.getByRole('slider', { name: 'dropout slider' })).toHaveAttribute(
    'aria-valuetext',
    '0 (probability of dropping a unit)',
  );
  await expect(page.getByRole('textbox', { name: 'batch size' })).toHaveAccessibleDescription(
    'examples',
  );
  await page.getByTestId('lab-start').click();
  await expect(page.getByTestId('lab-status')).toHaveAttribute('data-state', 'done', {
    timeout: 90_000,
  });
  await axe(page, 'the lab after training');
  await page.locator('body').press('p');
  await expect(page.locator('html.presenter')).toHaveCount(1);
  await expect(page.locator('#lab-setup')).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/lab-presenter.png` });
  await axe(page, 'the lab in presenter mode');
});

test('lesson: no serious axe violation with a question open, after the reveal, and in the editor', async ({
  page,
}) => {
  await page.goto('./#lesson=builtin:sam-adasam&ls=0');
  await expect(page.getByTestId('lesson-player')).toBeVisible();
  await axe(page, 'a lesson step with its question open');
  await page.getByTestId('lesson-option').first().check();
  await page.getByTestId('lesson-reveal').click();
  await expect(page.getByTestId('lesson-verdict')).toBeVisible();
  await page.getByTestId('play').click();
  await axe(page, 'a lesson step revealed');
  await page.getByTestId('lesson-menu-button').click();
  await page.getByTestId('lesson-write').click();
  await expect(page.getByTestId('lesson-editor')).toBeVisible();
  await axe(page, 'the lesson editor');
});
