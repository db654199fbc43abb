// Evidence that runs out within N days, or has run out: what to renew next, across the companies in scope.
import {
  Alert,
  Anchor,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Table,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { complianceKeys, listExpiringEvidence } from './compliance.api.ts';
import { DaysLeftBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { FileIcon, NoteIcon } from './ui/icons.tsx';
import { LinkIcon } from '../../shared/ui/icons.tsx';

const DAY_CHOICES = ['7', '30', '60', '90', '180', '365'] as const;
const SHOW = ['all', 'expiring', 'expired'] as const;
type Show = (typeof SHOW)[number];
const KIND_ICON = { link: LinkIcon, note: NoteIcon, file: FileIcon } as const;

export function EvidencePage() {
  const t = useT();
  const formatDay = useFormatDay();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const daysParam = params.get('days') ?? '30';
  const days = (DAY_CHOICES as readonly string[]).includes(daysParam) ? Number(daysParam) : 30;
  const showParam = params.get('show');
  const show: Show = (SHOW as readonly string[]).includes(showParam ?? '') ? (showParam as Show) : 'all';
  const companyId = params.get('companyId') || null;
  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const query = useQuery({
    queryKey: [...complianceKeys.expiring, days, companyId],
    queryFn: ({ signal }) => listExpiringEvidence({ days, companyId }, signal),
  });
  const all = [...(query.data ?? [])].sort((a, b) => a.daysLeft - b.daysLeft);
  const expired = all.filter((e) => e.daysLeft < 0);
  const expiring = all.filter((e) => e.daysLeft >= 0);
  const items = show === 'expired' ? expired : show === 'expiring' ? expiring : all;
  const within7 = expiring.filter((e) => e.daysLeft <= 7).length;

  return (
    <>
      <PageHeader title={t('nav.evidence')} description={t('evidencePage.description')} />
      <SimpleGrid cols={{ base: 1, sm: 3 }} mb="lg">
        <Paper withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('evidencePage.expired')}
          </Text>
          <Text
            fz={28}
            fw={700}
            c={expired.length ? 'red.7' : undefined}
            data-testid="evidence-expired-count"
          >
            {expired.length}
          </Text>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('evidencePage.within7')}
          </Text>
          <Text fz={28} fw={700} c={within7 ? 'orange.7' : undefined}>
            {within7}
          </Text>
        </Paper>
        <Paper withBorder p="md" radius="md">
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {t('evidencePage.withinDays', { days })}
          </Text>
          <Text fz={28} fw={700}>
            {expiring.length}
          </Text>
        </Paper>
      </SimpleGrid>
      <Group mb="md" gap="sm" wrap="wrap">
        <Group gap={6}>
          <Text size="sm" c="dimmed">
            {t('evidencePage.within')}
          </Text>
          <SegmentedControl
            value={String(days)}
            onChange={(v) => setParam('days', v)}
            data={DAY_CHOICES.map((d) => ({ value: d, label: t('evidencePage.days', { days: d }) }))}
            data-testid="evidence-days"
          />
        </Group>
        <SegmentedControl
          value={show}
          onChange={(v) => setParam('show', v === 'all' ? null : v)}
          data={SHOW.map((s) => ({ value: s, label: t(`evidencePage.show.${s}`) }))}
          data-testid="evidence-show"
        />
        <Select
          placeholder={t('control.allCompanies')}
          data={lookup.options}
          value={companyId}
          onChange={(v) => setParam('companyId', v)}
          searchable
          clearable
          w={300}
        />
      </Group>
      {query.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={query.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={900}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="expiring-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('control.company')}</Table.Th>
                <Table.Th>{t('evidencePage.control')}</Table.Th>
                <Table.Th>{t('evidence.title')}</Table.Th>
                <Table.Th>{t('evidence.validUntil')}</Table.Th>
                <Table.Th>{t('evidencePage.daysLeft')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.isLoading && <TableSkeleton columns={5} />}
              {!query.isLoading && items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('evidencePage.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((e) => {
                const Icon = KIND_ICON[e.kind];
                const company = lookup.byId.get(e.companyId);
                return (
                  <Table.Tr
                    key={e.id}
                    data-testid="expiring-row"
                    bg={e.daysLeft < 0 ? 'var(--mantine-color-red-0)' : undefined}
                  >
                    <Table.Td>
                      <Text size="sm" ff="monospace" fw={600}>
                        {company?.shortCode ?? ''}
                      </Text>
                      <Text size="xs" c="dimmed" truncate maw={200}>
                        {e.companyName}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/compliance/controls/${e.appliedControlId}`} size="sm">
                        <Text span ff="monospace" size="sm" fw={600}>
                          {e.controlCode}
                        </Text>{' '}
                        {e.controlName}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <ThemeIcon variant="light" color="gray" size="sm">
                          <Icon size={14} />
                        </ThemeIcon>
                        <Text size="sm">{e.title}</Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDay(e.validUntil)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <DaysLeftBadge days={e.daysLeft} soonDays={7} past="expired" />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </>
  );
}
