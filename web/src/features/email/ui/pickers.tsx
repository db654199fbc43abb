// Pickers of the email screens: the person owning a domain.
import { useQuery } from '@tanstack/react-query';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { useCan } from '../../../shared/session/session.tsx';
import { RemoteSelect } from '../../../shared/ui/remote-select.tsx';
import { emailKeys, getPerson, searchPeople } from '../email.api.ts';

/** A person by id, when the user may read people. */
export function usePerson(id: string | null) {
  const can = useCan();
  return useQuery({
    queryKey: emailKeys.person(id ?? 'none'),
    queryFn: () => getPerson(id as string),
    enabled: Boolean(id) && can('person.read'),
    staleTime: 60_000,
  });
}

export function PersonName({ id }: { id: string | null }) {
  const person = usePerson(id);
  if (!id) return <>—</>;
  return (
    <>{person.data ? `${person.data.name} (${person.data.employeeNumber})` : person.isLoading ? '…' : '—'}</>
  );
}

/** A person of `companyId`, searched by name or employee number. */
export function OwnerPicker({
  companyId,
  value,
  onChange,
  error,
  label,
  description,
  disabled,
}: {
  companyId: string | null;
  value: string | null;
  onChange: (value: string | null) => void;
  error?: string | undefined;
  label: string;
  description?: string;
  disabled?: boolean;
}) {
  const t = useT();
  const known = usePerson(value);
  return (
    <RemoteSelect
      label={label}
      description={description}
      queryKey={['people', 'picker', companyId ?? 'all']}
      fetchOptions={(q, signal) =>
        searchPeople({ companyId: companyId ?? undefined, q, limit: 20, active: 'true' }, signal).then((p) =>
          p.items.map((x) => ({ value: x.id, label: `${x.name} (${x.employeeNumber})` })),
        )
      }
      value={value}
      selectedLabel={known.data ? `${known.data.name} (${known.data.employeeNumber})` : null}
      onChange={(v) => onChange(v)}
      error={error}
      clearable
      disabled={disabled}
      nothingFoundMessage={t('common.nothingFound')}
      data-testid="domain-owner"
    />
  );
}
