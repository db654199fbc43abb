// The register's filters as URL parameters (the heat map and other pages link into them), and the form's
// prefill when a risk is raised from another page (an asset, a failing requirement of the SoA).
import { RISK_SOURCE_KINDS, type RiskSourceKind } from '../../../shared/api/types.ts';

/** The list's filters, in the URL and in the API's query alike. */
export const RISK_FILTERS = [
  'q',
  'companyId',
  'ownerPersonId',
  'level',
  'treatment',
  'overdueReview',
  'assetId',
  'inherentLikelihood',
  'inherentImpact',
  'residualLikelihood',
  'residualImpact',
] as const;
export type RiskFilterName = (typeof RISK_FILTERS)[number];
export type RiskFilters = Partial<Record<RiskFilterName, string>>;

export function filtersOf(params: URLSearchParams): RiskFilters {
  const out: RiskFilters = {};
  for (const name of RISK_FILTERS) {
    const v = params.get(name);
    if (v) out[name] = v;
  }
  return out;
}

/** The register URL for these filters, e.g. from a heat map cell. */
export function registerUrl(filters: RiskFilters): string {
  const params = new URLSearchParams();
  for (const name of RISK_FILTERS) {
    const v = filters[name];
    if (v) params.set(name, v);
  }
  const qs = params.toString();
  return `/risks${qs ? `?${qs}` : ''}`;
}

/** The heat map cell the register is filtered to, if any. */
export function cellFilter(f: RiskFilters): { side: 'inherent' | 'residual'; l: number; i: number } | null {
  for (const side of ['inherent', 'residual'] as const) {
    const l = f[`${side}Likelihood`];
    const i = f[`${side}Impact`];
    if (l && i) return { side, l: Number(l), i: Number(i) };
  }
  return null;
}

/**
 * What `/risks/new?...` carries: the other pages build these parameters (features do not import each other):
 * companyId, assetId, controlId (repeated), title, sourceKind, sourceRef, sourceLabel.
 */
export interface RiskPrefill {
  companyId: string | null;
  assetIds: string[];
  controlIds: string[];
  title: string;
  source: { kind: RiskSourceKind; ref: string; label: string } | null;
}

export function prefillOf(params: URLSearchParams): RiskPrefill {
  const kind = params.get('sourceKind');
  const ref = params.get('sourceRef');
  const label = params.get('sourceLabel');
  return {
    companyId: params.get('companyId'),
    assetIds: params.getAll('assetId').filter(Boolean),
    controlIds: params.getAll('controlId').filter(Boolean),
    title: params.get('title') ?? '',
    source:
      kind && ref && (RISK_SOURCE_KINDS as readonly string[]).includes(kind)
        ? { kind: kind as RiskSourceKind, ref, label: label || ref }
        : null,
  };
}
