// The filters of the DMARC screens, kept in the URL: the window in days, the company, the domain.
import { SegmentedControl, Select, Text, Tooltip } from '@mantine/core';
import { useSearchParams } from 'react-router';
import { useCompanyLookup } from '../../../shared/api/lookups.ts';
import { useT } from '../../../shared/i18n/i18n.tsx';
import { CompanyCode } from '../../../shared/ui/company-code.tsx';
import { RemoteSelect } from '../../../shared/ui/remote-select.tsx';
import { DAYS, DEFAULT_DAYS, searchEmailDomains } from '../dmarc.api.ts';

export type FilterName = 'companyId' | 'domain' | 'days' | 'tab' | 'unclaimed' | 'report';

/** Filters as URL parameters: read one, set one (an empty value removes it). */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const get = (name: FilterName) => params.get(name) ?? '';
  const set = (changes: Partial<Record<FilterName, string | null>>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [name, value] of Object.entries(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        return next;
      },
      { replace: true },
    );
  const raw = Number(get('days'));
  const days = (DAYS as readonly number[]).includes(raw) ? raw : DEFAULT_DAYS;
  return { get, set, days, params };
}

export function DaysControl({ days, onChange }: { days: number; onChange: (days: number) => void }) {
  const t = useT();
  return (
    <SegmentedControl
      value={String(days)}
      onChange={(v) => onChange(Number(v))}
      data={DAYS.map((d) => ({ value: String(d), label: t('dmarc.days', { days: d }) }))}
      data-testid="dmarc-days"
    />
  );
}

export function CompanyFilter({
  value,
  onChange,
  testId = 'dmarc-company',
}: {
  value: string;
  onChange: (value: string | null) => void;
  testId?: string;
}) {
  const t = useT();
  const lookup = useCompanyLookup();
  return (
    <Select
      placeholder={t('dmarc.allCompanies')}
      data={lookup.options}
      value={value || null}
      onChange={onChange}
      searchable
      clearable
      w={240}
      data-testid={testId}
    />
  );
}

/** A sending domain of the inventory (of the company, when one is chosen), searched by name. */
export function DomainFilter({
  companyId,
  value,
  onChange,
}: {
  companyId: string;
  value: string;
  onChange: (value: string | null) => void;
}) {
  const t = useT();
  return (
    <RemoteSelect
      placeholder={t('dmarc.allDomains')}
      queryKey={['dmarc', 'domain-picker', companyId]}
      fetchOptions={(q, signal) =>
        searchEmailDomains({ q, companyId: companyId || undefined, role: 'sends', limit: 20 }, signal).then(
          (p) => p.items.map((d) => ({ value: d.name, label: d.name })),
        )
      }
      value={value || null}
      selectedLabel={value || null}
      onChange={(v) => onChange(v)}
      clearable
      w={240}
      nothingFoundMessage={t('common.nothingFound')}
      data-testid="dmarc-domain"
    />
  );
}

/** The company a row belongs to, or "unclaimed". */
export function CompanyCell({ companyId }: { companyId: string | null }) {
  const t = useT();
  if (!companyId)
    return (
      <Tooltip label={t('dmarc.reports.unclaimedHelp')} multiline maw={300}>
        <Text size="xs" c="dimmed">
          {t('dmarc.reports.unclaimedShort')}
        </Text>
      </Tooltip>
    );
  return <CompanyCode companyId={companyId} />;
}
