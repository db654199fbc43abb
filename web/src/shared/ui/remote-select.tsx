// A searchable select whose options come from the server as the user types.
import { useRef, useState } from 'react';
import { Loader, Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';

export interface Option {
  value: string;
  label: string;
}

interface RemoteSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchable'> {
  queryKey: readonly unknown[];
  fetchOptions: (q: string, signal: AbortSignal) => Promise<Option[]>;
  value: string | null;
  onChange: (value: string | null, option: Option | null) => void;
  /** Label of the current value, when it may not be among the fetched options. */
  selectedLabel?: string | null | undefined;
  'data-testid'?: string;
}

export function RemoteSelect({
  queryKey,
  fetchOptions,
  value,
  onChange,
  selectedLabel,
  ...rest
}: RemoteSelectProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const known = useRef(new Map<string, string>());
  if (value && selectedLabel) known.current.set(value, selectedLabel);

  // Searching for the label of the selected option would hide the other options: search all then.
  const term = value && known.current.get(value) === debounced ? '' : debounced;
  const query = useQuery({
    queryKey: [...queryKey, 'options', term],
    queryFn: ({ signal }) => fetchOptions(term, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const fetched = query.data ?? [];
  for (const option of fetched) known.current.set(option.value, option.label);

  const data: Option[] = [...fetched];
  if (value && !fetched.some((o) => o.value === value)) {
    data.unshift({ value, label: known.current.get(value) ?? value });
  }

  return (
    <Select
      {...rest}
      searchable
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={query.isFetching ? '…' : rest.nothingFoundMessage}
      rightSection={query.isFetching ? <Loader size={14} /> : rest.rightSection}
      onChange={(next) => {
        const option = next ? { value: next, label: known.current.get(next) ?? next } : null;
        onChange(next, option);
      }}
    />
  );
}
