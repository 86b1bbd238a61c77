import type { Execution, ExecutionEvent } from './execution.js';

/** A published event carries the execution as it was right after the event. */
export interface ExecutionChangeEvent {
  execution: Execution;
  event: ExecutionEvent;
}

/**
 * What a waiting reader gets: the next value, word that values were dropped, the end, or word
 * that no more events can be promised (the cluster's event source was lost: see cluster-feed.ts).
 */
export type Taken<T> = { kind: 'value'; value: T } | { kind: 'overflow' } | { kind: 'closed' } | { kind: 'failed'; error: Error };

export interface Listener<T> {
  take(): Promise<Taken<T>>;
  /** Stops listening; a pending `take` resolves as closed. Safe to call more than once. */
  close(): void;
  /** Ends the listener with `error`, after what it was already given. */
  fail(error: Error): void;
  /** True while its reader waits in `take` with nothing left to deliver (or it is closed). */
  idle(): boolean;
}

/**
 * In-process bus of execution events. It is hand-rolled rather than yoga's createPubSub on
 * purpose: createPubSub queues without bound for a slow subscriber, and its Repeater throws
 * from inside the publisher once 1024 events are pending, which would take the server down.
 * Here every listener is bounded: the per-execution feed reports an overflow (the reader then
 * catches up from the store's event log), and the tracker feed keeps only the latest state of
 * each execution.
 *
 * On MongoDB the same bus also carries what other instances write (engine/cluster-bridge.ts), so
 * a change can arrive twice: once from the write here and once echoed by the database. Each
 * execution's latest published sequence is kept, and anything not newer is dropped.
 */
export function createExecutionEvents(options: { coalesceMs: number; maxBuffered: number }) {
  const executionListeners = new Map<string, Set<(change: ExecutionChangeEvent) => void>>();
  const updateListeners = new Set<(execution: Execution) => void>();
  const openListeners = new Set<Listener<unknown>>();
  const pendingUpdates = new Map<string, { execution: Execution; timer: NodeJS.Timeout }>();
  const lastUpdateAt = new Map<string, number>();
  /** Latest published sequence per execution, oldest first; bounded (see `remember`). */
  const latestSequence = new Map<string, number>();

  /** True when `change` is newer than anything published for its execution (and records it). */
  function remember({ execution, event }: ExecutionChangeEvent): boolean {
    const latest = latestSequence.get(execution.id);
    if (latest !== undefined && event.sequence <= latest) return false;
    // Re-insert so the map stays in publish order: the oldest entries are dropped first.
    latestSequence.delete(execution.id);
    latestSequence.set(execution.id, event.sequence);
    if (latestSequence.size > maxRemembered) latestSequence.delete(latestSequence.keys().next().value!);
    return true;
  }

  function sendUpdate(execution: Execution): void {
    lastUpdateAt.set(execution.id, Date.now());
    for (const listener of updateListeners) listener(execution);
  }

  /** Tracker feed: status changes at once, feedback-only changes at most once per coalesceMs. */
  function publishUpdate({ execution, event }: ExecutionChangeEvent): void {
    const waiting = pendingUpdates.get(execution.id);
    if (event.kind === 'STATUS') {
      if (waiting) clearTimeout(waiting.timer);
      pendingUpdates.delete(execution.id);
      sendUpdate(execution);
      if (execution.finishedAt) lastUpdateAt.delete(execution.id);
      return;
    }
    if (waiting) {
      waiting.execution = execution;
      return;
    }
    const sinceLast = Date.now() - (lastUpdateAt.get(execution.id) ?? 0);
    if (sinceLast >= options.coalesceMs) {
      sendUpdate(execution);
      return;
    }
    const timer = setTimeout(() => {
      const latest = pendingUpdates.get(execution.id);
      pendingUpdates.delete(execution.id);
      if (latest) sendUpdate(latest.execution);
    }, options.coalesceMs - sinceLast);
    pendingUpdates.set(execution.id, { execution, timer });
  }

  /** A listener over `reader`, kept among the open ones until closed; `unsubscribe` detaches its feed. */
  function track<T>(reader: Reader<T>, unsubscribe: () => void): Listener<T> {
    const listener: Listener<T> = {
      take: reader.take,
      idle: reader.idle,
      close() {
        openListeners.delete(listener as Listener<unknown>);
        unsubscribe();
        reader.close();
      },
      fail(error) {
        reader.fail(error);
        listener.close();
      },
    };
    openListeners.add(listener as Listener<unknown>);
    return listener;
  }

  return {
    /** Hands a change to its listeners; false (and nothing sent) when it is not newer than the last. */
    publish(change: ExecutionChangeEvent): boolean {
      if (!remember(change)) return false;
      for (const listener of executionListeners.get(change.execution.id) ?? []) listener(change);
      publishUpdate(change);
      return true;
    },

    /** The latest sequence published for an execution, if it is still remembered. */
    latestSequence(executionId: string): number | undefined {
      return latestSequence.get(executionId);
    },

    /** Whether anyone follows this execution's events (and so needs every one of them). */
    hasExecutionListeners(executionId: string): boolean {
      return executionListeners.has(executionId);
    },

    /** Open listeners: of one execution each (taskFeedback streams) and tracker feeds, for the metrics. */
    listenerCounts(): { executions: number; updates: number } {
      let executions = 0;
      for (const listeners of executionListeners.values()) executions += listeners.size;
      return { executions, updates: updateListeners.size };
    },

    /** Every event of one execution, from now on, in publish order. */
    listenToExecution(executionId: string): Listener<ExecutionChangeEvent> {
      const queue: ExecutionChangeEvent[] = [];
      let overflowed = false;
      const reader = createReader<ExecutionChangeEvent>(() => {
        if (overflowed) {
          overflowed = false;
          return { kind: 'overflow' };
        }
        const value = queue.shift();
        return value ? { kind: 'value', value } : undefined;
      });
      const onEvent = (change: ExecutionChangeEvent) => {
        if (queue.length >= options.maxBuffered) {
          queue.length = 0;
          overflowed = true;
        } else {
          queue.push(change);
        }
        reader.wake();
      };
      let listeners = executionListeners.get(executionId);
      if (!listeners) executionListeners.set(executionId, (listeners = new Set()));
      listeners.add(onEvent);
      return track(reader, () => {
        listeners.delete(onEvent);
        if (listeners.size === 0) executionListeners.delete(executionId);
      });
    },

    /** Tracker updates of every execution; a slow reader gets only the latest state of each. */
    listenToUpdates(): Listener<Execution> {
      const latest = new Map<string, Execution>();
      const reader = createReader<Execution>(() => {
        const first = latest.entries().next();
        if (first.done) return undefined;
        latest.delete(first.value[0]);
        return { kind: 'value', value: first.value[1] };
      });
      const onUpdate = (execution: Execution) => {
        latest.delete(execution.id); // re-insert so the map stays in update order
        latest.set(execution.id, execution);
        reader.wake();
      };
      updateListeners.add(onUpdate);
      return track(reader, () => updateListeners.delete(onUpdate));
    },

    /**
     * True when every listener's reader has taken all it was given and waits for more: what has
     * been published is with the subscribers' transports (used at shutdown, before sockets close).
     */
    delivered(): boolean {
      for (const listener of openListeners) if (!listener.idle()) return false;
      return true;
    },

    /**
     * Ends every open listener with `error`: events can no longer be promised to them (the
     * cluster's event source is lost). Their clients get the error and subscribe again later.
     */
    failAll(error: Error): void {
      for (const listener of [...openListeners]) listener.fail(error);
    },

    /** Ends every open listener (their streams complete) and drops pending updates. */
    close(): void {
      for (const listener of [...openListeners]) listener.close();
      for (const { timer } of pendingUpdates.values()) clearTimeout(timer);
      pendingUpdates.clear();
      lastUpdateAt.clear();
    },
  };
}

