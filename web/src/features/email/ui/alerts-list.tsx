// Alerts raised by scans whose posture got weaker: what regressed, the risk raised in the register, and the
// acknowledgement (versioned, so two people acknowledging at once do not both win).
import { Anchor, Badge, Button, Group, List, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { usePagedList } from '../../../shared/api/paged.ts';
import type { AlertDto } from '../../../shared/api/types.ts';
import { useFormatDate, useT } from '../../../shared/i18n/i18n.tsx';
import { useCan } from '../../../shared/session/session.tsx';
import { AlertIcon, CheckIcon, LinkIcon } from '../../../shared/ui/icons.tsx';
import { LoadMore } from '../../../shared/ui/load-more.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../../shared/ui/notify.tsx';
import { acknowledgeAlert, emailKeys } from '../email.api.ts';
import { SEVERITY_COLOR } from '../lib/posture.ts';
import { SeverityBadge } from './badges.tsx';
import { CompanyCode } from '../../../shared/ui/company-code.tsx';

export function AlertsList({
  companyId,
  domainId,
  openOnly = false,
  showDomain = true,
  pageSize = 10,
}: {
  companyId?: string | undefined;
  domainId?: string | undefined;
  openOnly?: boolean;
  showDomain?: boolean;
  pageSize?: number;
}) {
  const t = useT();
  const list = usePagedList<AlertDto>(
    emailKeys.alerts,
    '/email/alerts',
    { companyId, domainId, open: openOnly ? 'true' : undefined },
    { pageSize },
  );
  if (list.error)
    return (
      <Text c="red" size="sm">
        <ProblemDetails error={list.error} t={t} />
      </Text>
    );
  if (!list.loading && list.items.length === 0)
    return (
      <Text c="dimmed" size="sm" ta="center" py="md" data-testid="alerts-empty">
        {openOnly ? t('email.alerts.noneOpen') : t('email.alerts.none')}
      </Text>
    );
  return (
    <Stack gap="sm" data-testid="alerts-list">
      {list.items.map((a) => (
        <AlertRow key={a.id} alert={a} showDomain={showDomain} />
      ))}
      {(list.hasMore || list.items.length > pageSize) && (
        <LoadMore
          hasMore={list.hasMore}
          loading={list.loadingMore}
          onLoadMore={list.loadMore}
          shown={list.items.length}
          testId="alerts-load-more"
        />
      )}
    </Stack>
  );
}

function AlertRow({ alert, showDomain }: { alert: AlertDto; showDomain: boolean }) {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const ack = useMutation({
    mutationFn: () => acknowledgeAlert(alert),
    onSuccess: () => {
      notifySuccess((t) => t('email.alerts.acknowledged', { domain: alert.domain }));
      void queryClient.invalidateQueries({ queryKey: emailKeys.alerts });
    },
    onError: (err) => {
      notifyError(err);
      // Stale: someone else acknowledged it meanwhile; show what is there now.
      void queryClient.invalidateQueries({ queryKey: emailKeys.alerts });
    },
  });
  const open = alert.acknowledgedAt === null;
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      data-testid="alert-row"
      data-open={open}
      style={open ? { borderLeft: `4px solid var(--mantine-color-${SEVERITY_COLOR[alert.severity]}-6)` } : {}}
    >
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <ThemeIcon color={open ? SEVERITY_COLOR[alert.severity] : 'gray'} variant="light" radius="xl">
          <AlertIcon size={16} />
        </ThemeIcon>
        <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs">
            {showDomain && (
              <Anchor component={Link} to={`/email/domains/${alert.domainId}`} fw={600} size="sm">
                {alert.domain}
              </Anchor>
            )}
            {showDomain && <CompanyCode companyId={alert.companyId} size="xs" />}
            <SeverityBadge severity={alert.severity} />
            <Text size="xs" c="dimmed">
              {formatDate(alert.raisedAt)}
            </Text>
          </Group>
          <List size="sm" spacing={2}>
            {alert.regressions.map((r) => (
              <List.Item key={r.code} data-testid="alert-regression">
                <Text span size="sm" c={r.severity === 'error' ? 'red.8' : undefined}>
                  {r.message}
                </Text>
              </List.Item>
            ))}
          </List>
          <Group justify="space-between" gap="sm" mt={2}>
            {alert.riskId ? (
              <Anchor component={Link} to={`/risks/${alert.riskId}`} size="sm" data-testid="alert-risk-link">
                <Group gap={4} wrap="nowrap">
                  <LinkIcon size={14} />
                  {t('email.alerts.risk')}
                </Group>
              </Anchor>
            ) : (
              <Text size="xs" c="dimmed">
                {t('email.alerts.noRisk')}
              </Text>
            )}
            {open ? (
              can('email.write') && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<CheckIcon size={14} />}
                  loading={ack.isPending}
                  onClick={() => ack.mutate()}
                  data-testid="alert-ack"
                >
                  {t('email.alerts.acknowledge')}
                </Button>
              )
            ) : (
              <Group gap={6} wrap="nowrap">
                <Badge color="gray" variant="light" size="sm">
                  {t('email.alerts.done')}
                </Badge>
                <Text size="xs" c="dimmed" data-testid="alert-acknowledged">
                  {t('email.alerts.acknowledgedBy', {
                    who: alert.acknowledgedBy ?? '—',
                    when: formatDate(alert.acknowledgedAt),
                  })}
                </Text>
              </Group>
            )}
          </Group>
        </Stack>
      </Group>
    </Paper>
  );
}
