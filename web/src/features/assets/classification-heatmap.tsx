// Assets per confidentiality x integrity of the filtered inventory; a cell filters the list to it.
import { Box, Group, Paper, SimpleGrid, Stack, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { ASSET_TYPES, type AssetSummary } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { TYPE_COLOR } from './asset-badges.tsx';
import { heatColor, heatmapGrid } from './lib/heatmap.ts';

interface Props {
  summary: AssetSummary | undefined;
  selected: { confidentiality: number | null; integrity: number | null };
  onSelect: (cell: { confidentiality: number; integrity: number } | null) => void;
}

function Counter({ label, value, color }: { label: string; value: number | undefined; color?: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz={24} fw={700} c={color}>
        {value === undefined ? '…' : value.toLocaleString()}
      </Text>
    </Paper>
  );
}

export function ClassificationHeatmap({ summary, selected, onSelect }: Props) {
  const t = useT();
  const grid = heatmapGrid(summary?.matrix ?? []);
  const cell = 44;
  return (
    <Group align="stretch" gap="lg" wrap="wrap" data-testid="asset-heatmap">
      <Paper withBorder p="md" radius="md">
        <Text size="sm" fw={600} mb={6}>
          {t('asset.heatmapTitle')}
        </Text>
        <Text size="xs" c="dimmed" mb={4}>
          ↑ {t('asset.confidentiality')}
        </Text>
        <Group gap={6} align="stretch" wrap="nowrap">
          <Stack gap={4}>
            {grid.rows.map((row) => (
              <Group key={row.confidentiality} gap={4} wrap="nowrap">
                <Text size="xs" c="dimmed" w={14} ta="right">
                  {row.confidentiality}
                </Text>
                {row.cells.map((c) => {
                  const active =
                    selected.confidentiality === row.confidentiality && selected.integrity === c.integrity;
                  return (
                    <Tooltip
                      key={c.integrity}
                      label={t('asset.heatmapCell', {
                        c: row.confidentiality,
                        i: c.integrity,
                        count: c.count,
                      })}
                    >
                      <UnstyledButton
                        onClick={() =>
                          onSelect(
                            active ? null : { confidentiality: row.confidentiality, integrity: c.integrity },
                          )
                        }
                        data-testid={`heat-${row.confidentiality}-${c.integrity}`}
                        style={{
                          width: cell,
                          height: cell,
                          borderRadius: 6,
                          background: heatColor(c.share),
                          outline: active
                            ? '2px solid var(--mantine-color-indigo-6)'
                            : '1px solid var(--mantine-color-gray-3)',
                          display: 'flex',
                          alignItems: 'center',
                          justifyContent: 'center',
                          fontSize: 13,
                          fontWeight: 600,
                          color: c.share > 0.55 ? 'white' : 'var(--mantine-color-dark-6)',
                        }}
                      >
                        {c.count > 0 ? c.count.toLocaleString() : ''}
                      </UnstyledButton>
                    </Tooltip>
                  );
                })}
              </Group>
            ))}
            <Group gap={4} wrap="nowrap">
              <Box w={14} />
              {grid.rows[0]!.cells.map((c) => (
                <Text key={c.integrity} size="xs" c="dimmed" w={cell} ta="center">
                  {c.integrity}
                </Text>
              ))}
            </Group>
            <Text size="xs" c="dimmed" ta="center" pl={18}>
              {t('asset.integrity')} →
            </Text>
          </Stack>
        </Group>
      </Paper>
      <SimpleGrid cols={2} spacing="sm" style={{ alignContent: 'start' }}>
        <Counter label={t('asset.total')} value={summary?.total} />
        <Counter label={t('asset.personalData')} value={summary?.personalData} color="pink" />
        <Counter label={t('asset.pciScope')} value={summary?.pciScope} color="grape" />
        <Counter label={t('asset.specifiedUserInfo')} value={summary?.specifiedUserInfo} color="cyan" />
      </SimpleGrid>
      <Paper withBorder p="md" radius="md" style={{ flex: 1, minWidth: 260 }}>
        <Text size="sm" fw={600} mb="xs">
          {t('asset.byType')}
        </Text>
        <Stack gap={6}>
          {ASSET_TYPES.map((type) => {
            const count = summary?.byType.find((b) => b.assetType === type)?.count ?? 0;
            const share = summary && summary.total > 0 ? count / summary.total : 0;
            return (
              <Group key={type} gap="xs" wrap="nowrap">
                <Text size="xs" w={180} truncate>
                  {t(`assetType.${type}`)}
                </Text>
                <Box
                  style={{ flex: 1, background: 'var(--mantine-color-gray-1)', borderRadius: 4, height: 10 }}
                >
                  <Box
                    style={{
                      width: `${Math.round(share * 100)}%`,
                      minWidth: count > 0 ? 3 : 0,
                      height: 10,
                      borderRadius: 4,
                      background: TYPE_COLOR[type],
                    }}
                  />
                </Box>
                <Text size="xs" w={44} ta="right" c="dimmed">
                  {count.toLocaleString()}
                </Text>
              </Group>
            );
          })}
        </Stack>
      </Paper>
    </Group>
  );
}
