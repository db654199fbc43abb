// "Load more" under a keyset-paginated list.
import { Button, Center, Text } from '@mantine/core';
import { useT } from '../i18n/i18n.tsx';

interface LoadMoreProps {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
  shown: number;
  testId?: string;
}

export function LoadMore({ hasMore, loading, onLoadMore, shown, testId = 'load-more' }: LoadMoreProps) {
  const t = useT();
  return (
    <Center mt="md" style={{ flexDirection: 'column', gap: 4 }}>
      <Text size="xs" c="dimmed">
        {t('list.shown', { count: shown })}
      </Text>
      {hasMore && (
        <Button variant="light" onClick={onLoadMore} loading={loading} data-testid={testId}>
          {t('list.loadMore')}
        </Button>
      )}
    </Center>
  );
}
