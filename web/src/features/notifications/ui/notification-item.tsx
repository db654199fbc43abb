// One notification: its title in the UI language, severity, company, findings, the state of its mail, a link to
// the object (which marks it read) and "Mark read".
import { Anchor, Badge, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { NotificationDto } from '../../../shared/api/types.ts';
import { useFormatDate, useT } from '../../../shared/i18n/i18n.tsx';
import { useCan } from '../../../shared/session/session.tsx';
import { AlertIcon, CheckIcon } from '../../../shared/ui/icons.tsx';
import { CompanyCode } from '../../../shared/ui/company-code.tsx';
import { notifyError } from '../../../shared/ui/notify.tsx';
import { findingsOf, SEVERITY_COLOR, titleMessage } from '../lib/title.ts';
import { markRead, notificationKeys } from '../notifications.api.ts';

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
    onError: (err) => notifyError(err),
  });
}

const MAIL_COLOR = { pending: 'gray', sent: 'teal', failed: 'red' } as const;

export function NotificationItem({
  notification: n,
  compact = false,
  onNavigate,
}: {
  notification: NotificationDto;
  /** In the bell's list: no findings, no mail state. */
  compact?: boolean;
  onNavigate?: () => void;
}) {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const read = useMarkRead();
  const unread = n.readAt === null;
  const { key, vars } = titleMessage(n);
  const title = t(key, vars);
  const findings = compact ? [] : findingsOf(n);
  const color = SEVERITY_COLOR[n.severity] ?? 'gray';
  const open = () => {
    if (unread) read.mutate(n.id);
    onNavigate?.();
  };
  return (
    <Paper
      withBorder={!compact}
      radius="md"
      p={compact ? 'xs' : 'sm'}
      data-testid="notification-item"
      data-unread={unread}
      style={unread && !compact ? { borderLeft: `4px solid var(--mantine-color-${color}-6)` } : {}}
      bg={unread && compact ? `var(--mantine-color-${color}-0)` : undefined}
    >
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ThemeIcon color={unread ? color : 'gray'} variant="light" radius="xl" size={compact ? 'sm' : 'md'}>
          <AlertIcon size={compact ? 12 : 16} />
        </ThemeIcon>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          {n.link ? (
            <Anchor
              component={Link}
              to={n.link}
              onClick={open}
              size="sm"
              fw={unread ? 700 : 500}
              c="inherit"
              data-testid="notification-link"
            >
              {title}
            </Anchor>
          ) : (
            <Text size="sm" fw={unread ? 700 : 500}>
              {title}
            </Text>
          )}
          <Group gap="xs">
            <Badge size="xs" variant="light" color={color}>
              {t(`notifications.severity.${n.severity}`)}
            </Badge>
            {n.companyId && can('company.read') && <CompanyCode companyId={n.companyId} size="xs" />}
            <Text size="xs" c="dimmed">
              {formatDate(n.createdAt)}
            </Text>
            {!compact && n.email && (
              <Badge size="xs" variant="dot" color={MAIL_COLOR[n.email]} data-testid="notification-mail">
                {t(`notifications.mail.${n.email}`)}
              </Badge>
            )}
          </Group>
          {findings.length > 0 && (
            <List size="sm" spacing={2}>
              {findings.map((f, i) => (
                <List.Item key={i}>
                  <Text span size="sm">
                    {f}
                  </Text>
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
        {unread && (
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<CheckIcon size={14} />}
            loading={read.isPending}
            onClick={() => read.mutate(n.id)}
            data-testid="notification-mark-read"
          >
            {t('notifications.markRead')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
