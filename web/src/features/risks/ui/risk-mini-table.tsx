// A compact list of risks for cards (top risks, due risks): title with company, owner, residual level and one
// column of the card's own.
import type { ReactNode } from 'react';
import { Anchor, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useCompanyLookup } from '../../../shared/api/lookups.ts';
import type { RiskDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { useMethodsOf } from '../risks.queries.ts';
import { AboveThresholdMarker, LevelBadge } from './badges.tsx';
import { PersonName } from './names.tsx';

export function RiskMiniTable({
  risks,
  extra,
  empty,
  testId,
  rowTestId = 'mini-risk-row',
}: {
  risks: readonly RiskDto[];
  extra?: { label: string; render: (r: RiskDto) => ReactNode };
  empty: string;
  testId: string;
  rowTestId?: string;
}) {
  const t = useT();
  const lookup = useCompanyLookup();
  const methods = useMethodsOf(risks.map((r) => r.companyId));
  if (risks.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table verticalSpacing={6} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={220}>{t('risk.title')}</Table.Th>
            <Table.Th w={150}>{t('risk.owner')}</Table.Th>
            <Table.Th w={170}>{t('risk.residual')}</Table.Th>
            {extra && <Table.Th w={170}>{extra.label}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {risks.map((r) => (
            <Table.Tr key={r.id} data-testid={rowTestId}>
              <Table.Td>
                <Anchor component={Link} to={`/risks/${r.id}`} size="sm" lineClamp={1}>
                  {r.title}
                </Anchor>
                <Text size="xs" c="dimmed" ff="monospace">
                  {lookup.byId.get(r.companyId)?.shortCode ?? '…'}
                </Text>
              </Table.Td>
              <Table.Td>
                <PersonName id={r.ownerPersonId} />
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <LevelBadge
                    level={r.residual.level}
                    rank={r.residual.rank}
                    ranks={methods.get(r.companyId)?.levels.map((l) => l.rank) ?? []}
                  />
                  {r.aboveThreshold && <AboveThresholdMarker compact />}
                </Group>
              </Table.Td>
              {extra && <Table.Td>{extra.render(r)}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
