// Outbound mail over SMTP (nodemailer), configured by MAMORI_SMTP_URL and MAMORI_MAIL_FROM.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** What the mail is about (a notification's id), as an `X-Mamori-Ref` header. */
  ref?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailerOptions {
  /** smtp://user:pass@host:587 (STARTTLS when offered), smtps://…:465 (TLS from the start). */
  url: string;
  from: string;
  /** Milliseconds for connecting, the greeting and each command. */
  timeoutMs?: number;
}

export function createMailer(opts: MailerOptions): Mailer {
  const timeout = opts.timeoutMs ?? 20_000;
  const transport = nodemailer.createTransport({
    url: opts.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(m) {
      await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        ...(m.ref ? { headers: { 'X-Mamori-Ref': m.ref } } : {}),
      });
    },
    close: () => transport.close(),
  };
}
