import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult, type ValidationContext } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { UnboundedListNestingRule } from './unbounded-list-rule.js';

/** The settings these checks read: units and defaults are documented in config.ts. */
export type GraphQLLimits = Pick<
  Config,
  'graphqlMaxTokens' | 'graphqlMaxDepth' | 'graphqlMaxAliases' | 'graphqlMaxCost' | 'graphqlIntrospection'
>;

type Limit = 'tokens' | 'depth' | 'aliases' | 'cost';

/**
 * The checks every operation passes before it runs: GraphQL Armor's limits, and introspection.
 *
 * They run in yoga's parse (tokens) and validate (the rest), which the graphql-ws onSubscribe
 * calls too, so they hold for HTTP and WebSocket alike. Armor throws a refusal out of the
 * validation rule by default; here it is reported as a validation error instead, because an
 * exception thrown by graphql-ws's onSubscribe closes the whole socket (4500), while returned
 * errors refuse just that one operation.
 *
 * Depth and cost flatten fragments: they measure the fields an operation selects, not how it
 * spells them, so moving fields into a fragment changes neither.
 */
export function graphqlLimitPlugins(limits: GraphQLLimits): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.graphqlMaxTokens, propagateOnRejection: false, onReject: [throwRefusal('tokens', limits.graphqlMaxTokens)] }),
    maxDepthPlugin({ n: limits.graphqlMaxDepth, flattenFragments: true, ...reportRefusal('depth', limits.graphqlMaxDepth) }),
    maxAliasesPlugin({ n: limits.graphqlMaxAliases, ...reportRefusal('aliases', limits.graphqlMaxAliases) }),
    costLimitPlugin({ maxCost: limits.graphqlMaxCost, flattenFragments: true, ...reportRefusal('cost', limits.graphqlMaxCost) }),
    unboundedListNesting(),
    explainValidationBudget(),
    ...(limits.graphqlIntrospection ? [] : [noIntrospection(), hideSuggestions()]),
  ] as Plugin[];
}

/** Armor words every refusal as "Syntax Error: …": say what it is, with a code a client can branch on. */
function refusal(limit: Limit, max: number, error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
    extensions: { code: 'LIMIT_EXCEEDED', limit, max },
  });
}

function reportRefusal(limit: Limit, max: number) {
  return {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(refusal(limit, max, error))],
  };
}

/** The token count is taken while parsing, which has no error list: a refusal there is thrown, like any syntax error. */
function throwRefusal(limit: Limit, max: number) {
  return (_context: ValidationContext | null, error: GraphQLError): never => {
    throw refusal(limit, max, error);
  };
}

function unboundedListNesting(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(UnboundedListNestingRule);
    },
  };
}

/**
 * graphql-js stops checking an operation that costs more than its work budget (overlapping
 * fields to compare, `{ tasks { name name … } }` 800 times; fragment spreads to follow) with a
 * bare "Validation aborted.". Said here as the limit it is, with a code to branch on.
 */
function explainValidationBudget(): Plugin {
  return {
    onValidate: () => ({ valid, result, setResult }) => {
      if (valid || !result.some(isValidationAbort)) return;
      setResult(
        result.map((error) =>
          isValidationAbort(error)
            ? new GraphQLError(
                'The operation is too complex to validate: select each field once, and spread fragments fewer times.',
                { extensions: { code: 'LIMIT_EXCEEDED', limit: 'validationWork' } },
              )
            : error,
        ),
      );
    },
  };
}

/**
 * graphql-js's own "Validation aborted.". It is an internal singleton that the package does not
 * export and that has no code, so its message (and the absence of anything else) is all there is.
 */
function isValidationAbort(error: Error): boolean {
  return error instanceof GraphQLError && error.message === 'Validation aborted.' && error.extensions.code === undefined && error.nodes === undefined;
}

/**
 * The message without its " Did you mean …?" hints. A scan, not a regular expression: the
 * pattern / ?Did you mean [^?]*\?/g backtracks to the end of the text from every "Did you mean"
 * with no "?" after it, quadratic in text a client can echo into a message (an enum value or a
 * cursor of a megabyte froze the event loop for minutes). Each character is looked at once here.
 */
export function withoutSuggestions(message: string): string {
  const marker = 'Did you mean ';
  let out = '';
  let from = 0;
  for (;;) {
    const start = message.indexOf(marker, from);
    if (start === -1) break;
    const end = message.indexOf('?', start + marker.length);
    // No "?" after this hint: no later one can have one either.
    if (end === -1) break;
    const cut = start > from && message[start - 1] === ' ' ? start - 1 : start;
    out += message.slice(from, cut);
    from = end + 1;
  }
  return out + message.slice(from);
}

function noIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * With introspection off, "Did you mean …?" hints would still spell out the schema a field, an
 * argument, a type or an enum value at a time. They are cut from validation errors and from the
 * errors of variable values (which come out of execute and subscribe).
 *
 * Not armor's block-field-suggestions: it only knows the `Did you mean "x"?` form and lets
 * `Did you mean the enum value "X"?` and `Did you mean to use an inline fragment on "T"?` through.
 */
function hideSuggestions(): Plugin {
  const hide = <E extends Error>(error: E): E => {
    error.message = withoutSuggestions(error.message);
    return error;
  };
  const hideInResult = ({ result, setResult }: { result: ExecutionResult; setResult: (result: ExecutionResult) => void }) => {
    if (result.errors) setResult({ ...result, errors: result.errors.map(hide) });
  };
  return {
    onValidate: () => ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map(hide));
    },
    onExecute: () => ({ onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, hideInResult) }),
    onSubscribe: () => ({ onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, hideInResult) }),
  };
}
