import { execChecked, type Logger, oneLine, PermanentError } from '@deploy-actions/core';

/** Fills {{image}}, {{version}}, {{slot}}, {{weight}} in each argument; an unknown name is an error. */
export function fillArgs(argv: readonly string[], values: Readonly<Record<string, string | number>>): string[] {
  return argv.map((arg) =>
    arg.replace(/\{\{\s*([\w-]+)\s*\}\}/g, (_m, name: string) => {
      if (!(name in values))
        throw new PermanentError(
          `unknown placeholder {{${name}}} in '${arg}'; available: ${Object.keys(values)
            .map((k) => `{{${k}}}`)
            .join(', ')}`,
        );
      return String(values[name]);
    }),
  );
}

/** Runs a user's hook (argument list, no shell), streaming its output; failures carry what it was for. */
export async function runHook(
  what: string,
  argv: readonly string[],
  options: { log?: Logger; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string> {
  try {
    const result = await execChecked(argv[0]!, argv.slice(1), {
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 600_000,
      onLine: options.log ? (line) => options.log!.info(line) : undefined,
    });
    return result.stdout;
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new PermanentError(`${what} failed: ${oneLine(error)}`, { cause: error });
  }
}
