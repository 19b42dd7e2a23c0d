/** The event log: a readable line for each thing the simulated cloud did, and its subscribers. */
import type { SimClock } from './clock';

export interface SimEvent {
  /** Simulated epoch ms. */
  at: number;
  service: string;
  message: string;
}
export type SimEventListener = (event: SimEvent) => void;

const KEEP = 10_000;

/** A human-readable account of what the simulated cloud did, for progress output and debugging. */
export class EventLog {
  private readonly entries: SimEvent[] = [];
  private readonly listeners = new Set<SimEventListener>();

  constructor(private readonly clock: SimClock) {}

  record(service: string, message: string): void {
    const event = { at: this.clock.now(), service, message };
    this.entries.push(event);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    for (const listener of this.listeners) listener(event);
  }

  /** The most recent events (up to 10,000), oldest first. */
  list(): readonly SimEvent[] {
    return this.entries;
  }

  /** Call `listener` for every future event; returns the unsubscribe function. */
  subscribe(listener: SimEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
