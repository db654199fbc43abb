// The risk method of one company (ISO/IEC 27001 6.1.2): likelihood and impact scales, the risk levels, the
// matrix that gives each score its level, and the acceptance threshold. Saving makes a new version; risks keep
// the version they were assessed under, and earlier versions stay readable here.
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Box,
  Button,
  Card,
  Grid,
  Group,
  List,
  Loader,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import type { RiskMethodDto } from '../../shared/api/types.ts';
import { useFormatDate, useT, type TFunction } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { PlusIcon, TrashIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import {
  MAX_LEVELS,
  MAX_SCALE,
  MIN_LEVELS,
  MIN_SCALE,
  addLevel,
  cellKey,
  definitionOf,
  draftErrors,
  draftOf,
  fillMatrix,
  rankTone,
  removeLevel,
  resizeScale,
  templateMethod,
  type Axis,
  type MethodDraft,
} from './lib/method.ts';
import { getMethodVersion, riskKeys, setMethod } from './risks.api.ts';
import { useCompanyMethod } from './risks.queries.ts';

function template(t: TFunction): MethodDraft {
  return templateMethod({
    likelihood: [1, 2, 3, 4, 5].map((n) =>
      t(`method.templateLikelihood${n}` as 'method.templateLikelihood1'),
    ),
    impact: [1, 2, 3, 4, 5].map((n) => t(`method.templateImpact${n}` as 'method.templateImpact1')),
    levels: [
      t('method.templateLevel1'),
      t('method.templateLevel2'),
      t('method.templateLevel3'),
      t('method.templateLevel4'),
    ],
  });
}

export function RiskMethodPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const [params, setParams] = useSearchParams();
  const companyParam = params.get('companyId');
  const companyId = companyParam ?? (lookup.options.length === 1 ? lookup.options[0]!.value : null);
  const versionParam = Number(params.get('version')) || null;
  const current = useCompanyMethod(companyId);
  const viewing =
    versionParam !== null && current.data && versionParam !== current.data.version ? versionParam : null;
  const old = useQuery({
    queryKey: riskKeys.methodVersion(companyId ?? 'none', viewing ?? 0),
    queryFn: ({ signal }) => getMethodVersion(companyId as string, viewing as number, signal),
    enabled: Boolean(companyId) && viewing !== null,
    staleTime: Infinity,
  });
  const setParam = (name: string, value: string | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        if (name === 'companyId') next.delete('version');
        return next;
      },
      { replace: true },
    );

  const shown: RiskMethodDto | null | undefined = viewing !== null ? old.data : current.data;
  const versions = current.data
    ? Array.from({ length: current.data.version }, (_, i) => current.data!.version - i)
    : [];

  return (
    <>
      <PageHeader title={t('method.title')} description={t('method.description')} />
      <Group mb="md" gap="sm" align="flex-end">
        <Select
          label={t('risk.company')}
          placeholder={t('risk.pickCompany')}
          data={lookup.options}
          value={companyId}
          onChange={(v) => setParam('companyId', v)}
          searchable
          w={320}
          data-testid="method-company"
        />
        {versions.length > 0 && (
          <Select
            label={t('method.version')}
            data={versions.map((v) => ({
              value: String(v),
              label: v === current.data!.version ? t('method.versionCurrent', { version: v }) : `v${v}`,
            }))}
            value={String(viewing ?? current.data!.version)}
            onChange={(v) => setParam('version', v && Number(v) !== current.data!.version ? v : null)}
            allowDeselect={false}
            w={200}
            data-testid="method-version-select"
          />
        )}
      </Group>
      {!companyId && (
        <Text c="dimmed" size="sm">
          {t('method.pickCompany')}
        </Text>
      )}
      {companyId && (current.isLoading || (viewing !== null && old.isLoading)) && <Loader />}
      {companyId && (current.error || old.error) && (
        <Alert color="red">
          <ProblemDetails error={current.error ?? old.error} t={t} />
        </Alert>
      )}
      {companyId && current.isSuccess && (viewing === null || old.isSuccess) && (
        <>
          {shown ? (
            <Alert color={viewing !== null ? 'yellow' : 'blue'} mb="md" data-testid="method-version-info">
              <Group gap="xs">
                <Badge
                  variant="filled"
                  color={viewing !== null ? 'yellow' : 'indigo'}
                  tt="none"
                  data-testid="method-version"
                >
                  v{shown.version}
                </Badge>
                <Text size="sm">
                  {t('method.versionBy', { by: shown.createdBy, at: formatDate(shown.createdAt) })}
                </Text>
              </Group>
              <Text size="sm" mt={6}>
                {viewing !== null ? t('method.oldVersionHelp') : t('method.versionHelp')}
              </Text>
            </Alert>
          ) : (
            <Alert color="orange" mb="md" title={t('method.noneTitle')} data-testid="method-none">
              {t('method.noneHelp')}
            </Alert>
          )}
          <MethodEditor
            key={`${companyId}:${shown?.version ?? 0}`}
            companyId={companyId}
            method={shown ?? null}
            baseVersion={current.data?.version ?? 0}
            readOnly={viewing !== null || !can('risk.accept')}
            fallback={template(t)}
          />
        </>
      )}
    </>
  );
}

