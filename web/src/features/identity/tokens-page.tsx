// The signed-in user's API tokens for automation; a new token is shown once.
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Modal,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TOKEN_SCOPES, type ApiTokenDto, type TokenScope } from '../../shared/api/types.ts';
import { useFormatDate, useT } from '../../shared/i18n/i18n.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { AlertIcon, CheckIcon, CopyIcon, PlusIcon } from '../../shared/ui/icons.tsx';
import { ProblemDetails, fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { TableSkeleton } from '../../shared/ui/table-skeleton.tsx';
import { createToken, identityKeys, listTokens, revokeToken } from './identity.api.ts';

function TokenState({ token }: { token: ApiTokenDto }) {
  const t = useT();
  if (token.revokedAt) return <Badge color="gray">{t('token.revoked')}</Badge>;
  if (new Date(token.expiresAt).getTime() < Date.now())
    return <Badge color="orange">{t('token.expired')}</Badge>;
  return <Badge color="teal">{t('common.active')}</Badge>;
}

export function TokensPage() {
  const t = useT();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: identityKeys.tokens, queryFn: listTokens });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenDto | null>(null);

  const revoke = useMutation({
    mutationFn: (token: ApiTokenDto) => revokeToken(token.id),
    onSuccess: (_v, token) => {
      setRevoking(null);
      notifySuccess((t) => t('token.revokedNotice', { name: token.name }));
      void queryClient.invalidateQueries({ queryKey: identityKeys.tokens });
    },
    onError: (err) => {
      setRevoking(null);
      notifyError(err);
    },
  });

  const items = tokens.data ?? [];
  return (
    <>
      <PageHeader
        title={t('nav.tokens')}
        description={t('token.description')}
        actions={
          <Button leftSection={<PlusIcon />} onClick={() => setCreating(true)} data-testid="token-create">
            {t('token.create')}
          </Button>
        }
      />
      {tokens.error && (
        <Alert color="red" mb="md">
          <ProblemDetails error={tokens.error} t={t} />
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" data-testid="token-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('token.name')}</Table.Th>
                <Table.Th>{t('token.prefix')}</Table.Th>
                <Table.Th>{t('token.scopes')}</Table.Th>
                <Table.Th>{t('token.expires')}</Table.Th>
                <Table.Th>{t('token.lastUsed')}</Table.Th>
                <Table.Th>{t('user.status')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.isLoading && <TableSkeleton columns={7} rows={2} />}
              {!tokens.isLoading && items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>
                    <Text c="dimmed" ta="center" py="lg">
                      {t('token.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {items.map((token) => (
                <Table.Tr
                  key={token.id}
                  data-testid="token-row"
                  style={token.revokedAt ? { opacity: 0.6 } : undefined}
                >
                  <Table.Td fw={500}>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>{token.prefix}…</Code>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {token.scopes.map((s) => (
                        <Badge key={s} variant="outline" size="sm" tt="none">
                          {s}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(token.expiresAt, false)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('user.never')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <TokenState token={token} />
                  </Table.Td>
                  <Table.Td>
                    {!token.revokedAt && (
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        onClick={() => setRevoking(token)}
                        data-testid="token-revoke"
                      >
                        {t('token.revoke')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>

      <Modal opened={creating} onClose={() => setCreating(false)} title={t('token.create')}>
        {creating && (
          <CreateTokenForm
            onClose={() => setCreating(false)}
            onCreated={(secret) => {
              setCreating(false);
              setCreated(secret);
            }}
          />
        )}
      </Modal>

      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title={t('token.createdTitle')}
        closeOnClickOutside={false}
        size="lg"
      >
        <Stack>
          <Alert color="yellow" icon={<AlertIcon />}>
            {t('token.showOnce')}
          </Alert>
          <Code block data-testid="token-secret" style={{ wordBreak: 'break-all' }}>
            {created}
          </Code>
          <Group justify="space-between">
            <CopyButton value={created ?? ''}>
              {({ copied, copy }) => (
                <Button
                  variant="light"
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <CheckIcon /> : <CopyIcon />}
                  onClick={copy}
                  data-testid="token-copy"
                >
                  {copied ? t('common.copied') : t('common.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={() => setCreated(null)} data-testid="token-done">
              {t('common.done')}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <ConfirmModal
        opened={revoking !== null}
        title={t('token.revoke')}
        message={t('token.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('token.revoke')}
        danger
        loading={revoke.isPending}
        onConfirm={() => revoking && revoke.mutate(revoking)}
        onClose={() => setRevoking(null)}
      />
    </>
  );
}

function CreateTokenForm({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (secret: string) => void;
}) {
  const t = useT();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<TokenScope[]>(['org:read']);
  const [days, setDays] = useState<number>(90);
  const create = useMutation({
    mutationFn: createToken,
    onSuccess: (res) => {
      notifySuccess((t) => t('token.created', { name: res.apiToken.name }));
      void queryClient.invalidateQueries({ queryKey: identityKeys.tokens });
      onCreated(res.token);
    },
    onError: (err) => notifyError(err),
  });
  const errors = fieldErrors(create.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), scopes, expiresInDays: days });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label={t('token.name')}
          description={t('token.nameHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={errors.name}
          required
          maxLength={100}
          data-testid="token-name"
        />
        <Checkbox.Group
          label={t('token.scopes')}
          value={scopes}
          onChange={(v) => setScopes(v as TokenScope[])}
          required
        >
          <Stack gap={6} mt={6}>
            {TOKEN_SCOPES.map((s) => (
              <Checkbox
                key={s}
                value={s}
                label={`${s} — ${t(`scope.${s}`)}`}
                data-testid={`token-scope-${s}`}
              />
            ))}
          </Stack>
        </Checkbox.Group>
        <NumberInput
          label={t('token.expiresInDays')}
          value={days}
          onChange={(v) => setDays(typeof v === 'number' ? v : Number(v) || 1)}
          min={1}
          max={366}
          allowDecimal={false}
          data-testid="token-days"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            disabled={scopes.length === 0}
            loading={create.isPending}
            data-testid="token-save"
          >
            {t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
