// Names of what a risk refers to by id: people and assets (read once and cached).
import { Anchor, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useAsset, usePerson } from '../risks.queries.ts';

export function PersonName({ id, size = 'sm' }: { id: string | null; size?: 'xs' | 'sm' }) {
  const person = usePerson(id);
  if (!id)
    return (
      <Text size={size} c="dimmed" span>
        —
      </Text>
    );
  return (
    <Text size={size} span style={{ whiteSpace: 'nowrap' }}>
      {person.data?.name ?? (person.isLoading ? '…' : '—')}
    </Text>
  );
}

export function AssetLink({ id }: { id: string }) {
  const asset = useAsset(id);
  return (
    <Anchor component={Link} to={`/assets/${id}`} size="sm" data-testid="risk-asset-link">
      {asset.data ? `${asset.data.code} — ${asset.data.name}` : '…'}
    </Anchor>
  );
}
