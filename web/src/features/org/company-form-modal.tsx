// Create or edit a company. Edits carry the version read; a 409 offers to reload the latest.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { companiesKey, useCompanyLookup } from '../../shared/api/lookups.ts';
import { COMPANY_STATUSES, type CompanyDto, type CompanyStatus } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { createCompany, getCompany, updateCompany } from './org.api.ts';

interface CompanyFormModalProps {
  opened: boolean;
  onClose: () => void;
  /** The company to edit; absent to create one. */
  company?: CompanyDto | null;
  onSaved?: (company: CompanyDto) => void;
}

interface FormState {
  legalName: string;
  shortCode: string;
  country: string;
  parentId: string | null;
  status: CompanyStatus;
}

const toForm = (c?: CompanyDto | null): FormState => ({
  legalName: c?.legalName ?? '',
  shortCode: c?.shortCode ?? '',
  country: c?.country ?? 'JP',
  parentId: c?.parentId ?? null,
  status: c?.status ?? 'active',
});

export function CompanyFormModal({ opened, onClose, company, onSaved }: CompanyFormModalProps) {
  const t = useT();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={company ? t('company.edit') : t('company.create')}
      size="lg"
    >
      {opened && (
        <CompanyForm
          key={company?.id ?? 'new'}
          company={company ?? null}
          onClose={onClose}
          onSaved={onSaved}
        />
      )}
    </Modal>
  );
}

function CompanyForm({
  company,
  onClose,
  onSaved,
}: {
  company: CompanyDto | null;
  onClose: () => void;
  onSaved?: ((c: CompanyDto) => void) | undefined;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<CompanyDto | null>(company);
  const [form, setForm] = useState<FormState>(() => toForm(company));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      if (!base) return createCompany({ ...f, legalName: f.legalName.trim() });
      const changes: Record<string, unknown> = {};
      const original = toForm(base);
      for (const key of Object.keys(f) as (keyof FormState)[]) {
        if (f[key] !== original[key]) changes[key] = key === 'legalName' ? f.legalName.trim() : f[key];
      }
      return updateCompany(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base
          ? t('company.updated', { name: saved.legalName })
          : t('company.created', { name: saved.legalName }),
      );
      void queryClient.invalidateQueries({ queryKey: companiesKey });
      onSaved?.(saved);
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getCompany(base.id);
      setBase(latest);
      setForm(toForm(latest));
      save.reset();
    } catch (err) {
      notifyError(err);
    }
  };

  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);
  const parentOptions = lookup.options.filter((o) => o.value !== base?.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(form);
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        {stale && (
          <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
            {t('error.staleVersion')}
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
        <TextInput
          label={t('company.legalName')}
          value={form.legalName}
          onChange={(e) => set('legalName', e.currentTarget.value)}
          error={errors.legalName}
          required
          maxLength={200}
          data-testid="company-legal-name"
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('company.shortCode')}
            description={t('company.shortCodeHelp')}
            value={form.shortCode}
            onChange={(e) => set('shortCode', e.currentTarget.value.toUpperCase())}
            error={errors.shortCode}
            required
            maxLength={20}
            data-testid="company-short-code"
          />
          <TextInput
            label={t('company.country')}
            description={t('company.countryHelp')}
            value={form.country}
            onChange={(e) => set('country', e.currentTarget.value.toUpperCase())}
            error={errors.country}
            required
            maxLength={2}
            data-testid="company-country"
          />
          <Select
            label={t('company.status')}
            description=" "
            data={COMPANY_STATUSES.map((s) => ({ value: s, label: t(`companyStatus.${s}`) }))}
            value={form.status}
            onChange={(v) => v && set('status', v as CompanyStatus)}
            allowDeselect={false}
            data-testid="company-status"
          />
        </SimpleGrid>
        <Select
          label={t('company.parent')}
          placeholder={t('company.noParent')}
          data={parentOptions}
          value={form.parentId}
          onChange={(v) => set('parentId', v)}
          error={errors.parentId}
          searchable
          clearable
          data-testid="company-parent"
        />
        <Group justify="flex-end" mt="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale} data-testid="company-save">
            {base ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
