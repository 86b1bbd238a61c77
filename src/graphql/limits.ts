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
    error.message = error.message.replace(/ ?Did you mean [^?]*\?/g, '');
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
