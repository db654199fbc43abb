// Runtime configuration, read once from the environment and validated.
import path from 'node:path';
import { z } from 'zod';
import { OperationalError } from './errors.ts';

const EnvSchema = z.object({
  MAMORI_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  MAMORI_PUBLIC_URL: z.url().optional(),
  MAMORI_ADMIN_EMAIL: z.email().optional(),
  MAMORI_ADMIN_PASSWORD: z
    .string()
    .min(12, 'MAMORI_ADMIN_PASSWORD must have at least 12 characters')
    .optional(),
  MAMORI_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  MAMORI_SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  MAMORI_SECRET_KEY: z.string().optional(),
  MAMORI_COOKIE_SECURE: z.enum(['true', 'false']).optional(),
  MAMORI_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MAMORI_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  MAMORI_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  MAMORI_VERIFY_RESPONSES: z.enum(['true', 'false']).optional(),
  MAMORI_AUTH_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
  /** Resolvers of the posture scans: "IP[:PORT]" separated by commas; default the system's (/etc/resolv.conf). */
  MAMORI_DNS_SERVERS: z.string().optional(),
  /** Tests and operations: "NAME=IP[:PORT],…" sends HTTPS fetches of a name to another address (TLS still checks the name). */
  MAMORI_HTTPS_HOSTS: z.string().optional(),
  /** PEM file of CA certificates trusted, in addition to the system's, by the posture scans' HTTPS fetches. */
  MAMORI_EXTRA_CA_FILE: z.string().optional(),
  /** Tests only: let posture scans fetch from loopback and private addresses. */
  MAMORI_SCAN_PRIVATE_ADDRESSES: z.enum(['true', 'false']).default('false'),
  /** The scheduler of posture rescans in `mamori serve`. */
  MAMORI_SCAN_SCHEDULER: z.enum(['true', 'false']).default('true'),
  MAMORI_SCAN_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  MAMORI_SCAN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** The mailbox DMARC reports arrive in (see README); unset: no polling. */
  MAMORI_DMARC_IMAP_HOST: z.string().min(1).optional(),
  MAMORI_DMARC_IMAP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** implicit (IMAPS), starttls, or plain (only for a server on the same host or a private link). */
  MAMORI_DMARC_IMAP_TLS: z.enum(['implicit', 'starttls', 'plain']).default('implicit'),
  MAMORI_DMARC_IMAP_USER: z.string().optional(),
  MAMORI_DMARC_IMAP_PASSWORD: z.string().optional(),
  MAMORI_DMARC_IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  MAMORI_DMARC_IMAP_PROCESSED: z.string().min(1).default('DMARC/Processed'),
  MAMORI_DMARC_IMAP_FAILED: z.string().min(1).default('DMARC/Failed'),
  MAMORI_DMARC_IMAP_INTERVAL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(300),
  /** Outbound mail of notifications: smtp://user:pass@host:587 or smtps://…:465; unset: no mail is sent. */
  MAMORI_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^/]/, 'MAMORI_SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  MAMORI_MAIL_FROM: z.string().min(3).optional(),
  /** The delivery of notification mails and webhook calls in `mamori serve`. */
  MAMORI_NOTIFY_DELIVERY: z.enum(['true', 'false']).default('true'),
  MAMORI_NOTIFY_TICK_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  MAMORI_NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** The webhook may be on a loopback, private or other non-public address (a receiver inside the network). */
  MAMORI_WEBHOOK_PRIVATE_ADDRESSES: z.enum(['true', 'false']).default('false'),
  VITEST: z.string().optional(),
});

