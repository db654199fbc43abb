// The risk register: filters kept in the URL (the heat map and other pages link into them), keyset pages with
// "load more", levels coloured by rank and the marker of residual risks above the acceptance threshold.
// At /risks/new?... it opens the form prefilled by the page that raised the risk (an asset, the SoA).
import { useRef, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  CloseButton,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import { TREATMENTS, type RiskDto } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { PlusIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { localToday } from './lib/dates.ts';
import { RISK_FILTERS, cellFilter, filtersOf, prefillOf, type RiskFilterName } from './lib/register.ts';
import { RiskFormModal } from './risk-form-modal.tsx';
import { riskKeys } from './risks.api.ts';
import { useMethodsOf } from './risks.queries.ts';
import { AboveThresholdMarker, DueBadge, LevelBadge, TreatmentBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { GridIcon } from './ui/icons.tsx';
import { PersonName } from './ui/names.tsx';
import { AssetPicker, PersonPicker } from './ui/pickers.tsx';

export function RisksPage({ raise = false }: { raise?: boolean }) {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const filter = (name: RiskFilterName) => filters[name] ?? '';
  const setFilters = (values: Partial<Record<RiskFilterName, string | null>>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(values)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        if ('companyId' in values) {
          for (const n of ['ownerPersonId', 'assetId', 'level'] as const) next.delete(n);
          for (const n of RISK_FILTERS) if (/Likelihood|Impact/.test(n)) next.delete(n);
        }
        return next;
      },
      { replace: true },
    );
  };
  const setFilter = (name: RiskFilterName, value: string | null) => setFilters({ [name]: value });

  const [q, setQ] = useState(filter('q'));
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const query: Record<string, string> = { ...filters, q: debouncedQ };
  const companyId = filter('companyId') || null;
  const cell = cellFilter(filters);

  const list = usePagedList<RiskDto>(riskKeys.list, '/risks', query);
  const methods = useMethodsOf([...(companyId ? [companyId] : []), ...list.items.map((r) => r.companyId)]);
  const levelNames = [
    ...new Set(
      (companyId
        ? [...(methods.get(companyId)?.levels ?? [])]
        : [...methods.values()].flatMap((m) => m.levels)
      )
        .sort((a, b) => a.rank - b.rank)
        .map((l) => l.name),
    ),
  ];
  if (filter('level') && !levelNames.includes(filter('level'))) levelNames.push(filter('level'));
  const ranksOf = (r: RiskDto) => methods.get(r.companyId)?.levels.map((l) => l.rank) ?? [];
  const canWrite = can('risk.write');
  const anyFilter = RISK_FILTERS.some((f) => filter(f));
  const today = localToday();
  const formatDay = useFormatDay();

  const [creating, setCreating] = useState(false);
  const prefill = raise ? prefillOf(params) : null;
  // After a save the page goes to the new risk; closing the form must not send it back to the register.
  const saved = useRef(false);
  const closeForm = () => {
    if (saved.current) return;
    if (raise) void navigate(`/risks${companyId ? `?companyId=${companyId}` : ''}`, { replace: true });
    else setCreating(false);
  };

  return (
    <>
      <PageHeader
        title={t('nav.riskRegister')}
        description={t('risk.registerDescription')}
        actions={
          <>
            <Button
              variant="default"
              component={Link}
              to={`/risks/overview${companyId ? `?companyId=${companyId}` : ''}`}
              leftSection={<GridIcon />}
              data-testid="risks-overview-link"
            >
              {t('nav.riskOverview')}
            </Button>
            {canWrite && (
              <Button leftSection={<PlusIcon />} onClick={() => setCreating(true)} data-testid="risk-create">
                {t('risk.create')}
              </Button>
            )}
          </>
        }
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <Stack gap="sm">
          <Group gap="sm" align="flex-end">
            <TextInput
              placeholder={t('risk.searchPlaceholder')}
              leftSection={<SearchIcon size={16} />}
              value={q}
              onChange={(e) => {
                setQ(e.currentTarget.value);
                setFilter('q', e.currentTarget.value.trim() || null);
              }}
              w={260}
              data-testid="risks-search"
            />
            <Select
              placeholder={t('risk.company')}
              data={lookup.options}
              value={companyId}
              onChange={(v) => setFilter('companyId', v)}
              searchable
              clearable
              w={240}
              data-testid="risks-filter-company"
            />
            {can('person.read') && (
              <PersonPicker
                placeholder={t('risk.owner')}
                companyId={companyId}
                value={filter('ownerPersonId') || null}
                onChange={(v) => setFilter('ownerPersonId', v)}
                clearable
                w={220}
                data-testid="risks-filter-owner"
              />
            )}
            <Select
              placeholder={t('risk.residualLevel')}
              data={levelNames}
              value={filter('level') || null}
              onChange={(v) => setFilter('level', v)}
              clearable
              w={170}
              data-testid="risks-filter-level"
            />
            <Select
              placeholder={t('risk.treatment')}
              data={TREATMENTS.map((x) => ({ value: x, label: t(`treatment.${x}`) }))}
              value={filter('treatment') || null}
              onChange={(v) => setFilter('treatment', v)}
              clearable
              w={160}
              data-testid="risks-filter-treatment"
            />
            {can('asset.read') && (
              <AssetPicker
                placeholder={t('risk.asset')}
                companyId={companyId}
                value={filter('assetId') || null}
                onChange={(v) => setFilter('assetId', v)}
                clearable
                w={240}
                data-testid="risks-filter-asset"
              />
            )}
            <Switch
              label={t('risk.overdueReviewFilter')}
              checked={filter('overdueReview') === 'true'}
              onChange={(e) => setFilter('overdueReview', e.currentTarget.checked ? 'true' : null)}
              mb={8}
              data-testid="risks-filter-overdue"
            />
            {anyFilter && (
              <Button
                variant="subtle"
                color="gray"
                onClick={() => {
                  setQ('');
                  setParams(new URLSearchParams(), { replace: true });
                }}
              >
                {t('common.clearFilters')}
              </Button>
            )}
          </Group>
          {cell && (
            <Group gap="xs">
              <Badge
                size="lg"
                variant="light"
                color="indigo"
                tt="none"
                rightSection={
                  <CloseButton
                    size="xs"
                    onClick={() =>
                      setFilters({ [`${cell.side}Likelihood`]: null, [`${cell.side}Impact`]: null })
                    }
                    aria-label={t('common.clearFilters')}
                  />
                }
                data-testid="risks-cell-filter"
              >
                {t('risk.cellFilter', {
                  side: t(cell.side === 'inherent' ? 'risk.inherent' : 'risk.residual'),
                  likelihood: cell.l,
                  impact: cell.i,
                })}
              </Badge>
            </Group>
          )}
        </Stack>
      </Paper>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1100}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="risks-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th miw={240}>{t('risk.title')}</Table.Th>
                <Table.Th>{t('risk.company')}</Table.Th>
                <Table.Th>{t('risk.owner')}</Table.Th>
                <Table.Th>{t('risk.inherent')}</Table.Th>
                <Table.Th>{t('risk.residual')}</Table.Th>
                <Table.Th>{t('risk.treatment')}</Table.Th>
                <Table.Th>{t('risk.reviewDate')}</Table.Th>
                <Table.Th>{t('risk.planShort')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={8} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    <Text c="dimmed" ta="center" py="lg">
                      {anyFilter ? t('common.nothingFound') : t('risk.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((r) => {
                const company = lookup.byId.get(r.companyId);
                const open = r.tasks.filter((x) => !x.done);
                const late = open.filter((x) => x.dueDate && x.dueDate < today).length;
                return (
                  <Table.Tr key={r.id} data-testid="risk-row">
                    <Table.Td maw={360}>
                      <Anchor component={Link} to={`/risks/${r.id}`} size="sm" fw={500} lineClamp={2}>
                        {r.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={company?.legalName ?? r.companyId} disabled={!company}>
                        <Text size="sm" ff="monospace">
                          {company?.shortCode ?? '…'}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <PersonName id={r.ownerPersonId} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <LevelBadge
                          level={r.inherent.level}
                          rank={r.inherent.rank}
                          ranks={ranksOf(r)}
                          variant="light"
                        />
                        <Text size="xs" c="dimmed">
                          {r.inherent.likelihood}×{r.inherent.impact}
                        </Text>
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <LevelBadge
                          level={r.residual.level}
                          rank={r.residual.rank}
                          ranks={ranksOf(r)}
                          data-testid="risk-residual"
                        />
                        <Text size="xs" c="dimmed">
                          {r.residual.likelihood}×{r.residual.impact}
                        </Text>
                        {r.aboveThreshold && <AboveThresholdMarker compact />}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2} align="flex-start">
                        <TreatmentBadge treatment={r.treatment} />
                        {r.acceptance && (
                          <Tooltip
                            label={t('risk.acceptedUntil', { date: formatDay(r.acceptance.expiresOn) })}
                          >
                            <Badge
                              size="xs"
                              variant="dot"
                              color={r.acceptance.expiresOn < today ? 'red' : 'teal'}
                              tt="none"
                            >
                              {r.acceptance.expiresOn < today
                                ? t('risk.acceptanceExpired')
                                : t('risk.signedOff')}
                            </Badge>
                          </Tooltip>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      {r.reviewDate ? (
                        <Stack gap={2} align="flex-start">
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {formatDay(r.reviewDate)}
                          </Text>
                          {r.reviewDate < today && <DueBadge day={r.reviewDate} today={today} size="xs" />}
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {r.tasks.length > 0 ? (
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm">
                            {r.tasks.length - open.length}/{r.tasks.length}
                          </Text>
                          {late > 0 && (
                            <Badge size="xs" color="red" variant="light" tt="none">
                              {t('risk.tasksLate', { count: late })}
                            </Badge>
                          )}
                        </Group>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
      />
      <RiskFormModal
        opened={creating || (raise && canWrite)}
        prefill={
          prefill ?? (companyId ? { companyId, assetIds: [], controlIds: [], title: '', source: null } : null)
        }
        onClose={closeForm}
        onSaved={(risk) => {
          saved.current = true;
          void navigate(`/risks/${risk.id}`, { replace: raise });
        }}
      />
    </>
  );
}
