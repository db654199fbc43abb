// Create or edit an applied control: what the company does, who owns it, and which requirements it meets
// (picked from the frameworks the company adopted). Edits carry the version read.
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  APPLIED_CONTROL_STATUSES,
  type AppliedControlDto,
  type AppliedControlStatus,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { complianceKeys, createControl, getControl, updateControl } from './compliance.api.ts';
import { useCompanyPeople, useRequirementOptions } from './compliance.queries.ts';

interface ControlFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The control to edit; absent to create one. */
  control?: AppliedControlDto | null;
  /** The company preselected for a new control. */
  companyId?: string | null;
  onSaved?: (c: AppliedControlDto) => void;
}

interface FormState {
  companyId: string | null;
  code: string;
  name: string;
  description: string;
  ownerPersonId: string | null;
  status: AppliedControlStatus;
  requirementIds: string[];
}

const toForm = (c: AppliedControlDto | null, companyId: string | null): FormState => ({
  companyId: c?.companyId ?? companyId,
  code: c?.code ?? '',
  name: c?.name ?? '',
  description: c?.description ?? '',
  ownerPersonId: c?.ownerPersonId ?? null,
  status: c?.status ?? 'active',
  requirementIds: c?.requirements.map((r) => r.id) ?? [],
});

export function ControlFormModal({ opened, onClose, control, companyId, onSaved }: ControlFormModalProps) {
  const t = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={control ? t('control.edit') : t('control.create')}
      size="xl"
    >
      {opened && (
        <ControlForm
          key={control?.id ?? 'new'}
          control={control ?? null}
          companyId={companyId ?? null}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function ControlForm({
  control,
  companyId,
  onClose,
  onSaved,
}: {
  control: AppliedControlDto | null;
  companyId: string | null;
  onClose: () => void;
  onSaved?: ((c: AppliedControlDto) => void) | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<AppliedControlDto | null>(control);
  const [form, setForm] = useState<FormState>(() => toForm(control, companyId));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const people = useCompanyPeople(form.companyId);
  const requirements = useRequirementOptions(form.companyId);

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      const description = f.description.trim() || null;
      if (!base) {
        return createControl({
          companyId: f.companyId!,
          code: f.code.trim(),
          name: f.name.trim(),
          description,
          ownerPersonId: f.ownerPersonId,
          status: f.status,
          requirementIds: f.requirementIds,
        });
      }
      const original = toForm(base, null);
      const changes: Record<string, unknown> = {};
      if (f.code.trim() !== original.code) changes.code = f.code.trim();
      if (f.name.trim() !== original.name) changes.name = f.name.trim();
      if (description !== (original.description || null)) changes.description = description;
      if (f.ownerPersonId !== original.ownerPersonId) changes.ownerPersonId = f.ownerPersonId;
      if (f.status !== original.status) changes.status = f.status;
      if ([...f.requirementIds].sort().join() !== [...original.requirementIds].sort().join())
        changes.requirementIds = f.requirementIds;
      return updateControl(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base ? t('control.updated', { code: saved.code }) : t('control.created', { code: saved.code }),
      );
      void queryClient.invalidateQueries({ queryKey: complianceKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && (err.code === 'stale_version' || err.status === 422)))
        notifyError(err);
    },
  });

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getControl(base.id);
      setBase(latest);
      setForm(toForm(latest, null));
      save.reset();
    } catch (err) {
      notifyError(err);
    }
  };

  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const invalid = save.error instanceof ApiError && save.error.status === 422;
  const errors = fieldErrors(save.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };
  const requirementCount = requirements.groups.reduce((n, g) => n + g.items.length, 0);

  return (
    <form onSubmit={submit}>
      <Stack>
        {stale && (
          <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
            {t('error.staleVersion')}
            <Group mt="sm">
              <Button size="xs" variant="white" color="orange" onClick={() => void reload()}>
                {t('common.reload')}
              </Button>
            </Group>
          </Alert>
        )}
        {invalid && (
          <Alert color="red">
            <ProblemDetails error={save.error} t={t} />
          </Alert>
        )}
        {!base && (
          <Select
            label={t('control.company')}
            data={lookup.options}
            value={form.companyId}
            onChange={(v) =>
              setForm((f) => ({ ...f, companyId: v, ownerPersonId: null, requirementIds: [] }))
            }
            searchable
            required
            error={errors.companyId}
            nothingFoundMessage={t('common.nothingFound')}
            data-testid="control-company"
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('control.code')}
            description={t('control.codeHelp')}
            value={form.code}
            onChange={(e) => set('code', e.currentTarget.value.replace(/\s/g, ''))}
            required
            maxLength={40}
            error={errors.code}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-testid="control-code"
          />
          <TextInput
            label={t('control.name')}
            description=" "
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            required
            maxLength={200}
            error={errors.name}
            style={{ gridColumn: 'span 2' }}
            data-testid="control-name"
          />
        </SimpleGrid>
        <Textarea
          label={t('control.descriptionLabel')}
          value={form.description}
          onChange={(e) => set('description', e.currentTarget.value)}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={4000}
          error={errors.description}
          data-testid="control-description"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('control.owner')}
            data={people.options}
            value={form.ownerPersonId}
            onChange={(v) => set('ownerPersonId', v)}
            searchable
            clearable
            disabled={!form.companyId}
            placeholder={form.companyId ? t('soa.noOwner') : t('person.pickCompanyFirst')}
            nothingFoundMessage={t('common.nothingFound')}
            error={errors.ownerPersonId}
            data-testid="control-owner"
          />
          <Select
            label={t('control.status')}
            data={APPLIED_CONTROL_STATUSES.map((s) => ({ value: s, label: t(`controlStatus.${s}`) }))}
            value={form.status}
            onChange={(v) => v && set('status', v as AppliedControlStatus)}
            allowDeselect={false}
            data-testid="control-status"
          />
        </SimpleGrid>
        <MultiSelect
          label={t('control.requirements')}
          description={
            form.companyId
              ? requirementCount > 0
                ? t('control.requirementsHelp')
                : requirements.loading
                  ? t('common.loading')
                  : t('control.noAdoptions')
              : t('person.pickCompanyFirst')
          }
          data={requirements.groups}
          value={form.requirementIds}
          onChange={(v) => set('requirementIds', v)}
          searchable
          clearable
          hidePickedOptions
          limit={80}
          maxDropdownHeight={320}
          disabled={!form.companyId || requirementCount === 0}
          placeholder={t('control.requirementsPlaceholder')}
          nothingFoundMessage={t('common.nothingFound')}
          error={errors.requirementIds}
          data-testid="control-requirements"
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={stale || !form.companyId}
            data-testid="control-save"
          >
            {base ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
