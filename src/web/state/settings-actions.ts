import type { GraphQLRequest } from '../api/graphql-http.js';
import { ConfigureTaskDocument, UpdateContractTemplateDocument } from '../generated/graphql.js';
import type { ActionOutcome, PageState } from './page-state.js';

/**
 * The page's edits of server settings: a group's template and a task's limits. With API tokens
 * only admin tokens may make them; a user token gets `Forbidden`, said in the form that tried.
 */
export function createSettingsActions(deps: {
  request: GraphQLRequest;
  read: () => PageState;
  update: (patch: Partial<PageState>) => void;
}) {
  const { request, read, update } = deps;
  return {
    async saveTemplate(groupId: string, title: string, body: string): Promise<ActionOutcome> {
      try {
        const { updateContractTemplate: result } = await request(UpdateContractTemplateDocument, { groupId, title, body });
        if (result.__typename === 'ContractGroup') {
          update({ groups: read().groups.map((group) => (group.id === result.id ? result : group)) });
          return { ok: true, message: `Saved as version ${result.template.version}.` };
        }
        return refusedOutcome(result);
      } catch (error) {
        return failedOutcome(error);
      }
    },

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
function refusedOutcome(result: { __typename: string; message: string; problems?: Array<{ path: string; message: string }> }): ActionOutcome {
  const message = result.__typename === 'Forbidden' ? `Not allowed. ${result.message}.` : result.message;
  return { ok: false, message, problems: result.problems ?? [] };
}

function failedOutcome(error: unknown): ActionOutcome {
  return { ok: false, message: error instanceof Error ? error.message : String(error), problems: [] };
}
