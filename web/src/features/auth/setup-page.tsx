// First run: the operator creates the first administrator with the one-time setup token.
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Anchor, Button, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import { useT } from '../../shared/i18n/i18n.tsx';
import { ProblemDetails, notifySuccess } from '../../shared/ui/notify.tsx';
import { AuthLayout } from './auth-layout.tsx';
import { getSetupStatus, runSetup } from './auth.api.ts';

const tokenIn = (hash: string): string => new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';

export function SetupPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['setup-status'], queryFn: getSetupStatus });
  const location = useLocation();
  const [token, setToken] = useState(() => tokenIn(location.hash));
  // The link printed by the server carries the token in the fragment: take it, then drop it from the address bar.
  useEffect(() => {
    const fromLink = tokenIn(location.hash);
    if (!fromLink) return;
    setToken(fromLink);
    void navigate({ pathname: location.pathname, hash: '' }, { replace: true });
  }, [location.hash, location.pathname, navigate]);
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const mismatch = confirm.length > 0 && confirm !== password;

  const setup = useMutation({
    mutationFn: runSetup,
    onSuccess: () => {
      queryClient.setQueryData(['setup-status'], { needsSetup: false });
      notifySuccess((t) => t('setup.done'));
      void navigate('/login', { replace: true, state: { email } });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mismatch) return;
    setup.mutate({ token: token.trim(), email: email.trim(), displayName: displayName.trim(), password });
  };

  if (status.isLoading) {
    return (
      <AuthLayout title={t('setup.title')}>
        <Loader />
      </AuthLayout>
    );
  }
  if (status.data && !status.data.needsSetup) {
    return (
      <AuthLayout title={t('setup.title')}>
        <Text mb="md">{t('setup.alreadyDone')}</Text>
        <Anchor component={Link} to="/login">
          {t('login.goToSignIn')}
        </Anchor>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('setup.title')} width={480}>
      <form onSubmit={submit}>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('setup.intro')}
          </Text>
          {setup.error && (
            <Alert color="red" data-testid="setup-error">
              <ProblemDetails error={setup.error} t={t} />
            </Alert>
          )}
          <TextInput
            label={t('setup.token')}
            description={t('setup.tokenHelp')}
            value={token}
            onChange={(e) => setToken(e.currentTarget.value)}
            required
            autoComplete="off"
            data-testid="setup-token"
          />
          <TextInput
            label={t('field.email')}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            required
            autoComplete="username"
            data-testid="setup-email"
          />
          <TextInput
            label={t('field.displayName')}
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            required
            data-testid="setup-display-name"
          />
          <PasswordInput
            label={t('field.password')}
            description={t('password.rules')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            autoComplete="new-password"
            data-testid="setup-password"
          />
          <PasswordInput
            label={t('password.confirm')}
            value={confirm}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            error={mismatch ? t('password.mismatch') : undefined}
            required
            autoComplete="new-password"
            data-testid="setup-password-confirm"
          />
          <Button type="submit" loading={setup.isPending} data-testid="setup-submit">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
