// Small visual vocabulary of the inventory: C/I/A levels, flags, lifecycle and type colours.
import { Badge, Group, Tooltip } from '@mantine/core';
import type { AssetDto, AssetType, Lifecycle } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';

/** Mantine colour of a classification level: higher is hotter. */
export const levelColor = (level: number): string =>
  level >= 4 ? 'red' : level === 3 ? 'orange' : level === 2 ? 'yellow' : 'gray';

export const TYPE_COLOR: Record<AssetType, string> = {
  information: '#4263eb',
  personal_information: '#e64980',
  software: '#7048e8',
  hardware: '#495057',
  service: '#1c7ed6',
  network: '#0c8599',
  site: '#2f9e44',
  people: '#f08c00',
  supplier: '#9c36b5',
};

const LIFECYCLE_COLOR: Record<Lifecycle, string> = {
  planned: 'blue',
  in_use: 'teal',
  retired: 'yellow',
  disposed: 'gray',
};

export function LevelBadge({ kind, level }: { kind: 'c' | 'i' | 'a'; level: number }) {
  const t = useT();
  const label = t(
    kind === 'c' ? 'asset.confidentiality' : kind === 'i' ? 'asset.integrity' : 'asset.availability',
  );
  return (
    <Tooltip label={`${label}: ${level}`}>
      <Badge color={levelColor(level)} variant="light" size="sm" radius="sm" w={34} px={0}>
        {t(kind === 'c' ? 'asset.cShort' : kind === 'i' ? 'asset.iShort' : 'asset.aShort')}
        {level}
      </Badge>
    </Tooltip>
  );
}

export function CiaBadges({
  asset,
}: {
  asset: Pick<AssetDto, 'confidentiality' | 'integrity' | 'availability'>;
}) {
  return (
    <Group gap={4} wrap="nowrap">
      <LevelBadge kind="c" level={asset.confidentiality} />
      <LevelBadge kind="i" level={asset.integrity} />
      <LevelBadge kind="a" level={asset.availability} />
    </Group>
  );
}

export function FlagBadges({
  asset,
}: {
  asset: Pick<AssetDto, 'personalData' | 'pciScope' | 'specifiedUserInfo'>;
}) {
  const t = useT();
  return (
    <Group gap={4} wrap="nowrap">
      {asset.personalData && (
        <Tooltip label={t('asset.personalData')}>
          <Badge color="pink" variant="light" size="sm" radius="sm">
            {t('asset.flagPi')}
          </Badge>
        </Tooltip>
      )}
      {asset.pciScope && (
        <Tooltip label={t('asset.pciScope')}>
          <Badge color="grape" variant="light" size="sm" radius="sm">
            PCI
          </Badge>
        </Tooltip>
      )}
      {asset.specifiedUserInfo && (
        <Tooltip label={t('asset.specifiedUserInfo')}>
          <Badge color="cyan" variant="light" size="sm" radius="sm">
            {t('asset.flagSui')}
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}

export function LifecycleBadge({ lifecycle }: { lifecycle: Lifecycle }) {
  const t = useT();
  return (
    <Badge color={LIFECYCLE_COLOR[lifecycle]} variant="light" tt="none">
      {t(`lifecycle.${lifecycle}`)}
    </Badge>
  );
}

export function TypeLabel({ type }: { type: AssetType }) {
  const t = useT();
  return (
    <Group gap={6} wrap="nowrap">
      <span
        aria-hidden="true"
        style={{ width: 8, height: 8, borderRadius: 4, background: TYPE_COLOR[type], flex: 'none' }}
      />
      <span>{t(`assetType.${type}`)}</span>
    </Group>
  );
}