function MethodEditor({
  companyId,
  method,
  baseVersion,
  readOnly,
  fallback,
}: {
  companyId: string;
  method: RiskMethodDto | null;
  baseVersion: number;
  readOnly: boolean;
  fallback: MethodDraft;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<MethodDraft>(() => (method ? draftOf(method) : fallback));
  const update = (fn: (d: MethodDraft) => MethodDraft) => setDraft((d) => fn(d));

  const save = useMutation({
    mutationFn: () => setMethod(companyId, definitionOf(draft, baseVersion)),
    onSuccess: (saved) => {
      notifySuccess((t) => t('method.saved', { version: saved.version }));
      queryClient.setQueryData(riskKeys.method(companyId), saved);
      void queryClient.invalidateQueries({ queryKey: ['risk-method', companyId] });
      void queryClient.invalidateQueries({ queryKey: riskKeys.all });
    },
    onError: (err) => {
      if (!(err instanceof ApiError && (err.code === 'stale_version' || err.status === 422)))
        notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const issues = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];
  const errors = draftErrors(draft, issues);
  const err = (key: string) => errors.fields[key];

  const reload = async () => {
    save.reset();
    await queryClient.invalidateQueries({ queryKey: ['risk-method', companyId] });
  };

  const levelOptions = [...draft.levels]
    .sort((a, b) => a.rank - b.rank)
    .map((l, i) => ({ value: l.key, label: l.name.trim() || t('method.unnamedLevel', { n: i + 1 }) }));
  const ranks = draft.levels.map((l) => l.rank);
  const toneOf = (key: string) => {
    const level = draft.levels.find((l) => l.key === key);
    return level ? rankTone(level.rank, ranks) : 'gray';
  };

  const scaleCard = (axis: Axis) => (
    <Card withBorder padding="lg" radius="md" h="100%" data-testid={`method-${axis}`}>
      <Group justify="space-between" mb="sm">
        <Title order={5}>{t(axis === 'likelihood' ? 'method.likelihoodScale' : 'method.impactScale')}</Title>
        <SegmentedControl
          size="xs"
          data={['3', '4', '5']}
          value={String(draft[axis].length)}
          disabled={readOnly}
          onChange={(v) =>
            update((d) =>
              resizeScale(d, axis, Math.min(MAX_SCALE, Math.max(MIN_SCALE, Number(v))), (n) => ({
                name: t('method.newScaleLevel', { n }),
                criteria: '',
              })),
            )
          }
          data-testid={`method-${axis}-size`}
        />
      </Group>
      {err(axis) && (
        <Text c="red" size="sm" mb="xs">
          {err(axis)}
        </Text>
      )}
      <Stack gap="xs">
        {draft[axis]
          .map((row, i) => ({ row, i }))
          .reverse()
          .map(({ row, i }) => (
            <Group key={i} align="flex-start" gap="xs" wrap="nowrap">
              <Badge variant="light" size="lg" w={36} mt={4} style={{ flexShrink: 0 }}>
                {i + 1}
              </Badge>
              <TextInput
                value={row.name}
                placeholder={t('method.levelName')}
                aria-label={`${t(axis === 'likelihood' ? 'risk.likelihood' : 'risk.impact')} ${i + 1}`}
                onChange={(e) => {
                  const name = e.currentTarget.value;
                  update((d) => ({ ...d, [axis]: d[axis].map((r, j) => (j === i ? { ...r, name } : r)) }));
                }}
                error={err(`${axis}.${i}.name`)}
                readOnly={readOnly}
                maxLength={100}
                w={170}
                data-testid={`method-${axis}-name-${i + 1}`}
              />
              <Textarea
                value={row.criteria}
                placeholder={t('method.criteria')}
                aria-label={t('method.criteria')}
                onChange={(e) => {
                  const criteria = e.currentTarget.value;
                  update((d) => ({
                    ...d,
                    [axis]: d[axis].map((r, j) => (j === i ? { ...r, criteria } : r)),
                  }));
                }}
                error={err(`${axis}.${i}.criteria`)}
                readOnly={readOnly}
                autosize
                minRows={1}
                maxRows={4}
                maxLength={2000}
                style={{ flex: 1 }}
                data-testid={`method-${axis}-criteria-${i + 1}`}
              />
            </Group>
          ))}
      </Stack>
    </Card>
  );

  const likelihoods = draft.likelihood.map((r, i) => ({ ...r, level: i + 1 })).reverse();
  const impacts = draft.impact.map((r, i) => ({ ...r, level: i + 1 }));

  return (
    <Stack gap="lg">
      {stale && (
        <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
          {t('method.stale')}
          <Group mt="sm">
            <Button size="xs" variant="white" color="orange" onClick={() => void reload()}>
              {t('common.reload')}
            </Button>
          </Group>
        </Alert>
      )}
      {save.error instanceof ApiError && save.error.status === 422 && (
        <Alert color="red" title={t('method.invalid')} data-testid="method-errors">
          {errors.other.length > 0 ? (
            <List size="sm">
              {errors.other.map((i, n) => (
                <List.Item key={n}>
                  <Text span ff="monospace" size="xs">
                    {i.path}
                  </Text>
                  : {i.message}
                </List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">{t('method.invalidHelp')}</Text>
          )}
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>{scaleCard('likelihood')}</Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>{scaleCard('impact')}</Grid.Col>
      </Grid>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder padding="lg" radius="md" h="100%" data-testid="method-levels">
            <Group justify="space-between" mb="xs">
              <Title order={5}>{t('method.levels')}</Title>
              {!readOnly && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<PlusIcon size={14} />}
                  disabled={draft.levels.length >= MAX_LEVELS}
                  onClick={() =>
                    update((d) => {
                      const next = addLevel(d, t('method.newLevel', { n: d.levels.length + 1 }));
                      return { ...next, matrix: fillMatrix(next) };
                    })
                  }
                  data-testid="method-level-add"
                >
                  {t('method.addLevel')}
                </Button>
              )}
            </Group>
            <Text size="xs" c="dimmed" mb="sm">
              {t('method.levelsHelp')}
            </Text>
            {err('levels') && (
              <Text c="red" size="sm" mb="xs">
                {err('levels')}
              </Text>
            )}
            <Table verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={20} />
                  <Table.Th>{t('method.levelName')}</Table.Th>
                  <Table.Th w={100}>{t('method.rank')}</Table.Th>
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {draft.levels.map((l, i) => (
                  <Table.Tr key={l.key}>
                    <Table.Td>
                      <Box
                        w={14}
                        h={14}
                        style={{ borderRadius: 3, background: `var(--mantine-color-${toneOf(l.key)}-6)` }}
                      />
                    </Table.Td>
                    <Table.Td>
                      <TextInput
                        size="xs"
                        value={l.name}
                        aria-label={t('method.levelName')}
                        onChange={(e) => {
                          const name = e.currentTarget.value;
                          update((d) => ({
                            ...d,
                            levels: d.levels.map((x) => (x.key === l.key ? { ...x, name } : x)),
                          }));
                        }}
                        error={err(`levels.${l.key}.name`)}
                        readOnly={readOnly}
                        maxLength={50}
                        data-testid={`method-level-name-${i + 1}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      <NumberInput
                        size="xs"
                        value={l.rank}
                        aria-label={t('method.rank')}
                        min={0}
                        max={99}
                        allowDecimal={false}
                        onChange={(v) => {
                          const rank = typeof v === 'number' ? v : 0;
                          update((d) => ({
                            ...d,
                            levels: d.levels.map((x) => (x.key === l.key ? { ...x, rank } : x)),
                          }));
                        }}
                        error={err(`levels.${l.key}.rank`)}
                        readOnly={readOnly}
                        data-testid={`method-level-rank-${i + 1}`}
                      />
                    </Table.Td>
                    <Table.Td>
                      {!readOnly && (
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          disabled={draft.levels.length <= MIN_LEVELS}
                          onClick={() => update((d) => removeLevel(d, l.key))}
                          aria-label={t('method.removeLevel')}
                        >
                          <TrashIcon size={16} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Select
              mt="md"
              label={t('method.threshold')}
              description={t('method.thresholdHelp')}
              data={levelOptions}
              value={draft.threshold || null}
              onChange={(v) => v && update((d) => ({ ...d, threshold: v }))}
              error={err('acceptanceThreshold')}
              readOnly={readOnly}
              allowDeselect={false}
              data-testid="method-threshold"
            />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Card withBorder padding="lg" radius="md" h="100%" data-testid="method-matrix">
            <Title order={5} mb="xs">
              {t('method.matrix')}
            </Title>
            <Text size="xs" c="dimmed" mb="sm">
              {t('method.matrixHelp')}
            </Text>
            {err('matrix') && (
              <Text c="red" size="sm" mb="xs">
                {err('matrix')}
              </Text>
            )}
            <Box style={{ overflowX: 'auto' }}>
              <table style={{ borderCollapse: 'separate', borderSpacing: 4 }}>
                <tbody>
                  {likelihoods.map((l) => (
                    <tr key={l.level}>
                      <td style={{ paddingRight: 6, whiteSpace: 'nowrap' }}>
                        <Tooltip
                          label={l.criteria || l.name}
                          disabled={!l.criteria && !l.name}
                          multiline
                          maw={280}
                        >
                          <Text size="xs" c="dimmed" ta="right" maw={110} truncate>
                            {l.level} {l.name}
                          </Text>
                        </Tooltip>
                      </td>
                      {impacts.map((i) => {
                        const k = cellKey(l.level, i.level);
                        const value = draft.matrix[k] ?? null;
                        const tone = value ? toneOf(value) : 'gray';
                        const cellError = err(`cell.${k}`);
                        return (
                          <td key={i.level}>
                            <Tooltip label={cellError} disabled={!cellError} color="red">
                              <Select
                                size="xs"
                                w={104}
                                data={levelOptions}
                                value={value}
                                onChange={(v) =>
                                  v && update((d) => ({ ...d, matrix: { ...d.matrix, [k]: v } }))
                                }
                                allowDeselect={false}
                                readOnly={readOnly}
                                error={Boolean(cellError)}
                                aria-label={`L${l.level} × I${i.level}`}
                                styles={{
                                  input: {
                                    background: `var(--mantine-color-${tone}-6)`,
                                    color: 'white',
                                    fontWeight: 600,
                                    borderColor: cellError ? 'var(--mantine-color-red-8)' : 'transparent',
                                  },
                                }}
                                data-testid={`matrix-${l.level}-${i.level}`}
                              />
                            </Tooltip>
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                  <tr>
                    <td />
                    {impacts.map((i) => (
                      <td key={i.level}>
                        <Tooltip
                          label={i.criteria || i.name}
                          disabled={!i.criteria && !i.name}
                          multiline
                          maw={280}
                        >
                          <Text size="xs" c="dimmed" ta="center" maw={104} truncate>
                            {i.level} {i.name}
                          </Text>
                        </Tooltip>
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </Box>
            <Group justify="space-between" mt="xs">
              <Text size="xs" c="dimmed">
                ↑ {t('risk.likelihood')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('risk.impact')} →
              </Text>
            </Group>
          </Card>
        </Grid.Col>
      </Grid>
      {!readOnly && (
        <Group justify="flex-end">
          <Text size="sm" c="dimmed">
            {t('method.saveHelp', { version: baseVersion + 1 })}
          </Text>
          <Button
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={stale}
            data-testid="method-save"
          >
            {t('method.save')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
