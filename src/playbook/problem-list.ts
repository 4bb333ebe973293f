import type { PlaybookProblem } from '../core/errors.js';
import { type DocPath, type LineCol, positionOfPath, type YamlSource } from './yaml-source.js';

/** Formats a document path as the dotted path users see (`steps.2.timeout`). */
export function formatPath(path: DocPath): string {
  return path.join('.');
}

/** Collects the problems of one file, turning document paths and offsets into file:line:col. */
export class ProblemList {
  readonly items: PlaybookProblem[] = [];

  constructor(
    readonly file: string,
    readonly source?: YamlSource,
  ) {}

  /** Adds a problem at a position. */
  addAt(
    at: LineCol,
    path: DocPath | string,
    message: string,
    hint?: string,
    severity?: 'error' | 'warning',
  ): void {
    this.items.push({
      file: this.file,
      line: at.line,
      col: at.col,
      path: typeof path === 'string' ? path : formatPath(path),
      message,
      ...(hint ? { hint } : {}),
      severity: severity ?? 'error',
    });
  }

  /** Adds a problem at the node a path names (or its nearest existing ancestor). */
  add(path: DocPath, message: string, hint?: string, severity?: 'error' | 'warning'): void {
    const at = this.source ? positionOfPath(this.source, path) : { line: 1, col: 1 };
    this.addAt(at, path, message, hint, severity);
  }

  /** True when any problem is an error (warnings alone do not stop a playbook). */
  get hasErrors(): boolean {
    return this.items.some((p) => p.severity === 'error');
  }

  /** The problems sorted by position, errors and warnings together. */
  sorted(): PlaybookProblem[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.col - b.col);
  }
}
