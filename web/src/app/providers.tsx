// Everything the app needs around it: theme, notifications, data cache, language and session.
import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from '../shared/api/client.ts';
import { I18nProvider } from '../shared/i18n/i18n.tsx';
import { SessionProvider } from '../shared/session/session.tsx';
import { theme } from './theme.ts';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not improve by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          {/* Inside the language: an error notice follows a language switch while it is shown. */}
          <Notifications position="bottom-right" zIndex={1000} />
          <SessionProvider>{children}</SessionProvider>
        </I18nProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
