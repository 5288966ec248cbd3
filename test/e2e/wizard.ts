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
  await driver.page.keyboard.press('i')
  await driver.page.getByLabel('File to import').fill(file)
  await driver.page.keyboard.press('Enter')
  await driver.page.getByText('Preview: the first').waitFor()
  return driver
}
