// The Statement of Applicability of one company for one framework: score and trend, filters by section and
// effective status, the entries grouped by section with inline editing, and the XLSX / PDF reports.
import { Fragment, useMemo, useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Box,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Menu,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
  UnstyledButton,
  ActionIcon,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError, api } from '../../shared/api/client.ts';
import {
  EFFECTIVE_STATUSES,
  type CompanyDto,
  type EffectiveStatus,
  type ImplementationStatus,
  type SoaDto,
  type SoaEntryDto,
  type UpdateSoaEntryInput,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { AlertIcon, ChevronDownIcon, DownloadIcon, EditIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError } from '../../shared/ui/notify.tsx';
import { complianceKeys, getScoreHistory, getSoa, soaDownloadUrl, updateSoaEntry } from './compliance.api.ts';
import { useCompanyPeople } from './compliance.queries.ts';
import { localToday } from './lib/dates.ts';
import { EFFECTIVE_STATUS_COLOR, EFFECTIVE_STATUS_ORDER, countByStatus, formatPercent } from './lib/score.ts';
import { sectionTitle } from './lib/sections.ts';
import { filterSoa, groupSoa } from './lib/soa.ts';
import { EffectiveStatusBadge } from './ui/badges.tsx';
import { useFormatDay } from './ui/format.ts';
import { ScoreFigures, ScoreRing } from './ui/score.tsx';
import { ScoreTrend } from './ui/score-trend.tsx';

const SETTABLE: readonly ImplementationStatus[] = ['not_started', 'planned', 'partial', 'implemented'];
const COLUMNS = 8;

type Save = (
  entry: SoaEntryDto,
  changes: Omit<UpdateSoaEntryInput, 'version'>,
  fromForm?: boolean,
) => Promise<SoaEntryDto>;

function StatusMenu({ entry, canWrite, save }: { entry: SoaEntryDto; canWrite: boolean; save: Save }) {
  const t = useT();
  const badge = (
    <Badge
      color={EFFECTIVE_STATUS_COLOR[entry.status]}
      variant={entry.status === 'not_applicable' ? 'outline' : 'light'}
      tt="none"
      rightSection={canWrite && entry.applicable ? <ChevronDownIcon size={12} /> : undefined}
      style={{ cursor: canWrite && entry.applicable ? 'pointer' : undefined }}
    >
      {t(`soaStatus.${entry.status}`)}
    </Badge>
  );
  return (
    <Stack gap={2} align="flex-start">
      {canWrite && entry.applicable ? (
        <Menu position="bottom-start" withinPortal shadow="md">
          <Menu.Target>
            <UnstyledButton aria-label={t('soa.status')} data-testid="soa-status">
              {badge}
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            {SETTABLE.map((s) => (
              <Menu.Item
                key={s}
                onClick={() => void save(entry, { status: s }).catch(() => undefined)}
                disabled={s === entry.status}
                leftSection={
                  <span
                    style={{
                      display: 'inline-block',
                      width: 8,
                      height: 8,
                      borderRadius: 8,
                      background: `var(--mantine-color-${EFFECTIVE_STATUS_COLOR[s]}-6)`,
                    }}
                  />
                }
                data-testid={`soa-status-${s}`}
              >
                {t(`soaStatus.${s}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      ) : (
        badge
      )}
      {entry.effectiveStatus !== entry.status && (
        <Tooltip label={t(`soaStatusHelp.${entry.effectiveStatus}`)} multiline maw={260}>
          <EffectiveStatusBadge
            status={entry.effectiveStatus}
            size="xs"
            variant="dot"
            data-testid="soa-effective"
          />
        </Tooltip>
      )}
    </Stack>
  );
}

function EditRow({
  entry,
  companyId,
  presetNotApplicable,
  onDone,
  save,
  reload,
}: {
  entry: SoaEntryDto;
  companyId: string;
  presetNotApplicable: boolean;
  onDone: () => void;
  save: Save;
  reload: () => Promise<void>;
}) {
  const t = useT();
  const people = useCompanyPeople(companyId);
  const [applicable, setApplicable] = useState(presetNotApplicable ? false : entry.applicable);
  const [justification, setJustification] = useState(entry.justification ?? '');
  const [status, setStatus] = useState<ImplementationStatus>(
    entry.status === 'not_applicable' ? 'not_started' : entry.status,
  );
  const [owner, setOwner] = useState<string | null>(entry.ownerPersonId);
  const [target, setTarget] = useState(entry.targetDate ?? '');
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const stale = error instanceof ApiError && error.code === 'stale_version';
  const errors = fieldErrors(error, t);
  const needsJustification = !applicable && justification.trim() === '';

  const submit = async () => {
    setSaving(true);
    setError(null);
    const changes: Omit<UpdateSoaEntryInput, 'version'> = {};
    if (applicable !== entry.applicable) changes.applicable = applicable;
    const j = justification.trim() || null;
    if (j !== entry.justification) changes.justification = j;
    if (applicable && status !== entry.status) changes.status = status;
    if (owner !== entry.ownerPersonId) changes.ownerPersonId = owner;
    const tgt = target || null;
    if (tgt !== entry.targetDate) changes.targetDate = tgt;
    try {
      if (Object.keys(changes).length > 0) await save(entry, changes, true);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Table.Tr>
      <Table.Td colSpan={COLUMNS} bg="var(--mantine-color-indigo-0)" data-testid="soa-edit-row">
        <Stack gap="sm" p="xs">
          {stale && (
            <Alert color="orange" title={t('error.staleTitle')}>
              {t('error.staleVersion')}
              <Group mt="sm">
                <Button size="xs" variant="white" color="orange" onClick={() => void reload().then(onDone)}>
                  {t('common.reload')}
                </Button>
              </Group>
            </Alert>
          )}
          {error !== null && !stale && (
            <Alert color="red">
              <ProblemDetails error={error} t={t} />
            </Alert>
          )}
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="sm">
                <Switch
                  label={t('soa.applicable')}
                  checked={applicable}
                  onChange={(e) => setApplicable(e.currentTarget.checked)}
                  data-testid="soa-edit-applicable"
                />
                <Textarea
                  label={t('soa.justification')}
                  description={applicable ? t('soa.justificationHelp') : t('soa.justificationRequired')}
                  value={justification}
                  onChange={(e) => setJustification(e.currentTarget.value)}
                  autosize
                  minRows={2}
                  maxLength={4000}
                  required={!applicable}
                  error={
                    errors.justification ?? (needsJustification ? t('soa.justificationRequired') : undefined)
                  }
                  data-testid="soa-edit-justification"
                  data-autofocus
                />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Select
                  label={t('soa.status')}
                  data={SETTABLE.map((s) => ({ value: s, label: t(`soaStatus.${s}`) }))}
                  value={applicable ? status : null}
                  placeholder={applicable ? undefined : t('soaStatus.not_applicable')}
                  onChange={(v) => v && setStatus(v as ImplementationStatus)}
                  disabled={!applicable}
                  allowDeselect={false}
                  data-testid="soa-edit-status"
                />
                <Select
                  label={t('soa.owner')}
                  data={people.options}
                  value={owner}
                  onChange={setOwner}
                  searchable
                  clearable
                  placeholder={people.loading ? t('common.loading') : t('soa.noOwner')}
                  nothingFoundMessage={t('common.nothingFound')}
                  error={errors.ownerPersonId}
                  data-testid="soa-edit-owner"
                />
                <TextInput
                  label={t('soa.targetDate')}
                  type="date"
                  value={target}
                  onChange={(e) => setTarget(e.currentTarget.value)}
                  error={errors.targetDate}
                  data-testid="soa-edit-target"
                />
              </SimpleGrid>
            </Grid.Col>
          </Grid>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" size="xs" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button
              size="xs"
              onClick={() => void submit()}
              loading={saving}
              disabled={stale || needsJustification}
              data-testid="soa-edit-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

function StatusDistribution({
  counts,
  total,
  active,
  onPick,
}: {
  counts: Record<EffectiveStatus, number>;
  total: number;
  active: EffectiveStatus | null;
  onPick: (s: EffectiveStatus | null) => void;
}) {
  const t = useT();
  return (
    <Stack gap="sm">
      <Progress.Root size={14}>
        {EFFECTIVE_STATUS_ORDER.filter((s) => counts[s] > 0).map((s) => (
          <Tooltip key={s} label={`${t(`soaStatus.${s}`)}: ${counts[s]}`}>
            <Progress.Section
              value={(counts[s] / Math.max(1, total)) * 100}
              color={s === 'not_applicable' ? 'gray.4' : EFFECTIVE_STATUS_COLOR[s]}
            />
          </Tooltip>
        ))}
      </Progress.Root>
      <Group gap={6}>
        {EFFECTIVE_STATUS_ORDER.map((s) => (
          <Badge
            key={s}
            component="button"
            type="button"
            onClick={() => onPick(active === s ? null : s)}
            color={s === 'not_applicable' ? 'gray' : EFFECTIVE_STATUS_COLOR[s]}
            variant={active === s ? 'filled' : 'light'}
            tt="none"
            size="lg"
            style={{ cursor: 'pointer', opacity: counts[s] === 0 && active !== s ? 0.5 : 1 }}
            data-testid={`soa-filter-${s}`}
          >
            {t(`soaStatus.${s}`)} · {counts[s]}
          </Badge>
        ))}
      </Group>
    </Stack>
  );
}

export function SoaPage() {
  const t = useT();
  const can = useCan();
  const canWrite = can('compliance.write');
  const canRaiseRisk = can('risk.write');
  const formatDay = useFormatDay();
  const queryClient = useQueryClient();
  const { companyId = '', frameworkId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const section = params.get('section') || null;
  const statusParam = params.get('status');
  const status = (EFFECTIVE_STATUSES as readonly string[]).includes(statusParam ?? '')
    ? (statusParam as EffectiveStatus)
    : null;
  const [q, setQ] = useState(params.get('q') ?? '');
  const [debouncedQ] = useDebouncedValue(q, 250);
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

  const soaKey = complianceKeys.soa(companyId, frameworkId);
  const soa = useQuery({ queryKey: soaKey, queryFn: ({ signal }) => getSoa(companyId, frameworkId, signal) });
  const history = useQuery({
    queryKey: complianceKeys.history(companyId, frameworkId),
    queryFn: ({ signal }) => getScoreHistory(companyId, frameworkId, signal),
  });
  const company = useQuery({
    queryKey: ['companies', 'one', companyId],
    queryFn: ({ signal }) => api.get<CompanyDto>(`/companies/${companyId}`, undefined, signal),
  });
  const people = useCompanyPeople(companyId);
  const [editing, setEditing] = useState<{ id: string; notApplicable: boolean } | null>(null);
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

  const items = useMemo(() => soa.data?.items ?? [], [soa.data]);
  const filtered = useMemo(
    () => filterSoa(items, { section, status, q: debouncedQ }),
    [items, section, status, debouncedQ],
  );
  const groups = useMemo(() => groupSoa(filtered, soa.data?.sections ?? []), [filtered, soa.data]);
  const sectionCounts = useMemo(() => groupSoa(items, soa.data?.sections ?? []), [items, soa.data]);
  const counts = useMemo(
    () => countByStatus(filterSoa(items, { section, q: debouncedQ })),
    [items, section, debouncedQ],
  );

  const mutation = useMutation({
    mutationFn: ({ entry, changes }: { entry: SoaEntryDto; changes: Omit<UpdateSoaEntryInput, 'version'> }) =>
      updateSoaEntry(entry.id, { version: entry.version, ...changes }),
    onSuccess: (updated) => {
      queryClient.setQueryData<SoaDto>(soaKey, (old) =>
        old ? { ...old, items: old.items.map((i) => (i.id === updated.id ? updated : i)) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
    },
  });
  const save = async (
    entry: SoaEntryDto,
    changes: Omit<UpdateSoaEntryInput, 'version'>,
    fromForm = false,
  ): Promise<SoaEntryDto> => {
    try {
      return await mutation.mutateAsync({ entry, changes });
    } catch (err) {
      // The inline form shows its own error; quick edits (status, applicable) notify.
      if (!fromForm) {
        notifyError(
          err,
          err instanceof ApiError && err.code === 'stale_version' ? t('error.staleTitle') : undefined,
        );
        if (err instanceof ApiError && err.code === 'stale_version') void soa.refetch();
      }
      throw err;
    }
  };
  const reload = async () => {
    await soa.refetch();
  };

  if (soa.isLoading) return <Loader />;
  if (soa.error || !soa.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={soa.error} t={t} />
      </Alert>
    );
  }
  const { adoption, sections } = soa.data;
  const companyLabel = company.data?.shortCode ?? '…';
  const today = localToday();
  /** The risk form, prefilled from a failing requirement (the risks feature reads these parameters). */
  const raiseRiskUrl = (e: SoaEntryDto) => {
    const params = new URLSearchParams({
      companyId,
      title: t('risk.fromRequirementTitle', { ref: e.requirementRef, title: e.requirementTitle }).slice(
        0,
        300,
      ),
      sourceKind: 'requirement',
      sourceRef: e.requirementId,
      sourceLabel: `${adoption.frameworkName} ${e.requirementRef} ${e.requirementTitle}`.slice(0, 300),
    });
    for (const c of e.appliedControls) params.append('controlId', c.id);
    return `/risks/new?${params.toString()}`;
  };
  const sectionLabel = (ref: string, title: string) =>
    `${ref} ${sectionTitle(t, adoption.frameworkRef, ref, title)}`;
  const toggleGroup = (ref: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(ref)) next.delete(ref);
      else next.add(ref);
      return next;
    });

  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/companies" size="sm">
          {t('nav.companies')}
        </Anchor>
        <Anchor component={Link} to={`/companies/${companyId}`} size="sm">
          {companyLabel}
        </Anchor>
        <Anchor component={Link} to={`/companies/${companyId}/compliance`} size="sm">
          {t('companyCompliance.crumb')}
        </Anchor>
        <Text size="sm">{adoption.frameworkName}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg">
        <div>
          <Title order={2} data-testid="soa-title">
            {t('soa.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {company.data?.legalName ?? ''} · {adoption.frameworkName}
          </Text>
        </div>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<DownloadIcon />}
            component="a"
            href={soaDownloadUrl(companyId, frameworkId, 'xlsx')}
            download
            data-testid="soa-xlsx"
          >
            {t('soa.downloadXlsx')}
          </Button>
          <Button
            variant="default"
            leftSection={<DownloadIcon />}
            component="a"
            href={soaDownloadUrl(companyId, frameworkId, 'pdf')}
            download
            data-testid="soa-pdf"
          >
            {t('soa.downloadPdf')}
          </Button>
        </Group>
      </Group>

      <Grid gap="lg" mb="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="lg" radius="md" h="100%">
            <Group wrap="nowrap" align="center" mb="md">
              <ScoreRing score={adoption.score} size={112} thickness={11} testId="soa-score" />
              <Stack gap={4}>
                <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                  {t('soa.score')}
                </Text>
                <ScoreFigures score={adoption.score} />
              </Stack>
            </Group>
            <StatusDistribution
              counts={counts}
              total={Object.values(counts).reduce((a, b) => a + b, 0)}
              active={status}
              onPick={(s) => setParam('status', s)}
            />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="lg" radius="md" h="100%">
            <Group justify="space-between" mb="xs">
              <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
                {t('soa.trend')}
              </Text>
              {history.data && history.data.length > 0 && (
                <Text size="xs" c="dimmed">
                  {formatDay(history.data[0]!.date)} –{' '}
                  {formatDay(history.data[history.data.length - 1]!.date)}
                </Text>
              )}
            </Group>
            {history.isLoading ? <Loader size="sm" /> : <ScoreTrend points={history.data ?? []} />}
          </Card>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md" p="md" mb="md">
        <Group gap="sm" wrap="wrap">
          <Select
            placeholder={t('soa.allSections')}
            data={sections.map((s) => {
              const g = sectionCounts.find((x) => x.ref === s.ref);
              return {
                value: s.ref,
                label: `${sectionLabel(s.ref, s.title)}${g ? ` (${g.satisfied}/${g.applicable})` : ''}`,
              };
            })}
            value={section}
            onChange={(v) => setParam('section', v)}
            clearable
            searchable
            w={360}
            data-testid="soa-section"
          />
          <TextInput
            placeholder={t('soa.searchPlaceholder')}
            leftSection={<SearchIcon size={16} />}
            value={q}
            onChange={(e) => {
              setQ(e.currentTarget.value);
              setParam('q', e.currentTarget.value.trim() || null);
            }}
            w={300}
            data-testid="soa-search"
          />
          {(section || status || q) && (
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
          <Text size="sm" c="dimmed" ml="auto" data-testid="soa-count">
            {t('soa.shown', { count: filtered.length, total: items.length })}
          </Text>
        </Group>
      </Paper>

      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={1080}>
          <Table verticalSpacing="xs" data-testid="soa-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>{t('soa.ref')}</Table.Th>
                <Table.Th>{t('soa.requirement')}</Table.Th>
                <Table.Th w={90}>{t('soa.applicable')}</Table.Th>
                <Table.Th w={150}>{t('soa.status')}</Table.Th>
                <Table.Th w={150}>{t('soa.owner')}</Table.Th>
                <Table.Th w={120}>{t('soa.targetDate')}</Table.Th>
                <Table.Th w={170}>{t('soa.controls')}</Table.Th>
                <Table.Th w={76} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {groups.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={COLUMNS}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('common.nothingFound')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {groups.map((g) => {
                const open = !collapsed.has(g.ref);
                const pct = g.applicable ? Math.floor((g.satisfied * 1000) / g.applicable) : null;
                return (
                  <Fragment key={g.ref}>
                    <Table.Tr bg="var(--mantine-color-gray-0)" data-testid="soa-section-row">
                      <Table.Td colSpan={COLUMNS} py={8}>
                        <Group justify="space-between" wrap="nowrap">
                          <UnstyledButton onClick={() => toggleGroup(g.ref)} aria-expanded={open}>
                            <Group gap="xs" wrap="nowrap">
                              <ChevronDownIcon
                                size={16}
                                style={{
                                  transform: open ? undefined : 'rotate(-90deg)',
                                  transition: 'transform 120ms',
                                }}
                              />
                              <Text fw={700} size="sm">
                                {sectionLabel(g.ref, g.title)}
                              </Text>
                              <Text size="xs" c="dimmed">
                                {g.items.length === 1
                                  ? t('soa.entriesOne')
                                  : t('soa.entries', { count: g.items.length })}
                              </Text>
                            </Group>
                          </UnstyledButton>
                          <Group gap="xs" wrap="nowrap" w={220}>
                            <Progress
                              value={pct === null ? 0 : pct / 10}
                              color="teal"
                              size="sm"
                              style={{ flex: 1 }}
                            />
                            <Text size="xs" fw={600} w={80} ta="right">
                              {pct === null ? '—' : `${g.satisfied}/${g.applicable} · ${formatPercent(pct)}`}
                            </Text>
                          </Group>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                    {open &&
                      g.items.map((e) => {
                        const owner = e.ownerPersonId ? people.byId.get(e.ownerPersonId) : undefined;
                        const late =
                          e.targetDate !== null &&
                          e.targetDate < today &&
                          e.status !== 'implemented' &&
                          e.applicable;
                        const isEditing = editing?.id === e.id;
                        return (
                          <Fragment key={e.id}>
                            <Table.Tr
                              data-testid="soa-row"
                              data-ref={e.requirementRef}
                              data-status={e.effectiveStatus}
                              style={{ opacity: e.applicable ? 1 : 0.7 }}
                            >
                              <Table.Td>
                                <Text ff="monospace" size="sm" fw={600}>
                                  {e.requirementRef}
                                </Text>
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm">{e.requirementTitle}</Text>
                                {e.justification && (
                                  <Text size="xs" c="dimmed" fs="italic" lineClamp={2}>
                                    {e.justification}
                                  </Text>
                                )}
                              </Table.Td>
                              <Table.Td>
                                <Switch
                                  size="sm"
                                  checked={e.applicable}
                                  disabled={!canWrite}
                                  aria-label={t('soa.applicable')}
                                  onChange={(ev) => {
                                    if (ev.currentTarget.checked)
                                      void save(e, { applicable: true }).catch(() => undefined);
                                    else setEditing({ id: e.id, notApplicable: true });
                                  }}
                                  data-testid="soa-applicable"
                                />
                              </Table.Td>
                              <Table.Td>
                                <StatusMenu entry={e} canWrite={canWrite} save={save} />
                              </Table.Td>
                              <Table.Td>
                                <Text size="sm" c={owner ? undefined : 'dimmed'} truncate maw={140}>
                                  {owner?.name ?? (e.ownerPersonId ? '…' : '—')}
                                </Text>
                              </Table.Td>
                              <Table.Td>
                                <Text
                                  size="sm"
                                  c={late ? 'red.7' : e.targetDate ? undefined : 'dimmed'}
                                  fw={late ? 600 : 400}
                                >
                                  {formatDay(e.targetDate)}
                                </Text>
                              </Table.Td>
                              <Table.Td>
                                <Group gap={4}>
                                  {e.appliedControls.slice(0, 3).map((c) => (
                                    <Tooltip key={c.id} label={c.name}>
                                      <Badge
                                        component={Link}
                                        to={`/compliance/controls/${c.id}`}
                                        variant="outline"
                                        color="indigo"
                                        tt="none"
                                        style={{ cursor: 'pointer' }}
                                      >
                                        {c.code}
                                      </Badge>
                                    </Tooltip>
                                  ))}
                                  {e.appliedControls.length > 3 && (
                                    <Badge variant="light" color="gray">
                                      +{e.appliedControls.length - 3}
                                    </Badge>
                                  )}
                                </Group>
                              </Table.Td>
                              <Table.Td>
                                <Group gap={2} wrap="nowrap">
                                  {canWrite && (
                                    <Tooltip label={t('common.edit')}>
                                      <ActionIcon
                                        variant="subtle"
                                        onClick={() =>
                                          setEditing(isEditing ? null : { id: e.id, notApplicable: false })
                                        }
                                        aria-label={t('common.edit')}
                                        data-testid="soa-edit"
                                      >
                                        <EditIcon size={16} />
                                      </ActionIcon>
                                    </Tooltip>
                                  )}
                                  {canRaiseRisk &&
                                    e.applicable &&
                                    e.effectiveStatus !== 'implemented' &&
                                    e.effectiveStatus !== 'not_applicable' && (
                                      <Tooltip label={t('risk.raise')}>
                                        <ActionIcon
                                          variant="subtle"
                                          color="red"
                                          component={Link}
                                          to={raiseRiskUrl(e)}
                                          aria-label={t('risk.raise')}
                                          data-testid="soa-raise-risk"
                                        >
                                          <AlertIcon size={16} />
                                        </ActionIcon>
                                      </Tooltip>
                                    )}
                                </Group>
                              </Table.Td>
                            </Table.Tr>
                            {isEditing && (
                              <EditRow
                                key={`${e.id}-${e.version}`}
                                entry={e}
                                companyId={companyId}
                                presetNotApplicable={editing.notApplicable}
                                onDone={() => setEditing(null)}
                                save={save}
                                reload={reload}
                              />
                            )}
                          </Fragment>
                        );
                      })}
                  </Fragment>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <Box h="xl" />
    </>
  );
}
