import { BREAK, Kind, visit, type ArgumentNode, type ExecutionResult, type GraphQLResolveInfo, type ASTVisitor } from 'graphql';
import type { Principal } from '../auth/principal.js';
import { SequenceAheadError } from '../engine/errors.js';
import { replayPageSize } from '../engine/feedback-stream.js';
import type { ExecutionChangeEvent } from '../engine/events.js';
import { isTerminal, type Execution } from '../engine/execution.js';
import type { ResolverEngine } from './builder.js';


/**
 * What a graphql-ws operation offers a subscription whose live events are shared with others
 * (server/live-delivery.ts makes it). Absent over HTTP (server-sent events).
 */
export interface LiveDelivery {
  /** The operation's name, as the client sent it. */
  readonly operationName: string | undefined;
  /** The operation's text, as the client sent it: the client's own string, not a copy per subscriber. */
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  /** Runs this operation on one event, its errors masked as yoga masks them. */
  execute(payload: unknown): ExecutionResult | Promise<ExecutionResult>;
  /** Sends a `next` message whose payload is this JSON text; false (nothing sent) when the client is behind. */
  sendNext(payloadJson: string): boolean;
}

type Engine = Pick<ResolverEngine, 'openFeedbackStream' | 'eventsAfter' | 'status'>;

/** Subscribers of one execution with one selection and one visibility: their live events are executed once. */
interface Group {
  readonly executionId: string;
  /** The latest sequence handed to the live members; everything up to it was, or came before the group. */
  last: number;
  readonly live: Set<Member>;
  /** Members live or catching up: the group closes when none is left. */
  attached: number;
  /** Resolves with false when the execution is gone; rejects when its events cannot be followed. */
  readonly opened: Promise<boolean>;
  ended: boolean;
  failure: unknown;
  close(): void;
}

interface Member {
  /** A live event for this member: sent if it follows on, else the member leaves to catch up from the store. */
  offer(sequence: number, payloadJson: string, terminal: boolean): void;
  end(failure: unknown): void;
}

/**
 * Shares the work of a live taskFeedback event among the WebSocket subscribers that would get the
 * same message for it (Apollo Router's subscription deduplication, Hasura's multiplexed live
 * queries): one feedback stream per group, one execution of the selection and one JSON text per
 * event, which each socket is sent as it is. A group is the execution, the operation (text,
 * operation name, variables but afterSequence) and the principal: every resolver under
 * TaskFeedbackEvent reads the event, the execution and the engine, so these decide the result.
 *
 * Each subscriber still replays from the store on its own (its afterSequence, or the latest event),
 * through graphql-js and graphql-ws as any subscription, and joins the group's live feed once it
 * has everything the group has sent; it leaves to catch up from the store again on a gap or when
 * its socket is behind (LiveDelivery.sendNext says no), so a slow client holds no more than its
 * socket's buffer and a page of replay. Guarantees are those of feedback-stream.ts: no gaps, no
 * repeats, in order, complete after the terminal event.
 */
export function createFeedbackFanOut(engine: Engine) {
  const groups = new Map<string, Group>();
  let members = 0;

  function openGroup(key: string, executionId: string, after: number, delivery: LiveDelivery): Group {
    let stream: AsyncIterableIterator<ExecutionChangeEvent> | null = null;
    const group: Group = {
      executionId,
      last: after,
      live: new Set(),
      attached: 0,
      opened: engine.openFeedbackStream(executionId, after).then((opened) => {
        stream = opened;
        // Closed while it opened (its members left): the stream's listener goes at once.
        if (group.ended) void opened?.return?.();
        else if (!opened) end(null);
        else void pump(opened);
        return opened !== null;
      }),
      ended: false,
      failure: null,
      close() {
        end(null);
      },
    };
    group.opened.catch((error: unknown) => end(error));

    function end(failure: unknown): void {
      if (group.ended) return;
      group.ended = true;
      group.failure = failure;
      if (groups.get(key) === group) groups.delete(key);
      void stream?.return?.();
      for (const member of [...group.live]) member.end(failure);
      group.live.clear();
    }

    async function pump(events: AsyncIterableIterator<ExecutionChangeEvent>): Promise<void> {
      try {
        for (;;) {
          const { done, value: change } = await events.next();
          if (done || group.ended) break;
          // The stream is gap-free from `after`: nothing at or before `last` comes twice.
          const payloadJson = JSON.stringify(await delivery.execute(change));
          if (group.ended) break;
          const { sequence, status } = change.event;
          const terminal = isTerminal(status);
          for (const member of group.live) member.offer(sequence, payloadJson, terminal);
          group.last = sequence;
        }
        end(null);
      } catch (error) {
        end(error);
      }
    }

    groups.set(key, group);
    return group;
  }

  return {
    /**
     * The subscriber's stream: its replay, then the shared live events (sent by the group, not
     * yielded). Null when the execution is gone; throws like openFeedbackStream.
     */
    async join(request: {
      execution: Execution;
      afterSequence: number | null;
      principal: Principal;
      delivery: LiveDelivery;
      info: GraphQLResolveInfo;
    }): Promise<AsyncIterableIterator<ExecutionChangeEvent> | null> {
      const { execution, afterSequence, delivery } = request;
      if (afterSequence !== null && afterSequence > execution.lastSequence) {
        throw new SequenceAheadError(afterSequence, execution.lastSequence);
      }
      const key = groupKey(execution.id, request.principal, delivery, request.info);
      const existing = groups.get(key);
      const group = existing && !existing.ended ? existing : openGroup(key, execution.id, execution.lastSequence, delivery);
      // Attached before waiting, so that the group is not closed under this member meanwhile.
      group.attached += 1;
      members += 1;
      try {
        if (!(await group.opened)) {
          detach(group);
          return null;
        }
      } catch (error) {
        detach(group);
        throw error;
      }
      return new MemberStream(engine, group, afterSequence ?? Math.max(0, execution.lastSequence - 1), delivery, detach);
    },

    /** Groups open and subscribers in them, for the metrics. */
    counts(): { groups: number; members: number } {
      return { groups: groups.size, members };
    },
  };

  /** A member leaves its group (once): the group closes with its last member. */
  function detach(group: Group): void {
    members -= 1;
    group.attached -= 1;
    if (group.attached === 0) group.close();
  }
}

