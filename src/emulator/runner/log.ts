// The lines of a run's log in acb's format: its own messages carry Go's standard logger prefix
// (`2006/01/02 15:04:05 `, UTC as on ACR agents), container output passes through as it is, and
// the service's own lines frame the whole.

/** Receives the log's bytes: whole lines, each ending in "\n". */
export interface RunLog {
  write(text: string): void;
}

function twoDigits(value: number): string {
  return value.toString().padStart(2, "0");
}

/** Go's `log` prefix for a moment: `YYYY/MM/DD HH:MM:SS ` in UTC. */
export function logTimestamp(moment: Date): string {
  const date = `${moment.getUTCFullYear()}/${twoDigits(moment.getUTCMonth() + 1)}/${twoDigits(moment.getUTCDate())}`;
  const time = `${twoDigits(moment.getUTCHours())}:${twoDigits(moment.getUTCMinutes())}:${twoDigits(moment.getUTCSeconds())}`;
  return `${date} ${time} `;
}

/** One acb logger line: the timestamp, the message, a newline (Go adds none when it has one). */
export function formatLogLine(message: string, moment: Date): string {
  const line = `${logTimestamp(moment)}${message}`;
  return line.endsWith("\n") ? line : `${line}\n`;
}

/** A Go duration of whole seconds as the service prints it: `5s`, `1m12s`, `2h0m0s`. */
export function formatRunDuration(milliseconds: number): string {
  const total = Math.max(0, Math.round(milliseconds / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) {
    return `${hours}h${minutes}m${seconds}s`;
  }
  if (minutes > 0) {
    return `${minutes}m${seconds}s`;
  }
  return `${seconds}s`;
}

/** Seconds with six decimals, as acb's `%f` prints the elapsed time of a step. */
export function formatElapsedSeconds(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(6);
}

/**
 * Splits a process's output into whole lines so that the output of steps running side by side
 * interleaves line by line, never inside a line.
 */
export class LineSplitter {
  private pending = "";

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.pending = text;
      return;
    }
    this.pending = text.slice(end + 1);
    this.emit(text.slice(0, end + 1));
  }

  /** Emits what is left, ending it with a newline so that the next log line starts afresh. */
  flush(): void {
    if (this.pending !== "") {
      const rest = this.pending;
      this.pending = "";
      this.emit(`${rest}\n`);
    }
  }
}

/** acb's logger over a run log; the clock is injectable for tests. */
export class AcbLogger {
  constructor(
    private readonly log: RunLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A timestamped acb line. */
  line(message: string): void {
    this.log.write(formatLogLine(message, this.clock()));
  }

  /** Text written as it is (container output, the final error line, the report). */
  raw(text: string): void {
    if (text !== "") {
      this.log.write(text);
    }
  }
}