/**
 * How many executions' latest sequences are kept for dropping echoes: far more than run or wait
 * at once in any deployment (limits bound those), so only long-finished ones are forgotten.
 */
const maxRemembered = 20_000;

export type ExecutionEvents = ReturnType<typeof createExecutionEvents>;

type Reader<T> = ReturnType<typeof createReader<T>>;

/** One waiting `take` at a time over a source that `poll` drains; `wake` after each push. */
function createReader<T>(poll: () => Taken<T> | undefined) {
  let waiting: ((taken: Taken<T>) => void) | null = null;
  let closed = false;
  let failure: Error | null = null;
  const ending = (): Taken<T> => (failure ? { kind: 'failed', error: failure } : { kind: 'closed' });
  return {
    take(): Promise<Taken<T>> {
      // What arrived before close is still delivered: the terminal event of an execution that
      // finished during shutdown reaches its subscribers.
      const ready = poll();
      if (ready) return Promise.resolve(ready);
      if (closed) return Promise.resolve(ending());
      return new Promise((resolve) => (waiting = resolve));
    },
    wake(): void {
      if (!waiting) return;
      const ready = poll();
      if (!ready) return;
      const resolve = waiting;
      waiting = null;
      resolve(ready);
    },
    close(): void {
      closed = true;
      const resolve = waiting;
      waiting = null;
      resolve?.(ending());
    },
    /** Like close, but the reader ends with `error`, also when it was closed a moment before. */
    fail(error: Error): void {
      failure = error;
      closed = true;
      const resolve = waiting;
      waiting = null;
      resolve?.(ending());
    },
    idle(): boolean {
      return closed || waiting !== null;
    },
  };
}
