// Factories that build and insert assets (and their relations) through the real service.
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/app/context.ts';
import type {
  AssetDto,
  CreateAssetInput,
  RelationDto,
  RelationKind,
} from '../../src/modules/assets/index.ts';
import { factoryActor } from './org.factory.ts';

const seed = () => randomBytes(3).toString('hex').toUpperCase();

export function assetFactory(ctx: AppContext) {
  return (
    companyId: string,
    ownerPersonId: string,
    over: Partial<Omit<CreateAssetInput, 'companyId' | 'ownerPersonId'>> = {},
  ): Promise<AssetDto> =>
    ctx.services.assets.createAsset(factoryActor, {
      companyId,
      ownerPersonId,
      name: `Asset ${seed()}`,
      description: null,
      assetType: 'service',
      departmentId: null,
      custodianPersonId: null,
      location: null,
      lifecycle: 'in_use',
      confidentiality: 2,
      integrity: 2,
      availability: 2,
      personalData: false,
      personalDataCategories: [],
      personalRecordCount: null,
      pciScope: false,
      specifiedUserInfo: false,
      ...over,
    });
}

export function relationFactory(ctx: AppContext) {
  return (fromId: string, toId: string, kind: RelationKind = 'depends_on'): Promise<RelationDto> =>
    ctx.services.assets.createRelation(factoryActor, fromId, { kind, toAssetId: toId });
}
