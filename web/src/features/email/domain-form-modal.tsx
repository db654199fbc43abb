// Add or edit a domain of the inventory: its company and name (fixed once added), the service it sends for, its
// role, owner, DKIM selectors, the addresses its mail is expected to leave from, how often it is scanned and
// whether a regression raises a risk. Edits carry the version read and send only what changed.
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import {
  DOMAIN_ROLES,
  type DomainRole,
  type EmailDomainDto,
  type UpdateEmailDomainInput,
} from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { createDomain, emailKeys, getDomain, updateDomain } from './email.api.ts';
import { OwnerPicker } from './ui/pickers.tsx';

interface FormState {
  companyId: string | null;
  name: string;
  service: string;
  role: DomainRole;
  ownerPersonId: string | null;
  dkimSelectors: string[];
  expectedSources: string[];
  scanIntervalHours: number;
  raiseRisks: boolean;
}

const toForm = (d: EmailDomainDto | null, companyId: string | null): FormState => ({
  companyId: d?.companyId ?? companyId,
  name: d?.name ?? '',
  service: d?.service ?? '',
  role: d?.role ?? 'sends',
  ownerPersonId: d?.ownerPersonId ?? null,
  dkimSelectors: d?.dkimSelectors ?? [],
  expectedSources: d?.expectedSources ?? [],
  scanIntervalHours: d?.scanIntervalHours ?? 24,
  raiseRisks: d?.raiseRisks ?? true,
});

/**
 * The errors of an array field ("expectedSources.1: must be an IP address") next to the field, naming the value
 * rather than its index.
 */