export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  dataDir: string;
  database: DatabaseConfig;
  port: number;
  host: string;
  publicUrl: string;
  admin: { email: string; password: string } | undefined;
  session: { idleMinutes: number; absoluteHours: number };
  secretKey: string | undefined;
  cookieSecure: boolean;
  logLevel: string;
  login: { maxFailures: number; windowMinutes: number };
  /** Check each API response against its schema: on under test, off in production unless asked for. */
  verifyResponses: boolean;
  /** How long a resolved session or API token is reused before it is read again (changes here clear it). */
  authCacheSeconds: number;
  /** The DMARC report mailbox, when one is set. */
  dmarcMailbox:
    | {
        host: string;
        port: number;
        tls: 'implicit' | 'starttls' | 'plain';
        user: string;
        password: string;
        mailbox: string;
        processedFolder: string;
        failedFolder: string;
        intervalSeconds: number;
      }
    | undefined;
  /** Outbound SMTP, when MAMORI_SMTP_URL is set. */
  mail: { smtpUrl: string; from: string } | undefined;
  /** Delivery of notifications (mails and webhook calls) by `mamori serve`. */
  notifications: {
    delivery: boolean;
    tickSeconds: number;
    maxAttempts: number;
    webhookPrivateAddresses: boolean;
  };
  /** Posture scans of sending domains (see the MAMORI_DNS_SERVERS … variables). */
  scans: {
    dnsServers: string | undefined;
    httpsHosts: string | undefined;
    extraCaFile: string | undefined;
    allowPrivateAddresses: boolean;
    scheduler: boolean;
    tickSeconds: number;
    concurrency: number;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new OperationalError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.MAMORI_DMARC_IMAP_HOST && (!e.MAMORI_DMARC_IMAP_USER || !e.MAMORI_DMARC_IMAP_PASSWORD)) {
    throw new OperationalError(
      'MAMORI_DMARC_IMAP_HOST needs MAMORI_DMARC_IMAP_USER and MAMORI_DMARC_IMAP_PASSWORD',
    );
  }
  if ((e.MAMORI_ADMIN_EMAIL === undefined) !== (e.MAMORI_ADMIN_PASSWORD === undefined)) {
    throw new OperationalError('Set both MAMORI_ADMIN_EMAIL and MAMORI_ADMIN_PASSWORD, or neither');
  }
  const dataDir = path.resolve(e.MAMORI_DATA_DIR);
  const publicUrl = (e.MAMORI_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: path.join(dataDir, 'mamori.sqlite') },
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    admin:
      e.MAMORI_ADMIN_EMAIL && e.MAMORI_ADMIN_PASSWORD
        ? { email: e.MAMORI_ADMIN_EMAIL, password: e.MAMORI_ADMIN_PASSWORD }
        : undefined,
    session: { idleMinutes: e.MAMORI_SESSION_IDLE_MINUTES, absoluteHours: e.MAMORI_SESSION_ABSOLUTE_HOURS },
    secretKey: e.MAMORI_SECRET_KEY,
    cookieSecure: e.MAMORI_COOKIE_SECURE ? e.MAMORI_COOKIE_SECURE === 'true' : publicUrl.startsWith('https:'),
    logLevel: e.MAMORI_LOG_LEVEL,
    login: { maxFailures: e.MAMORI_LOGIN_MAX_FAILURES, windowMinutes: e.MAMORI_LOGIN_WINDOW_MINUTES },
    authCacheSeconds: e.MAMORI_AUTH_CACHE_SECONDS,
    dmarcMailbox: e.MAMORI_DMARC_IMAP_HOST
      ? {
          host: e.MAMORI_DMARC_IMAP_HOST,
          port: e.MAMORI_DMARC_IMAP_PORT ?? (e.MAMORI_DMARC_IMAP_TLS === 'implicit' ? 993 : 143),
          tls: e.MAMORI_DMARC_IMAP_TLS,
          user: e.MAMORI_DMARC_IMAP_USER ?? '',
          password: e.MAMORI_DMARC_IMAP_PASSWORD ?? '',
          mailbox: e.MAMORI_DMARC_IMAP_MAILBOX,
          processedFolder: e.MAMORI_DMARC_IMAP_PROCESSED,
          failedFolder: e.MAMORI_DMARC_IMAP_FAILED,
          intervalSeconds: e.MAMORI_DMARC_IMAP_INTERVAL_SECONDS,
        }
      : undefined,
    mail: e.MAMORI_SMTP_URL
      ? {
          smtpUrl: e.MAMORI_SMTP_URL,
          from: e.MAMORI_MAIL_FROM ?? `Mamori <mamori@${new URL(publicUrl).hostname}>`,
        }
      : undefined,
    notifications: {
      delivery: e.MAMORI_NOTIFY_DELIVERY === 'true',
      tickSeconds: e.MAMORI_NOTIFY_TICK_SECONDS,
      maxAttempts: e.MAMORI_NOTIFY_MAX_ATTEMPTS,
      webhookPrivateAddresses: e.MAMORI_WEBHOOK_PRIVATE_ADDRESSES === 'true',
    },
    scans: {
      dnsServers: e.MAMORI_DNS_SERVERS,
      httpsHosts: e.MAMORI_HTTPS_HOSTS,
      extraCaFile: e.MAMORI_EXTRA_CA_FILE,
      allowPrivateAddresses: e.MAMORI_SCAN_PRIVATE_ADDRESSES === 'true',
      scheduler: e.MAMORI_SCAN_SCHEDULER === 'true',
      tickSeconds: e.MAMORI_SCAN_TICK_SECONDS,
      concurrency: e.MAMORI_SCAN_CONCURRENCY,
    },
    verifyResponses: e.MAMORI_VERIFY_RESPONSES
      ? e.MAMORI_VERIFY_RESPONSES === 'true'
      : e.VITEST !== undefined,
  };
}
