// Debian's Chromium driven by playwright-core, logged into the real Strapi admin.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { execSync } from 'child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumPath = (): string | null => {
  try {
    return execSync('command -v chromium', { encoding: 'utf8', shell: '/bin/sh' }).trim() || null;
  } catch {
    return null;
  }
};

export const launchBrowser = async (): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> => {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed: apt-get install -y chromium');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 900 },
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
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
};

export const logIn = async (page: Page, baseUrl: string, email: string, password: string) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });
};

/** Dismisses the admin's one-off announcement banner (it would sit on top of every screenshot); it stays dismissed. */
export const dismissAnnouncements = async (page: Page) => {
  const banner = page.getByText('Introducing the new Media Library');
  if (
    await banner.waitFor({ timeout: 5000 }).then(
      () => true,
      () => false,
    )
  ) {
    await banner.locator('xpath=ancestor::div[.//button][1]//button').first().click();
    await banner.waitFor({ state: 'hidden' });
  }
};

/**
 * A screenshot for the README, saved only when CAMPAIGNS_SCREENSHOTS_DIR names a folder. Notifications of earlier
 * steps would cover the page: they leave a few seconds after the pointer leaves them.
 */
export const screenshot = async (page: Page, name: string, options: { fullPage?: boolean } = {}) => {
  const dir = process.env.CAMPAIGNS_SCREENSHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => !document.querySelector('[data-sonner-toast]'), null, { timeout: 15_000 });
  await page.waitForTimeout(300); // let charts and badges settle
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: options.fullPage });
};
