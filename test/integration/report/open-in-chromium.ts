import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

/** Debian's chromium package; playwright-core drives it and never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts headless Chromium with nothing running in the background that could reach the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A page opened from a file, with every request that left it and every console error it logged. */
export interface OpenedPage {
  readonly page: Page;
  /** URLs the page asked for that are neither `file:` nor `data:` (each one was aborted). */
  readonly outside: readonly string[];
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: readonly string[];
}

/** Opens `file` in a fresh page, aborting and recording any request that would leave the file system. */
export async function openFile(browser: Browser, file: string): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const outside: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) outside.push(url);
  });
  await page.route(/^(?!file:|data:)/, (route) => route.abort());
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(pathToFileURL(file).href);
  return { page, outside, errors };
}

/** A full-page screenshot kept with the test's output. */
export async function screenshot(page: Page, file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
}
