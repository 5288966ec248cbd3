import { openProject } from '../../electron/core/db/open'
import { launchApp, type AppDriver } from './driver'

/**
 * A new, empty project served in Chromium with the import wizard open on `file` and its preview shown — where
 * every import e2e test starts (the user's path: no demo).
 */
export async function openImportWizard(home: string, project: string, file: string): Promise<AppDriver> {
  openProject(project, { mode: 'create' }).db.close()
  const driver = await launchApp({ home, project })
  await driver.page.getByText('This project has no items yet').waitFor()
  await readInWizard(driver.page, file)
  await driver.page.getByText('Preview: the first').waitFor()
  return driver
}

/** `i` on the Data screen, the file's path typed, Enter: the wizard reads it. */
export async function readInWizard(page: AppDriver['page'], file: string): Promise<void> {
  await page.keyboard.press('i')
  await page.getByLabel('File to import').fill(file)
  await page.keyboard.press('Enter')
}
