// One user: profile fields, status, password and MFA resets, and role grants.
import { useState, type FormEvent } from 'react';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiError, api, type Page } from '../../shared/api/client.ts';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { GROUP_ONLY_ROLES, ROLES, type PersonDto, type Role, type UserDto } from '../../shared/api/types.ts';
import { useFormatDate, useT, type Locale } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { MfaBadge, UserStatusBadge } from '../../shared/ui/badges.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { TrashIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { RemoteSelect } from '../../shared/ui/remote-select.tsx';
import {
  getUser,
  grantRole,
  identityKeys,
  resetUserMfa,
  resetUserPassword,
  revokeGrant,
  updateUser,
} from './identity.api.ts';

const GROUP_WIDE = '__group__';

export function UserDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const user = useQuery({ queryKey: identityKeys.user(id), queryFn: () => getUser(id) });

  if (user.isLoading) return <Loader />;
  if (!user.data) {
    return (
      <Alert color="red" title={t('error.title')}>
        <ProblemDetails error={user.error} t={t} />
      </Alert>
    );
  }
  const u = user.data;
  return (
    <>
      <Breadcrumbs mb="sm">
        <Anchor component={Link} to="/users" size="sm">
          {t('nav.users')}
        </Anchor>
        <Text size="sm">{u.email}</Text>
      </Breadcrumbs>
      <Group mb="lg" gap="sm">
        <Title order={2}>{u.displayName}</Title>
        <UserStatusBadge status={u.status} />
        <MfaBadge enabled={u.mfaEnabled} />
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <UserForm key={`${u.id}:${u.version}`} user={u} />
            <UserActions user={u} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Grants user={u} />
        </Grid.Col>
      </Grid>
    </>
  );
}

function useUserUpdated(id: string) {
  const queryClient = useQueryClient();
  return (saved?: UserDto) => {
    if (saved) queryClient.setQueryData(identityKeys.user(id), saved);
    void queryClient.invalidateQueries({ queryKey: identityKeys.users });
  };
}

