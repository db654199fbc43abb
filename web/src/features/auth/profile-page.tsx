// The signed-in user's own settings: name, language, password and multi-factor authentication, and the cards
// other features add (the app passes them in, since a feature does not import another).
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Input,
  Modal,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useT } from '../../shared/i18n/i18n.tsx';
import { useRequiredSession, useSession } from '../../shared/session/session.tsx';
import { MfaBadge } from '../../shared/ui/badges.tsx';
import { ConfirmModal } from '../../shared/ui/confirm.tsx';
import { LanguageSwitch } from '../../shared/ui/language-switch.tsx';
import { fieldErrors, notifyError, notifySuccess } from '../../shared/ui/notify.tsx';
import { PageHeader } from '../../shared/ui/page-header.tsx';
import { changePassword, disableMfa, regenerateRecoveryCodes, updateProfile } from './auth.api.ts';
import { MfaEnrollment } from './mfa-enrollment.tsx';
import { RecoveryCodes } from './recovery-codes.tsx';

function ProfileCard() {
  const t = useT();
  const session = useRequiredSession();
  const { setSession } = useSession();
  const [displayName, setDisplayName] = useState(session.user.displayName);
  const save = useMutation({
    mutationFn: updateProfile,
    onSuccess: (next) => {
      setSession(next);
      notifySuccess((t) => t('profile.saved'));
    },
    onError: (err) => notifyError(err),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ displayName: displayName.trim() });
  };
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        {t('profile.account')}
      </Title>
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={t('field.email')} value={session.user.email} readOnly variant="filled" />
          <TextInput
            label={t('field.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
            data-testid="profile-display-name"
          />
          <Input.Wrapper label={t('language.label')}>
            <div>
              <LanguageSwitch size="sm" />
            </div>
          </Input.Wrapper>
          <Input.Wrapper label={t('profile.roles')}>
            <Group gap={6} mt={4}>
              {session.grants.length === 0 && (
                <Text size="sm" c="dimmed">
                  —
                </Text>
              )}
              {session.grants.map((g, i) => (
                <Badge key={i} variant="light" tt="none">
                  {t(`role.${g.role}`)}
                  {g.companyId ? '' : ` · ${t('grant.groupWide')}`}
                </Badge>
              ))}
            </Group>
          </Input.Wrapper>
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={save.isPending}
              disabled={displayName.trim() === session.user.displayName}
              data-testid="profile-save"
            >
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const t = useT();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && confirm !== newPassword;
  const change = useMutation({
    mutationFn: changePassword,
    onSuccess: () => {
      notifySuccess((t) => t('password.changed'));
      setCurrent('');
      setNew('');
      setConfirm('');
    },
    onError: (err) => notifyError(err),
  });
  const errors = fieldErrors(change.error, t);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!mismatch) change.mutate({ currentPassword, newPassword });
  };
  return (
    <Card withBorder padding="lg">
      <Title order={4} mb="md">
        {t('password.change')}
      </Title>
      <form onSubmit={submit}>
        <Stack>
          <PasswordInput
            label={t('password.current')}
            value={currentPassword}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            error={errors.currentPassword}
            required
            autoComplete="current-password"
          />
          <PasswordInput
            label={t('password.new')}
            description={t('password.rules')}
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
            error={errors.newPassword ?? errors.password}
            required
            autoComplete="new-password"
          />
          <PasswordInput
            label={t('password.confirm')}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={mismatch ? t('password.mismatch') : undefined}
            required
            autoComplete="new-password"
          />
          <Group justify="flex-end">
            <Button type="submit" loading={change.isPending} data-testid="password-submit">
              {t('password.change')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function MfaCard() {
  const t = useT();
  const session = useRequiredSession();
  const { refresh } = useSession();
  const [enrolling, setEnrolling] = useState(false);
  const [confirmRegenerate, setConfirmRegenerate] = useState(false);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [disabling, setDisabling] = useState(false);
  const [password, setPassword] = useState('');

  const regenerate = useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: (res) => {
      setConfirmRegenerate(false);
      setCodes(res.recoveryCodes);
      notifySuccess((t) => t('mfa.codesRegenerated'));
    },
    onError: (err) => notifyError(err),
  });
  const disable = useMutation({
    mutationFn: disableMfa,
    onSuccess: async () => {
      setDisabling(false);
      setPassword('');
      notifySuccess((t) => t('mfa.disabled'));
      await refresh();
    },
    onError: (err) => notifyError(err, t('mfa.disableRefused')),
  });

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="md">
        <Title order={4}>{t('mfa.title')}</Title>
        <MfaBadge enabled={session.user.mfaEnabled} />
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        {session.user.mfaEnabled ? t('mfa.onHelp') : t('mfa.offHelp')}
      </Text>
      <Group>
        {!session.user.mfaEnabled && (
          <Button onClick={() => setEnrolling(true)} data-testid="mfa-enrol">
            {t('mfa.setUp')}
          </Button>
        )}
        {session.user.mfaEnabled && (
          <>
            <Button variant="light" onClick={() => setConfirmRegenerate(true)} data-testid="mfa-regenerate">
              {t('mfa.regenerate')}
            </Button>
            <Button variant="light" color="red" onClick={() => setDisabling(true)} data-testid="mfa-disable">
              {t('mfa.disable')}
            </Button>
          </>
        )}
      </Group>

      <Modal
        opened={enrolling}
        onClose={() => setEnrolling(false)}
        title={t('mfa.enrolTitle')}
        size="md"
        closeOnClickOutside={false}
      >
        {enrolling && (
          <MfaEnrollment
            doneLabel={t('common.done')}
            onFinished={() => {
              setEnrolling(false);
              void refresh();
            }}
          />
        )}
      </Modal>

      <ConfirmModal
        opened={confirmRegenerate}
        title={t('mfa.regenerate')}
        message={t('mfa.regenerateConfirm')}
        confirmLabel={t('mfa.regenerate')}
        loading={regenerate.isPending}
        onConfirm={() => regenerate.mutate()}
        onClose={() => setConfirmRegenerate(false)}
      />

      <Modal
        opened={codes !== null}
        onClose={() => setCodes(null)}
        title={t('mfa.codesTitle')}
        closeOnClickOutside={false}
      >
        {codes && <RecoveryCodes codes={codes} doneLabel={t('common.done')} onDone={() => setCodes(null)} />}
      </Modal>

      <Modal opened={disabling} onClose={() => setDisabling(false)} title={t('mfa.disable')}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            disable.mutate(password);
          }}
        >
          <Stack>
            <Text size="sm">{t('mfa.disableHelp')}</Text>
            <PasswordInput
              label={t('password.current')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              autoComplete="current-password"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setDisabling(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red" loading={disable.isPending}>
                {t('mfa.disable')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Card>
  );
}

export function ProfilePage({ extra }: { extra?: ReactNode } = {}) {
  const t = useT();
  return (
    <>
      <PageHeader title={t('nav.profile')} description={t('profile.description')} />
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <Stack gap="lg">
          <ProfileCard />
          {extra}
        </Stack>
        <Stack gap="lg">
          <MfaCard />
          <PasswordCard />
        </Stack>
      </SimpleGrid>
    </>
  );
}
