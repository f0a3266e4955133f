// No imports: the runner seam uses this to validate command inputs before anything heavy loads.

/**
 * Parses a command line into arguments the way a shell would split words and quotes, without a
 * shell: no expansion, no pipes, nothing an input could inject.
 */
export function splitCommand(command: string): string[] {
  const args: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && (command[i + 1] === '"' || command[i + 1] === '\\'))
        current += command[++i];
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else if (ch === '\\' && i + 1 < command.length) {
      current += command[++i];
      started = true;
    } else {
      if (/[|&;<>`$]/.test(ch))
        throw new Error(
          `'${ch}' in the command needs a shell, and commands run without one; quote it or wrap the tool in a script`,
        );
      current += ch;
      started = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in the command`);
  if (started) args.push(current);
  return args;
}
