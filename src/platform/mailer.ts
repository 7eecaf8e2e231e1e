// Outgoing mail (password resets), through the SMTP server SMTP_URL names, with nodemailer.
// Without one the deployment sends no mail: a sandbox shows the reset link on screen instead,
// and production refuses to start a reset it could not deliver.
import nodemailer from 'nodemailer';
import type { Config } from './config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  readonly configured: boolean;
  send(message: MailMessage): Promise<void>;
}

/** Connecting, greeting and each SMTP command must answer within this. */
const SMTP_TIMEOUT_MS = 10_000;

export function createMailer(mail: Config['mail']): Mailer {
  if (!mail.smtpUrl) {
    return {
      configured: false,
      send: async () => {
        throw new Error('no SMTP server is configured (SMTP_URL)');
      },
    };
  }
  const url = new URL(mail.smtpUrl);
  const secure = url.protocol === 'smtps:';
  const transport = nodemailer.createTransport(
    {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      secure,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    },
    { from: mail.from },
  );
  return {
    configured: true,
    send: async (message) => {
      await transport.sendMail({ to: message.to, subject: message.subject, text: message.text });
    },
  };
}
