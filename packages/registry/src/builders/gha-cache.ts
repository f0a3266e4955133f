import { type Logger, oneLine } from '@deploy-actions/core';

/**
 * buildah's layer store kept in the GitHub Actions cache through @actions/cache (imported only
 * here, only when asked for). Every problem is a warning: a cache is an optimisation, and a
 * failed save must never fail a build that was pushed.
 */
export async function withLayerCache<T>(
  paths: string[],
  key: string,
  restorePrefix: string,
  log: Logger,
  build: () => Promise<T>,
): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    log.warning(message);
  };
  const cache = await import('@actions/cache');
  if (!cache.isFeatureAvailable()) {
    warn('cache type=gha: the GitHub Actions cache service is not available to this job; built without a layer cache');
    return { result: await build(), warnings };
  }
  try {
    const hit = await cache.restoreCache(paths, key, [restorePrefix]);
    log.info(hit ? `layer cache restored from ${hit}` : 'no layer cache yet for this build');
  } catch (error) {
    warn(`cache type=gha: restore failed, building without it: ${oneLine(error)}`);
  }
  const result = await build();
  try {
    await cache.saveCache(paths, key);
  } catch (error) {
    warn(`cache type=gha: saving the layer cache failed (the image is unaffected): ${oneLine(error)}`);
  }
  return { result, warnings };
}
