// Users of Mamori and the roles granted to them.
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useCompanyLookup } from '../../shared/api/lookups.ts';
import { usePagedList } from '../../shared/api/paged.ts';
import { ROLES, type UserDto } from '../../shared/api/types.ts';
import { useFormatDate, useT, type Locale } from '../../shared/i18n/i18n.tsx';
import { useCan } from '../../shared/session/session.tsx';
import { MfaBadge, UserStatusBadge } from '../../shared/ui/badges.tsx';
import { PlusIcon, SearchIcon } from '../../shared/ui/icons.tsx';
import { LoadMore } from '../../shared/ui/load-more.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { createUser, identityKeys } from './identity.api.ts';

export function UsersPage() {
  const t = useT();
  const can = useCan();
  const formatDate = useFormatDate();
  const lookup = useCompanyLookup();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [role, setRole] = useState<string | null>(null);
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const list = usePagedList<UserDto>([...identityKeys.users, 'list'], '/users', {
    q: debouncedQ,
    status,
    role,
  });
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title={t('nav.users')}
        description={t('user.description')}
        actions={
          can('user.manage') && (
            <Button leftSection={<PlusIcon />} onClick={() => setCreating(true)} data-testid="user-create">
              {t('user.create')}
            </Button>
          )
        }
      />
      <Group mb="md" gap="sm">
        <TextInput
          placeholder={t('user.searchPlaceholder')}
          leftSection={<SearchIcon size={16} />}
          value={q}
          onChange={(e) => setQ(e.currentTarget.value)}
          w={280}
          data-testid="user-search"
        />
        <Select
          placeholder={t('user.status')}
          data={[
            { value: 'active', label: t('userStatus.active') },
            { value: 'disabled', label: t('userStatus.disabled') },
          ]}
          value={status}
          onChange={setStatus}
          clearable
          w={160}
        />
        <Select
          placeholder={t('grant.role')}
          data={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
          value={role}
          onChange={setRole}
          clearable
          w={240}
        />
      </Group>
      {list.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={list.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="user-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('field.email')}</Table.Th>
                <Table.Th>{t('field.displayName')}</Table.Th>
                <Table.Th>{t('user.status')}</Table.Th>
                <Table.Th>{t('mfa.short')}</Table.Th>
                <Table.Th miw={220}>{t('user.roles')}</Table.Th>
                <Table.Th>{t('user.lastLogin')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.loading && <TableSkeleton columns={6} />}
              {!list.loading && list.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('common.nothingFound')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {list.items.map((u) => (
                <Table.Tr key={u.id} data-testid="user-row">
                  <Table.Td>
                    <Anchor component={Link} to={`/users/${u.id}`} fw={500}>
                      {u.email}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{u.displayName}</Table.Td>
                  <Table.Td>
                    <UserStatusBadge status={u.status} />
                  </Table.Td>
                  <Table.Td>
                    <MfaBadge enabled={u.mfaEnabled} short />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {u.grants.length === 0 && (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                      {u.grants.map((g) => (
                        <Badge key={g.id} variant="light" color={g.companyId ? 'gray' : 'blue'} tt="none">
                          {t(`role.${g.role}`)}
                          {g.companyId ? ` · ${lookup.byId.get(g.companyId)?.shortCode ?? '…'}` : ''}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{u.lastLoginAt ? formatDate(u.lastLoginAt) : t('user.never')}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <LoadMore
        hasMore={list.hasMore}
        loading={list.loadingMore}
        onLoadMore={list.loadMore}
        shown={list.items.length}
      />
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  return (
    <Modal opened={opened} onClose={onClose} title={t('user.create')}>
      {opened && <CreateUserForm onClose={onClose} />}
    </Modal>
  );
}

function CreateUserForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [locale, setLocale] = useState<Locale>('ja');
  const create = useMutation({
    mutationFn: createUser,
    onSuccess: (user) => {
      notifySuccess((t) => t('user.created', { email: user.email }));
      void queryClient.invalidateQueries({ queryKey: identityKeys.users });
      onClose();
      void navigate(`/users/${user.id}`);
    },
    onError: (err) => notifyError(err),
  });
  const errors = fieldErrors(create.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      email: email.trim(),
      displayName: displayName.trim(),
      locale,
      ...(password ? { password } : {}),
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('field.email')}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={errors.email}
          required
          data-testid="user-email"
        />
        <TextInput
          label={t('field.displayName')}
          value={displayName}
          onChange={(e) => setDisplayName(e.currentTarget.value)}
          error={errors.displayName}
          required
          data-testid="user-display-name"
        />
        <PasswordInput
          label={t('user.initialPassword')}
          description={t('user.initialPasswordHelp')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={errors.password}
          autoComplete="new-password"
          data-testid="user-password"
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
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="user-save">
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
