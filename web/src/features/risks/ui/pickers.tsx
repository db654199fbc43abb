// Pickers of the risk screens: a person of a company, one asset, several assets of a company.
import { useRef, useState } from 'react';
import { Loader, MultiSelect } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { AssetDto } from '../../../shared/api/types.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { RemoteSelect } from '../../../shared/ui/remote-select.tsx';
import { getAsset, riskKeys, searchAssets, searchPeople } from '../risks.api.ts';
import { useAsset, usePerson } from '../risks.queries.ts';

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
  size?: 'xs' | 'sm';
}

const assetLabel = (a: AssetDto) => `${a.code} — ${a.name}`;

/** A person of `companyId` (any company when null), searched by name or employee number. */
export function PersonPicker({ companyId, ...props }: PickerProps & { companyId: string | null }) {
  const t = useT();
  const known = usePerson(props.value);
  return (
    <RemoteSelect
      {...props}
      queryKey={['people', 'picker', companyId ?? 'all']}
      fetchOptions={(q, signal) =>
        searchPeople({ companyId: companyId ?? undefined, q, limit: 20, active: 'true' }, signal).then((p) =>
          p.items.map((x) => ({ value: x.id, label: `${x.name} (${x.employeeNumber})` })),
        )
      }
      selectedLabel={known.data ? `${known.data.name} (${known.data.employeeNumber})` : null}
      onChange={(v) => props.onChange(v)}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}

/** One asset (of `companyId` when given), searched by code or name. */
export function AssetPicker({ companyId, ...props }: PickerProps & { companyId: string | null }) {
  const t = useT();
  const known = useAsset(props.value);
  return (
    <RemoteSelect
      {...props}
      queryKey={['assets', 'picker', companyId ?? 'all']}
      fetchOptions={(q, signal) =>
        searchAssets({ companyId: companyId ?? undefined, q, limit: 20 }, signal).then((p) =>
          p.items.map((a) => ({ value: a.id, label: assetLabel(a) })),
        )
      }
      selectedLabel={known.data ? assetLabel(known.data) : null}
      onChange={(v) => props.onChange(v)}
      nothingFoundMessage={t('common.nothingFound')}
    />
  );
}

/** Several assets of one company, searched on the server as the user types. */
export function AssetMultiPicker({
  companyId,
  value,
  onChange,
  label,
  error,
  disabled,
  'data-testid': testId,
}: {
  companyId: string | null;
  value: string[];
  onChange: (ids: string[]) => void;
  label?: string;
  error?: string | undefined;
  disabled?: boolean;
  'data-testid'?: string;
}) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const labels = useRef(new Map<string, string>());
  const options = useQuery({
    queryKey: ['assets', 'picker', companyId ?? 'none', 'options', debounced],
    queryFn: ({ signal }) =>
      searchAssets({ companyId: companyId as string, q: debounced, limit: 20 }, signal),
    enabled: Boolean(companyId),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  // Labels of selected assets that the search did not return (a prefilled or saved selection).
  const missing = value.filter((id) => !labels.current.has(id));
  const selected = useQueries({
    queries: missing.map((id) => ({
      queryKey: riskKeys.asset(id),
      queryFn: ({ signal }: { signal: AbortSignal }) => getAsset(id, signal),
      staleTime: 60_000,
    })),
  });
  for (const r of selected) if (r.data) labels.current.set(r.data.id, assetLabel(r.data));
  const fetched = options.data?.items ?? [];
  for (const a of fetched) labels.current.set(a.id, assetLabel(a));
  const data = [
    ...value.map((id) => ({ value: id, label: labels.current.get(id) ?? '…' })),
    ...fetched.filter((a) => !value.includes(a.id)).map((a) => ({ value: a.id, label: assetLabel(a) })),
  ];
  return (
    <MultiSelect
      label={label}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      clearable
      disabled={disabled || !companyId}
      error={error}
      nothingFoundMessage={options.isFetching ? '…' : t('common.nothingFound')}
      rightSection={options.isFetching ? <Loader size={14} /> : undefined}
      data-testid={testId}
    />
  );
}
