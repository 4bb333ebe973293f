import type { ProblemList } from '../playbook/problem-list.js';
import type { RawPlace } from './raw-inventory.js';

/**
 * Adds problems about written values once each: a group variable that is wrong for fifty hosts is
 * one problem at the line that sets it, not fifty.
 */
export class OnceProblems {
  private readonly said = new Set<string>();
  constructor(readonly list: ProblemList) {}

  error(place: RawPlace, message: string, hint?: string): void {
    this.add(place, message, hint, 'error');
  }

  warn(place: RawPlace, message: string, hint?: string): void {
    this.add(place, message, hint, 'warning');
  }

  private add(
    place: RawPlace,
    message: string,
    hint: string | undefined,
    severity: 'error' | 'warning',
  ): void {
    const key = `${place.at.line}:${place.at.col}:${message}`;
    if (this.said.has(key)) return;
    this.said.add(key);
    this.list.addAt(place.at, place.path, message, hint, severity);
    if (place.file !== undefined) this.list.items[this.list.items.length - 1]!.file = place.file;
  }
}
