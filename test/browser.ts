/** Debian's headless Chromium driven by playwright-core, for tests of pages (ECOSYSTEM.md). */
import * as fs from 'fs';
import { Browser, chromium, Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: apt-get install -y chromium (.ci/run installs it)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that remembers its console errors and uncaught exceptions, and (apart) its failed requests. */
export async function watchedPage(browser: Browser, width = 1000, height = 800): Promise<{ page: Page; errors: string[]; failed: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  const failed: string[] = [];
  page.on('requestfailed', (request) => failed.push(request.url()));
  return { page, errors, failed };
}
