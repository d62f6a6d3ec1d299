/** Keeps the last `size` lines written to it, for error messages that show a log's tail. */
export class LogTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 20) {}

  push(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      this.lines.push(line.trimEnd());
      if (this.lines.length > this.size) this.lines.shift();
    }
  }

  /** The kept lines, indented, ready to print under an error message. */
  toString(): string {
    return this.lines.map((line) => `  | ${line}`).join('\n');
  }
}
