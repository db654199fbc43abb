// Who is signed in: the session from the API, shared by the router guards, the shell and every feature.
import { createContext, use, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, api, request, setCsrfToken, setUnauthorizedHandler } from '../api/client.ts';
import type { Action, SessionDto } from '../api/types.ts';
import { useLocale } from '../i18n/i18n.tsx';

type SessionState =
  { status: 'loading' } | { status: 'signed_out' } | { status: 'signed_in'; session: SessionDto };

interface SessionValue {
  state: SessionState;
  session: SessionDto | null;
  /** Adopt a session returned by sign-in or a profile update. */
  setSession: (session: SessionDto) => void;
  refresh: () => Promise<SessionDto | null>;
  signOut: () => Promise<void>;
  /** Forget the session locally (the server already ended it). */
  clear: () => void;
  can: (action: Action) => boolean;
}

const SessionContext = createContext<SessionValue | null>(null);

export async function fetchSession(): Promise<SessionDto | null> {
  try {
    return await request<SessionDto>('GET', '/auth/session', { allowUnauthorized: true });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [, setLocale] = useLocale();
  const queryClient = useQueryClient();

  const setSession = useCallback(
    (session: SessionDto) => {
      // A profile update may answer without the token; the session's token is unchanged then.
      if (session.csrfToken) setCsrfToken(session.csrfToken);
      setState({ status: 'signed_in', session });
      setLocale(session.user.locale);
    },
    [setLocale],
  );

  const clear = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'signed_out' });
    queryClient.clear();
  }, [queryClient]);

  const refresh = useCallback(async () => {
    const session = await fetchSession();
    if (session) setSession(session);
    else clear();
    return session;
  }, [setSession, clear]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      clear();
    }
  }, [clear]);

  useEffect(() => {
    setUnauthorizedHandler(clear);
    return () => setUnauthorizedHandler(null);
  }, [clear]);

  useEffect(() => {
    let cancelled = false;
    fetchSession()
      .then((session) => {
        if (cancelled) return;
        if (session) setSession(session);
        else clear();
      })
      .catch(() => {
        if (!cancelled) clear();
      });
    return () => {
      cancelled = true;
    };
  }, [setSession, clear]);

  const value = useMemo<SessionValue>(() => {
    const session = state.status === 'signed_in' ? state.session : null;
    const permissions = new Set(session?.permissions ?? []);
    return {
      state,
      session,
      setSession,
      refresh,
      signOut,
      clear,
      can: (action) => session?.stage === 'full' && permissions.has(action),
    };
  }, [state, setSession, refresh, signOut, clear]);

  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionValue {
  const value = use(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above it');
  return value;
}

/** The signed-in session; only for components rendered behind the sign-in guard. */
export function useRequiredSession(): SessionDto {
  const { session } = useSession();
  if (!session) throw new Error('useRequiredSession() used outside the signed-in area');
  return session;
}

export const useCan = (): ((action: Action) => boolean) => useSession().can;
