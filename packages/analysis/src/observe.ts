import { InputError, oneLine } from '@deploy-actions/core';
import type { MetricProvider, Observation, SampleWindow } from './types';

/**
 * Samples the provider once. A source that cannot answer becomes an observation carrying the
 * cause, which the judge turns into a failure after its grace period (fail closed); a bad query
 * is the user's to fix and is thrown at once.
 */
export async function observe(provider: MetricProvider, window: SampleWindow): Promise<Observation> {
  try {
    return { at: window.end, sample: await provider.sample(window) };
  } catch (error) {
    if (error instanceof InputError) throw error;
    return { at: window.end, error: `${provider.name}: ${oneLine(error)}` };
  }
}
