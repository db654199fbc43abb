// Create or edit a risk (ISO/IEC 27001 6.1.2, 6.1.3): the scenario, what it affects, threat and vulnerability
// from the catalogue, the risk owner, inherent and residual scores on the company's current method with the
// level shown as they are picked, applied controls, the treatment and its plan. Edits carry the version read.
import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Modal,
  MultiSelect,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  TREATMENTS,
  type CreateRiskInput,
  type RiskDto,
  type RiskMethodDto,
  type RiskSource,
  type Treatment,
  type UpdateRiskInput,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { PlusIcon, TrashIcon } from '../../shared/ui/icons.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { levelOf, thresholdRank } from './lib/method.ts';
import type { RiskPrefill } from './lib/register.ts';
import { createRisk, getRisk, listRisks, riskKeys, updateRisk } from './risks.api.ts';
import { useCatalogue, useCompanyControls, useCompanyMethod } from './risks.queries.ts';
import { AboveThresholdMarker, LevelBadge } from './ui/badges.tsx';
import { AssetMultiPicker, PersonPicker } from './ui/pickers.tsx';

interface TaskRow {
  key: string;
  id?: string | undefined;
  title: string;
  ownerPersonId: string | null;
  dueDate: string;
  done: boolean;
}

interface FormState {
  companyId: string | null;
  title: string;
  scenario: string;
  assetIds: string[];
  threatId: string | null;
  vulnerabilityId: string | null;
  ownerPersonId: string | null;
  inherentLikelihood: string | null;
  inherentImpact: string | null;
  residualLikelihood: string | null;
  residualImpact: string | null;
  controlIds: string[];
  treatment: Treatment;
  reviewDate: string;
  tasks: TaskRow[];
}

let taskCounter = 0;
const taskKey = () => `task-${++taskCounter}`;

const toForm = (r: RiskDto | null, prefill: RiskPrefill | null): FormState => ({
  companyId: r?.companyId ?? prefill?.companyId ?? null,
  title: r?.title ?? prefill?.title ?? '',
  scenario: r?.scenario ?? '',
  assetIds: r?.assetIds ?? prefill?.assetIds ?? [],
  threatId: r?.threatId ?? null,
  vulnerabilityId: r?.vulnerabilityId ?? null,
  ownerPersonId: r?.ownerPersonId ?? null,
  inherentLikelihood: r ? String(r.inherent.likelihood) : null,
  inherentImpact: r ? String(r.inherent.impact) : null,
  residualLikelihood: r ? String(r.residual.likelihood) : null,
  residualImpact: r ? String(r.residual.impact) : null,
  controlIds: r?.controlIds ?? prefill?.controlIds ?? [],
  treatment: r?.treatment ?? 'mitigate',
  reviewDate: r?.reviewDate ?? '',
  tasks: (r?.tasks ?? []).map((x) => ({
    key: taskKey(),
    id: x.id,
    title: x.title,
    ownerPersonId: x.ownerPersonId,
    dueDate: x.dueDate ?? '',
    done: x.done,
  })),
});

const tasksInput = (rows: TaskRow[]) =>
  rows.map((r) => ({
    ...(r.id ? { id: r.id } : {}),
    title: r.title.trim(),
    ownerPersonId: r.ownerPersonId,
    dueDate: r.dueDate || null,
    done: r.done,
  }));

interface RiskFormModalProps {
  opened: boolean;
  onClose: () => void;
  risk?: RiskDto | null;
  prefill?: RiskPrefill | null;
  onSaved?: (risk: RiskDto) => void;
}

