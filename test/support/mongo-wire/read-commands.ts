import { Aggregator } from 'mingo';
import { keyString, optionalInt, toView, type Doc } from './bson-values.js';
import { collectionName, requireArray, type CommandContext, type CommandDefinition } from './command-context.js';
import { isChangeStreamStage, openChangeStream } from './change-streams.js';
import { BAD_VALUE, CHANGE_STREAM_NOT_FIRST, commandError, FAILED_TO_PARSE, TYPE_MISMATCH, unsupported } from './command-errors.js';
import { valuesAtPath } from './document-paths.js';
import {
  compileFilter,
  compileProjection,
  idFirst,
  MINGO_OPTIONS,
  parseSort,
  requireDocument,
  sortDocuments,
  type SortSpec,
} from './query-engine.js';

/** Matching documents of a collection (none if it does not exist), after the planner's check. */
function select(context: CommandContext, command: string, name: string, filter: unknown, sort: SortSpec = [], limit?: number): Doc[] {
  const collection = context.store.collection(context.db, name);
  const predicate = compileFilter(filter);
  context.planner.check(command, context.db, name, collection, requireDocument(filter, 'filter'), sort, limit);
  return sortDocuments(collection ? collection.all().filter(predicate) : [], sort);
}

function window(docs: Doc[], skip: number | undefined, limit: number | undefined): Doc[] {
  if (skip !== undefined && skip < 0) throw commandError(BAD_VALUE, 'skip value must be non-negative');
  const from = skip ?? 0;
  return docs.slice(from, limit ? from + Math.abs(limit) : undefined);
}

function find(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'find');
  for (const flag of ['tailable', 'awaitData', 'returnKey', 'showRecordId'] as const) {
    if (command[flag] === true) throw unsupported(`find with ${flag}`);
  }
  const limit = optionalInt(command.limit);
  const skip = optionalInt(command.skip);
  const bound = limit ? Math.abs(limit) + (skip ?? 0) : undefined;
  const docs = window(select(context, 'find', name, command.filter, parseSort(command.sort), bound), skip, limit);
  const project = compileProjection(command.projection);
  // A negative limit is the legacy "single batch" form.
  const singleBatch = command.singleBatch === true || (limit !== undefined && limit < 0);
  return context.cursors.open(`${context.db}.${name}`, project ? docs.map(project) : docs, optionalInt(command.batchSize), singleBatch);
}

function getMore(command: Doc, context: CommandContext): Doc | Promise<Doc> {
  const batchSize = optionalInt(command.batchSize);
  return context.cursors.getMore(command.getMore, {
    batchSize: batchSize && batchSize > 0 ? batchSize : undefined,
    maxTimeMS: optionalInt(command.maxTimeMS),
    signal: context.closed,
  });
}

function count(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'count');
  const query = requireDocument(command.query, 'query');
  const skip = optionalInt(command.skip);
  const limit = optionalInt(command.limit);
  if (!query || Object.keys(query).length === 0) {
    // mongod answers a count without a query (estimatedDocumentCount) from metadata: no scan, no plan.
    if (skip !== undefined && skip < 0) throw commandError(BAD_VALUE, 'skip value must be non-negative');
    const remaining = Math.max(0, (context.store.collection(context.db, name)?.size ?? 0) - (skip ?? 0));
    return { n: limit ? Math.min(remaining, Math.abs(limit)) : remaining, ok: 1 };
  }
  const bound = limit ? Math.abs(limit) + (skip ?? 0) : undefined;
  return { n: window(select(context, 'count', name, query, [], bound), skip, limit).length, ok: 1 };
}

function distinct(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'distinct');
  if (typeof command.key !== 'string') throw commandError(TYPE_MISMATCH, "BSON field 'distinct.key' is missing or is not a string");
  const path = command.key.split('.');
  const seen = new Map<string, unknown>();
  for (const doc of select(context, 'distinct', name, command.query)) {
    for (const value of valuesAtPath(doc, path)) {
      const key = keyString(value);
      if (!seen.has(key)) seen.set(key, value);
    }
  }
  return { values: [...seen.values()], ok: 1 };
}

