// The readiness of sending domains for their next DMARC policy: the verdict, the share of legitimate mail a
// stricter policy would hit, and the reasons; the domains asking for action first.
import { Anchor, Badge, List, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { DmarcReadiness } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { ReadinessBadge, perMille, reasonText, showsAffected } from '../../../shared/ui/dmarc-readiness.tsx';
import { byUrgency, domainPath } from '../lib/dmarc.ts';
import { CompanyCode } from '../../../shared/ui/company-code.tsx';

export function PolicyBadge({ policy }: { policy: DmarcReadiness['policy'] }) {
  const t = useT();
  if (policy === null || policy === 'missing')
    return (
      <Badge color="red" variant="light" size="sm" tt="none">
        {t('dmarc.noRecord')}
      </Badge>
    );
  return (
    <Badge
      color={policy === 'reject' ? 'teal' : policy === 'quarantine' ? 'yellow' : 'orange'}
      variant="light"
      size="sm"
      tt="none"
    >
      p={policy}
    </Badge>
  );
}

export function ReadinessTable({
  domains,
  days,
  showCompany = true,
}: {
  domains: readonly DmarcReadiness[];
  days: number;
  showCompany?: boolean;
}) {
  const t = useT();
  if (domains.length === 0)
    return (
      <Text c="dimmed" size="sm" ta="center" py="md">
        {t('dmarc.readiness.empty')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="xs" highlightOnHover data-testid="readiness-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('dmarc.domain')}</Table.Th>
            {showCompany && <Table.Th>{t('dmarc.company')}</Table.Th>}
            <Table.Th>{t('dmarc.readiness.policy')}</Table.Th>
            <Table.Th>{t('dmarc.readiness.verdict')}</Table.Th>
            <Table.Th ta="right">{t('dmarc.readiness.affected')}</Table.Th>
            <Table.Th>{t('dmarc.readiness.reasons')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {byUrgency(domains).map((d) => (
            <Table.Tr key={d.domain} data-testid="readiness-row" data-domain={d.domain}>
              <Table.Td>
                <Anchor component={Link} to={domainPath(d.domain, days)} size="sm" fw={600}>
                  {d.domain}
                </Anchor>
              </Table.Td>
              {showCompany && (
                <Table.Td>
                  <CompanyCode companyId={d.companyId} />
                </Table.Td>
              )}
              <Table.Td>
                <PolicyBadge policy={d.policy} />
              </Table.Td>
              <Table.Td>
                <ReadinessBadge readiness={d} withShare={false} />
              </Table.Td>
              <Table.Td ta="right">
                <Text
                  size="sm"
                  c={showsAffected(d.verdict) ? undefined : 'dimmed'}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {showsAffected(d.verdict) ? `${perMille(d.affected)} %` : '—'}
                </Text>
              </Table.Td>
              <Table.Td>
                <List size="xs" spacing={0}>
                  {d.reasons.map((r) => (
                    <List.Item key={r.code}>{reasonText(t, r)}</List.Item>
                  ))}
                </List>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
