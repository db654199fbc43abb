// The bell in the header: the unread count (asked again every 30 s and when the window regains focus), and the
// latest notifications with "Mark all read" and a link to all of them.
import { useState } from 'react';
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Text,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { notifyError } from '../../shared/ui/notify.tsx';
import { getLatest, getUnreadCount, markAllRead, notificationKeys } from './notifications.api.ts';
import { BellIcon } from './ui/icons.tsx';
import { NotificationItem } from './ui/notification-item.tsx';

export function NotificationBell() {
  const t = useT();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const unread = useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => getUnreadCount(signal),
    refetchInterval: 30_000,
  });
  const latest = useQuery({
    queryKey: notificationKeys.latest,
    queryFn: ({ signal }) => getLatest(signal),
    enabled: opened,
  });
  const readAll = useMutation({
    mutationFn: markAllRead,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
    onError: (err) => notifyError(err),
  });
  const count = unread.data?.count ?? 0;
  const items = latest.data?.items ?? [];
  return (
    <Popover opened={opened} onChange={setOpened} width={400} position="bottom-end" shadow="md" withArrow>
      <Popover.Target>
        <Indicator
          label={<span data-testid="notification-count">{count > 99 ? '99+' : count}</span>}
          disabled={count === 0}
          size={18}
          color="red"
          offset={4}
        >
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={count > 0 ? t('notifications.bellUnread', { count }) : t('notifications.bell')}
            data-testid="notification-bell"
            data-unread={count}
          >
            <BellIcon size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p="xs" data-testid="notification-popover">
        <Group justify="space-between" px={4} mb="xs">
          <Text fw={600} size="sm">
            {t('notifications.title')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            disabled={count === 0}
            loading={readAll.isPending}
            onClick={() => readAll.mutate()}
            data-testid="notification-read-all"
          >
            {t('notifications.markAllRead')}
          </Button>
        </Group>
        <ScrollArea.Autosize mah={420}>
          <Stack gap={4}>
            {latest.isSuccess && items.length === 0 && (
              <Text size="sm" c="dimmed" ta="center" py="md">
                {t('notifications.none')}
              </Text>
            )}
            {items.map((n) => (
              <NotificationItem key={n.id} notification={n} compact onNavigate={() => setOpened(false)} />
            ))}
          </Stack>
        </ScrollArea.Autosize>
        <Anchor
          component={Link}
          to="/notifications"
          size="sm"
          display="block"
          ta="center"
          mt="xs"
          onClick={() => setOpened(false)}
          data-testid="notification-see-all"
        >
          {t('notifications.seeAll')}
        </Anchor>
      </Popover.Dropdown>
    </Popover>
  );
}
