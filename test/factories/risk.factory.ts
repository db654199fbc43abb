// Risk methods and risks for tests, made through the service.
import type { AppContext } from '../../src/app/context.ts';
import type { RiskDto, RiskMethodDto } from '../../src/modules/risks/index.ts';
import { factoryActor } from './org.factory.ts';

/** A 3 x 3 method: low (1), medium (2), high (3); the acceptance threshold is medium. */
export function standardMethod(size = 3) {
  const scale = (what: string) =>
    Array.from({ length: size }, (_, i) => ({
      level: i + 1,
      name: `${what} ${i + 1}`,
      criteria: `${what} criteria ${i + 1}`,
    }));
  const matrix = [];
  for (let l = 1; l <= size; l++)
    for (let i = 1; i <= size; i++)
      matrix.push({ likelihood: l, impact: i, level: l * i >= 6 ? 'high' : l * i >= 3 ? 'medium' : 'low' });
  return {
    likelihood: scale('Likelihood'),
    impact: scale('Impact'),
    levels: [
      { name: 'low', rank: 1 },
      { name: 'medium', rank: 2 },
      { name: 'high', rank: 3 },
    ],
    matrix,
    acceptanceThreshold: 'medium',
  };
}

export function riskMethodFactory(ctx: AppContext) {
  return async (companyId: string): Promise<RiskMethodDto> => {
    const s = ctx.services.risks;
    try {
      return await s.getMethod(factoryActor, companyId);
    } catch {
      return s.setMethod(factoryActor, companyId, { version: 0, ...standardMethod() });
    }
  };
}

export function riskFactory(ctx: AppContext) {
  return async (
    companyId: string,
    ownerPersonId: string,
    over: { residual?: { likelihood: number; impact: number } } = {},
  ): Promise<RiskDto> => {
    await riskMethodFactory(ctx)(companyId);
    return ctx.services.risks.createRisk(factoryActor, {
      companyId,
      title: 'Card data leaks through a phishing attack',
      scenario: 'An attacker phishes an operator and exports card data.',
      assetIds: [],
      threatId: null,
      vulnerabilityId: null,
      ownerPersonId,
      inherent: { likelihood: 3, impact: 3 },
      residual: over.residual ?? { likelihood: 1, impact: 2 },
      controlIds: [],
      treatment: 'mitigate',
      tasks: [],
      reviewDate: null,
      source: null,
    });
  };
}
