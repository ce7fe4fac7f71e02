// The status page in headless Chromium (issue 12), driven by playwright-core. StatusPageBrowserIT starts the local
// stack, makes one upload succeed and one fail, then runs this script; exit code 0 means every check passed.
//
// Environment:
//   STATUS_URL     the page, e.g. http://127.0.0.1:8082/
//   SUCCEEDED_KEY  a key in the first upload bucket whose job succeeded
//   FAILED_KEY     a key whose job failed; FAILED_REASON a part of its reason
//   PHOTO          a photo to upload through the page
//   CHROMIUM       the browser (default /usr/bin/chromium); SCREENSHOT where to save a picture of the page (optional)
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const rowId = (key) => 'job-' + Buffer.from(key, 'utf8').toString('base64url');
// Whether the image the selector names has loaded within 15 s (a broken image has naturalWidth 0).
const loaded = (page, selector) => page.waitForFunction((s) => {
  const img = document.querySelector(s);
  return img !== null && img.complete && img.naturalWidth > 0;
}, selector, { timeout: 15000 }).then(() => true, () => false);
const checks = [];
const check = (name, ok, detail = '') => {
  checks.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`);
};

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  // As root in a container, without the sandbox; no background traffic (this machine's network is closed).
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.push(`HTTP ${response.status()} for ${response.url()}`);
    }
  });

  const started = await page.goto(env('STATUS_URL'), { waitUntil: 'load' });
  check('the page answers 200', started.status() === 200, String(started.status()));

  const succeeded = '#' + rowId(env('SUCCEEDED_KEY'));
  check('a succeeded job shows its thumbnail', await loaded(page, `${succeeded} td.thumb img`));
  check('the thumbnail has alt text',
    (await page.getAttribute(`${succeeded} td.thumb img`, 'alt')) === 'Thumbnail of ' + env('SUCCEEDED_KEY'));
  const failed = '#' + rowId(env('FAILED_KEY'));
  const reason = (await page.textContent(`${failed} .reason`).catch(() => '')) ?? '';
  check("a failed job shows its reason", reason.includes(env('FAILED_REASON')), reason.trim());
  check('a failed job is badged failed', (await page.textContent(`${failed} .badge`)) === 'failed');

  await page.keyboard.press('Tab');
  check('the first Tab reaches the skip link',
    await page.evaluate(() => document.activeElement?.classList.contains('skip') === true));
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select')]
    .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id || e.name));
  check('every form control has a label', unlabelled.length === 0, unlabelled.join(', '));

  // Upload through the page and watch the job, without a reload.
  await page.evaluate(() => { window.notReloaded = true; });
  const uploadShown = await page.isVisible('#upload');
  check('the upload form is shown', uploadShown);
  if (uploadShown) {
    await upload(page);
  }

  if (process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true });
  }
  check('no console errors, failed requests or HTTP errors', problems.length === 0, problems.join(' | '));
} finally {
  await browser.close();
}
const failures = checks.filter((c) => !c.ok);
console.log(`${checks.length - failures.length}/${checks.length} checks passed`);
process.exit(failures.length === 0 ? 0 : 1);

async function upload(page) {
  await page.setInputFiles('#file', env('PHOTO'));
  const mine = 'tr[id^="mine-job-"]';
  const done = await page.waitForFunction((s) => {
    const badge = document.querySelector(`${s} .badge`);
    return badge !== null && (badge.textContent === 'succeeded' || badge.textContent === 'failed');
  }, mine, { timeout: 60000 }).then(() => true, () => false);
  const message = await page.textContent('#upload-status');
  check('the upload ends', done, message);
  check('the uploaded photo becomes succeeded', (await page.textContent(`${mine} .badge`).catch(() => '')) === 'succeeded');
  check('its thumbnail loads', await loaded(page, `${mine} td.thumb img`));
  check('the page was not reloaded', await page.evaluate(() => window.notReloaded === true));
}
