import type { Locator, Page } from 'playwright-core';

/**
 * The Contract Manager as a person sees it: located by roles and names (which is also what a
 * screen reader announces), never by layout.
 */
export function contractManager(page: Page) {
  const tracker = page.getByRole('complementary', { name: 'Task tracker' });
  const group = (name: string) => page.getByRole('article', { name, exact: true });
  const signInForm = page.getByRole('form', { name: 'Sign in with an API token' });
  const tokenField = signInForm.getByLabel('API token', { exact: true });
  const startPanel = page.getByRole('region', { name: 'Start a task' });
  return {
    page,
    tracker,
    group,
    startButton: (groupName: string) => group(groupName).getByRole('button', { name: /^Start/ }),
    /** The status region of a group: where the outcome of its last start is written. */
    groupNotice: (groupName: string) => group(groupName).getByRole('status'),
    /** Tracker entries of a group's executions, newest running first. */
    executionsOf: (groupName: string) => tracker.getByRole('listitem', { name: groupName, exact: true }),
    execution: (executionId: string) => tracker.locator(`li[data-execution-id="${executionId}"]`),
    connection: page.getByRole('banner').getByRole('status'),
    contracts: page.getByRole('region', { name: 'Outbound contracts table' }),
    /** The Start a task panel: its task picker, and the input form of the chosen task. */
    startPanel,
    taskPicker: startPanel.getByLabel('Task', { exact: true }),
    inputForm: (taskName: string) => startPanel.getByRole('form', { name: `Input of ${taskName}` }),
    /** The limits form of a task in the Task settings panel. */
    settingsOf: (taskName: string) => page.getByRole('form', { name: taskName, exact: true }),
    /** The form shown when the server wants an API token. */
    signInForm,
    tokenField,
    signOutButton: page.getByRole('banner').getByRole('button', { name: 'Sign out' }),

    /**
     * Opens the page and waits until it shows the demo groups (or, for a server without the
     * contract example, the Start a task panel) and the live connection is up.
     */
    async open(url: string, options: { contracts?: boolean } = {}): Promise<void> {
      await page.goto(url);
      await shown(options.contracts ?? true);
    },

    signIn,

    /** Opens the page of a server with API tokens, signs in with `token` and waits as `open` does. */
    async openSignedIn(url: string, token: string): Promise<void> {
      await page.goto(url);
      await signIn(token);
      await shown();
    },
  };

  /** Types `token` into the sign-in form and submits it with Enter. */
  async function signIn(token: string): Promise<void> {
    await signInForm.waitFor({ timeout: 10_000 });
    await tokenField.fill(token, { timeout: 5_000 });
    await tokenField.press('Enter', { timeout: 5_000 });
  }

  async function shown(contracts = true): Promise<void> {
    try {
      await (contracts ? group('Standard') : startPanel.getByRole('button', { name: /^Start / })).waitFor({ timeout: 10_000 });
      await page.getByRole('banner').getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    } catch (error) {
      // Say what the page showed instead: a problem banner, the sign-in form, or the connection state.
      const text = await page.locator('body').innerText({ timeout: 1_000 }).catch(() => '(no body)');
      throw new Error(`The page did not open as expected: ${String(error)}\n--- page text ---\n${text.slice(0, 2_000)}`);
    }
  }
}

/** Waits until a tracker entry shows `status` (the badge text, e.g. 'completed'). */
export async function waitForStatus(item: Locator, status: string, timeout = 30_000): Promise<void> {
  await item.locator('.status-badge', { hasText: new RegExp(`^${status}$`, 'i') }).waitFor({ timeout });
}

/** The execution id of a tracker entry. */
export async function executionIdOf(item: Locator): Promise<string> {
  const id = await item.getAttribute('data-execution-id', { timeout: 10_000 });
  if (!id) throw new Error('The tracker entry has no execution id');
  return id;
}
