import { runAction } from '@deploy-actions/core/runner';
import { type SmokeConfig, parse } from './config';

void runAction<SmokeConfig>({
  parse,
  async main(ctx, config) {
    const { smoke } = await import('./smoke');
    await smoke(ctx, config);
  },
});