/**
 * One subscriber's stream: its replay from the store, then the group's live events, which the
 * group sends (`offer`) rather than this yields. A class, not an object of closures: an idle
 * subscriber keeps one for as long as it is subscribed, and methods on the prototype are shared by
 * all (issue 14: memory per idle subscriber).
 */
class MemberStream implements AsyncIterableIterator<ExecutionChangeEvent>, Member {
  private delivered: number;
  private replay: ExecutionChangeEvent[] = [];
  /** The last store read came back short: nothing more was stored then. */
  private drained = false;
  /** The terminal event was handed over, or the stream is to end: nothing more is yielded. */
  private finished = false;
  /** Ended and detached from the group (end of stream, failure, or `return()`). */
  private stopped = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly engine: Engine,
    private readonly group: Group,
    after: number,
    private readonly delivery: LiveDelivery,
    private readonly detach: (group: Group) => void,
  ) {
    this.delivered = after;
  }

  offer(sequence: number, payloadJson: string, terminal: boolean): void {
    if (sequence <= this.delivered) return;
    if (sequence !== this.delivered + 1 || !this.delivery.sendNext(payloadJson)) {
      this.group.live.delete(this);
      this.drained = false;
      return this.wakeUp();
    }
    this.delivered = sequence;
    if (terminal) {
      this.finished = true;
      this.group.live.delete(this);
      this.wakeUp();
    }
  }

  end(groupFailure: unknown): void {
    if (groupFailure) this.failure = groupFailure;
    else this.finished = true;
    this.wakeUp();
  }

  async next(): Promise<IteratorResult<ExecutionChangeEvent>> {
    const { group, engine } = this;
    for (;;) {
      if (this.stopped) return { done: true, value: undefined };
      if (this.failure) {
        const error = this.failure;
        this.stop();
        throw error;
      }
      const change = this.replay.shift();
      if (change) {
        this.delivered = change.event.sequence;
        if (isTerminal(change.event.status)) this.finished = true;
        return { done: false, value: change };
      }
      if (this.finished) return this.stop();
      if (!this.drained) {
        const stored = await engine.eventsAfter(group.executionId, this.delivered, replayPageSize);
        const current = await engine.status(group.executionId);
        if (this.stopped) continue;
        // Deleted meanwhile: the stream ends, as openFeedbackStream's does.
        if (!current) return this.stop();
        this.replay = stored.filter((event) => event.sequence > this.delivered).map((event) => ({ event, execution: current }));
        this.drained = stored.length < replayPageSize;
        if (this.replay.length === 0 && isTerminal(current.status) && current.lastSequence <= this.delivered) return this.stop();
        continue;
      }
      // Caught up with the store, but the group moved on meanwhile (it sent events while this
      // member yielded its page, its terminal one perhaps): read those from the store first,
      // whether or not the group has ended since.
      if (this.delivered < group.last) {
        this.drained = false;
        continue;
      }
      // Caught up with the group: follow its live events, unless it has ended.
      if (group.ended) {
        if (group.failure) this.failure = group.failure;
        else return this.stop();
        continue;
      }
      group.live.add(this);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async return(): Promise<IteratorResult<ExecutionChangeEvent>> {
    this.wakeUp();
    return this.stop();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private stop(): IteratorResult<ExecutionChangeEvent> {
    if (!this.stopped) {
      this.stopped = true;
      this.detach(this.group);
    }
    this.finished = true;
    this.group.live.delete(this);
    return { done: true, value: undefined };
  }

  private wakeUp(): void {
    const resolve = this.wake;
    this.wake = null;
    resolve?.();
  }
}

export type FeedbackFanOut = ReturnType<typeof createFeedbackFanOut>;

/**
 * What a subscriber's live messages depend on besides the event: the execution, the principal, the
 * operation and its variables, less the variable that only gives afterSequence (each subscriber
 * replays up to the group on its own, so subscribers resuming at different points still share).
 */
function groupKey(executionId: string, principal: Principal, delivery: LiveDelivery, info: GraphQLResolveInfo): string {
  let variables = delivery.variables;
  const argument = info.fieldNodes[0]?.arguments?.find((node) => node.name.value === 'afterSequence');
  if (variables && argument?.value.kind === Kind.VARIABLE && !usedElsewhere(info, argument.value.name.value, argument)) {
    const { [argument.value.name.value]: _afterSequence, ...rest } = variables;
    variables = rest;
  }
  return JSON.stringify([executionId, principal.role, principal.name, delivery.operationName ?? null, delivery.query, variables ?? null]);
}

/** Whether `$name` appears in the operation or its fragments other than in `argument` (linear in the document). */
function usedElsewhere(info: GraphQLResolveInfo, name: string, argument: ArgumentNode): boolean {
  let found = false;
  const visitor: ASTVisitor = {
    VariableDefinition: () => false,
    Argument: (node) => (node === argument ? false : undefined),
    Variable: (node) => {
      if (node.name.value !== name) return undefined;
      found = true;
      return BREAK;
    },
  };
  visit(info.operation, visitor);
  for (const fragment of Object.values(info.fragments)) if (!found) visit(fragment, visitor);
  return found;
}
