import type { GraphQLRequest } from '../api/graphql-http.js';
import { ConfigureTaskDocument } from '../generated/graphql.js';
import type { ActionOutcome, PageState } from './page-state.js';

/**
 * The page's edit of task limits. With API tokens only admin tokens may make it; a user token
 * gets `Forbidden`, said in the form that tried. (A group's template is edited in
 * contract-actions.ts.)
 */
export function createSettingsActions(deps: {
  request: GraphQLRequest;
  read: () => PageState;
  update: (patch: Partial<PageState>) => void;
}) {
  const { request, read, update } = deps;
  return {
    async configureTask(
      task: string,
      limits: { maxConcurrentExecutions: number; maxQueueLength: number; timeoutMinutes: number },
    ): Promise<ActionOutcome> {
      try {
        const { configureTask: result } = await request(ConfigureTaskDocument, { task, ...limits });
        if (result.__typename === 'Task') {
          update({ tasks: read().tasks.map((existing) => (existing.name === result.name ? result : existing)) });
          return { ok: true, message: 'Saved. New starts use these limits.' };
        }
        return refusedOutcome(result);
      } catch (error) {
        return failedOutcome(error);
      }
    },
  };
}

/** An `Error` member of a result union: `Forbidden` is said as such, the rest in the server's words. */
export function refusedOutcome(result: {
  __typename: string;
  message: string;
  problems?: Array<{ path: string; message: string }>;
}): Extract<ActionOutcome, { ok: false }> {
  const message = result.__typename === 'Forbidden' ? `Not allowed. ${result.message}.` : result.message;
  return { ok: false, message, problems: result.problems ?? [] };
}

export function failedOutcome(error: unknown): Extract<ActionOutcome, { ok: false }> {
  return { ok: false, message: error instanceof Error ? error.message : String(error), problems: [] };
}
