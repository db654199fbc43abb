// Create or edit a person: company, department, manager, number, name, email, category, active.
import { useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { PERSONNEL_CATEGORIES, type PersonDto, type PersonnelCategory } from '../../shared/api/types.ts';
import { useT } from '../../shared/i18n/i18n.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { RemoteSelect } from '../../shared/ui/remote-select.tsx';
import { createPerson, getPerson, orgKeys, searchPeople, updatePerson } from './org.api.ts';
import { useDepartments } from './org.queries.ts';

interface PersonFormModalProps {
  opened: boolean;
  onClose: () => void;
  person?: PersonDto | null;
  defaultCompanyId?: string | null;
}

interface FormState {
  companyId: string | null;
  departmentId: string | null;
  managerId: string | null;
  employeeNumber: string;
  name: string;
  email: string;
  personnelCategory: PersonnelCategory;
  active: boolean;
}

const toForm = (p: PersonDto | null, companyId: string | null): FormState => ({
  companyId: p?.companyId ?? companyId,
  departmentId: p?.departmentId ?? null,
  managerId: p?.managerId ?? null,
  employeeNumber: p?.employeeNumber ?? '',
  name: p?.name ?? '',
  email: p?.email ?? '',
  personnelCategory: p?.personnelCategory ?? 'regular_employee',
  active: p?.active ?? true,
});

export function PersonFormModal({ opened, onClose, person, defaultCompanyId }: PersonFormModalProps) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={person ? t('person.edit') : t('person.create')} size="lg">
      {opened && (
        <PersonForm
          key={person?.id ?? 'new'}
          person={person ?? null}
          defaultCompanyId={defaultCompanyId ?? null}
          onClose={onClose}
        />
      )}
    </Modal>
  );
}

function PersonForm({
  person,
  defaultCompanyId,
  onClose,
}: {
  person: PersonDto | null;
  defaultCompanyId: string | null;
  onClose: () => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const lookup = useCompanyLookup();
  const [base, setBase] = useState<PersonDto | null>(person);
  const [form, setForm] = useState<FormState>(() => toForm(person, defaultCompanyId));
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const departments = useDepartments(form.companyId);
  const manager = useQuery({
    queryKey: orgKeys.person(form.managerId ?? 'none'),
    queryFn: () => getPerson(form.managerId as string),
    enabled: Boolean(form.managerId),
    staleTime: 60_000,
  });

  const save = useMutation({
    mutationFn: async (f: FormState) => {
      const email = f.email.trim() === '' ? null : f.email.trim();
      if (!base) {
        if (!f.companyId) throw new Error(t('person.companyRequired'));
        return createPerson({
          companyId: f.companyId,
          departmentId: f.departmentId,
          managerId: f.managerId,
          employeeNumber: f.employeeNumber.trim(),
          name: f.name.trim(),
          email,
          personnelCategory: f.personnelCategory,
          active: f.active,
        });
      }
      const original = toForm(base, base.companyId);
      const changes: Record<string, unknown> = {};
      if (f.departmentId !== original.departmentId) changes.departmentId = f.departmentId;
      if (f.managerId !== original.managerId) changes.managerId = f.managerId;
      if (f.employeeNumber.trim() !== original.employeeNumber)
        changes.employeeNumber = f.employeeNumber.trim();
      if (f.name.trim() !== original.name) changes.name = f.name.trim();
      if (email !== base.email) changes.email = email;
      if (f.personnelCategory !== original.personnelCategory) changes.personnelCategory = f.personnelCategory;
      if (f.active !== original.active) changes.active = f.active;
      return updatePerson(base.id, { version: base.version, ...changes });
    },
    onSuccess: (saved) => {
      notifySuccess((t) =>
        base ? t('person.updated', { name: saved.name }) : t('person.created', { name: saved.name }),
      );
      void queryClient.invalidateQueries({ queryKey: orgKeys.people });
      onClose();
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const errors = fieldErrors(save.error, t);

  const reload = async () => {
    if (!base) return;
    try {
      const latest = await getPerson(base.id);
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
        <Select
          label={t('person.company')}
          data={lookup.options}
          value={form.companyId}
          onChange={(v) => setForm((f) => ({ ...f, companyId: v, departmentId: null, managerId: null }))}
          searchable
          required
          disabled={base !== null}
          data-testid="person-company"
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('person.employeeNumber')}
            value={form.employeeNumber}
            onChange={(e) => set('employeeNumber', e.currentTarget.value)}
            error={errors.employeeNumber}
            required
            maxLength={50}
            data-testid="person-employee-number"
          />
          <TextInput
            label={t('person.name')}
            value={form.name}
            onChange={(e) => set('name', e.currentTarget.value)}
            error={errors.name}
            required
            maxLength={200}
            data-testid="person-name"
          />
          <TextInput
            label={t('field.email')}
            type="email"
            value={form.email}
            onChange={(e) => set('email', e.currentTarget.value)}
            error={errors.email}
            maxLength={254}
            data-testid="person-email"
          />
          <Select
            label={t('person.category')}
            data={PERSONNEL_CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
            value={form.personnelCategory}
            onChange={(v) => v && set('personnelCategory', v as PersonnelCategory)}
            allowDeselect={false}
            required
            data-testid="person-category"
          />
        </SimpleGrid>
        <Select
          label={t('person.department')}
          placeholder={form.companyId ? t('person.noDepartment') : t('person.pickCompanyFirst')}
          data={departments.flat.map((d) => ({ value: d.id, label: d.path }))}
          value={form.departmentId}
          onChange={(v) => set('departmentId', v)}
          error={errors.departmentId}
          disabled={!form.companyId}
          searchable
          clearable
          data-testid="person-department"
        />
        <RemoteSelect
          label={t('person.manager')}
          placeholder={form.companyId ? t('people.searchPlaceholder') : t('person.pickCompanyFirst')}
          disabled={!form.companyId}
          queryKey={['people', 'picker', form.companyId ?? 'none']}
          fetchOptions={(q, signal) =>
            searchPeople({ companyId: form.companyId, q, limit: 20 }, signal).then((p) =>
              p.items
                .filter((x) => x.id !== base?.id)
                .map((x) => ({ value: x.id, label: `${x.name} (${x.employeeNumber})` })),
            )
          }
          value={form.managerId}
          selectedLabel={manager.data ? `${manager.data.name} (${manager.data.employeeNumber})` : null}
          onChange={(v) => set('managerId', v)}
          error={errors.managerId}
          clearable
          nothingFoundMessage={t('common.nothingFound')}
          data-testid="person-manager"
        />
        <Switch
          label={t('person.active')}
          checked={form.active}
          onChange={(e) => set('active', e.currentTarget.checked)}
          data-testid="person-active"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={stale} data-testid="person-save">
            {base ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
