// A company's short code with its name in a tooltip.
import { Text, Tooltip } from '@mantine/core';
import { useCompanyLookup } from '../api/lookups.ts';

export function CompanyCode({ companyId, size = 'sm' }: { companyId: string; size?: 'xs' | 'sm' }) {
  const lookup = useCompanyLookup();
  const company = lookup.byId.get(companyId);
  return (
    <Tooltip label={company?.legalName ?? companyId} disabled={!company}>
      <Text size={size} ff="monospace" span style={{ whiteSpace: 'nowrap' }} data-testid="company-code">
        {company?.shortCode ?? '…'}
      </Text>
    </Tooltip>
  );
}