export function arrayFieldError(
  errors: Record<string, string>,
  field: string,
  values: readonly string[],
): string | undefined {
  const out: string[] = [];
  for (const [path, message] of Object.entries(errors)) {
    if (path === field) out.push(message);
    const m = path.match(new RegExp(`^${field}\\.(\\d+)$`));
    if (m) out.push(`${values[Number(m[1])] ?? `#${Number(m[1]) + 1}`}: ${message}`);
  }
  return out.length ? out.join('; ') : undefined;
}

interface DomainFormModalProps {
  opened: boolean;
  onClose: () => void;
  domain?: EmailDomainDto | null;
  defaultCompanyId?: string | null;
  onSaved?: (domain: EmailDomainDto) => void;
}

export function DomainFormModal({
  opened,
  onClose,
  domain,
  defaultCompanyId,
  onSaved,
}: DomainFormModalProps) {
  const t = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={domain ? t('email.domain.edit') : t('email.domain.create')}
      size="lg"
    >
      {opened && (
        <DomainForm
          key={domain?.id ?? 'new'}
          domain={domain ?? null}
          defaultCompanyId={defaultCompanyId ?? null}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function DomainForm({
  domain,
  defaultCompanyId,
  onClose,
  onSaved,
}: {
  domain: EmailDomainDto | null;
  defaultCompanyId: string | null;
  onClose: () => void;
  onSaved?: ((domain: EmailDomainDto) => void) | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<EmailDomainDto | null>(domain);
  const [form, setForm] = useState<FormState>(() => toForm(domain, defaultCompanyId));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      const fields = {
        service: f.service.trim(),
        role: f.role,
        ownerPersonId: f.ownerPersonId,
        dkimSelectors: f.dkimSelectors,
        expectedSources: f.expectedSources,
        scanIntervalHours: f.scanIntervalHours,
        raiseRisks: f.raiseRisks,
      };
      if (!base) {
        if (!f.companyId || !f.name.trim() || !fields.service) throw new Error(t('email.domain.required'));
        return createDomain({ companyId: f.companyId, name: f.name.trim(), ...fields });
      }
      // Only what changed, so that a field someone else changed meanwhile is not overwritten.
      const changes = Object.fromEntries(
        Object.entries(fields).filter(
          ([k, v]) => JSON.stringify(v) !== JSON.stringify((base as Record<string, unknown>)[k] ?? null),
        ),
      ) as Omit<UpdateEmailDomainInput, 'version'>;
      return updateDomain(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base
          ? t('email.domain.updated', { name: saved.name })
          : t('email.domain.created', { name: saved.name }),
      );
      void queryClient.invalidateQueries({ queryKey: emailKeys.all });
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && (err.code === 'stale_version' || err.problem.errors?.length)))
        notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);
  const unplaced =
    save.error instanceof ApiError && !stale
      ? (save.error.problem.errors ?? []).filter(
          (e) =>
            !/^(body\.)?(companyId|name|service|role|ownerPersonId|dkimSelectors|expectedSources|scanIntervalHours|raiseRisks)(\.|$)/.test(
              e.path,
            ),
        )
      : [];

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getDomain(base.id);
      setBase(latest);
      setForm(toForm(latest, latest.companyId));
      save.reset();
    } catch (err) {
      notifyError(err);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };

  return (
    <form onSubmit={submit} noValidate>
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
        {save.error && !(save.error instanceof ApiError) && (
          <Alert color="red" data-testid="domain-form-error">
            {save.error.message}
          </Alert>
        )}
        {unplaced.length > 0 && (
          <Alert color="red" data-testid="domain-form-error">
            {unplaced.map((e) => `${e.path}: ${e.message}`).join('; ')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label={t('email.company')}
            data={lookup.options}
            value={form.companyId}
            onChange={(v) => setForm((f) => ({ ...f, companyId: v, ownerPersonId: null }))}
            error={errors.companyId}
            searchable
            required
            disabled={base !== null}
            data-testid="domain-company"
          />
          <TextInput
            label={t('email.domain.name')}
            description={base ? undefined : t('email.domain.nameHelp')}
            placeholder="example.co.jp"
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errors.name}
            required
            disabled={base !== null}
            maxLength={253}
            data-testid="domain-name"
          />
          <TextInput
            label={t('email.domain.service')}
            description={t('email.domain.serviceHelp')}
            value={form.service}
            onChange={(e) => set('service', e.currentTarget.value)}
            error={errors.service}
            required
            maxLength={200}
            data-testid="domain-service"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('email.domain.role')}
            </Text>
            <SegmentedControl
              data={DOMAIN_ROLES.map((r) => ({ value: r, label: t(`email.role.${r}`) }))}
              value={form.role}
              onChange={(v) => set('role', v as DomainRole)}
              data-testid="domain-role"
            />
            <Text size="xs" c={errors.role ? 'red' : 'dimmed'}>
              {errors.role ?? t(`email.roleHelp.${form.role}`)}
            </Text>
          </Stack>
        </SimpleGrid>
        <OwnerPicker
          label={t('email.domain.owner')}
          description={t('email.domain.ownerHelp')}
          companyId={form.companyId}
          value={form.ownerPersonId}
          onChange={(v) => set('ownerPersonId', v)}
          error={errors.ownerPersonId}
          disabled={!form.companyId}
        />
        {form.role === 'sends' && (
          <TagsInput
            label={t('email.domain.selectors')}
            description={t('email.domain.selectorsHelp')}
            placeholder="selector1"
            value={form.dkimSelectors}
            onChange={(v) => set('dkimSelectors', v)}
            error={arrayFieldError(errors, 'dkimSelectors', form.dkimSelectors)}
            splitChars={[',', ' ']}
            clearable
            data-testid="domain-selectors"
          />
        )}
        <TagsInput
          label={t('email.domain.sources')}
          description={t('email.domain.sourcesHelp')}
          placeholder="192.0.2.10, 198.51.100.0/24"
          value={form.expectedSources}
          onChange={(v) => set('expectedSources', v)}
          error={arrayFieldError(errors, 'expectedSources', form.expectedSources)}
          splitChars={[',', ' ']}
          clearable
          data-testid="domain-sources"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput
            label={t('email.domain.interval')}
            description={t('email.domain.intervalHelp')}
            value={form.scanIntervalHours}
            onChange={(v) => set('scanIntervalHours', typeof v === 'number' ? v : 24)}
            error={errors.scanIntervalHours}
            min={1}
            max={24 * 30}
            allowDecimal={false}
            data-testid="domain-interval"
          />
          <Switch
            mt="lg"
            label={t('email.domain.raiseRisks')}
            description={t('email.domain.raiseRisksHelp')}
            checked={form.raiseRisks}
            onChange={(e) => set('raiseRisks', e.currentTarget.checked)}
            data-testid="domain-raise-risks"
          />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale} data-testid="domain-save">
            {base ? t('common.save') : t('email.domain.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