/** Stages mingo evaluates faithfully enough; anything else (notably $out, $merge) is refused. A leading $changeStream opens a change stream. */
const AGGREGATE_STAGES = new Set([
  '$match', '$sort', '$skip', '$limit', '$group', '$count', '$project', '$addFields', '$set', '$unset',
  '$replaceRoot', '$replaceWith', '$unwind', '$lookup', '$sortByCount', '$facet', '$bucket', '$sample',
]);

function stageOf(stage: unknown): [string, unknown] {
  const entries = stage !== null && typeof stage === 'object' && !Array.isArray(stage) ? Object.entries(stage) : [];
  if (entries.length !== 1) throw commandError(FAILED_TO_PARSE, 'A pipeline stage specification object must contain exactly one field.');
  const [name, argument] = entries[0]!;
  if (name === '$changeStream') throw commandError(CHANGE_STREAM_NOT_FIRST, '$changeStream is only allowed as the first stage in a pipeline');
  if (!AGGREGATE_STAGES.has(name)) throw unsupported(`aggregate stage ${name}`);
  return [name, argument];
}

/**
 * Leading $match / $sort / $skip / $limit stages run here over the stored documents (so they
 * keep their BSON types, use mongod's sort order, and the first $match meets the planner);
 * the rest of the pipeline runs in mingo over views.
 */
function aggregate(command: Doc, context: CommandContext): Doc {
  if (isChangeStreamStage(requireArray(command, 'pipeline', 'aggregate')[0])) return openChangeStream(command, context);
  if (typeof command.aggregate !== 'string') throw unsupported('aggregate on a whole database (aggregate: 1)');
  const name = collectionName(command, 'aggregate');
  if (command.explain === true) throw unsupported('aggregate with explain');
  const cursor = requireDocument(command.cursor, 'cursor');
  if (!cursor) throw commandError(FAILED_TO_PARSE, "The 'cursor' option is required, except for aggregate with the explain argument");
  const stages = requireArray(command, 'pipeline', 'aggregate').map(stageOf);

  let next = 0;
  const [firstName, firstArgument] = stages[0] ?? [];
  const filter = firstName === '$match' ? firstArgument : undefined;
  if (filter !== undefined) next = 1;
  const sort = stages[next]?.[0] === '$sort' ? parseSort(stages[next]![1], '$sort') : [];
  let docs = select(context, 'aggregate', name, filter, sort);
  if (sort.length) next++;
  for (; next < stages.length; next++) {
    const [stage, argument] = stages[next]!;
    if (stage === '$match') docs = docs.filter(compileFilter(argument, '$match'));
    else if (stage === '$sort') docs = sortDocuments(docs, parseSort(argument, '$sort'));
    else if (stage === '$skip') docs = docs.slice(optionalInt(argument) ?? 0);
    else if (stage === '$limit') docs = docs.slice(0, optionalInt(argument) ?? 0);
    else break;
  }
  let results = docs;
  if (next < stages.length) {
    const rest = stages.slice(next).map(([stage, argument]) => ({ [stage]: toView(argument) }));
    const collectionResolver = (other: string) => (context.store.collection(context.db, other)?.all() ?? []).map((doc) => toView(doc) as Doc);
    const computed = new Aggregator(rest, { ...MINGO_OPTIONS, collectionResolver }).run(docs.map((doc) => toView(doc) as Doc));
    results = (computed as Doc[]).map(idFirst);
  }
  return context.cursors.open(`${context.db}.${name}`, results, optionalInt(cursor.batchSize));
}

export const readCommands: Record<string, CommandDefinition> = {
  find: {
    handler: find,
    options: [
      ...['filter', 'sort', 'projection', 'skip', 'limit', 'batchSize', 'singleBatch', 'hint', 'allowDiskUse', 'noCursorTimeout'],
      // Known to mongod but refused by the handler with a clear message:
      ...['tailable', 'awaitData', 'returnKey', 'showRecordId'],
    ],
  },
  getMore: { handler: getMore, options: ['collection', 'batchSize'] },
  count: { handler: count, options: ['query', 'limit', 'skip', 'hint'] },
  distinct: { handler: distinct, options: ['key', 'query', 'hint'] },
  aggregate: { handler: aggregate, options: ['pipeline', 'cursor', 'hint', 'allowDiskUse', 'explain', 'bypassDocumentValidation'] },
};