function UserForm({ user }: { user: UserDto }) {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const updated = useUserUpdated(user.id);
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [locale, setLocale] = useState<Locale>(user.locale);
  const [personId, setPersonId] = useState<string | null>(user.personId);
  const manage = can('user.manage');
  const person = useQuery({
    queryKey: ['people', 'one', user.personId ?? 'none'],
    queryFn: () => api.get<PersonDto>(`/people/${user.personId}`),
    enabled: Boolean(user.personId) && can('person.read'),
  });

  const save = useMutation({
    mutationFn: () =>
      updateUser(user.id, {
        version: user.version,
        ...(displayName.trim() !== user.displayName ? { displayName: displayName.trim() } : {}),
        ...(locale !== user.locale ? { locale } : {}),
        ...(personId !== user.personId ? { personId } : {}),
      }),
    onSuccess: (saved) => {
      notifySuccess((t) => t('user.updated', { email: saved.email }));
      updated(saved);
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.code === 'stale_version')) notifyError(err);
    },
  });
  const stale = save.error instanceof ApiError && save.error.code === 'stale_version';
  const dirty =
    displayName.trim() !== user.displayName || locale !== user.locale || personId !== user.personId;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };

  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        {t('user.details')}
      </Title>
      <form onSubmit={submit}>
        <Stack>
          {stale && (
            <Alert color="orange" title={t('error.staleTitle')} data-testid="stale-alert">
              {t('error.staleVersion')}
              <Group mt="sm">
                <Button
                  size="xs"
                  variant="white"
                  color="orange"
                  onClick={() => void queryClient.invalidateQueries({ queryKey: identityKeys.user(user.id) })}
                >
                  {t('common.reload')}
                </Button>
              </Group>
            </Alert>
          )}
          <TextInput label={t('field.email')} value={user.email} readOnly variant="filled" />
          <TextInput
            label={t('field.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
            disabled={!manage}
          />
          <Select
            label={t('language.label')}
            data={[
              { value: 'ja', label: '日本語' },
              { value: 'en', label: 'English' },
            ]}
            value={locale}
            onChange={(v) => v && setLocale(v as Locale)}
            allowDeselect={false}
            disabled={!manage}
          />
          {can('person.read') && (
            <RemoteSelect
              label={t('user.person')}
              description={t('user.personHelp')}
              placeholder={t('people.searchPlaceholder')}
              queryKey={['people', 'picker', 'all']}
              fetchOptions={(q, signal) =>
                api
                  .get<Page<PersonDto>>('/people', { q, limit: 20 }, signal)
                  .then((p) =>
                    p.items.map((x) => ({ value: x.id, label: `${x.name} (${x.employeeNumber})` })),
                  )
              }
              value={personId}
              selectedLabel={person.data ? `${person.data.name} (${person.data.employeeNumber})` : null}
              onChange={(v) => setPersonId(v)}
              clearable
              disabled={!manage}
              nothingFoundMessage={t('common.nothingFound')}
            />
          )}
          <Group gap="xl">
            <div>
              <Text size="xs" c="dimmed">
                {t('user.lastLogin')}
              </Text>
              <Text size="sm">{user.lastLoginAt ? formatDate(user.lastLoginAt) : t('user.never')}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">
                {t('common.createdAt')}
              </Text>
              <Text size="sm">{formatDate(user.createdAt)}</Text>
            </div>
          </Group>
          {manage && (
            <Group justify="flex-end">
              <Button
                type="submit"
                loading={save.isPending}
                disabled={!dirty || stale}
                data-testid="user-save"
              >
                {t('common.save')}
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

function UserActions({ user }: { user: UserDto }) {
  const t = useT();
  const can = useCan();
  const updated = useUserUpdated(user.id);
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<'status' | 'mfa' | null>(null);
  const [resettingPassword, setResettingPassword] = useState(false);
  const [newPassword, setNewPassword] = useState('');

  const toggleStatus = useMutation({
    mutationFn: () =>
      updateUser(user.id, {
        version: user.version,
        status: user.status === 'active' ? 'disabled' : 'active',
      }),
    onSuccess: (saved) => {
      setConfirming(null);
      notifySuccess((t) =>
        saved.status === 'active'
          ? t('user.enabled', { email: saved.email })
          : t('user.disabled', { email: saved.email }),
      );
      updated(saved);
    },
    onError: (err) => {
      setConfirming(null);
      notifyError(err);
    },
  });
  const resetMfa = useMutation({
    mutationFn: () => resetUserMfa(user.id),
    onSuccess: () => {
      setConfirming(null);
      notifySuccess((t) => t('user.mfaReset', { email: user.email }));
      void queryClient.invalidateQueries({ queryKey: identityKeys.users });
    },
    onError: (err) => {
      setConfirming(null);
      notifyError(err);
    },
  });
  const resetPassword = useMutation({
    mutationFn: () => resetUserPassword(user.id, newPassword),
    onSuccess: () => {
      setResettingPassword(false);
      setNewPassword('');
      notifySuccess((t) => t('user.passwordReset', { email: user.email }));
    },
    onError: (err) => notifyError(err),
  });

  if (!can('user.manage')) return null;
  const active = user.status === 'active';
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        {t('user.security')}
      </Title>
      <Group>
        <Button
          variant="light"
          color={active ? 'red' : 'teal'}
          onClick={() => setConfirming('status')}
          data-testid="user-toggle-status"
        >
          {active ? t('user.disable') : t('user.enable')}
        </Button>
        <Button variant="light" onClick={() => setResettingPassword(true)} data-testid="user-reset-password">
          {t('user.resetPassword')}
        </Button>
        <Button
          variant="light"
          color="orange"
          disabled={!user.mfaEnabled}
          onClick={() => setConfirming('mfa')}
          data-testid="user-reset-mfa"
        >
          {t('user.resetMfa')}
        </Button>
      </Group>
      <ConfirmModal
        opened={confirming === 'status'}
        title={active ? t('user.disable') : t('user.enable')}
        message={
          active
            ? t('user.disableConfirm', { email: user.email })
            : t('user.enableConfirm', { email: user.email })
        }
        confirmLabel={active ? t('user.disable') : t('user.enable')}
        danger={active}
        loading={toggleStatus.isPending}
        onConfirm={() => toggleStatus.mutate()}
        onClose={() => setConfirming(null)}
      />
      <ConfirmModal
        opened={confirming === 'mfa'}
        title={t('user.resetMfa')}
        message={t('user.resetMfaConfirm', { email: user.email })}
        confirmLabel={t('user.resetMfa')}
        danger
        loading={resetMfa.isPending}
        onConfirm={() => resetMfa.mutate()}
        onClose={() => setConfirming(null)}
      />
      <Modal
        opened={resettingPassword}
        onClose={() => setResettingPassword(false)}
        title={t('user.resetPassword')}
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            resetPassword.mutate();
          }}
        >
          <Stack>
            <Text size="sm">{t('user.resetPasswordHelp', { email: user.email })}</Text>
            <PasswordInput
              label={t('password.new')}
              description={t('password.rules')}
              value={newPassword}
              onChange={(e) => setNewPassword(e.currentTarget.value)}
              required
              autoComplete="new-password"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setResettingPassword(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={resetPassword.isPending}>
                {t('user.resetPassword')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

function Grants({ user }: { user: UserDto }) {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const queryClient = useQueryClient();
  const manage = can('user.manage');
  const [role, setRole] = useState<Role | null>(null);
  const [scope, setScope] = useState<string>(GROUP_WIDE);
  const [revoking, setRevoking] = useState<string | null>(null);
  const groupOnly = role !== null && GROUP_ONLY_ROLES.includes(role);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: identityKeys.users });

  const grant = useMutation({
    mutationFn: () => grantRole(user.id, role as Role, groupOnly || scope === GROUP_WIDE ? null : scope),
    onSuccess: (g) => {
      notifySuccess((t) => t('grant.granted', { role: t(`role.${g.role}`) }));
      setRole(null);
      refresh();
    },
    onError: (err) => notifyError(err),
  });
  const revoke = useMutation({
    mutationFn: (grantId: string) => revokeGrant(user.id, grantId),
    onSuccess: () => {
      setRevoking(null);
      notifySuccess((t) => t('grant.revoked'));
      refresh();
    },
    onError: (err) => {
      setRevoking(null);
      notifyError(err);
    },
  });

  const scopeOptions = [{ value: GROUP_WIDE, label: t('grant.groupWide') }, ...lookup.options];
  const revokingGrant = user.grants.find((g) => g.id === revoking);

  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        {t('user.roles')}
      </Title>
      <Table verticalSpacing="xs" data-testid="grant-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('grant.role')}</Table.Th>
            <Table.Th>{t('grant.scope')}</Table.Th>
            <Table.Th>{t('grant.since')}</Table.Th>
            <Table.Th w={40} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {user.grants.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text size="sm" c="dimmed" ta="center">
                  {t('grant.none')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {user.grants.map((g) => (
            <Table.Tr key={g.id} data-testid="grant-row">
              <Table.Td>
                <Badge variant="light" tt="none">
                  {t(`role.${g.role}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                {g.companyId ? (
                  <Anchor component={Link} to={`/companies/${g.companyId}`} size="sm">
                    {lookup.byId.get(g.companyId)?.legalName ?? g.companyId}
                  </Anchor>
                ) : (
                  <Text size="sm" fw={500}>
                    {t('grant.groupWide')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(g.createdAt, false)}</Text>
              </Table.Td>
              <Table.Td>
                {manage && (
                  <Tooltip label={t('grant.revoke')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => setRevoking(g.id)}
                      aria-label={t('grant.revoke')}
                      data-testid="grant-revoke"
                    >
                      <TrashIcon />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {manage && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (role) grant.mutate();
          }}
        >
          <Group mt="lg" align="flex-end" gap="sm">
            <Select
              label={t('grant.role')}
              placeholder={t('grant.pickRole')}
              data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
              value={role}
              onChange={(v) => setRole(v as Role | null)}
              w={230}
              data-testid="grant-role"
            />
            <Select
              label={t('grant.scope')}
              data={scopeOptions}
              value={groupOnly ? GROUP_WIDE : scope}
              onChange={(v) => setScope(v ?? GROUP_WIDE)}
              disabled={groupOnly}
              searchable
              allowDeselect={false}
              w={260}
              data-testid="grant-scope"
            />
            <Button type="submit" disabled={!role} loading={grant.isPending} data-testid="grant-submit">
              {t('grant.grant')}
            </Button>
          </Group>
          {groupOnly && (
            <Text size="xs" c="dimmed" mt={6}>
              {t('grant.groupOnlyHelp')}
            </Text>
          )}
        </form>
      )}
      <ConfirmModal
        opened={revoking !== null}
        title={t('grant.revoke')}
        message={t('grant.revokeConfirm', { role: revokingGrant ? t(`role.${revokingGrant.role}`) : '' })}
        confirmLabel={t('grant.revoke')}
        danger
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(null)}
      />
    </Card>
  );
}
