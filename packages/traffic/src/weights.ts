// No imports: the canary action validates its `steps` input with this before loading anything heavy.

/** What is wrong with a step schedule, or undefined: whole percentages from 1 to 100, increasing, ending at 100. */
export function validateWeights(weights: readonly number[]): string | undefined {
  if (!weights.length) return 'no steps';
  for (const [i, w] of weights.entries()) {
    if (!Number.isInteger(w) || w < 1 || w > 100) return `step ${w} is not a whole percentage from 1 to 100`;
    if (i > 0 && w <= weights[i - 1]!) return `steps must increase (${weights[i - 1]} then ${w})`;
  }
  if (weights.at(-1) !== 100) return 'the last step must be 100 (promotion)';
  return undefined;
}
