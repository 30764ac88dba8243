// Browses the shop in headless Chromium: the home page, a product page reached by its link, and
// the live page receiving streamed products. Saves screenshots of each.
// Usage: node src/test/e2e/browse-shop.mjs http://127.0.0.1:8080 target/e2e
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, outDir] = process.argv.slice(2);
if (!base || !outDir) {
  console.error('usage: browse-shop.mjs BASE_URL OUTPUT_DIR');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto(base + '/');
  await expectText(page, 'h1', 'Everything for your desk and your shelf');
  await page.locator('.shelf .titles li').first().waitFor();
  const cards = await page.locator('.category .card').count();
  if (cards < 8) throw new Error(`home page shows ${cards} products, expected 8`);
  await page.screenshot({ path: `${outDir}/home.png`, fullPage: true, animations: 'disabled' });

  await page.click('a[href="/products/p001"]');
  await page.waitForURL('**/products/p001');
  await expectText(page, 'h1', 'Laptop Pro X');
  await expectText(page, '.product .price', '$1,500.00');
  await page.screenshot({ path: `${outDir}/product.png` });

  await page.goto(base + '/live/Electronics');
  await page.locator('#live-status.done').waitFor({ timeout: 10_000 });
  const streamed = await page.locator('#live-products .card').count();
  if (streamed !== 4) throw new Error(`live page received ${streamed} products, expected 4`);
  await expectText(page, '#live-status', '4 products streamed');
  await page.screenshot({ path: `${outDir}/live.png`, animations: 'disabled' });

  if (problems.length > 0) throw new Error('browser reported errors: ' + problems.join('; '));
  console.log(`ok: home (${cards} products), product page, live page (${streamed} streamed)`);
} finally {
  await browser.close();
}

async function expectText(page, selector, expected) {
  const text = (await page.locator(selector).first().textContent()).trim();
  if (text !== expected) throw new Error(`${selector}: expected "${expected}", got "${text}"`);
}
