import type { CostEstimate } from '../../../layers/core/cost/estimate';

/** An estimate of one dollar, all of it compute: for tests where the figure is not the point. */
export const ONE_DOLLAR_ESTIMATE: CostEstimate = {
  estimateUSD: 1,
  currency: 'USD',
  breakdown: {
    compute: 1,
    publicIpv4: 0,
    ebs: 0,
    imageSnapshot: 0,
    stepFunctions: 0,
    email: 0,
    elasticIp: 0,
    route53: 0,
  },
  unpriced: [],
  assumptions: [],
};