export function RiskFormModal({ opened, onClose, risk, prefill, onSaved }: RiskFormModalProps) {
  const t = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={risk ? t('risk.edit') : t('risk.create')}
      size="xl"
      closeOnClickOutside={false}
    >
      {opened && (
        <RiskForm
          key={risk?.id ?? 'new'}
          risk={risk ?? null}
          prefill={prefill ?? null}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

/** The live level of a score under the company's current method. */
function LiveLevel({
  method,
  likelihood,
  impact,
  residual,
  testId,
}: {
  method: RiskMethodDto | null | undefined;
  likelihood: string | null;
  impact: string | null;
  residual: boolean;
  testId: string;
}) {
  const t = useT();
  if (!method || !likelihood || !impact)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        —
      </Text>
    );
  const level = levelOf(method, Number(likelihood), Number(impact));
  if (!level)
    return (
      <Text size="sm" c="red">
        {t('risk.noLevel')}
      </Text>
    );
  return (
    <Group gap={6}>
      <LevelBadge
        level={level.name}
        rank={level.rank}
        ranks={method.levels.map((l) => l.rank)}
        size="lg"
        data-testid={testId}
      />
      {residual && level.rank > thresholdRank(method) && <AboveThresholdMarker compact />}
    </Group>
  );
}

function RiskForm({
  risk,
  prefill,
  onClose,
  onSaved,
}: {
  risk: RiskDto | null;
  prefill: RiskPrefill | null;
  onClose: () => void;
  onSaved?: ((risk: RiskDto) => void) | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<RiskDto | null>(risk);
  const [form, setForm] = useState<FormState>(() => toForm(risk, prefill));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setTask = (key: string, patch: Partial<TaskRow>) =>
    setForm((f) => ({ ...f, tasks: f.tasks.map((r) => (r.key === key ? { ...r, ...patch } : r)) }));
  const method = useCompanyMethod(form.companyId);
  const catalogue = useCatalogue();
  const controls = useCompanyControls(form.companyId);
  const source: RiskSource | null = base?.source ?? prefill?.source ?? null;
  // A finding raised twice is usually one risk: show the risks already raised from the same source.
  const sameSource = useQuery({
    queryKey: [...riskKeys.list, 'same-source', form.companyId, source?.kind, source?.ref],
    queryFn: ({ signal }) =>
      listRisks(
        { companyId: form.companyId, sourceKind: source?.kind, sourceRef: source?.ref, limit: 5 },
        signal,
      ).then((p) => p.items),
    enabled: !base && Boolean(source) && Boolean(form.companyId),
  });

  const scaleOptions = (axis: 'likelihood' | 'impact') =>
    (method.data?.[axis] ?? []).map((s) => ({ value: String(s.level), label: `${s.level} — ${s.name}` }));
  const controlOptions = [
    ...controls.options,
    ...form.controlIds
      .filter((id) => !controls.options.some((o) => o.value === id))
      .map((id) => {
        const c = controls.byId.get(id);
        return { value: id, label: c ? `${c.code} — ${c.name}` : '…' };
      }),
  ];

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      if (
        !f.companyId ||
        !f.title.trim() ||
        !f.ownerPersonId ||
        !f.inherentLikelihood ||
        !f.inherentImpact ||
        !f.residualLikelihood ||
        !f.residualImpact
      )
        throw new Error(t('risk.required'));
      if (f.tasks.some((r) => !r.title.trim())) throw new Error(t('risk.taskTitleRequired'));
      const inherent = { likelihood: Number(f.inherentLikelihood), impact: Number(f.inherentImpact) };
      const residual = { likelihood: Number(f.residualLikelihood), impact: Number(f.residualImpact) };
      const fields = {
        title: f.title.trim(),
        scenario: f.scenario.trim(),
        assetIds: f.assetIds,
        threatId: f.threatId,
        vulnerabilityId: f.vulnerabilityId,
        ownerPersonId: f.ownerPersonId,
        controlIds: f.controlIds,
        treatment: f.treatment,
        reviewDate: f.reviewDate || null,
        tasks: tasksInput(f.tasks),
      };
      if (!base) {
        const input: CreateRiskInput = {
          companyId: f.companyId,
          ...fields,
          inherent,
          residual,
          ...(source ? { source } : {}),
        };
        return createRisk(input);
      }
      // Send only what changed, so that a field someone else changed meanwhile is not overwritten, and so that
      // unchanged scores stay assessed under the method version they were given under.
      const before: Record<string, unknown> = {
        title: base.title,
        scenario: base.scenario,
        assetIds: base.assetIds,
        threatId: base.threatId,
        vulnerabilityId: base.vulnerabilityId,
        ownerPersonId: base.ownerPersonId,
        controlIds: base.controlIds,
        treatment: base.treatment,
        reviewDate: base.reviewDate,
        tasks: tasksInput(toForm(base, null).tasks),
      };
      const changes: Partial<UpdateRiskInput> = Object.fromEntries(
        Object.entries(fields).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])),
      );
      const rescored =
        inherent.likelihood !== base.inherent.likelihood ||
        inherent.impact !== base.inherent.impact ||
        residual.likelihood !== base.residual.likelihood ||
        residual.impact !== base.residual.impact;
      if (rescored) Object.assign(changes, { inherent, residual });
      return updateRisk(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base ? t('risk.updated', { title: saved.title }) : t('risk.created', { title: saved.title }),
      );
      void queryClient.invalidateQueries({ queryKey: riskKeys.all });
      queryClient.setQueryData(riskKeys.one(saved.id), saved);
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);
  const errorUnder = (prefix: string) => {
    const found = Object.entries(errors)
      .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`))
      .map(([, v]) => v);
    return found.length > 0 ? found.join('; ') : undefined;
  };

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getRisk(base.id);
      setBase(latest);
      setForm(toForm(latest, null));
      queryClient.setQueryData(riskKeys.one(latest.id), latest);
      save.reset();
    } catch (err) {
      notifyError(err);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  const noMethod = Boolean(form.companyId) && method.isSuccess && method.data === null;
  const olderMethod = base && method.data && method.data.version !== base.methodVersion;

  return (
    <form onSubmit={submit}>
      <Stack>
        {stale && (
          <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
            {t('risk.stale')}
            <Group mt="sm">
              <Button
                size="xs"
                variant="white"
                color="orange"
                onClick={() => void reload()}
                data-testid="stale-reload"
              >
                {t('common.reload')}
              </Button>
            </Group>
          </Alert>
        )}
        {source && (
          <Paper withBorder p="xs" radius="md" bg="gray.0" data-testid="risk-form-source">
            <Text size="sm">
              {t('risk.raisedFrom')}:{' '}
              <Badge variant="light" tt="none">
                {t(`riskSource.${source.kind}`)}
              </Badge>{' '}
              {source.label || source.ref}
            </Text>
            {(sameSource.data?.length ?? 0) > 0 && (
              <Text size="sm" c="orange.8" mt={4} data-testid="risk-same-source">
                {t('risk.sameSource')}{' '}
                {sameSource.data!.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 && ', '}
                    <Anchor component={Link} to={`/risks/${r.id}`} size="sm" target="_blank">
                      {r.title}
                    </Anchor>
                  </span>
                ))}
              </Text>
            )}
          </Paper>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('risk.company')}
            data={lookup.options}
            value={form.companyId}
            onChange={(v) =>
              setForm((f) => ({
                ...f,
                companyId: v,
                assetIds: [],
                controlIds: [],
                ownerPersonId: null,
                tasks: f.tasks.map((r) => ({ ...r, ownerPersonId: null })),
              }))
            }
            searchable
            required
            disabled={base !== null}
            error={errors.companyId}
            data-testid="risk-company"
          />
          <PersonPicker
            label={t('risk.owner')}
            companyId={form.companyId}
            value={form.ownerPersonId}
            onChange={(v) => set('ownerPersonId', v)}
            error={errors.ownerPersonId}
            required
            disabled={!form.companyId}
            data-testid="risk-owner"
          />
        </SimpleGrid>
        {noMethod && (
          <Alert color="orange" data-testid="risk-no-method">
            {t('risk.noMethod')}{' '}
            <Anchor component={Link} to={`/risks/method?companyId=${form.companyId}`} size="sm">
              {t('risk.setMethod')}
            </Anchor>
          </Alert>
        )}
        <TextInput
          label={t('risk.title')}
          value={form.title}
          onChange={(e) => set('title', e.currentTarget.value)}
          error={errors.title}
          required
          maxLength={300}
          data-testid="risk-title"
        />
        <Textarea
          label={t('risk.scenario')}
          description={t('risk.scenarioHelp')}
          value={form.scenario}
          onChange={(e) => set('scenario', e.currentTarget.value)}
          error={errors.scenario}
          autosize
          minRows={2}
          maxLength={5000}
          data-testid="risk-scenario"
        />
        <AssetMultiPicker
          label={t('risk.assets')}
          companyId={form.companyId}
          value={form.assetIds}
          onChange={(v) => set('assetIds', v)}
          error={errorUnder('assetIds')}
          data-testid="risk-assets"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('risk.threat')}
            data={catalogue.threats}
            value={form.threatId}
            onChange={(v) => set('threatId', v)}
            error={errors.threatId}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            data-testid="risk-threat"
          />
          <Select
            label={t('risk.vulnerability')}
            data={catalogue.vulnerabilities}
            value={form.vulnerabilityId}
            onChange={(v) => set('vulnerabilityId', v)}
            error={errors.vulnerabilityId}
            searchable
            clearable
            nothingFoundMessage={t('common.nothingFound')}
            data-testid="risk-vulnerability"
          />
        </SimpleGrid>

        <Divider label={t('risk.assessment')} labelPosition="left" />
        {olderMethod && (
          <Text size="xs" c="dimmed" data-testid="risk-older-method">
            {t('risk.olderMethod', { version: base.methodVersion, current: method.data!.version })}
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          {(['inherent', 'residual'] as const).map((side) => (
            <Paper key={side} withBorder p="sm" radius="md">
              <Group justify="space-between" mb="xs">
                <Text fw={600} size="sm">
                  {t(side === 'inherent' ? 'risk.inherent' : 'risk.residual')}
                </Text>
                <LiveLevel
                  method={method.data}
                  likelihood={form[`${side}Likelihood`]}
                  impact={form[`${side}Impact`]}
                  residual={side === 'residual'}
                  testId={`risk-${side}-level`}
                />
              </Group>
              <SimpleGrid cols={2} spacing="xs">
                <Select
                  label={t('risk.likelihood')}
                  data={scaleOptions('likelihood')}
                  value={form[`${side}Likelihood`]}
                  onChange={(v) => set(`${side}Likelihood`, v)}
                  error={errors[`${side}.likelihood`]}
                  disabled={!method.data}
                  required
                  data-testid={`risk-${side}-likelihood`}
                />
                <Select
                  label={t('risk.impact')}
                  data={scaleOptions('impact')}
                  value={form[`${side}Impact`]}
                  onChange={(v) => set(`${side}Impact`, v)}
                  error={errors[`${side}.impact`]}
                  disabled={!method.data}
                  required
                  data-testid={`risk-${side}-impact`}
                />
              </SimpleGrid>
            </Paper>
          ))}
        </SimpleGrid>
        <MultiSelect
          label={t('risk.controls')}
          description={controls.allowed ? t('risk.controlsHelp') : t('risk.controlsNotAllowed')}
          data={controlOptions}
          value={form.controlIds}
          onChange={(v) => set('controlIds', v)}
          error={errorUnder('controlIds')}
          searchable
          clearable
          disabled={!form.companyId || !controls.allowed}
          placeholder={controls.loading ? t('common.loading') : undefined}
          nothingFoundMessage={t('common.nothingFound')}
          data-testid="risk-controls"
        />

        <Divider label={t('risk.treatmentSection')} labelPosition="left" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('risk.treatment')}
            description={t('risk.treatmentHelp')}
            data={TREATMENTS.map((x) => ({ value: x, label: t(`treatment.${x}`) }))}
            value={form.treatment}
            onChange={(v) => v && set('treatment', v as Treatment)}
            error={errors.treatment}
            allowDeselect={false}
            data-testid="risk-treatment"
          />
          <TextInput
            label={t('risk.reviewDate')}
            description={t('risk.reviewDateHelp')}
            type="date"
            value={form.reviewDate}
            onChange={(e) => set('reviewDate', e.currentTarget.value)}
            error={errors.reviewDate}
            data-testid="risk-review-date"
          />
        </SimpleGrid>
        <Stack gap="xs" data-testid="risk-tasks">
          <Group justify="space-between">
            <Text size="sm" fw={500}>
              {t('risk.plan')}
            </Text>
            <Button
              size="xs"
              variant="light"
              leftSection={<PlusIcon size={14} />}
              onClick={() =>
                set('tasks', [
                  ...form.tasks,
                  { key: taskKey(), title: '', ownerPersonId: null, dueDate: '', done: false },
                ])
              }
              disabled={form.tasks.length >= 100}
              data-testid="risk-task-add"
            >
              {t('risk.addTask')}
            </Button>
          </Group>
          {form.tasks.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('risk.noTasks')}
            </Text>
          )}
          {form.tasks.map((row, i) => (
            <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="risk-task-row">
              <Checkbox
                mt={8}
                checked={row.done}
                onChange={(e) => setTask(row.key, { done: e.currentTarget.checked })}
                aria-label={t('risk.taskDone')}
                data-testid="risk-task-done"
              />
              <TextInput
                placeholder={t('risk.taskTitle')}
                aria-label={t('risk.taskTitle')}
                value={row.title}
                onChange={(e) => setTask(row.key, { title: e.currentTarget.value })}
                error={errors[`tasks.${i}.title`]}
                maxLength={300}
                style={{ flex: 1 }}
                data-testid="risk-task-title"
              />
              <PersonPicker
                placeholder={t('risk.taskOwner')}
                companyId={form.companyId}
                value={row.ownerPersonId}
                onChange={(v) => setTask(row.key, { ownerPersonId: v })}
                error={errors[`tasks.${i}.ownerPersonId`]}
                clearable
                disabled={!form.companyId}
                w={200}
                data-testid="risk-task-owner"
              />
              <TextInput
                type="date"
                aria-label={t('risk.taskDue')}
                value={row.dueDate}
                onChange={(e) => setTask(row.key, { dueDate: e.currentTarget.value })}
                error={errors[`tasks.${i}.dueDate`]}
                w={150}
                data-testid="risk-task-due"
              />
              <ActionIcon
                variant="subtle"
                color="red"
                mt={4}
                onClick={() =>
                  set(
                    'tasks',
                    form.tasks.filter((r) => r.key !== row.key),
                  )
                }
                aria-label={t('risk.removeTask')}
                data-testid="risk-task-remove"
              >
                <TrashIcon size={16} />
              </ActionIcon>
            </Group>
          ))}
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale || noMethod} data-testid="risk-save">
            {base ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
