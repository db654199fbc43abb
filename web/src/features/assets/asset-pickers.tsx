// Pickers the asset screens share: a person of a company, a department of a company, an asset of a company.
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { RemoteSelect } from '../../shared/ui/remote-select.tsx';
import { assetKeys, getPerson, listAssets, listDepartments, searchPeople } from './assets.api.ts';
import type { AssetDto } from '../../shared/api/types.ts';

interface PickerProps {
  label?: string;
  placeholder?: string;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  required?: boolean;
  disabled?: boolean;
  clearable?: boolean;
  description?: string;
  'data-testid'?: string;
  w?: number;
}

/** A person of `companyId` (any company when null), searched by name or employee number. */
export function PersonPicker({
  companyId,
  selectedName,
  ...props
}: PickerProps & { companyId: string | null; selectedName?: string | null }) {
  const t = useT();
  const known = useQuery({
    queryKey: assetKeys.person(props.value ?? 'none'),
    queryFn: () => getPerson(props.value as string),
    enabled: Boolean(props.value) && !selectedName,
    staleTime: 60_000,
  });
  const label = selectedName ?? (known.data ? `${known.data.name} (${known.data.employeeNumber})` : null);
  return (
    <RemoteSelect
      {...props}
      queryKey={['people', 'picker', companyId ?? 'all']}
      fetchOptions={(q, signal) =>
        searchPeople({ companyId: companyId ?? undefined, q, limit: 20, active: 'true' }, signal).then((p) =>
          p.items.map((x) => ({ value: x.id, label: `${x.name} (${x.employeeNumber})` })),
        )
      }
      selectedLabel={label}
      onChange={(v) => props.onChange(v)}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}

export function useDepartmentOptions(companyId: string | null) {
  const can = useCan();
  const query = useQuery({
    queryKey: assetKeys.departments(companyId ?? 'none'),
    queryFn: ({ signal }) => listDepartments(companyId as string, signal),
    enabled: Boolean(companyId) && can('department.read'),
    staleTime: 30_000,
  });
  return (query.data ?? [])
    .map((d) => ({ value: d.id, label: `${d.name} (${d.code})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function DepartmentSelect({ companyId, ...props }: PickerProps & { companyId: string | null }) {
  const options = useDepartmentOptions(companyId);
  return (
    <Select
      {...props}
      data={options}
      value={props.value}
      onChange={props.onChange}
      searchable
      disabled={props.disabled || !companyId}
    />
  );
}

/** Another asset of the same company, searched by code or name. */
export function AssetPicker({
  companyId,
  exclude,
  ...props
}: PickerProps & { companyId: string; exclude?: string }) {
  const t = useT();
  const label = (a: AssetDto) => `${a.code} — ${a.name}`;
  return (
    <RemoteSelect
      {...props}
      queryKey={['assets', 'picker', companyId]}
      fetchOptions={(q, signal) =>
        listAssets({ companyId, q, limit: 20 }, signal).then((p) =>
          p.items.filter((a) => a.id !== exclude).map((a) => ({ value: a.id, label: label(a) })),
        )
      }
      onChange={(v) => props.onChange(v)}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}
