/** Where a message points in a file, for annotations on the runner (and plain text elsewhere). */
export interface Annotation {
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  title?: string;
}

/** How domain packages speak: the runner seam implements it with workflow commands, tests with an array. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string, annotation?: Annotation): void;
  error(message: string, annotation?: Annotation): void;
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
}

export interface LogRecord {
  level: 'debug' | 'info' | 'warning' | 'error';
  message: string;
  annotation?: Annotation;
}

/** A logger that remembers what it was told; for tests and for plain Node scripts. */
export class MemoryLogger implements Logger {
  readonly records: LogRecord[] = [];
  constructor(private readonly echo = false) {}
  private push(record: LogRecord): void {
    this.records.push(record);
    if (this.echo) process.stderr.write(`[${record.level}] ${record.message}\n`);
  }
  debug(message: string): void {
    this.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.push({ level: 'info', message });
  }
  warning(message: string, annotation?: Annotation): void {
    this.push({ level: 'warning', message, annotation });
  }
  error(message: string, annotation?: Annotation): void {
    this.push({ level: 'error', message, annotation });
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.info(title);
    return fn();
  }
  messages(level?: LogRecord['level']): string[] {
    return this.records.filter((r) => !level || r.level === level).map((r) => r.message);
  }
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warning() {},
  error() {},
  group: (_title, fn) => fn(),
};
